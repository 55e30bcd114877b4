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
        Level::Hard => "\nStopping now: domains in flight are reported as unknown; run apply again to converge."
            .to_string(),
    }
}
