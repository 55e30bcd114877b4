//! The one retry owner: which errors are worth another attempt, full-jitter exponential backoff,
//! `Retry-After` honoured (capped), bounded attempts. The SDK's own retries are off.

use crate::aws::CallError;
use rand::Rng;
use std::future::Future;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    /// The longest `Retry-After` obeyed; a larger one is cut to this.
    pub retry_after_cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(20),
            retry_after_cap: Duration::from_secs(30),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Throttled,
    Transient,
    Final,
}

/// The one table of retryable errors.
pub fn classify(e: &CallError) -> Verdict {
    match e.code.as_str() {
        "ThrottlingException"
        | "Throttling"
        | "ThrottledException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "SlowDown" => Verdict::Throttled,
        "InternalServerException"
        | "InternalFailure"
        | "InternalError"
        | "ServiceUnavailable"
        | "KMSInternalException"
        | "DependencyTimeoutException"
        | "Timeout"
        | "ConnectionError"
        | "IDPCommunicationError"
        | "RequestTimeout" => Verdict::Transient,
        _ => match e.status {
            Some(429) => Verdict::Throttled,
            Some(500 | 502 | 503 | 504) => Verdict::Transient,
            _ if e.answer_lost => Verdict::Transient,
            _ => Verdict::Final,
        },
    }
}

/// The result of a call after retries, with what it took.
#[derive(Debug)]
pub struct Tried<T> {
    pub result: Result<T, CallError>,
    pub attempts: u32,
    pub throttles: u32,
    /// Some attempt got no answer: a write may have been applied without our knowing.
    pub answer_lost: bool,
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1`: `Retry-After` when given, else full jitter.
    pub fn delay(&self, attempt: u32, err: &CallError) -> Duration {
        if let Some(after) = err.retry_after {
            return after.min(self.retry_after_cap);
        }
        let exp = self.base.saturating_mul(1u32 << attempt.min(20));
        let ceiling = exp.min(self.cap);
        let millis = ceiling.as_millis().max(1) as u64;
        Duration::from_millis(rand::rng().random_range(0..=millis))
    }

    /// Run `op` until it succeeds, fails for good, or attempts run out. `before` runs before
    /// every attempt (the rate limiter); `on_retry` hears of every wait (progress).
    pub async fn run<T, F, Fut, B, BF>(
        &self,
        mut before: B,
        mut op: F,
        on_retry: &(dyn Fn(&CallError, Duration) + Sync),
    ) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
        B: FnMut() -> BF,
        BF: Future<Output = ()>,
    {
        let mut tried = Tried {
            result: Err(CallError::new("NotAttempted", "no attempt was made")),
            attempts: 0,
            throttles: 0,
            answer_lost: false,
        };
        loop {
            before().await;
            tried.attempts += 1;
            match op().await {
                Ok(v) => {
                    tried.result = Ok(v);
                    return tried;
                }
                Err(e) => {
                    tried.answer_lost |= e.answer_lost;
                    let verdict = classify(&e);
                    if verdict == Verdict::Throttled {
                        tried.throttles += 1;
                    }
                    if verdict == Verdict::Final || tried.attempts >= self.max_attempts {
                        tried.result = Err(e);
                        return tried;
                    }
                    let wait = self.delay(tried.attempts - 1, &e);
                    on_retry(&e, wait);
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use tokio::time::Instant;

    fn err(code: &str, status: u16) -> CallError {
        CallError {
            status: Some(status),
            ..CallError::new(code, "x")
        }
    }

    #[test]
    fn the_table() {
        assert_eq!(
            classify(&err("ThrottlingException", 429)),
            Verdict::Throttled
        );
        assert_eq!(classify(&err("Throttling", 400)), Verdict::Throttled);
        assert_eq!(
            classify(&err("InternalServerException", 500)),
            Verdict::Transient
        );
        assert_eq!(classify(&err("Whatever", 503)), Verdict::Transient);
        assert_eq!(
            classify(&CallError {
                answer_lost: true,
                ..CallError::new("ConnectionError", "")
            }),
            Verdict::Transient
        );
        for code in [
            "ValidationException",
            "AccessDeniedException",
            "ConflictException",
            "ServiceQuotaExceededException",
        ] {
            assert_eq!(classify(&err(code, 400)), Verdict::Final, "{code}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_honoured_and_capped() {
        let policy = RetryPolicy::default();
        let calls = AtomicU32::new(0);
        let start = Instant::now();
        let tried = policy
            .run(
                || async {},
                || async {
                    match calls.fetch_add(1, Ordering::SeqCst) {
                        0 => Err(CallError {
                            retry_after: Some(Duration::from_secs(3)),
                            ..err("ThrottlingException", 429)
                        }),
                        1 => Err(CallError {
                            retry_after: Some(Duration::from_secs(3600)),
                            ..err("ThrottlingException", 429)
                        }),
                        _ => Ok("done"),
                    }
                },
                &|_, _| {},
            )
            .await;
        assert_eq!(tried.result.unwrap(), "done");
        assert_eq!((tried.attempts, tried.throttles), (3, 2));
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(3) + policy.retry_after_cap
        );
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_is_bounded_and_final_errors_stop_at_once() {
        let policy = RetryPolicy {
            max_attempts: 4,
            ..RetryPolicy::default()
        };
        let start = Instant::now();
        let tried: Tried<()> = policy
            .run(
                || async {},
                || async { Err(err("InternalServerException", 500)) },
                &|_, _| {},
            )
            .await;
        assert_eq!(tried.attempts, 4);
        // Full jitter: each wait is at most base * 2^n, so three waits stay under 0.1 + 0.2 + 0.4 s.
        assert!(
            start.elapsed() <= Duration::from_millis(700),
            "{:?}",
            start.elapsed()
        );

        let tried: Tried<()> = policy
            .run(
                || async {},
                || async { Err(err("AccessDeniedException", 403)) },
                &|_, _| {},
            )
            .await;
        assert_eq!(tried.attempts, 1);
        assert_eq!(tried.result.unwrap_err().code, "AccessDeniedException");
    }

    #[tokio::test(start_paused = true)]
    async fn a_lost_answer_is_remembered() {
        let calls = AtomicU32::new(0);
        let tried = RetryPolicy::default()
            .run(
                || async {},
                || async {
                    if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                        Err(CallError {
                            answer_lost: true,
                            ..CallError::new("ConnectionError", "reset")
                        })
                    } else {
                        Err(err("ConflictException", 409))
                    }
                },
                &|_, _| {},
            )
            .await;
        assert!(tried.answer_lost);
        assert_eq!(tried.result.unwrap_err().code, "ConflictException");
    }
}
