//! The one retry owner: which errors are worth another attempt, full-jitter exponential backoff,
//! `Retry-After` honoured (capped), bounded attempts, a timeout per attempt and a deadline over
//! all of them. The SDK's own retries are off, so attempts do not multiply.

use super::interrupt::{Interrupt, Level};
use crate::aws::wire::{Noted, Wire};
use crate::aws::{CallError, ErrorKind};
use rand::Rng;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts that failed other than by throttling (throttles are bounded by the deadline).
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    /// The longest `Retry-After` obeyed; a larger one is cut to this.
    pub retry_after_cap: Duration,
    /// One attempt that takes longer is abandoned (its answer counts as lost).
    pub attempt_timeout: Duration,
    /// No new attempt starts once this much time has gone since the first.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 10,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(20),
            retry_after_cap: Duration::from_secs(30),
            attempt_timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(300),
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

/// The one table of retryable errors, by kind.
pub fn classify(e: &CallError) -> Verdict {
    match e.kind {
        ErrorKind::Throttling => Verdict::Throttled,
        ErrorKind::Service | ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Credentials => {
            Verdict::Transient
        }
        ErrorKind::Quota
        | ErrorKind::Conflict
        | ErrorKind::NotFound
        | ErrorKind::AccessDenied
        | ErrorKind::BadCredentials
        | ErrorKind::Validation
        | ErrorKind::Interrupted
        | ErrorKind::Other => Verdict::Final,
    }
}

/// What happens around each attempt: pacing before, feedback after, news of waits.
pub trait Pacing {
    /// Held while one attempt is in flight, and only then: waits between attempts hold none.
    type Slot;
    /// Wait until the attempt may be sent.
    fn before(&self) -> impl Future<Output = Self::Slot>;
    fn after(&self, verdict: Option<Verdict>);
    fn retrying(&self, _err: &CallError, _wait: Duration) {}
    /// Attempt `number` ended after `latency`, as `wire` noted it: `error` is `None` on success.
    fn attempted(
        &self,
        _number: u32,
        _latency: Duration,
        _wire: &Wire,
        _error: Option<&CallError>,
    ) {
    }
    /// Asked once the attempt has its slot, right before it is sent: an error here ends the
    /// call unsent (the run stopped wanting it while it waited).
    fn admit(&self) -> Result<(), CallError> {
        Ok(())
    }
}

/// No pacing (unit tests).
impl Pacing for () {
    type Slot = ();
    async fn before(&self) {}
    fn after(&self, _: Option<Verdict>) {}
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

    /// Run `op` until it succeeds, fails for good, runs out of attempts or time, or a stop is
    /// asked for (then no new attempt starts and the error is `Interrupted`).
    pub async fn run<T, F, Fut>(
        &self,
        pacing: &impl Pacing,
        interrupt: &Interrupt,
        mut op: F,
    ) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        let started = Instant::now();
        let mut tried = Tried {
            result: Err(interrupted(false)),
            attempts: 0,
            throttles: 0,
            answer_lost: false,
        };
        loop {
            let slot = tokio::select! {
                biased;
                _ = interrupt.reached(Level::Soft) => {
                    tried.result = Err(interrupted(tried.answer_lost));
                    return tried;
                }
                slot = pacing.before() => slot,
            };
            if let Err(e) = pacing.admit() {
                drop(slot);
                tried.result = Err(e);
                return tried;
            }
            tried.attempts += 1;
            // Boxed: the SDK's future is large, and only the calls in flight need one. Callers
            // waiting for a slot (thousands, at organisation scale) then hold only their own
            // small state.
            let noted = Noted::default();
            let sent = Instant::now();
            let outcome =
                tokio::time::timeout(self.attempt_timeout, noted.around(Box::pin(op()))).await;
            let latency = sent.elapsed();
            drop(slot);
            let outcome = match outcome {
                Ok(r) => r,
                Err(_) => Err(CallError {
                    answer_lost: true,
                    ..CallError::new(
                        ErrorKind::Timeout,
                        format!("no answer within {:?}", self.attempt_timeout),
                    )
                }),
            };
            let error = outcome.as_ref().err();
            pacing.attempted(tried.attempts, latency, &noted.take(), error);
            let e = match outcome {
                Ok(v) => {
                    pacing.after(None);
                    tried.result = Ok(v);
                    return tried;
                }
                Err(e) => e,
            };
            tried.answer_lost |= e.answer_lost;
            let verdict = classify(&e);
            pacing.after(Some(verdict));
            if verdict == Verdict::Throttled {
                tried.throttles += 1;
            }
            let wait = self.delay(
                tried.attempts - 1 - tried.throttles.min(tried.attempts - 1),
                &e,
            );
            // Throttling says "later", not "no": only the deadline bounds waiting it out.
            let failures = tried.attempts - tried.throttles;
            if verdict == Verdict::Final
                || failures >= self.max_attempts
                || started.elapsed() + wait > self.deadline
            {
                tried.result = Err(e);
                return tried;
            }
            pacing.retrying(&e, wait);
            tokio::select! {
                biased;
                _ = interrupt.reached(Level::Soft) => {
                    tried.result = Err(interrupted(tried.answer_lost));
                    return tried;
                }
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}

fn interrupted(answer_lost: bool) -> CallError {
    CallError {
        answer_lost,
        ..CallError::new(
            ErrorKind::Interrupted,
            "stopped by an interrupt before this call completed",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::interrupt;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn err(code: &str, status: u16) -> CallError {
        CallError {
            kind: ErrorKind::of_service_error(code, status),
            code: Some(code.into()),
            status: Some(status),
            ..CallError::new(ErrorKind::Other, "x")
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
        assert_eq!(classify(&err("Whatever", 429)), Verdict::Throttled);
        assert_eq!(
            classify(&CallError::new(ErrorKind::Credentials, "sts hiccup")),
            Verdict::Transient
        );
        let lost = CallError {
            answer_lost: true,
            ..CallError::new(ErrorKind::Network, "")
        };
        assert_eq!(classify(&lost), Verdict::Transient);
        // A 5xx may follow an applied write (its answer counts as lost): retried.
        let failed = CallError {
            answer_lost: true,
            ..err("InternalServerException", 500)
        };
        assert_eq!(classify(&failed), Verdict::Transient);
        for code in [
            "ValidationException",
            "AccessDeniedException",
            "ConflictException",
            "ServiceQuotaExceededException",
        ] {
            assert_eq!(classify(&err(code, 400)), Verdict::Final, "{code}");
        }
    }

    /// Records what the observer hook hears.
    #[derive(Default)]
    struct Heard(std::sync::Mutex<Vec<(u32, Option<ErrorKind>)>>);

    impl Pacing for Heard {
        type Slot = ();
        async fn before(&self) {}
        fn after(&self, _: Option<Verdict>) {}
        fn attempted(&self, n: u32, _: Duration, _: &Wire, error: Option<&CallError>) {
            self.0.lock().unwrap().push((n, error.map(|e| e.kind)));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn every_attempt_is_heard_once_with_its_number_and_end() {
        let heard = Heard::default();
        let calls = AtomicU32::new(0);
        let tried = RetryPolicy::default()
            .run(&heard, &Interrupt::never(), || async {
                match calls.fetch_add(1, Ordering::SeqCst) {
                    0 => Err(err("ThrottlingException", 429)),
                    1 => Err(err("InternalServerException", 500)),
                    _ => Ok(()),
                }
            })
            .await;
        assert!(tried.result.is_ok());
        assert_eq!(
            *heard.0.lock().unwrap(),
            [
                (1, Some(ErrorKind::Throttling)),
                (2, Some(ErrorKind::Service)),
                (3, None)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_honoured_and_capped() {
        let policy = RetryPolicy::default();
        let calls = AtomicU32::new(0);
        let start = Instant::now();
        let tried = policy
            .run(&(), &Interrupt::never(), || async {
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
            })
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
            .run(&(), &Interrupt::never(), || async {
                Err(err("InternalServerException", 500))
            })
            .await;
        assert_eq!(tried.attempts, 4);
        // Full jitter: the waits are at most 0.1, 0.2 and 0.4 s.
        assert!(
            start.elapsed() <= Duration::from_millis(700),
            "{:?}",
            start.elapsed()
        );

        let tried: Tried<()> = policy
            .run(&(), &Interrupt::never(), || async {
                Err(err("AccessDeniedException", 403))
            })
            .await;
        assert_eq!(tried.attempts, 1);
        assert_eq!(tried.result.unwrap_err().kind, ErrorKind::AccessDenied);
    }

    #[tokio::test(start_paused = true)]
    async fn throttles_do_not_use_up_attempts_only_the_deadline_bounds_them() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        let calls = AtomicU32::new(0);
        let tried = policy
            .run(&(), &Interrupt::never(), || async {
                match calls.fetch_add(1, Ordering::SeqCst) {
                    0..10 => Err(CallError {
                        retry_after: Some(Duration::from_secs(1)),
                        ..err("ThrottlingException", 429)
                    }),
                    _ => Ok(()),
                }
            })
            .await;
        assert!(tried.result.is_ok());
        assert_eq!((tried.attempts, tried.throttles), (11, 10));
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_stops_new_attempts() {
        let policy = RetryPolicy {
            deadline: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        let start = Instant::now();
        let tried: Tried<()> = policy
            .run(&(), &Interrupt::never(), || async {
                Err(CallError {
                    retry_after: Some(Duration::from_secs(4)),
                    ..err("ThrottlingException", 429)
                })
            })
            .await;
        // Attempts at 0, 4 and 8 s; a fourth would start at 12 s, past the deadline.
        assert_eq!(tried.attempts, 3);
        assert_eq!(start.elapsed(), Duration::from_secs(8));
    }

    #[tokio::test(start_paused = true)]
    async fn a_hung_attempt_times_out_and_counts_as_a_lost_answer() {
        let policy = RetryPolicy {
            max_attempts: 2,
            attempt_timeout: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        let calls = AtomicU32::new(0);
        let tried = policy
            .run(&(), &Interrupt::never(), || async {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    std::future::pending::<()>().await;
                }
                Ok(7)
            })
            .await;
        assert_eq!(tried.result.unwrap(), 7);
        assert!(tried.answer_lost);
        assert_eq!(tried.attempts, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_lost_answer_is_remembered() {
        let calls = AtomicU32::new(0);
        let tried: Tried<()> = RetryPolicy::default()
            .run(&(), &Interrupt::never(), || async {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    Err(CallError {
                        answer_lost: true,
                        ..CallError::new(ErrorKind::Network, "reset")
                    })
                } else {
                    Err(err("ConflictException", 409))
                }
            })
            .await;
        assert!(tried.answer_lost);
        assert_eq!(tried.result.unwrap_err().kind, ErrorKind::Conflict);
    }

    #[tokio::test(start_paused = true)]
    async fn a_soft_stop_ends_the_waiting_and_starts_no_new_attempt() {
        let (trigger, interrupt) = interrupt::channel();
        let calls = AtomicU32::new(0);
        let policy = RetryPolicy::default();
        let run = policy.run(&(), &interrupt, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(CallError {
                retry_after: Some(Duration::from_secs(20)),
                ..err("ThrottlingException", 429)
            })
        });
        let stop = async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            trigger.escalate();
        };
        let (tried, ()) = tokio::join!(run, stop);
        assert_eq!(tried.result.unwrap_err().kind, ErrorKind::Interrupted);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
