//! The next step of each failed domain: whom to allow which action, which quota to raise. The
//! failing step names the operation, the plan's target its credentials (`aws::advice` words it).

use super::outcome::{Cause, DomainReport, Outcome};
use crate::aws::advice::next_step;
use crate::plan::{Entry, Plan, StepKind};

/// The operation a step's failure is about (its reads around it are allowed with it in practice).
fn operation(step: StepKind) -> &'static str {
    match step {
        StepKind::Create => "codeartifact:CreateDomain",
        StepKind::SetTags => "codeartifact:TagResource",
        StepKind::RemoveTags => "codeartifact:UntagResource",
        StepKind::PutPolicy => "codeartifact:PutDomainPermissionsPolicy",
        StepKind::Delete => "codeartifact:DeleteDomain",
    }
}

/// Add the next step to the message of every failed domain that has one; `entries` are the
/// plan's reported entries, in the order of `domains`.
pub fn advise(plan: &Plan, entries: &[&Entry], domains: &mut [DomainReport]) {
    for (e, d) in entries.iter().zip(domains.iter_mut()) {
        if d.outcome != Outcome::Failed {
            continue;
        }
        let Some(error) = d.error.as_mut() else {
            continue;
        };
        let Cause::Call(kind) = error.kind else {
            continue;
        };
        // The steps done are reported in order: the failing one is the next of the entry's.
        let Some(step) = e.steps.get(d.steps.len()) else {
            continue;
        };
        let key = e.address.target();
        let Some(target) = plan.target(&key) else {
            continue;
        };
        if let Some(next) = next_step(kind, operation(step.kind()), &key, &target.credentials) {
            error.message = format!("{}\nnext: {next}", error.message);
        }
    }
}
