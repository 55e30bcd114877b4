//! Request-rate limits per (account, Region), separately for writes and reads (governor).

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

pub type TargetKey = (String, String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
}

pub struct Limiter {
    writes: DefaultKeyedRateLimiter<TargetKey>,
    reads: DefaultKeyedRateLimiter<TargetKey>,
}

impl Limiter {
    /// `writes` and `reads` are requests per second per (account, Region).
    pub fn new(writes: NonZeroU32, reads: NonZeroU32) -> Self {
        Self {
            // A burst of one: requests are spread evenly instead of arriving in a clump.
            writes: RateLimiter::keyed(Quota::per_second(writes).allow_burst(NonZeroU32::MIN)),
            reads: RateLimiter::keyed(Quota::per_second(reads).allow_burst(NonZeroU32::MIN)),
        }
    }

    /// Wait until one more request of `kind` to `key` is allowed.
    pub async fn until_ready(&self, key: &TargetKey, kind: Kind) {
        match kind {
            Kind::Write => self.writes.until_key_ready(key).await,
            Kind::Read => self.reads.until_key_ready(key).await,
        }
    }
}
