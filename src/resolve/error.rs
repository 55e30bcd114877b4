//! Why the manifest's targets could not be resolved.

use crate::aws::CallError;
use crate::model::{DomainAddress, TargetKey};

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ResolveError {
    #[error("cannot ask STS who the caller is (in {region}): {error}")]
    #[diagnostic(
        code(provision::caller_identity),
        help(
            "a domain names no account (or a bare account id), so the caller's credentials are needed: check AWS_PROFILE, the environment's credentials, or --endpoint-url"
        )
    )]
    Caller { region: String, error: CallError },

    #[error(
        "domain `{}` is defined twice for account {} in {} (lines {first} and {second})",
        address.name, address.account, address.region
    )]
    #[diagnostic(
        code(provision::duplicate_domain),
        help(
            "one entry names no account (the caller's, which is {}) and the other names {} itself; keep one",
            address.account, address.account
        )
    )]
    Duplicate {
        address: DomainAddress,
        first: usize,
        second: usize,
    },

    #[error(
        "key `{alias}` is declared twice for account {} in {} (lines {first} and {second})",
        target.account, target.region
    )]
    #[diagnostic(
        code(provision::duplicate_key),
        help(
            "one entry names no account (the caller's, which is {}) and the other names {} itself; keep one",
            target.account, target.account
        )
    )]
    DuplicateKey {
        target: TargetKey,
        alias: String,
        first: usize,
        second: usize,
    },
}

impl ResolveError {
    /// A duplicate is the manifest's fault (invalid input); a failed STS call is not.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            ResolveError::Duplicate { .. } | ResolveError::DuplicateKey { .. }
        )
    }
}
