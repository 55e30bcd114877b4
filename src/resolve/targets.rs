//! Which (account, Region) pairs a manifest touches, and with which credentials (pure).

use crate::manifest::{AccountRef, Credentials, Manifest};
use crate::model::{AccountId, Region, Target, TargetCredentials, TargetKey};
use std::collections::BTreeMap;

/// Whether the caller's account must be asked (a domain names no account, or a bare id).
pub fn needs_caller(manifest: &Manifest) -> bool {
    manifest
        .domains
        .iter()
        .any(|d| matches!(d.account, AccountRef::Caller | AccountRef::Id(_)))
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
    for d in &manifest.domains {
        let (account_name, credentials) = match &d.account {
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
        let account = AccountId::from(account_id(&d.account, caller));
        let region = Region::from(d.region.as_str());
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
