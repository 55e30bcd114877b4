//! Why the manifest's targets could not be resolved.

use crate::aws::CallError;
use crate::manifest::ManifestError;
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

    #[error("the caller's account is not in an organisation; share_with_organization needs one")]
    #[diagnostic(
        code(provision::not_in_organization),
        help(
            "run with credentials of an account in the AWS organisation the domain is shared with, or give the domain's policy as a `document` or `file`"
        )
    )]
    NoOrganizationToShare,

    #[error(
        "domain `{}` is produced twice for account {} in {} (by the entries at lines {first} and {second})",
        address.name, address.account, address.region
    )]
    #[diagnostic(
        code(provision::duplicate_domain),
        help(
            "two templates whose accounts and Regions overlap stamp the same name there, or one entry names no account (the caller's, {}) and the other names it by id: keep one, change a name, or narrow a template (`exclude`, `tags`)",
            address.account
        )
    )]
    Duplicate {
        address: DomainAddress,
        first: usize,
        second: usize,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Credentials(#[from] super::CredentialsError),

    /// Problems only visible once the organisation is known: a stamped domain that is invalid,
    /// an organizational unit that does not exist.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] ManifestError),

    #[error("AWS Organizations refused {operation} to account {caller}")]
    #[diagnostic(
        code(provision::organization_access),
        help("{}", organization_access_help(management.as_deref()))
    )]
    OrganizationAccess {
        caller: String,
        management: Option<String>,
        operation: &'static str,
    },

    #[error(
        "account {caller} is not in an AWS organisation: there is none to select accounts from (`accounts: {{ ou: … }}`) or to share a domain with (`share_with_organization`)"
    )]
    #[diagnostic(
        code(provision::not_in_organization),
        help(
            "run with the credentials of the organisation's management account (or a delegated administrator), or list the accounts by hand and give policies as a `document` or `file`"
        )
    )]
    NotInOrganization { caller: String },

    #[error(
        "account {account} is reached two ways in {region}: {first} for one entry, {second} for another"
    )]
    #[diagnostic(
        code(provision::conflicting_credentials),
        help(
            "every entry placed in one account must reach it the same way: name the account under `accounts` (its `role_arn` or `profile` then applies everywhere), or give every entry the same kind of reference"
        )
    )]
    ConflictingCredentials {
        account: String,
        region: String,
        first: String,
        second: String,
    },

    #[error("organisation {organization} has no root")]
    #[diagnostic(code(provision::organization_root))]
    NoRoot { organization: String },

    #[error("cannot read the organisation ({operation}): {error}")]
    #[diagnostic(code(provision::organizations))]
    Organizations {
        operation: &'static str,
        error: CallError,
    },

    #[error(
        "key `{alias}` is declared twice for account {} in {} (by the entries at lines {first} and {second})",
        target.account, target.region
    )]
    #[diagnostic(
        code(provision::duplicate_key),
        help(
            "two key entries whose accounts and Regions overlap declare the same alias there, or one names no account (the caller's, {}) and the other names it by id: keep one, or narrow one (`exclude`, `tags`)",
            target.account
        )
    )]
    DuplicateKey {
        target: TargetKey,
        alias: String,
        first: usize,
        second: usize,
    },
}

fn organization_access_help(management: Option<&str>) -> String {
    let who = match management {
        Some(id) => format!("the organisation's management account ({id})"),
        None => "the organisation's management account".to_string(),
    };
    format!(
        "discovering accounts needs {who}, or an account registered as a delegated administrator for AWS Organizations: run with its credentials (e.g. AWS_PROFILE), or list the accounts by hand under `accounts`"
    )
}

impl ResolveError {
    /// A duplicate or a stamped domain that is invalid is the manifest's fault (invalid input);
    /// a failed call is not.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            ResolveError::Duplicate { .. }
                | ResolveError::DuplicateKey { .. }
                | ResolveError::ConflictingCredentials { .. }
                | ResolveError::Manifest(_)
                | ResolveError::Credentials(super::CredentialsError::UnknownProfile { .. })
        )
    }
}
