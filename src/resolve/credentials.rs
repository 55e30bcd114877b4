//! Before the first call: the profiles people named exist, and the caller's credential chain
//! yields credentials at all. Either mistake otherwise shows up late and badly: a missing
//! profile as the chain's last link ("failed to load IMDS session token"), and no credentials as
//! one failure per target after half a minute of retries.

use crate::aws::CallError;
use crate::aws::profiles::{self, Chosen};
use crate::call::Environment;
use crate::manifest::{AccountRef, Accounts, Credentials, Manifest};
use crate::text::plural;
use std::collections::BTreeSet;
use std::time::Duration;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CredentialsError {
    #[error(
        "the AWS profile `{name}` (from {from}) is not defined{}",
        defined_in()
    )]
    #[diagnostic(code(provision::unknown_profile), help("{}", unknown_help(suggestion.as_deref(), *known)))]
    UnknownProfile {
        name: String,
        from: String,
        /// The closest defined name, when one is close.
        suggestion: Option<String>,
        /// How many profiles are defined.
        known: usize,
    },

    #[error("no AWS credentials could be found{}: {error}", profile.as_ref().map(|p| format!(" for profile `{}` (from {})", p.name, p.from)).unwrap_or_default())]
    #[diagnostic(
        code(provision::no_credentials),
        help(
            "provision uses the AWS SDK's standard chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile (--profile or AWS_PROFILE; `aws sso login --profile NAME` for SSO), web identity (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, as GitHub Actions' OIDC sets), or an ECS/EC2 role; or try it with --local, which needs no account"
        )
    )]
    NoCredentials {
        profile: Option<Chosen>,
        error: CallError,
    },
}

fn defined_in() -> &'static str {
    " in the AWS config or credentials file"
}

fn unknown_help(suggestion: Option<&str>, known: usize) -> String {
    let files = "~/.aws/config (or AWS_CONFIG_FILE) and ~/.aws/credentials (or AWS_SHARED_CREDENTIALS_FILE)";
    match suggestion {
        Some(s) => format!(
            "did you mean `{s}`? {} are defined in {files}",
            plural(known, "profile", "profiles")
        ),
        None if known == 0 => {
            format!("no profile is defined in {files}: add one with `aws configure --profile NAME`")
        }
        None => format!(
            "{} are defined in {files}; `aws configure list-profiles` lists them",
            plural(known, "profile", "profiles")
        ),
    }
}

/// How long the caller's chain may take to answer once (an SSO or process provider included).
const PROBE_TIMEOUT: Duration = Duration::from_secs(60);

/// Check what can be checked before the first call, in `region` (the caller's first Region).
/// Nothing is checked against the local endpoint, which needs no credentials.
pub async fn check(
    env: &Environment,
    manifest: &Manifest,
    region: &str,
) -> Result<(), CredentialsError> {
    let named = manifest
        .accounts
        .iter()
        .filter_map(|a| match &a.credentials {
            Credentials::Profile(p) => Some((p.clone(), format!("account `{}`", a.name))),
            _ => None,
        })
        .collect();
    check_with(env, named, uses_caller_chain(manifest), region).await
}

/// The same for a run that acts only through the caller's chain (`provision export`).
pub async fn check_caller(env: &Environment, region: &str) -> Result<(), CredentialsError> {
    check_with(env, Vec::new(), true, region).await
}

/// `named`: the profiles the manifest names, with where (for messages).
async fn check_with(
    env: &Environment,
    mut named: Vec<(String, String)>,
    caller_chain: bool,
    region: &str,
) -> Result<(), CredentialsError> {
    let connection = &env.connection;
    if connection.local {
        return Ok(());
    }
    let caller = profiles::chosen(connection.profile.as_deref());
    if let Some(c) = &caller {
        named.insert(0, (c.name.clone(), c.from.to_string()));
    }
    // A file that cannot be parsed leaves the profiles unknown: nothing is refused on a guess.
    if !named.is_empty()
        && let Some(defined) = profiles::defined().await
        && let Some((name, from)) = named.into_iter().find(|(n, _)| !defined.contains(n))
    {
        return Err(unknown(name, from, &defined));
    }
    if caller_chain {
        let probe = tokio::time::timeout(PROBE_TIMEOUT, connection.probe_caller(region)).await;
        let result = probe.unwrap_or_else(|_| {
            Err(CallError::new(
                crate::aws::ErrorKind::Credentials,
                format!(
                    "the credential chain gave no answer in {} s",
                    PROBE_TIMEOUT.as_secs()
                ),
            ))
        });
        result.map_err(|error| CredentialsError::NoCredentials {
            profile: caller,
            error,
        })?;
    }
    Ok(())
}

fn unknown(name: String, from: String, defined: &BTreeSet<String>) -> CredentialsError {
    let suggestion = defined
        .iter()
        .map(|d| (strsim::jaro_winkler(&name, d), d))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, d)| d.clone());
    CredentialsError::UnknownProfile {
        name,
        from,
        suggestion,
        known: defined.len(),
    }
}

/// Whether the caller's own chain is used: for a target directly, as the base an AssumeRole is
/// made from, or to ask AWS Organizations. Only a manifest whose every account names a profile,
/// and that shares nothing with the organisation, does without.
pub fn uses_caller_chain(manifest: &Manifest) -> bool {
    let by_name = |name: &str| {
        manifest
            .accounts
            .iter()
            .find(|a| a.name == name)
            .is_none_or(|a| !matches!(a.credentials, Credentials::Profile(_)))
    };
    // Discovery and the organisation's id (`share_with_organization`) are asked as the caller.
    manifest.organization.is_some()
        || super::needs_organization(manifest)
        || manifest.placements().any(|p| match &p.accounts {
            Accounts::Listed(list) => list.iter().any(|a| match a {
                AccountRef::Caller | AccountRef::Id(_) => true,
                AccountRef::Named { name, .. } => by_name(name),
            }),
            Accounts::Organization(_) => true,
        })
}
