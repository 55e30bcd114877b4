//! Which (account, Region) pairs a manifest touches, and with which credentials (pure).

use crate::manifest::{AccountRef, Credentials, Manifest};
use crate::model::{AccountId, Region, Target, TargetCredentials, TargetKey};
use std::collections::BTreeMap;

/// Whether the caller's account must be asked (a domain or key names no account, or a bare id).
pub fn needs_caller(manifest: &Manifest) -> bool {
    places(manifest).any(|(account, _)| matches!(account, AccountRef::Caller | AccountRef::Id(_)))
}

/// Every (account, Region) the manifest names: its domains' and its keys'.
fn places(manifest: &Manifest) -> impl Iterator<Item = (&AccountRef, &str)> {
    let domains = manifest
        .domains
        .iter()
        .map(|d| (&d.account, d.region.as_str()));
    let keys = manifest
        .keys
        .iter()
        .map(|k| (&k.account, k.region.as_str()));
    domains.chain(keys)
}

/// The account id a domain lives in, given the caller's account.
pub fn account_id(account: &AccountRef, caller: Option<&str>) -> String {
    match account {
        AccountRef::Caller => caller.unwrap_or("caller").to_string(),
        AccountRef::Named { id, .. } | AccountRef::Id(id) => id.clone(),
    }
}

/// Every target of the manifest, sorted.
pub fn targets(manifest: &Manifest, caller: Option<&str>) -> Vec<Target> {
    let mut out: BTreeMap<TargetKey, Target> = BTreeMap::new();
    for (account_ref, region) in places(manifest) {
        let (account_name, credentials) = match account_ref {
            AccountRef::Named { name, .. } => {
                let creds = manifest
                    .accounts
                    .iter()
                    .find(|a| &a.name == name)
                    .map(|a| convert(&a.credentials))
                    .unwrap_or(TargetCredentials::Caller);
                (Some(name.clone()), creds)
            }
            AccountRef::Caller | AccountRef::Id(_) => (None, TargetCredentials::Caller),
        };
        let account = AccountId::from(account_id(account_ref, caller));
        let region = Region::from(region);
        out.entry(TargetKey::new(account.clone(), region.clone()))
            .or_insert(Target {
                account,
                account_name,
                region,
                credentials,
            });
    }
    out.into_values().collect()
}

fn convert(c: &Credentials) -> TargetCredentials {
    match c {
        Credentials::Caller => TargetCredentials::Caller,
        Credentials::AssumeRole {
            role_arn,
            external_id,
            session_name,
        } => TargetCredentials::AssumeRole {
            role_arn: role_arn.clone(),
            external_id: external_id.clone(),
            session_name: session_name.clone(),
        },
        Credentials::Profile(p) => TargetCredentials::Profile { profile: p.clone() },
    }
}
