//! The debug log of AWS calls (`--debug`, `RUST_LOG=provision=debug`): one line per attempt,
//! fed by the same hook as the event stream. Error messages are left out (the kind and AWS's
//! code say what happened); whatever is logged still passes through `output` on its way out.

use super::observer::{Attempt, Observer};

/// The target the lines are logged under, so that `RUST_LOG` can pick them.
pub const TARGET: &str = "provision::call";

pub struct Log;

impl Observer for Log {
    fn attempted(&self, a: &Attempt<'_>) {
        let latency_ms = a.latency.as_millis() as u64;
        let (kind, code) = match a.error {
            Some(e) => (e.kind.as_str(), e.code.as_deref().unwrap_or("-")),
            None => ("ok", "-"),
        };
        tracing::debug!(
            target: TARGET,
            service = %a.service,
            operation = %a.operation,
            account = %a.target.account,
            region = %a.target.region,
            status = %a.status.map_or_else(|| "none".to_string(), |s| s.to_string()),
            outcome = %kind,
            code = %code,
            request_id = %a.request_id.unwrap_or("none"),
            latency_ms,
            attempt = a.number,
            "call"
        );
    }
}
