//! Request rates per (account, Region), separately for writes and reads: an AIMD pacer that halves
//! on throttling and creeps back up, under a governor limiter that is the hard `--rate` ceiling.

use crate::model::TargetKey;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Read,
    Write,
}

/// The slowest the pacer goes, requests per second.
const MIN_RATE: f64 = 0.5;

/// Per (target, kind): the current rate, the next free send slot, the last decrease.
struct Pace {
    rate: f64,
    next: Instant,
    cut: Option<Instant>,
}

/// Throttles answered within this long of a decrease were caused by the old rate: one burst of
/// 429s halves the rate once, not once per answer.
const CUT_EPOCH: Duration = Duration::from_secs(1);

pub struct Limiter {
    writes: DefaultKeyedRateLimiter<TargetKey>,
    reads: DefaultKeyedRateLimiter<TargetKey>,
    max_writes: f64,
    max_reads: f64,
    pace: Mutex<HashMap<(TargetKey, Kind), Pace>>,
}

impl Limiter {
    /// `writes` and `reads` are the ceilings in requests per second per (account, Region).
    pub fn new(writes: NonZeroU32, reads: NonZeroU32) -> Self {
        Self {
            // A burst of one: requests are spread evenly instead of arriving in a clump.
            writes: RateLimiter::keyed(Quota::per_second(writes).allow_burst(NonZeroU32::MIN)),
            reads: RateLimiter::keyed(Quota::per_second(reads).allow_burst(NonZeroU32::MIN)),
            max_writes: f64::from(writes.get()),
            max_reads: f64::from(reads.get()),
            pace: Mutex::new(HashMap::new()),
        }
    }

    fn max(&self, kind: Kind) -> f64 {
        match kind {
            Kind::Write => self.max_writes,
            Kind::Read => self.max_reads,
        }
    }

    fn with_pace<T>(&self, key: &TargetKey, kind: Kind, f: impl FnOnce(&mut Pace, f64) -> T) -> T {
        let max = self.max(kind);
        let mut pace = self.pace.lock().unwrap_or_else(|p| p.into_inner());
        let p = pace.entry((key.clone(), kind)).or_insert_with(|| Pace {
            rate: max,
            next: Instant::now(),
            cut: None,
        });
        f(p, max)
    }

    /// Wait for this request's slot at the current pace (the soft, adaptive rate).
    pub async fn pace(&self, key: &TargetKey, kind: Kind) {
        let slot = self.with_pace(key, kind, |p, _| {
            let slot = p.next.max(Instant::now());
            p.next = slot + Duration::from_secs_f64(1.0 / p.rate);
            slot
        });
        tokio::time::sleep_until(slot).await;
    }

    /// Wait for the hard ceiling: checked last, right before the request leaves, so that no
    /// queue between the pace and the send can bunch requests above the ceiling.
    pub async fn ceiling(&self, key: &TargetKey, kind: Kind) {
        match kind {
            Kind::Write => self.writes.until_key_ready(key).await,
            Kind::Read => self.reads.until_key_ready(key).await,
        }
    }

    /// The pace, then the ceiling.
    #[cfg(test)]
    pub async fn until_ready(&self, key: &TargetKey, kind: Kind) {
        self.pace(key, kind).await;
        self.ceiling(key, kind).await;
    }

    /// Multiplicative decrease: the service said slow down (once per epoch).
    pub fn throttled(&self, key: &TargetKey, kind: Kind) {
        self.with_pace(key, kind, |p, _| {
            let now = Instant::now();
            if p.cut.is_some_and(|t| now.duration_since(t) < CUT_EPOCH) {
                return;
            }
            p.cut = Some(now);
            p.rate = (p.rate / 2.0).max(MIN_RATE);
            // Slots already handed out were spaced for the old rate; the next one waits a whole
            // new interval so the slow-down takes effect at once.
            p.next = p.next.max(now + Duration::from_secs_f64(1.0 / p.rate));
        });
    }

    /// Additive increase: about one more request per second for each second of successes.
    pub fn succeeded(&self, key: &TargetKey, kind: Kind) {
        self.with_pace(key, kind, |p, max| {
            p.rate = (p.rate + 1.0 / p.rate).min(max)
        });
    }

    /// The pace now, requests per second.
    pub fn rate(&self, key: &TargetKey, kind: Kind) -> f64 {
        self.with_pace(key, kind, |p, _| p.rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> TargetKey {
        TargetKey::new("111122223333", "us-east-1")
    }

    #[tokio::test(start_paused = true)]
    async fn halves_once_per_burst_of_throttles_and_recovers_to_the_ceiling_never_beyond() {
        let l = Limiter::new(NonZeroU32::new(40).unwrap(), NonZeroU32::new(100).unwrap());
        assert_eq!(l.rate(&key(), Kind::Write), 40.0);
        for _ in 0..32 {
            l.throttled(&key(), Kind::Write);
        }
        assert_eq!(l.rate(&key(), Kind::Write), 20.0, "one burst, one halving");
        tokio::time::advance(CUT_EPOCH).await;
        l.throttled(&key(), Kind::Write);
        assert_eq!(l.rate(&key(), Kind::Write), 10.0);
        assert_eq!(l.rate(&key(), Kind::Read), 100.0, "reads pace separately");
        for _ in 0..10_000 {
            l.succeeded(&key(), Kind::Write);
        }
        assert_eq!(l.rate(&key(), Kind::Write), 40.0);
        for _ in 0..100 {
            tokio::time::advance(CUT_EPOCH).await;
            l.throttled(&key(), Kind::Write);
        }
        assert_eq!(l.rate(&key(), Kind::Write), MIN_RATE);
    }

    #[tokio::test]
    async fn never_faster_than_the_ceiling() {
        // Real time: governor keeps its own clock. Only a lower bound is asserted, which a
        // slow machine cannot break.
        let l = Limiter::new(NonZeroU32::new(20).unwrap(), NonZeroU32::new(20).unwrap());
        let start = Instant::now();
        for _ in 0..11 {
            l.until_ready(&key(), Kind::Write).await;
        }
        // 11 requests at 20/s: the first at once, the last half a second later.
        assert!(
            start.elapsed() >= Duration::from_millis(490),
            "{:?}",
            start.elapsed()
        );
    }
}
