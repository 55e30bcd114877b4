//! What observe tells whoever watches it (a progress bar, status lines) while it runs: the
//! hooks it calls, and nothing about how they are shown.

use crate::model::TargetKey;

pub trait Watch: Sync {
    /// Observation begins, of `targets` targets.
    fn begin(&self, _targets: usize) {}
    /// One target's observation ended, whatever became of it (read, unreachable, refused).
    fn observed(&self, _target: &TargetKey) {}
}

/// Nobody is watching.
impl Watch for () {}
