//! Per-value rules: pure functions that say why one value is invalid.
//!
//! They know nothing of spans or problem codes, so each rule can be read (and
//! tested) against AWS's own constraints on its own; the walk turns their
//! verdicts into problems.

pub(crate) mod domain_name;
pub(crate) mod key;
pub(crate) mod role;
pub(crate) mod tags;

use crate::manifest::regions;

/// A 12-digit AWS account id (leading zeros are significant, hence a string).
pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parse an ARN into (partition, service, region, account, resource).
fn split_arn(s: &str) -> Option<[&str; 5]> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    Some([
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ])
}

/// What every ARN rule checks first: a known partition and the expected service.
fn check_service(partition: &str, service: &str, expected: &str) -> Result<(), String> {
    if !regions::PARTITIONS.contains(&partition) {
        return Err(format!("has unknown partition `{partition}`"));
    }
    if service != expected {
        return Err(format!("is an ARN for `{service}`, not `{expected}`"));
    }
    Ok(())
}
