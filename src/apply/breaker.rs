//! Circuit breakers per (account, Region) and the run's failure tolerance: stop hammering a
//! target that cannot succeed, and stop starting work once too many domains have failed.

use super::rate_limit::TargetKey;
use crate::report::ErrorInfo;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Errors that mean every further call to the same target fails the same way.
pub fn opens_breaker(code: &str) -> bool {
    matches!(
        code,
        "AccessDeniedException"
            | "AccessDenied"
            | "ServiceQuotaExceededException"
            | "CredentialsError"
            | "UnrecognizedClientException"
            | "InvalidClientTokenId"
            | "ExpiredTokenException"
            | "ExpiredToken"
            | "InvalidSignatureException"
            | "SignatureDoesNotMatch"
    )
}

#[derive(Default)]
pub struct Breakers {
    open: Mutex<HashMap<TargetKey, ErrorInfo>>,
}

impl Breakers {
    /// Open the target's breaker with the error that proved it cannot succeed (first error wins).
    pub fn trip(&self, key: &TargetKey, e: &ErrorInfo) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.entry(key.clone()).or_insert_with(|| e.clone());
    }

    /// Why the target is not worth calling any more, if it is not.
    pub fn reason(&self, key: &TargetKey) -> Option<ErrorInfo> {
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.get(key).cloned()
    }
}

/// `--max-failures`: a count, or a percentage of the domains with work to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxFailures {
    Count(usize),
    Percent(u8),
}

impl FromStr for MaxFailures {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if let Some(p) = s.strip_suffix('%') {
            match p.trim().parse::<u8>() {
                Ok(n) if n <= 100 => Ok(Self::Percent(n)),
                _ => Err(format!("`{s}` is not a percentage from 0% to 100%")),
            }
        } else {
            s.parse::<usize>()
                .map(Self::Count)
                .map_err(|_| format!("`{s}` is not a count (e.g. 5) or a percentage (e.g. 10%)"))
        }
    }
}

impl MaxFailures {
    /// Failures tolerated among `total` domains; exceeding it stops new work.
    pub fn allowed(self, total: usize) -> usize {
        match self {
            Self::Count(n) => n,
            Self::Percent(p) => total * usize::from(p) / 100,
        }
    }
}

/// Counts failures against the tolerance.
pub struct Tolerance {
    allowed: Option<usize>,
    failed: AtomicUsize,
}

impl Tolerance {
    pub fn new(max: Option<MaxFailures>, total: usize) -> Self {
        Self {
            allowed: max.map(|m| m.allowed(total)),
            failed: AtomicUsize::new(0),
        }
    }

    pub fn record_failure(&self) {
        self.failed.fetch_add(1, Ordering::SeqCst);
    }

    /// Why no new work should start, once more domains failed than tolerated.
    pub fn exceeded(&self) -> Option<ErrorInfo> {
        let allowed = self.allowed?;
        let failed = self.failed.load(Ordering::SeqCst);
        (failed > allowed).then(|| ErrorInfo {
            code: "FailureToleranceExceeded".into(),
            message: format!(
                "not started: {failed} domains failed, more than the {allowed} that --max-failures tolerates"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_failures_parses_counts_and_percentages() {
        assert_eq!("3".parse(), Ok(MaxFailures::Count(3)));
        assert_eq!("10%".parse(), Ok(MaxFailures::Percent(10)));
        assert!("101%".parse::<MaxFailures>().is_err());
        assert!("many".parse::<MaxFailures>().is_err());
        assert_eq!(MaxFailures::Percent(10).allowed(55), 5);
    }

    #[test]
    fn tolerance_is_exceeded_only_past_the_allowance() {
        let t = Tolerance::new(Some(MaxFailures::Count(1)), 10);
        t.record_failure();
        assert!(t.exceeded().is_none());
        t.record_failure();
        assert_eq!(t.exceeded().unwrap().code, "FailureToleranceExceeded");
        assert!(Tolerance::new(None, 10).exceeded().is_none());
    }

    #[test]
    fn the_first_error_opens_a_breaker() {
        let b = Breakers::default();
        let key = ("111122223333".to_string(), "us-east-1".to_string());
        assert!(b.reason(&key).is_none());
        let e = |code: &str| ErrorInfo {
            code: code.into(),
            message: "m".into(),
        };
        b.trip(&key, &e("AccessDeniedException"));
        b.trip(&key, &e("ServiceQuotaExceededException"));
        assert_eq!(b.reason(&key).unwrap().code, "AccessDeniedException");
        assert!(opens_breaker("ServiceQuotaExceededException"));
        assert!(!opens_breaker("ValidationException"));
    }
}
