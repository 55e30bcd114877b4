//! Every AWS call passes here: the (account, Region) pacer and ceiling, then the retry owner,
//! whose verdicts feed the pacer back (AIMD) and count the throttles met.

use super::interrupt::Interrupt;
use super::pace::{Kind, Limiter};
use super::retry::{Pacing, RetryPolicy, Tried, Verdict};
use crate::aws::CallError;
use crate::model::TargetKey;
use std::future::Future;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub struct Gate {
    limiter: Limiter,
    policy: RetryPolicy,
    throttles: AtomicU64,
}

/// The pacing of one call: which target and kind, and who hears about waits.
struct Paced<'a> {
    gate: &'a Gate,
    key: &'a TargetKey,
    kind: Kind,
    on_retry: &'a (dyn Fn(&CallError, Duration) + Sync),
}

impl Pacing for Paced<'_> {
    async fn before(&self) {
        self.gate.limiter.until_ready(self.key, self.kind).await;
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
}

impl Gate {
    pub fn new(write_rate: NonZeroU32, read_rate: NonZeroU32, policy: RetryPolicy) -> Self {
        Self {
            limiter: Limiter::new(write_rate, read_rate),
            policy,
            throttles: AtomicU64::new(0),
        }
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
        let pacing = Paced {
            gate: self,
            key,
            kind,
            on_retry,
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
