//! What apply tells whoever watches it (progress bars, later event streams) while it runs: the
//! hooks it calls, and nothing about how they are shown.

use super::outcome::DomainReport;
use crate::aws::CallError;
use crate::model::DomainAddress;
use std::time::Duration;

pub trait Events: Sync {
    /// A domain's work began (it may still wait for its target's pace and a slot).
    fn started(&self, _address: &DomainAddress) {}
    /// A call for the domain has its slot and is being sent: the domain is really in flight.
    /// Called for every attempt of every call.
    fn sending(&self, _address: &DomainAddress) {}
    /// A call for the domain failed and will be retried after `wait`.
    fn retrying(&self, _address: &DomainAddress, _error: &CallError, _wait: Duration) {}
    /// A domain's outcome is known: every domain the plan reports ends here once, whether its
    /// work ran or it was decided without a call (unchanged, skipped, drifted).
    fn finished(&self, _report: &DomainReport) {}
}

/// Nobody is watching.
impl Events for () {}

/// Several watchers at once (the progress bar and the event stream), each told in turn.
impl Events for Vec<&dyn Events> {
    fn started(&self, address: &DomainAddress) {
        self.iter().for_each(|e| e.started(address));
    }
    fn sending(&self, address: &DomainAddress) {
        self.iter().for_each(|e| e.sending(address));
    }
    fn retrying(&self, address: &DomainAddress, error: &CallError, wait: Duration) {
        self.iter().for_each(|e| e.retrying(address, error, wait));
    }
    fn finished(&self, report: &DomainReport) {
        self.iter().for_each(|e| e.finished(report));
    }
}
