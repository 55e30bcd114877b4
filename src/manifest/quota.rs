//! The domain quota, checked on the manifest alone: more domains in one account and Region than
//! CodeArtifact allows there (10 unless raised) can never all be created, whatever exists. Only
//! what the manifest places itself is counted (an organisation selector's accounts are known
//! only once resolved; the plan then counts them, with the domains that exist, in
//! `plan/quota.rs`).

use super::{Accounts, Manifest, ManifestError, Problem};
use std::collections::BTreeMap;

/// Every account and Region the manifest gives more than `quota` domains, as one located
/// problem each (at the first domain over it, the ones before as secondary labels).
pub fn check_domain_quota(m: &Manifest, quota: u32) -> Result<(), ManifestError> {
    // (account id, or None for the caller's; Region) → the domains placed there, in file order.
    let mut placed: BTreeMap<(Option<&str>, &str), Vec<usize>> = BTreeMap::new();
    for (i, d) in m.domains.iter().enumerate() {
        let Accounts::Listed(accounts) = &d.placement.accounts else {
            continue;
        };
        for a in accounts {
            for r in &d.placement.regions {
                placed.entry((a.id(), r.as_str())).or_default().push(i);
            }
        }
    }
    let problems: Vec<Problem> = placed
        .into_iter()
        .filter(|(_, domains)| domains.len() > quota as usize)
        .map(|((account, region), domains)| {
            let here = match account {
                Some(id) => format!("account {id}"),
                None => "the caller's account".to_string(),
            };
            let over = &m.domains[domains[quota as usize]];
            let mut p = m
                .problem(
                    "manifest::over_domain_quota",
                    format!(
                        "{here} in {region} is given {} domains, more than the quota of {quota}",
                        domains.len()
                    ),
                )
                .label(
                    over.name_span.clone(),
                    format!("domain {} there", quota + 1),
                )
                .help(format!(
                    "at most {quota} domains fit in one account and Region (CodeArtifact's quota \"Domains per account\", 10 unless raised; --domain-quota): place some in another account or Region, or request an increase through Service Quotas and pass --domain-quota N"
                ));
            if let Some(first) = domains.first() {
                p = p.also(m.domains[*first].name_span.clone(), "the first there");
            }
            p
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(m.invalid(problems))
    }
}
