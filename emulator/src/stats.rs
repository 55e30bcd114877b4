//! Per-account, per-second request counts by operation and outcome, served at `GET /_emulator/stats`.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Seconds of history kept per account; older seconds are dropped.
const KEEP_SECONDS: i64 = 3600;

type Second = BTreeMap<(String, String), u64>;

#[derive(Default)]
pub struct Stats {
    /// account → second → (operation, outcome) → count.
    counts: Mutex<BTreeMap<String, BTreeMap<i64, Second>>>,
}

impl Stats {
    pub fn record(&self, account: &str, second: i64, operation: &str, outcome: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let seconds = counts.entry(account.to_string()).or_default();
        *seconds
            .entry(second)
            .or_default()
            .entry((operation.to_string(), outcome.to_string()))
            .or_default() += 1;
        while let Some((&first, _)) = seconds.first_key_value() {
            if first >= second - KEEP_SECONDS {
                break;
            }
            seconds.pop_first();
        }
    }

    /// `{"accounts": {ID: {"total", "peak_rps", "operations": {op: {outcome: n}}, "seconds": [...]}}}`.
    pub fn to_json(&self) -> Value {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mut accounts = Map::new();
        for (account, seconds) in counts.iter() {
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
        json!({ "accounts": accounts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_second_operation_and_outcome() {
        let s = Stats::default();
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
}
