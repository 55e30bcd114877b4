//! Resolve: who the targets are and what each should hold. The caller's identity (asked of STS
//! only when a domain names no account or a bare id), the accounts and their credentials, and
//! each manifest domain at its full address, named once.

mod caller;
mod desired;
mod error;
mod keys;
mod targets;

pub use caller::caller_account;
pub use desired::Desired;
pub use error::ResolveError;
pub use keys::DesiredKey;
pub use targets::{account_id, needs_caller, targets};

use crate::call::Environment;
use crate::manifest::Manifest;
use crate::model::{Target, TargetKey, duplicates};
use std::collections::HashMap;

/// The manifest made concrete: every target, and every domain where it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub targets: Vec<Target>,
    /// In manifest order.
    pub domains: Vec<Desired>,
    /// The keys to create when missing, in manifest order.
    pub keys: Vec<DesiredKey>,
}

impl Resolved {
    /// The manifest's domains grouped by target, in one pass (asking per target would cost
    /// targets × domains at organisation scale).
    pub fn by_target(&self) -> HashMap<TargetKey, Vec<&Desired>> {
        let mut out: HashMap<TargetKey, Vec<&Desired>> = HashMap::new();
        for d in &self.domains {
            out.entry(d.address.target()).or_default().push(d);
        }
        out
    }

    /// The declared keys grouped by target, in one pass.
    pub fn keys_by_target(&self) -> HashMap<TargetKey, Vec<&DesiredKey>> {
        let mut out: HashMap<TargetKey, Vec<&DesiredKey>> = HashMap::new();
        for k in &self.keys {
            out.entry(k.target.clone()).or_default().push(k);
        }
        out
    }

    /// The declared key a domain's key reference names in the domain's own target, if any.
    pub fn declared_key(&self, d: &Desired) -> Option<&DesiredKey> {
        let target = d.address.target();
        let alias = crate::model::alias_in(d.encryption_key.as_deref()?, &target)?;
        self.keys
            .iter()
            .find(|k| k.target == target && k.alias == alias)
    }
}

/// Resolve offline, given the caller's account when known (`None` leaves it a placeholder).
pub fn resolve_with(manifest: &Manifest, caller: Option<&str>) -> Result<Resolved, ResolveError> {
    let domains: Vec<Desired> = manifest
        .domains
        .iter()
        .map(|d| Desired::from_manifest(d, caller))
        .collect();
    // The manifest could not compare the caller's account with account ids before the caller
    // was known: the same domain named both ways is caught here, by the same rule.
    if let Some(d) = duplicates(domains.iter().map(|d| (&d.address, d.line)))
        .into_iter()
        .next()
    {
        return Err(ResolveError::Duplicate {
            address: d.key.clone(),
            first: d.first,
            second: d.again,
        });
    }
    let keys: Vec<DesiredKey> = manifest
        .keys
        .iter()
        .map(|k| DesiredKey::stamp(k, account_id(&k.account, caller), k.region.as_str()))
        .collect();
    if let Some(d) = duplicates(keys.iter().map(|k| ((&k.target, &k.alias), k.line)))
        .into_iter()
        .next()
    {
        let (target, alias) = d.key;
        return Err(ResolveError::DuplicateKey {
            target: target.clone(),
            alias: alias.clone(),
            first: d.first,
            second: d.again,
        });
    }
    Ok(Resolved {
        targets: targets(manifest, caller),
        domains,
        keys,
    })
}

/// Resolve, asking STS who the caller is when the manifest needs it.
pub async fn resolve(env: &Environment, manifest: &Manifest) -> Result<Resolved, ResolveError> {
    let caller = if needs_caller(manifest) {
        let region = manifest
            .domains
            .first()
            .map(|d| d.region.as_str())
            .or(manifest.keys.first().map(|k| k.region.as_str()))
            .unwrap_or("us-east-1");
        Some(caller_account(env, region).await?)
    } else {
        None
    };
    resolve_with(manifest, caller.as_deref())
}
