//! Why observation failed: problems that are the manifest's or the credentials' fault, each
//! naming its target. (A target AWS would not let us read is not an error: it is unreachable.)

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
            "check the role_arn or profile given for this account in the manifest; provision refuses to act in an account it was not told about"
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
    #[error("account {} in {}: encryption key `{key}` (domain {domain}) {why}", target.account, target.region)]
    #[diagnostic(
        code(provision::unusable_key),
        help(
            "CodeArtifact needs an existing symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) in the domain's Region"
        )
    )]
    Key {
        target: TargetKey,
        domain: String,
        key: String,
        why: String,
    },
}
