//! One-line notices for people while apply runs (what an interrupt does next).

use crate::call::interrupt::Level;
use std::time::Duration;

pub fn interrupted(level: Level, grace: Duration) -> String {
    match level {
        Level::Running => String::new(),
        Level::Soft => format!(
            "\nInterrupted: starting nothing new, letting calls in flight finish (at most {} s). \
             Interrupt again to stop at once; the report is written either way.",
            grace.as_secs()
        ),
        Level::Hard => "\nStopping now: domains in flight are reported as unknown. Run `provision apply` again: done work is found present and skipped."
            .to_string(),
    }
}

/// After the report of an interrupted run: what converges it.
pub const RERUN: &str = "The run was interrupted. Run `provision apply` again: done work is found present and skipped.\n";
