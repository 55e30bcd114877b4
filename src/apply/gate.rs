//! Every AWS call passes here: the (account, Region) rate limiter, then the retry owner.

use super::rate_limit::{Kind, Limiter, TargetKey};
use super::retry::{RetryPolicy, Tried};
use crate::aws::CallError;
use std::future::Future;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub struct Gate {
    limiter: Limiter,
    policy: RetryPolicy,
    throttles: AtomicU64,
}

impl Gate {
    pub fn new(write_rate: NonZeroU32, read_rate: NonZeroU32, policy: RetryPolicy) -> Self {
        Self {
            limiter: Limiter::new(write_rate, read_rate),
            policy,
            throttles: AtomicU64::new(0),
        }
    }

    /// Throttling answers met (and waited out or given up on) so far.
    pub fn throttles(&self) -> u64 {
        self.throttles.load(Ordering::Relaxed)
    }

    pub async fn call<T, F, Fut>(
        &self,
        key: &TargetKey,
        kind: Kind,
        op: F,
        on_retry: &(dyn Fn(&CallError, Duration) + Sync),
    ) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        let tried = self
            .policy
            .run(|| self.limiter.until_ready(key, kind), op, on_retry)
            .await;
        self.throttles
            .fetch_add(u64::from(tried.throttles), Ordering::Relaxed);
        tried
    }

    /// A read whose retries nobody needs to hear about.
    pub async fn read<T, F, Fut>(&self, key: &TargetKey, op: F) -> Result<T, CallError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        self.call(key, Kind::Read, op, &|_, _| {}).await.result
    }
}
