//! What changed between a saved plan and its apply, as apply found it. Apply does not observe
//! again before writing: each write's answer says what is there now (CreateDomain's conflict,
//! the policy's revision, a domain gone, a target that no longer answers), and this says so in
//! one place, with what happened to each.

use super::model::Report;
use crate::apply::{Cause, Outcome};
use crate::aws::ErrorKind;
use std::fmt::Write as _;

/// The paragraph after the report of a saved plan's apply; `None` when nothing had changed.
/// `unreachable`: the domains whose target could no longer be reached when apply began.
pub fn since_plan(report: &Report, unreachable: usize) -> Option<String> {
    let count = |f: &dyn Fn(Outcome, Option<Cause>) -> bool| {
        report
            .domains
            .iter()
            .filter(|d| f(d.outcome, d.error.as_ref().map(|e| e.kind)))
            .count()
    };
    let present = count(&|o, _| o == Outcome::AlreadyPresent);
    let policy = count(&|o, c| o == Outcome::Failed && c == Some(Cause::PolicyChanged));
    let gone = count(&|o, c| o == Outcome::Failed && c == Some(Cause::Call(ErrorKind::NotFound)));
    // (how many, what happened to one, to several)
    let lines = [
        (
            present,
            "domain to create existed already (created since the plan): reported already present, its key checked and tags reconciled",
            "domains to create existed already (created since the plan): reported already present, their key checked and tags reconciled",
        ),
        (
            policy,
            "domain had its policy changed since the plan: not overwritten (failed, policy_changed)",
            "domains had their policy changed since the plan: not overwritten (failed, policy_changed)",
        ),
        (
            gone,
            "domain was not found any more (deleted since the plan?): not changed (failed, not_found)",
            "domains were not found any more (deleted since the plan?): not changed (failed, not_found)",
        ),
        (
            unreachable,
            "domain is in an account and Region that could no longer be reached: skipped, with the reason",
            "domains are in accounts or Regions that could no longer be reached: skipped, with the reason",
        ),
    ];
    let mut out = String::new();
    for (n, one, many) in lines.into_iter().filter(|(n, ..)| *n > 0) {
        let what = if n == 1 { one } else { many };
        let _ = writeln!(out, "  - {n} {what}");
    }
    if out.is_empty() {
        return None;
    }
    Some(format!(
        "\nChanged since the plan was made:\n{out}Run `provision plan` again to see them as they are now.\n"
    ))
}
