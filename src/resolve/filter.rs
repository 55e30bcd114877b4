//! `--account`, `--region` and `--domain`: the resolved manifest limited to what they select
//! (targets, domains, and the keys of the targets kept), before anything is observed. A value
//! that selects nothing is refused with the closest the manifest has.

use super::Resolved;
use crate::model::{Filter, Target};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FilterError {
    #[error("{flag} {value} matches nothing in the manifest; nothing was changed")]
    #[diagnostic(code(provision::filter))]
    NoMatch {
        flag: &'static str,
        value: String,
        #[help]
        help: String,
    },

    #[error("{flags} together match no domain of the manifest; nothing was changed")]
    #[diagnostic(
        code(provision::filter),
        help("each matches something, but not the same domains: widen one of them")
    )]
    Empty { flags: String },
}

/// Limit `resolved` to what `filter` selects; the number of the manifest's domains left out.
pub fn limit(resolved: &mut Resolved, filter: &Filter) -> Result<usize, FilterError> {
    if filter.is_empty() {
        return Ok(0);
    }
    check(resolved, filter)?;
    let before = resolved.domains.len();
    let kept_targets: BTreeSet<_> = resolved
        .targets
        .iter()
        .filter(|t| filter.target(t))
        .map(Target::key)
        .collect();
    resolved
        .domains
        .retain(|d| kept_targets.contains(&d.address.target()) && filter.domain(&d.address.name));
    if resolved.domains.is_empty() {
        return Err(FilterError::Empty {
            flags: filter.flags(),
        });
    }
    // A target is observed only for a domain kept there; its declared keys go with it.
    let used: BTreeSet<_> = resolved
        .domains
        .iter()
        .map(|d| d.address.target())
        .collect();
    resolved.targets.retain(|t| used.contains(&t.key()));
    resolved.keys.retain(|k| used.contains(&k.target));
    Ok(before - resolved.domains.len())
}

/// Every value must select something, else it is most likely a typo.
fn check(resolved: &Resolved, filter: &Filter) -> Result<(), FilterError> {
    let accounts: BTreeSet<&str> = resolved
        .targets
        .iter()
        .flat_map(|t| [Some(t.account.as_str()), t.account_name.as_deref()])
        .flatten()
        .collect();
    let regions: BTreeSet<&str> = resolved.targets.iter().map(|t| t.region.as_str()).collect();
    let names: BTreeSet<&str> = resolved
        .domains
        .iter()
        .map(|d| d.address.name.as_str())
        .collect();
    for a in &filter.accounts {
        if !resolved.targets.iter().any(|t| Filter::names_account(a, t)) {
            return Err(no_match("--account", a, &accounts, "accounts"));
        }
    }
    for r in &filter.regions {
        if !regions.contains(r.as_str()) {
            return Err(no_match("--region", r, &regions, "Regions"));
        }
    }
    for g in &filter.domains {
        if !names.iter().any(|n| crate::model::filter::glob(g, n)) {
            return Err(no_match("--domain", g, &names, "domains"));
        }
    }
    Ok(())
}

/// "did you mean" the closest candidate, else what there is (the first few).
fn no_match(
    flag: &'static str,
    value: &str,
    candidates: &BTreeSet<&str>,
    what: &str,
) -> FilterError {
    const SHOWN: usize = 8;
    let help = match crate::manifest::closest(value, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let mut listed: Vec<&str> = candidates.iter().copied().take(SHOWN).collect();
            if candidates.len() > SHOWN {
                listed.push("…");
            }
            format!("the manifest's {what}: {}", listed.join(", "))
        }
    };
    FilterError::NoMatch {
        flag,
        value: value.to_string(),
        help,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DomainAddress, TagsMode, TargetCredentials};
    use crate::resolve::Desired;

    fn resolved() -> Resolved {
        let target = |account: &str, name: Option<&str>, region: &str| Target {
            account: account.into(),
            account_name: name.map(str::to_string),
            region: region.into(),
            credentials: TargetCredentials::Caller,
        };
        let domain = |account: &str, region: &str, name: &str| Desired {
            address: DomainAddress::new(account, region, name),
            encryption_key: None,
            tags: Default::default(),
            tags_mode: TagsMode::Merge,
            policy: None,
            line: 1,
        };
        Resolved {
            targets: vec![
                target("111122223333", Some("platform"), "us-east-1"),
                target("111122223333", Some("platform"), "eu-west-1"),
                target("444455556666", None, "us-east-1"),
            ],
            domains: vec![
                domain("111122223333", "us-east-1", "acme-prod"),
                domain("111122223333", "eu-west-1", "acme-eu"),
                domain("444455556666", "us-east-1", "tools"),
            ],
            ..Resolved::default()
        }
    }

    #[test]
    fn filters_keep_only_what_they_select_and_count_the_rest() {
        let mut r = resolved();
        let f = Filter {
            accounts: vec!["platform".into()],
            domains: vec!["acme-*".into()],
            regions: vec!["eu-west-1".into()],
        };
        assert_eq!(limit(&mut r, &f).unwrap(), 2);
        assert_eq!(r.domains.len(), 1);
        assert_eq!(r.domains[0].address.name, "acme-eu");
        assert_eq!(r.targets.len(), 1);

        let mut r = resolved();
        let by_id = Filter {
            accounts: vec!["444455556666".into()],
            ..Filter::default()
        };
        assert_eq!(limit(&mut r, &by_id).unwrap(), 2);
        assert_eq!(r.targets.len(), 1);
    }

    #[test]
    fn a_value_that_selects_nothing_is_refused_with_a_suggestion() {
        let typo = Filter {
            accounts: vec!["platfrom".into()],
            ..Filter::default()
        };
        let e = limit(&mut resolved(), &typo).unwrap_err();
        assert!(
            matches!(&e, FilterError::NoMatch { help, .. } if help == "did you mean `platform`?"),
            "{e:?}"
        );
        let far = Filter {
            regions: vec!["ap-south-2".into()],
            ..Filter::default()
        };
        let e = limit(&mut resolved(), &far).unwrap_err();
        assert!(
            matches!(&e, FilterError::NoMatch { help, .. } if help == "the manifest's Regions: eu-west-1, us-east-1"),
            "{e:?}"
        );
        let apart = Filter {
            accounts: vec!["444455556666".into()],
            domains: vec!["acme-*".into()],
            ..Filter::default()
        };
        assert!(matches!(
            limit(&mut resolved(), &apart),
            Err(FilterError::Empty { .. })
        ));
    }
}
