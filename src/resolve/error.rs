//! Why the manifest's targets could not be resolved.

use crate::aws::CallError;
use crate::model::DomainAddress;

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

    #[error("the caller's account is not in an organisation; share_with_organization needs one")]
    #[diagnostic(
        code(provision::not_in_organization),
        help(
            "run with credentials of an account in the AWS organisation the domain is shared with, or give the domain's policy as a `document` or `file`"
        )
    )]
    NotInOrganization,

    #[error("cannot ask AWS Organizations for the caller's organisation: {error}")]
    #[diagnostic(
        code(provision::organization),
        help(
            "share_with_organization needs organizations:DescribeOrganization for the caller's credentials"
        )
    )]
    Organization { error: CallError },

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
}

impl ResolveError {
    /// A duplicate is the manifest's fault (invalid input); a failed STS call is not.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, ResolveError::Duplicate { .. })
    }
}
