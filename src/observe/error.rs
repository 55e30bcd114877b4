//! Why observation failed: credentials that answer for another account, each naming its target.
//! (A target AWS would not let us read is not an error: it is unreachable; a missing or unusable
//! key is a state the plan reports on the domains that name it.)

use crate::aws::CallError;
use crate::model::TargetKey;
use crate::text::plural;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot observe every account and Region ({}); nothing was changed", plural(problems.len(), "problem", "problems"))]
#[diagnostic(code(provision::observe))]
pub struct ObserveError {
    #[related]
    pub problems: Vec<TargetProblem>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum TargetProblem {
    #[error("account {} in {}: the credentials are for account {actual}", target.account, target.region)]
    #[diagnostic(
        code(provision::wrong_account),
        help(
            "check the role_arn or profile given for this account in the manifest (for export: pass --role-name to reach other accounts than the caller's); provision refuses to act in an account it was not told about"
        )
    )]
    WrongAccount { target: TargetKey, actual: String },
    #[error("account {} in {}: {operation} failed: {error}", target.account, target.region)]
    #[diagnostic(code(provision::observe_failed))]
    Call {
        target: TargetKey,
        operation: &'static str,
        error: CallError,
    },
}
