//! Every AWS call passes here: the (account, Region) pacer, a slot among the calls in flight
//! and the ceiling, then the retry owner, whose verdicts feed the pacer back (AIMD) and count
//! the throttles met. The slots are the one bound on requests in flight: a call waiting for its
//! target's pace holds none, so a busy target never idles the rest of the organisation.

use super::interrupt::Interrupt;
use super::observer::{Attempt, Observer};
use super::pace::{Kind, Limiter};
use super::retry::{Pacing, RetryPolicy, Tried, Verdict};
use crate::aws::CallError;
use crate::aws::wire::Wire;
use crate::model::TargetKey;
use std::future::Future;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

pub struct Gate {
    limiter: Limiter,
    policy: RetryPolicy,
    throttles: AtomicU64,
    in_flight: Semaphore,
    /// Told of every attempt's end.
    observers: Vec<Arc<dyn Observer>>,
}

/// The pacing of one call: which target and kind, and who hears about waits.
struct Paced<'a> {
    gate: &'a Gate,
    key: &'a TargetKey,
    kind: Kind,
    on_retry: &'a (dyn Fn(&CallError, Duration) + Sync),
    admit: &'a (dyn Fn() -> Result<(), CallError> + Sync),
}

impl<'a> Pacing for Paced<'a> {
    /// `None` only if the semaphore were closed, which nothing does.
    type Slot = Option<SemaphorePermit<'a>>;

    async fn before(&self) -> Self::Slot {
        let limiter = &self.gate.limiter;
        limiter.pace(self.key, self.kind).await;
        let slot = self.gate.in_flight.acquire().await.ok();
        limiter.ceiling(self.key, self.kind).await;
        slot
    }

    fn after(&self, verdict: Option<Verdict>) {
        match verdict {
            None => self.gate.limiter.succeeded(self.key, self.kind),
            Some(Verdict::Throttled) => {
                self.gate.throttles.fetch_add(1, Ordering::Relaxed);
                self.gate.limiter.throttled(self.key, self.kind);
            }
            Some(_) => {}
        }
    }

    fn retrying(&self, err: &CallError, wait: Duration) {
        (self.on_retry)(err, wait);
    }

    fn admit(&self) -> Result<(), CallError> {
        (self.admit)()
    }

    fn attempted(&self, number: u32, latency: Duration, wire: &Wire, error: Option<&CallError>) {
        let observers = &self.gate.observers;
        if observers.is_empty() {
            return;
        }
        if let Some(attempt) = Attempt::of(self.key, wire, number, latency, error) {
            for o in observers {
                o.attempted(&attempt);
            }
        }
    }
}

impl Gate {
    /// `in_flight`: requests sent and not yet answered, at most, over all targets.
    pub fn new(
        write_rate: NonZeroU32,
        read_rate: NonZeroU32,
        in_flight: usize,
        policy: RetryPolicy,
    ) -> Self {
        Self {
            limiter: Limiter::new(write_rate, read_rate),
            policy,
            throttles: AtomicU64::new(0),
            in_flight: Semaphore::new(in_flight.clamp(1, Semaphore::MAX_PERMITS)),
            observers: Vec::new(),
        }
    }

    /// Tell `observer` of every attempt from now on.
    pub fn observe(&mut self, observer: Arc<dyn Observer>) {
        self.observers.push(observer);
    }

    /// Throttling answers met so far (each waited out, or given up on when attempts ran out).
    pub fn throttles(&self) -> u64 {
        self.throttles.load(Ordering::Relaxed)
    }

    pub async fn call<T, F, Fut>(
        &self,
        key: &TargetKey,
        kind: Kind,
        interrupt: &Interrupt,
        op: F,
        on_retry: &(dyn Fn(&CallError, Duration) + Sync),
    ) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        self.call_admitted(key, kind, interrupt, op, on_retry, &|| Ok(()))
            .await
    }

    /// A call that `admit` may still cancel once it has its slot: a wait for a slot can be long,
    /// and what was wanted when it began (the failure tolerance, the target's breaker) may have
    /// changed since.
    pub async fn call_admitted<T, F, Fut>(
        &self,
        key: &TargetKey,
        kind: Kind,
        interrupt: &Interrupt,
        op: F,
        on_retry: &(dyn Fn(&CallError, Duration) + Sync),
        admit: &(dyn Fn() -> Result<(), CallError> + Sync),
    ) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        let pacing = Paced {
            gate: self,
            key,
            kind,
            on_retry,
            admit,
        };
        self.policy.run(&pacing, interrupt, op).await
    }

    /// A read whose retries nobody needs to hear about, and which no interrupt cuts short.
    pub async fn read<T, F, Fut>(&self, key: &TargetKey, op: F) -> Result<T, CallError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        self.call(key, Kind::Read, &Interrupt::never(), op, &|_, _| {})
            .await
            .result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::AtomicUsize;

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    #[tokio::test]
    async fn one_slot_in_flight_and_a_call_waiting_for_its_pace_holds_none() {
        // One write per second for every target, one call in flight over all of them.
        let gate = Gate::new(nz(1), nz(1000), 1, RetryPolicy::default());
        let (a, b) = (
            TargetKey::new("111111111111", "us-east-1"),
            TargetKey::new("222222222222", "us-east-1"),
        );
        let (running, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let finished = Mutex::new(Vec::new());
        let call = |key: &'static str, target: &TargetKey| {
            let (gate, running, peak, finished) = (&gate, &running, &peak, &finished);
            let target = target.clone();
            async move {
                let op = || async {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    Ok(())
                };
                let tried = gate
                    .call(&target, Kind::Write, &Interrupt::never(), op, &|_, _| {})
                    .await;
                assert!(tried.result.is_ok());
                finished.lock().unwrap().push(key);
            }
        };
        let later = |ms| tokio::time::sleep(Duration::from_millis(ms));
        tokio::join!(
            call("a1", &a),
            async {
                later(50).await;
                call("a2", &a).await
            },
            async {
                later(100).await;
                call("b1", &b).await
            },
        );
        // a2's pace is a second after a1; b1, asked later, must not wait behind it.
        assert_eq!(*finished.lock().unwrap(), ["a1", "b1", "a2"]);
        assert_eq!(peak.load(Ordering::SeqCst), 1);
    }
}
