//! Resolve: who the targets are and what each should hold. The caller's identity (asked of STS
//! when a domain names no account, a bare id, or selects from the organisation), the accounts
//! discovered from AWS Organizations, each template stamped over its accounts × Regions, and
//! every domain at its full address, named once.

mod accounts;
mod caller;
mod desired;
mod error;
mod keys;
pub mod organization;
mod organization_id;
mod stamp;

pub use caller::{Caller, caller_identity};
pub use desired::{Desired, DesiredPolicy};
pub use error::ResolveError;
pub use keys::DesiredKey;
pub use organization_id::organization_id;

use crate::call::Environment;
use crate::manifest::{AccountRef, Accounts, Manifest, PolicySpec};
use crate::model::{
    AccountId, DomainAddress, Region, SkippedAccount, Target, TargetKey, duplicates,
};
use accounts::{Account, Book};
use organization::OrgTree;
use std::collections::{BTreeMap, HashMap};

/// The manifest made concrete: every target, and every domain where it lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    pub targets: Vec<Target>,
    /// In manifest order (a template's stamps by account, then Region).
    pub domains: Vec<Desired>,
    /// Accounts a selector reached that are not ACTIVE, sorted.
    pub skipped: Vec<SkippedAccount>,
    /// The organisation's id, when accounts were discovered from it.
    pub organization: Option<String>,
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

/// Whether the caller's identity is needed: a domain names no account or a bare id (whose
/// address is the caller's), or selects from the organisation (to know the caller's own account
/// and partition).
pub fn needs_caller(manifest: &Manifest) -> bool {
    let by_caller = |a: &AccountRef| matches!(a, AccountRef::Caller | AccountRef::Id(_));
    manifest.keys.iter().any(|k| by_caller(&k.account))
        || manifest
            .domains
            .iter()
            .any(|d| match &d.placement.accounts {
                Accounts::Listed(list) => list.iter().any(by_caller),
                Accounts::Organization(_) => true,
            })
}

/// Resolve given the caller (when known; `None` leaves it a placeholder), the organisation
/// (required when a domain selects from it) and the organisation's id (required when a domain
/// uses `share_with_organization`).
pub fn resolve_with(
    manifest: &Manifest,
    caller: Option<&Caller>,
    org: Option<&OrgTree>,
    organization: Option<&str>,
) -> Result<Resolved, ResolveError> {
    if organization.is_none() && needs_organization(manifest) {
        return Err(ResolveError::NoOrganizationToShare);
    }
    let book = Book::new(manifest, caller);
    let mut domains = Vec::with_capacity(manifest.domains.len());
    let mut problems = Vec::new();
    let mut targets: BTreeMap<TargetKey, Target> = BTreeMap::new();
    let mut skipped = BTreeMap::new();
    for d in &manifest.domains {
        let placed: Vec<Account<'_>> = match (&d.placement.accounts, org) {
            (Accounts::Listed(list), _) => list.iter().map(|a| book.listed(a)).collect(),
            (Accounts::Organization(selector), Some(tree)) => {
                let units = match organization::units(tree, selector, manifest) {
                    Ok(u) => u,
                    Err(p) => {
                        problems.extend(p);
                        continue;
                    }
                };
                match organization::choose(tree, selector, &units, manifest) {
                    Ok(chosen) => {
                        for a in chosen.skipped {
                            skipped.insert(
                                a.id.clone(),
                                SkippedAccount {
                                    account: AccountId::from(a.id.as_str()),
                                    name: a.name.clone(),
                                    state: a.state.clone(),
                                },
                            );
                        }
                        chosen
                            .accounts
                            .into_iter()
                            .map(|a| book.discovered(a, tree))
                            .collect()
                    }
                    Err(p) => {
                        problems.extend(p);
                        continue;
                    }
                }
            }
            // `resolve` discovers whenever a selector is present.
            (Accounts::Organization(_), None) => Vec::new(),
        };
        for account in &placed {
            for region in &d.placement.regions {
                let key = TargetKey::new(account.id.as_str(), region.as_str());
                targets.entry(key).or_insert_with(|| Target {
                    account: AccountId::from(account.id.as_str()),
                    account_name: account.name.clone(),
                    region: Region::from(region.as_str()),
                    credentials: account.credentials.clone(),
                });
            }
            stamp::stamp(
                manifest,
                d,
                account,
                organization,
                &mut domains,
                &mut problems,
            );
        }
    }
    let mut keys = Vec::with_capacity(manifest.keys.len());
    for k in &manifest.keys {
        let account = book.listed(&k.account);
        let key = TargetKey::new(account.id.as_str(), k.region.as_str());
        targets.entry(key).or_insert_with(|| Target {
            account: AccountId::from(account.id.as_str()),
            account_name: account.name.clone(),
            region: Region::from(k.region.as_str()),
            credentials: account.credentials.clone(),
        });
        keys.push(DesiredKey::stamp(k, account.id.as_str(), k.region.as_str()));
    }
    if !problems.is_empty() {
        return Err(ResolveError::Manifest(manifest.invalid(problems)));
    }
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
    // Stamped names, and the caller's account against ids, could only be compared now: the same
    // domain named twice is caught here, by the same rule as in the manifest.
    if let Some(d) = duplicates(domains.iter().map(|d| (&d.address, d.line)))
        .into_iter()
        .next()
    {
        return Err(ResolveError::Duplicate {
            address: DomainAddress::clone(d.key),
            first: d.first,
            second: d.again,
        });
    }
    Ok(Resolved {
        targets: targets.into_values().collect(),
        domains,
        skipped: skipped.into_values().collect(),
        organization: organization.map(str::to_string),
        keys,
    })
}

/// Resolve, asking STS who the caller is and AWS Organizations which accounts there are when
/// the manifest needs it.
pub async fn resolve(env: &Environment, manifest: &Manifest) -> Result<Resolved, ResolveError> {
    let caller = if needs_caller(manifest) {
        let region = manifest
            .domains
            .first()
            .and_then(|d| d.placement.regions.first())
            .or(manifest.keys.first().map(|k| &k.region))
            .map_or("us-east-1", String::as_str);
        Some(caller_identity(env, region).await?)
    } else {
        None
    };
    // The organisation's id: from discovery, or asked alone when only a policy shares a domain
    // with the organisation.
    let org = match &caller {
        Some(c) if manifest.uses_organization() => {
            Some(organization::discover(env, manifest, &c.account).await?)
        }
        _ => None,
    };
    let organization = match &org {
        Some(tree) => Some(tree.id.clone()),
        None if needs_organization(manifest) => Some(organization_id(env).await?),
        None => None,
    };
    resolve_with(
        manifest,
        caller.as_ref(),
        org.as_ref(),
        organization.as_deref(),
    )
}

/// Whether a domain uses `share_with_organization` (and so the organisation's id is needed).
pub fn needs_organization(manifest: &Manifest) -> bool {
    manifest
        .domains
        .iter()
        .any(|d| matches!(d.policy, Some(PolicySpec::ShareWithOrganization(_))))
}
