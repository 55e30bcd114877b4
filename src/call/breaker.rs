//! Circuit breakers per (account, Region) and the run's failure tolerance: stop hammering a
//! target that cannot succeed, and stop starting work once too many domains have failed.

use crate::aws::{CallError, ErrorKind};
use crate::model::TargetKey;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Kinds of error after which every further call to the same target fails the same way. A
/// quota does only when it is the target's (the domain count, met by CreateDomain); a tag-count
/// quota concerns one domain: the caller says which with `target_quota`.
pub fn opens_breaker(kind: ErrorKind, target_quota: bool) -> bool {
    match kind {
        ErrorKind::AccessDenied | ErrorKind::BadCredentials | ErrorKind::Credentials => true,
        ErrorKind::Quota => target_quota,
        _ => false,
    }
}

#[derive(Default)]
pub struct Breakers {
    open: Mutex<HashMap<TargetKey, CallError>>,
}

impl Breakers {
    /// Open the target's breaker with the error that proved it cannot succeed (first error wins).
    pub fn trip(&self, key: &TargetKey, e: &CallError) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.entry(key.clone()).or_insert_with(|| e.clone());
    }

    /// Why the target is not worth calling any more, if it is not.
    pub fn reason(&self, key: &TargetKey) -> Option<CallError> {
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
    pub fn exceeded(&self) -> Option<Exceeded> {
        let allowed = self.allowed?;
        let failed = self.failed.load(Ordering::SeqCst);
        (failed > allowed).then_some(Exceeded { failed, allowed })
    }
}

/// More domains failed than `--max-failures` tolerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    pub failed: usize,
    pub allowed: usize,
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
        assert_eq!(
            t.exceeded(),
            Some(Exceeded {
                failed: 2,
                allowed: 1
            })
        );
        assert!(Tolerance::new(None, 10).exceeded().is_none());
    }

    #[test]
    fn the_first_error_opens_a_breaker() {
        let b = Breakers::default();
        let key = TargetKey::new("111122223333", "us-east-1");
        assert!(b.reason(&key).is_none());
        b.trip(&key, &CallError::new(ErrorKind::AccessDenied, "m"));
        b.trip(&key, &CallError::new(ErrorKind::Quota, "m"));
        assert_eq!(b.reason(&key).unwrap().kind, ErrorKind::AccessDenied);
        assert!(opens_breaker(ErrorKind::Quota, true));
        assert!(opens_breaker(ErrorKind::BadCredentials, false));
        assert!(opens_breaker(ErrorKind::Credentials, false));
        assert!(!opens_breaker(ErrorKind::Throttling, true));
        assert!(!opens_breaker(ErrorKind::Quota, false));
        assert!(!opens_breaker(ErrorKind::Validation, true));
    }
}
