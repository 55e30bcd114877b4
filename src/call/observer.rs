//! The one hook on call outcomes: every attempt of every AWS call, as the retry owner saw it
//! end, is told to the observers the gate holds (the event stream, the debug log).

use crate::aws::CallError;
use crate::aws::wire::Wire;
use crate::model::TargetKey;
use std::time::Duration;

/// One attempt that reached the SDK, and how it ended.
#[derive(Debug)]
pub struct Attempt<'a> {
    /// The (account, Region) whose pace it kept: `caller` as the account for the caller's own
    /// calls, which are no target's.
    pub target: &'a TargetKey,
    pub service: &'a str,
    pub operation: &'a str,
    /// 1 for the first attempt of the call.
    pub number: u32,
    /// From sending to the answer (or to giving up on it).
    pub latency: Duration,
    pub status: Option<u16>,
    pub request_id: Option<&'a str>,
    /// `None`: it succeeded.
    pub error: Option<&'a CallError>,
}

impl<'a> Attempt<'a> {
    /// The attempt as the wire noted it; `None` when no request was made (nothing to tell).
    pub fn of(
        target: &'a TargetKey,
        wire: &'a Wire,
        number: u32,
        latency: Duration,
        error: Option<&'a CallError>,
    ) -> Option<Self> {
        Some(Self {
            target,
            service: wire.service.as_deref()?,
            operation: wire.operation.as_deref()?,
            number,
            latency,
            // An error's own status is the service's answer; the wire's covers successes.
            status: error.and_then(|e| e.status).or(wire.status),
            request_id: wire.request_id.as_deref(),
            error,
        })
    }
}

pub trait Observer: Send + Sync {
    fn attempted(&self, attempt: &Attempt<'_>);
}
