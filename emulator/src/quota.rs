//! Per-account request-rate quotas (AWS: ~100 writes and ~800 reads per second), as fixed one-second windows.

use crate::operation::Kind;
use std::collections::HashMap;
use std::sync::Mutex;

pub struct RateLimiter {
    write_tps: u32,
    read_tps: u32,
    /// account → (second, requests counted in it) for writes and for reads. Keyed by account
    /// alone so that a known account is found without allocating a key.
    windows: Mutex<HashMap<String, [(i64, u32); 2]>>,
}

impl RateLimiter {
    pub fn new(write_tps: u32, read_tps: u32) -> Self {
        Self {
            write_tps,
            read_tps,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Count a request; false when the account is over its quota for this second.
    pub fn admit(&self, account: &str, kind: Kind, now_secs: i64) -> bool {
        let limit = match kind {
            Kind::Write => self.write_tps,
            Kind::Read => self.read_tps,
        };
        if limit == 0 {
            return true;
        }
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if !windows.contains_key(account) {
            windows.insert(account.to_string(), [(now_secs, 0); 2]);
        }
        let Some(both) = windows.get_mut(account) else {
            return true;
        };
        let w = &mut both[match kind {
            Kind::Write => 0,
            Kind::Read => 1,
        }];
        if w.0 != now_secs {
            *w = (now_secs, 0);
        }
        if w.1 >= limit {
            return false;
        }
        w.1 += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_account_per_kind_per_second() {
        let l = RateLimiter::new(2, 0);
        assert!(l.admit("a", Kind::Write, 10));
        assert!(l.admit("a", Kind::Write, 10));
        assert!(!l.admit("a", Kind::Write, 10));
        assert!(l.admit("b", Kind::Write, 10), "accounts are separate");
        assert!(l.admit("a", Kind::Read, 10), "0 = unlimited");
        assert!(l.admit("a", Kind::Write, 11), "a new second starts afresh");
    }
}
