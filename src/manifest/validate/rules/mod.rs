//! Per-value rules: pure functions that say why one value is invalid.
//!
//! They know nothing of spans or problem codes, so each rule can be read (and
//! tested) against AWS's own constraints on its own; the walk turns their
//! verdicts into problems.

pub(crate) mod domain_name;
pub(crate) mod key;
pub(crate) mod role;
pub(crate) mod tags;

use crate::manifest::echo::{echo, is_other};
use crate::manifest::regions;

/// A 12-digit AWS account id (leading zeros are significant, hence a string).
pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Why an account name (a key under `accounts`) is refused, or `None` if it
/// matches `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`. The name is printed in plans,
/// logs and diagnostics, so it is kept to characters no terminal acts on.
pub(crate) fn account_name_error(name: &str) -> Option<String> {
    let len = name.chars().count();
    if len == 0 {
        return Some("is empty".into());
    }
    if len > 64 {
        return Some(format!("is {len} characters long (at most 64)"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Some(format!("contains `{}`", echo(c.encode_utf8(&mut [0; 4]))));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("does not start with a letter or digit".into());
    }
    None
}

/// Why a `profile` name is refused: blank, or with a control or format
/// character (it is looked up in the AWS config files and printed).
pub(crate) fn profile_error(profile: &str) -> Option<String> {
    if profile.trim().is_empty() {
        return Some("is empty".into());
    }
    profile
        .chars()
        .find(|c| is_other(*c))
        .map(|c| format!("contains the control character {}", c.escape_unicode()))
}

/// Parse an ARN into (partition, service, region, account, resource).
fn split_arn(s: &str) -> Option<[&str; 5]> {
    crate::model::Arn::parse(s).map(|a| [a.partition, a.service, a.region, a.account, a.resource])
}

/// What every ARN rule checks first: a known partition and the expected service.
fn check_service(partition: &str, service: &str, expected: &str) -> Result<(), String> {
    if !regions::PARTITIONS.contains(&partition) {
        return Err(format!("has unknown partition `{}`", echo(partition)));
    }
    if service != expected {
        return Err(format!(
            "is an ARN for `{}`, not `{expected}`",
            echo(service)
        ));
    }
    Ok(())
}
