//! What apply tells whoever watches it (progress bars, later event streams) while it runs: the
//! hooks it calls, and nothing about how they are shown.

use super::outcome::Outcome;
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
    /// A domain's work ended.
    fn finished(&self, _address: &DomainAddress, _outcome: Outcome) {}
}

/// Nobody is watching.
impl Events for () {}
