//! Per-account, per-second request counts by operation and outcome, served at `GET /_emulator/stats`.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Seconds of history kept per account; older seconds are dropped.
const KEEP_SECONDS: i64 = 3600;

/// (operation, outcome) → count. Both are names the code spells (operations, error codes), so
/// counting a request allocates nothing.
type Second = BTreeMap<(&'static str, &'static str), u64>;

/// Only requests whose signature verified are counted per account: the account of a refused
/// request is whatever the client claimed, so keying by it would let anyone grow the map.
pub struct Stats {
    counts: Mutex<Counts>,
    max_accounts: usize,
}

#[derive(Default)]
struct Counts {
    /// account → second → (operation, outcome) → count.
    accounts: BTreeMap<String, BTreeMap<i64, Second>>,
    /// Requests refused before their signature verified, by error code (a fixed set).
    unauthenticated: BTreeMap<&'static str, u64>,
    /// Accounts dropped to stay within `max_accounts`.
    evicted_accounts: u64,
}

impl Stats {
    pub fn new(max_accounts: usize) -> Self {
        Self {
            counts: Mutex::default(),
            max_accounts: max_accounts.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Count a request that failed before its signature was verified.
    pub fn refused(&self, code: &'static str) {
        *self.lock().unauthenticated.entry(code).or_default() += 1;
    }

    /// Count an authenticated request.
    pub fn record(
        &self,
        account: &str,
        second: i64,
        operation: &'static str,
        outcome: &'static str,
    ) {
        let mut guard = self.lock();
        let counts = &mut *guard;
        if let Some(seconds) = counts.accounts.get_mut(account) {
            count(seconds, second, operation, outcome);
            return;
        }
        if counts.accounts.len() >= self.max_accounts {
            // Drop the least recently active account; a linear scan, but only when a new
            // account arrives at the cap.
            let oldest = counts
                .accounts
                .iter()
                .min_by_key(|(_, seconds)| seconds.last_key_value().map(|(s, _)| *s))
                .map(|(a, _)| a.clone());
            if let Some(oldest) = oldest {
                counts.accounts.remove(&oldest);
                counts.evicted_accounts += 1;
            }
        }
        let seconds = counts.accounts.entry(account.to_string()).or_default();
        count(seconds, second, operation, outcome);
    }

    /// `{"accounts": {ID: {"total", "peak_rps", "operations": {op: {outcome: n}}, "seconds": [...]}},
    /// "unauthenticated": {code: n}, "evicted_accounts": n}`.
    pub fn to_json(&self) -> Value {
        let counts = self.lock();
        let mut accounts = Map::new();
        for (account, seconds) in counts.accounts.iter() {
            let mut totals: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
            let mut list = Vec::new();
            let mut peak = 0;
            let mut total = 0;
            for (second, ops) in seconds {
                let mut per_op: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
                let mut n = 0;
                for ((op, outcome), count) in ops {
                    *per_op.entry(op).or_default().entry(outcome).or_default() += count;
                    *totals.entry(op).or_default().entry(outcome).or_default() += count;
                    n += count;
                }
                peak = peak.max(n);
                total += n;
                list.push(json!({"second": second, "total": n, "operations": per_op}));
            }
            accounts.insert(
                account.clone(),
                json!({"total": total, "peak_rps": peak, "operations": totals, "seconds": list}),
            );
        }
        json!({
            "accounts": accounts,
            "unauthenticated": counts.unauthenticated,
            "evicted_accounts": counts.evicted_accounts,
        })
    }
}

/// One more request in one account's history, whose seconds older than `KEEP_SECONDS` go.
fn count(
    seconds: &mut BTreeMap<i64, Second>,
    second: i64,
    operation: &'static str,
    outcome: &'static str,
) {
    *seconds
        .entry(second)
        .or_default()
        .entry((operation, outcome))
        .or_default() += 1;
    while let Some((&first, _)) = seconds.first_key_value() {
        if first >= second - KEEP_SECONDS {
            break;
        }
        seconds.pop_first();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_second_operation_and_outcome() {
        let s = Stats::new(10);
        s.record("111122223333", 100, "CreateDomain", "ok");
        s.record("111122223333", 100, "CreateDomain", "ThrottlingException");
        s.record("111122223333", 101, "CreateDomain", "ok");
        let v = s.to_json();
        let a = &v["accounts"]["111122223333"];
        assert_eq!(a["total"], 3);
        assert_eq!(a["peak_rps"], 2);
        assert_eq!(a["operations"]["CreateDomain"]["ok"], 2);
        assert_eq!(a["seconds"][0]["total"], 2);
    }

    #[test]
    fn refusals_are_one_counter_and_accounts_are_capped() {
        let s = Stats::new(2);
        for _ in 0..1000 {
            s.refused("InvalidSignatureException");
        }
        s.record("111111111111", 100, "ListDomains", "ok");
        s.record("222222222222", 101, "ListDomains", "ok");
        s.record("111111111111", 102, "ListDomains", "ok");
        // At the cap, the least recently active account (222…, last seen at 101) makes room.
        s.record("333333333333", 103, "ListDomains", "ok");
        let v = s.to_json();
        let accounts = v["accounts"].as_object().unwrap();
        assert_eq!(
            accounts.keys().collect::<Vec<_>>(),
            ["111111111111", "333333333333"]
        );
        assert_eq!(v["evicted_accounts"], 1);
        assert_eq!(v["unauthenticated"]["InvalidSignatureException"], 1000);
    }
}
