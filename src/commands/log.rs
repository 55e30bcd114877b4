//! Logging through `tracing`, for plan and apply: nothing by default; `--debug` logs provision's
//! own debug lines (every AWS call); `RUST_LOG` overrides both, and only it can turn on the
//! SDK's own logs. Every line leaves through `output` (secrets scrubbed, controls escaped).

use crate::output::StderrLog;
use tracing_subscriber::EnvFilter;

/// What `--debug` turns on.
const DEBUG: &str = "provision=debug";

/// Install the logger, when anything is to be logged. Called once, before any call is made.
pub fn init(debug: bool) {
    let from_env = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| EnvFilter::try_new(v).ok());
    let filter = match (from_env, debug) {
        (Some(filter), _) => filter,
        (None, true) => EnvFilter::new(DEBUG),
        (None, false) => return,
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| StderrLog)
        .with_target(true)
        .try_init();
}
