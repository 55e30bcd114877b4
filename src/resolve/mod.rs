//! Resolve: who the targets are and what each should hold. The caller's identity (asked of STS
//! when a domain names no account, a bare id, or selects from the organisation), the accounts
//! discovered from AWS Organizations, each template stamped over its accounts × Regions, and
//! every domain at its full address, named once.

mod accounts;
mod caller;
pub mod credentials;
mod desired;
mod error;
mod filter;
mod keys;
pub mod organization;
mod stamp;

pub use caller::{Caller, caller_identity};
pub use credentials::CredentialsError;
pub use desired::{Desired, DesiredPolicy};
pub use error::ResolveError;
pub use filter::{FilterError, limit};
pub use keys::DesiredKey;

use crate::call::Environment;
use crate::manifest::{AccountRef, Accounts, Manifest, Placement, PolicySpec};
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
    /// The manifest's ownership tag (key, value): a live domain carrying it that the manifest
    /// does not name is planned for deletion.
    pub ownership: Option<(String, String)>,
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

    /// The declared keys by place and alias, built once: what [`DeclaredKeys::of`] looks a
    /// domain's key up in (a search of every key per domain cost domains × keys).
    pub fn declared_keys(&self) -> DeclaredKeys<'_> {
        DeclaredKeys(
            self.keys
                .iter()
                .map(|k| ((k.target.clone(), k.alias.as_str()), k))
                .collect(),
        )
    }
}

/// The declared keys by (target, alias).
pub struct DeclaredKeys<'a>(HashMap<(TargetKey, &'a str), &'a DesiredKey>);

impl<'a> DeclaredKeys<'a> {
    /// The declared key a domain's key reference names in the domain's own target, if any.
    pub fn of(&self, d: &Desired) -> Option<&'a DesiredKey> {
        let target = d.address.target();
        let alias = crate::model::alias_in(d.encryption_key.as_deref()?, &target)?;
        self.0.get(&(target, alias)).copied()
    }

    /// The key declared at `target` under `alias`.
    pub fn at(&self, target: TargetKey, alias: &str) -> Option<&'a DesiredKey> {
        self.0.get(&(target, alias)).copied()
    }
}

/// Whether the caller's identity is needed: a domain or key names no account or a bare id (whose
/// address is the caller's), or selects from the organisation (to know the caller's own account
/// and partition).
pub fn needs_caller(manifest: &Manifest) -> bool {
    manifest.placements().any(|p| match &p.accounts {
        Accounts::Listed(list) => list
            .iter()
            .any(|a| matches!(a, AccountRef::Caller | AccountRef::Id(_))),
        Accounts::Organization(_) => true,
    })
}

/// What resolving collects on the way: every target met, the accounts skipped, the problems.
struct Collect<'a> {
    manifest: &'a Manifest,
    book: Book<'a>,
    org: Option<&'a OrgTree>,
    targets: BTreeMap<TargetKey, Target>,
    skipped: BTreeMap<String, SkippedAccount>,
    problems: Vec<crate::manifest::Problem>,
    /// The first target reached with other credentials than an earlier entry's.
    conflict: Option<ResolveError>,
}

impl<'a> Collect<'a> {
    /// The accounts of a placement (its targets recorded), or `None` after a problem.
    fn placed(&mut self, placement: &Placement) -> Option<Vec<Account<'a>>> {
        let accounts: Vec<Account<'a>> = match (&placement.accounts, self.org) {
            (Accounts::Listed(list), _) => list.iter().map(|a| self.book.listed(a)).collect(),
            (Accounts::Organization(selector), Some(tree)) => {
                let chosen = organization::units(tree, selector, self.manifest)
                    .and_then(|units| organization::choose(tree, selector, &units, self.manifest));
                let chosen = match chosen {
                    Ok(c) => c,
                    Err(p) => {
                        self.problems.extend(p);
                        return None;
                    }
                };
                for a in chosen.skipped {
                    self.skipped.insert(
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
                    .map(|a| self.book.discovered(a, tree))
                    .collect()
            }
            // `resolve` discovers whenever a selector is present.
            (Accounts::Organization(_), None) => Vec::new(),
        };
        for account in &accounts {
            for region in &placement.regions {
                let key = TargetKey::new(account.id.as_str(), region.as_str());
                let target = self.targets.entry(key).or_insert_with(|| Target {
                    account: AccountId::from(account.id.as_str()),
                    account_name: account.name.clone(),
                    region: Region::from(region.as_str()),
                    credentials: account.credentials.clone(),
                });
                // One target, one way in: otherwise some of its calls would act with the other
                // entry's credentials.
                if target.credentials != account.credentials && self.conflict.is_none() {
                    self.conflict = Some(ResolveError::ConflictingCredentials {
                        account: account.id.clone(),
                        region: region.clone(),
                        first: target.credentials.describe(),
                        second: account.credentials.describe(),
                    });
                }
            }
        }
        Some(accounts)
    }
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
    let mut c = Collect {
        manifest,
        book: Book::new(manifest, caller),
        org,
        targets: BTreeMap::new(),
        skipped: BTreeMap::new(),
        problems: Vec::new(),
        conflict: None,
    };
    let mut domains = Vec::with_capacity(manifest.domains.len());
    for d in &manifest.domains {
        let before = c.problems.len();
        let policy = DesiredPolicy::of(d, organization);
        for account in c.placed(&d.placement).unwrap_or_default() {
            stamp::stamp(
                manifest,
                d,
                &account,
                &policy,
                &mut domains,
                &mut c.problems,
            );
        }
        stamp::fold(manifest, &mut c.problems, before, d.name_span.clone());
    }
    let mut keys = Vec::with_capacity(manifest.keys.len());
    for k in &manifest.keys {
        let before = c.problems.len();
        for account in c.placed(&k.placement).unwrap_or_default() {
            stamp::stamp_key(manifest, k, &account, &mut keys, &mut c.problems);
        }
        stamp::fold(manifest, &mut c.problems, before, k.alias_span.clone());
    }
    let Collect {
        targets,
        skipped,
        problems,
        conflict,
        ..
    } = c;
    if !problems.is_empty() {
        return Err(ResolveError::Manifest(manifest.invalid(problems)));
    }
    if let Some(conflict) = conflict {
        return Err(conflict);
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
        ownership: manifest.ownership.clone(),
    })
}

/// Resolve, asking STS who the caller is and AWS Organizations which accounts there are when
/// the manifest needs it.
pub async fn resolve(env: &Environment, manifest: &Manifest) -> Result<Resolved, ResolveError> {
    let region = manifest
        .placements()
        .next()
        .and_then(|p| p.regions.first())
        .map_or("us-east-1", String::as_str);
    credentials::check(env, manifest, region).await?;
    let caller = if needs_caller(manifest) {
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
        None if needs_organization(manifest) => {
            let who = caller
                .as_ref()
                .map_or("of the caller", |c| c.account.as_str());
            Some(organization::describe(env, who).await?.id)
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Format, parse_str};

    fn manifest(text: &str) -> Manifest {
        parse_str(text, "m.yaml", Format::Yaml).expect("a valid manifest")
    }

    #[test]
    fn a_template_over_listed_accounts_and_regions_is_stamped_in_each() {
        let m = manifest(
            "version: 1\naccounts:\n  prod: { id: \"111122223333\", role_arn: \"arn:aws:iam::111122223333:role/p\" }\n  Dev_Box: { id: \"444455556666\" }\ndomains:\n  - name: ${account.name}-${region}\n    accounts: [prod, Dev_Box]\n    regions: [us-east-1, eu-west-1]\n    tags: { where: \"${account.id}@${region}\" }\n",
        );
        let r = resolve_with(&m, Some(&Caller::new("444455556666")), None, None).expect("resolves");
        let names: Vec<String> = r.domains.iter().map(|d| d.address.to_string()).collect();
        assert_eq!(
            names,
            [
                "111122223333/us-east-1/prod-us-east-1",
                "111122223333/eu-west-1/prod-eu-west-1",
                "444455556666/us-east-1/dev-box-us-east-1",
                "444455556666/eu-west-1/dev-box-eu-west-1",
            ]
        );
        assert_eq!(r.domains[3].tags["where"], "444455556666@eu-west-1");
        assert_eq!(r.targets.len(), 4);
    }

    #[test]
    fn a_template_failing_in_every_account_is_told_three_times_then_counted() {
        let accounts: String = (0..6)
            .map(|i| format!("  a{i}: {{ id: \"11112222333{i}\" }}\n"))
            .collect();
        let m = manifest(&format!(
            "version: 1\ndefaults: {{ region: us-east-1 }}\naccounts:\n{accounts}domains:\n  - name: ${{account.id}}-x\n    accounts: [a0, a1, a2, a3, a4, a5]\n"
        ));
        let err = resolve_with(&m, None, None, None).expect_err("names start with a digit");
        let ResolveError::Manifest(e) = &err else {
            panic!("{err:?}")
        };
        let codes: Vec<&str> = e.problems().iter().map(|p| p.code()).collect();
        assert_eq!(
            codes,
            [
                "resolve::invalid_stamped_name",
                "resolve::invalid_stamped_name",
                "resolve::invalid_stamped_name",
                "resolve::more_stamped_problems"
            ]
        );
        assert!(
            e.problems()[3].message().contains("3 more accounts"),
            "{err:?}"
        );
    }

    #[test]
    fn one_account_reached_two_ways_is_refused() {
        let m = manifest(
            "version: 1\ndefaults: { region: us-east-1 }\naccounts:\n  prod: { id: \"111122223333\", role_arn: \"arn:aws:iam::111122223333:role/p\" }\ndomains:\n  - { name: aa, account: prod }\n  - { name: bb, account: \"111122223333\" }\n",
        );
        let err = resolve_with(&m, Some(&Caller::new("999999999999")), None, None)
            .expect_err("two ways into one account");
        assert!(
            matches!(&err, ResolveError::ConflictingCredentials { account, .. } if account == "111122223333"),
            "{err:?}"
        );
        assert!(err.is_invalid_input());
    }
}
