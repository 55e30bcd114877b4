//! Seeded fault injection: throttling, 500s, dropped connections (before or after the write), latency, denied accounts.

use crate::config::Faults;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

/// What happens to one request, decided before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    Deny,
    Throttle {
        retry_after: u32,
    },
    ServerError,
    /// Close the connection without an answer, the operation not applied.
    DropBefore,
    /// Apply the operation, then close the connection without an answer.
    DropAfter,
}

pub struct FaultInjector {
    faults: RwLock<Faults>,
    rng: Mutex<StdRng>,
}

impl FaultInjector {
    pub fn new(faults: Faults, seed: u64) -> Self {
        Self {
            faults: RwLock::new(faults),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        }
    }

    /// Replace the faults; a seed given with them restarts the sequence, so a run can be replayed.
    pub fn set(&self, faults: Faults) {
        if let Some(seed) = faults.seed {
            *self.rng.lock().unwrap_or_else(|p| p.into_inner()) = StdRng::seed_from_u64(seed);
        }
        *self.faults.write().unwrap_or_else(|p| p.into_inner()) = faults;
    }

    pub fn get(&self) -> Faults {
        self.faults
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Draw this request's fault and added latency. One draw per request, in arrival
    /// order, so a seed replays the same sequence for the same request order.
    pub fn decide(&self, account: &str) -> (Fault, Duration) {
        let f = self.faults.read().unwrap_or_else(|p| p.into_inner());
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        let latency = match f.latency {
            Some(l) if l.max_ms > l.min_ms => {
                Duration::from_millis(rng.random_range(l.min_ms..=l.max_ms))
            }
            Some(l) => l.min(),
            None => Duration::ZERO,
        };
        if f.deny_accounts.iter().any(|a| a == account) {
            return (Fault::Deny, latency);
        }
        let roll: f64 = rng.random();
        let after: f64 = rng.random();
        let mut edge = f.throttle_rate.0;
        let fault = if roll < edge {
            Fault::Throttle {
                retry_after: f.retry_after,
            }
        } else if roll < {
            edge += f.error_rate.0;
            edge
        } {
            Fault::ServerError
        } else if roll < edge + f.drop_rate.0 {
            if after < f.drop_after_write.0 {
                Fault::DropAfter
            } else {
                Fault::DropBefore
            }
        } else {
            Fault::None
        };
        (fault, latency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Fraction;

    fn count(faults: Faults, seed: u64) -> [usize; 5] {
        let inj = FaultInjector::new(faults, seed);
        let mut n = [0; 5];
        for _ in 0..10_000 {
            let i = match inj.decide("111122223333").0 {
                Fault::None => 0,
                Fault::Throttle { .. } => 1,
                Fault::ServerError => 2,
                Fault::DropBefore => 3,
                Fault::DropAfter => 4,
                Fault::Deny => unreachable!("no account denied"),
            };
            n[i] += 1;
        }
        n
    }

    #[test]
    fn rates_are_honoured_and_seeds_replay() {
        let faults = Faults {
            throttle_rate: Fraction(0.2),
            error_rate: Fraction(0.05),
            drop_rate: Fraction(0.1),
            drop_after_write: Fraction(0.5),
            ..Faults::default()
        };
        let n = count(faults.clone(), 7);
        assert!((1800..2200).contains(&n[1]), "{n:?}");
        assert!((350..650).contains(&n[2]), "{n:?}");
        assert!((350..650).contains(&n[3]), "{n:?}");
        assert!((350..650).contains(&n[4]), "{n:?}");
        assert_eq!(n, count(faults, 7));
    }

    #[test]
    fn denied_accounts_are_always_denied() {
        let inj = FaultInjector::new(
            Faults {
                deny_accounts: vec!["444455556666".into()],
                ..Faults::default()
            },
            1,
        );
        assert_eq!(inj.decide("444455556666").0, Fault::Deny);
        assert_eq!(inj.decide("111122223333").0, Fault::None);
    }
}
