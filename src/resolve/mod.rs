//! Resolve: who the targets are and what each should hold. The caller's identity (asked of STS
//! only when a domain names no account or a bare id), the accounts and their credentials, and
//! each manifest domain at its full address, named once.

mod caller;
mod desired;
mod error;
mod organization_id;
mod targets;

pub use caller::caller_account;
pub use desired::{Desired, DesiredPolicy};
pub use error::ResolveError;
pub use organization_id::organization_id;
pub use targets::{account_id, needs_caller, targets};

use crate::call::Environment;
use crate::manifest::{Manifest, PolicySpec};
use crate::model::{Target, TargetKey, duplicates};
use std::collections::HashMap;

/// The manifest made concrete: every target, and every domain where it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub targets: Vec<Target>,
    /// In manifest order.
    pub domains: Vec<Desired>,
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
}

/// Resolve offline, given the caller's account when known (`None` leaves it a placeholder) and
/// the caller's organisation id (required when a domain uses `share_with_organization`).
pub fn resolve_with(
    manifest: &Manifest,
    caller: Option<&str>,
    organization: Option<&str>,
) -> Result<Resolved, ResolveError> {
    if organization.is_none() && needs_organization(manifest) {
        return Err(ResolveError::NotInOrganization);
    }
    let domains: Vec<Desired> = manifest
        .domains
        .iter()
        .map(|d| Desired::from_manifest(d, caller, organization))
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
    Ok(Resolved {
        targets: targets(manifest, caller),
        domains,
    })
}

/// Resolve, asking STS who the caller is when the manifest needs it.
pub async fn resolve(env: &Environment, manifest: &Manifest) -> Result<Resolved, ResolveError> {
    let caller = if needs_caller(manifest) {
        let region = manifest
            .domains
            .first()
            .map_or("us-east-1", |d| d.region.as_str());
        Some(caller_account(env, region).await?)
    } else {
        None
    };
    // Asked only when some domain shares itself with the organisation.
    let organization = if needs_organization(manifest) {
        Some(organization_id(env).await?)
    } else {
        None
    };
    resolve_with(manifest, caller.as_deref(), organization.as_deref())
}

/// Whether a domain uses `share_with_organization` (and so the organisation's id is needed).
pub fn needs_organization(manifest: &Manifest) -> bool {
    manifest
        .domains
        .iter()
        .any(|d| matches!(d.policy, Some(PolicySpec::ShareWithOrganization(_))))
}
