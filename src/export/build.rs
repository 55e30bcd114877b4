//! Live domains → the manifest as written (`RawManifest`), pure: grouping Regions, lifting what
//! every domain shares into `defaults`, naming role accounts.

use crate::manifest::{RawAccount, RawDefaults, RawDomain, RawManifest, RawPolicy};
use crate::model::{Target, TargetCredentials, is_reserved_tag};
use crate::observe::LiveState;
use std::collections::BTreeMap;

/// What an export produced: the manifest, and what it left out with why (shown as warnings).
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub manifest: RawManifest,
    pub domains: usize,
    pub left_out: Vec<String>,
}

/// One domain as it will be written, before Regions are grouped and defaults lifted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    account: Option<String>,
    name: String,
    key: Option<String>,
    tags: BTreeMap<String, String>,
    policy: Option<String>,
}

/// The manifest of every live domain of `targets`. Every domain names its account, even the
/// caller's own (by id): a manifest that named none would act in whatever account the next
/// run's credentials belong to, and the identity check could not tell.
pub fn build(targets: &[Target], live: &LiveState) -> Exported {
    let mut accounts = BTreeMap::new();
    let mut left_out = Vec::new();
    // Shape → its Regions; a BTreeMap keeps the output in (account, name) order.
    let mut shapes: BTreeMap<Shape, Vec<String>> = BTreeMap::new();
    let mut count = 0;
    for t in targets {
        let Some(target) = live.targets.get(&t.key()) else {
            continue;
        };
        let account = Some(account_ref(t, &mut accounts));
        for (name, d) in &target.domains {
            let managed = target.managed_key.as_deref() == Some(d.encryption_key.as_str());
            let key = (!managed && !d.encryption_key.is_empty()).then(|| d.encryption_key.clone());
            let policy = match &d.policy {
                Some(p) if serde_json::from_str::<serde_json::Map<_, _>>(&p.document).is_ok() => {
                    Some(p.document.clone())
                }
                Some(_) => {
                    left_out.push(format!(
                        "{}/{}: domain {name}'s policy is not a JSON object; left out",
                        t.account, t.region
                    ));
                    None
                }
                None => None,
            };
            let shape = Shape {
                account: account.clone(),
                name: name.clone(),
                key,
                // `aws:` tags are AWS's (CloudFormation's, say): no manifest may name them, and
                // a plan never touches them.
                tags: d
                    .tags
                    .iter()
                    .filter(|(k, _)| !is_reserved_tag(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                policy,
            };
            shapes.entry(shape).or_default().push(t.region.to_string());
            count += 1;
        }
    }
    let manifest = lift(shapes, accounts);
    Exported {
        manifest,
        domains: count,
        left_out,
    }
}

/// How a domain names its account: a role or profile account by a name under `accounts`
/// (recorded there), one reached with the caller's credentials by its bare id.
fn account_ref(t: &Target, accounts: &mut BTreeMap<String, RawAccount>) -> String {
    let id = t.account.to_string();
    let raw =
        |role_arn: Option<&str>, profile: Option<&str>, external_id, session_name| RawAccount {
            id: id.clone(),
            role_arn: role_arn.map(str::to_string),
            profile: profile.map(str::to_string),
            external_id,
            session_name,
        };
    let account = match &t.credentials {
        TargetCredentials::Caller => return id,
        TargetCredentials::AssumeRole {
            role_arn,
            external_id,
            session_name,
        } => raw(
            Some(role_arn),
            None,
            external_id.clone(),
            session_name.clone(),
        ),
        TargetCredentials::Profile { profile } => raw(None, Some(profile), None, None),
    };
    let name = t
        .account_name
        .clone()
        .unwrap_or_else(|| format!("account-{id}"));
    accounts.insert(name.clone(), account);
    name
}

/// Write the shapes as domains, with what all of them share in `defaults`: the account, the
/// most common Region, the key, and each tag every domain carries with the same value.
fn lift(
    shapes: BTreeMap<Shape, Vec<String>>,
    accounts: BTreeMap<String, RawAccount>,
) -> RawManifest {
    let all: Vec<(&Shape, &Vec<String>)> = shapes.iter().collect();
    let several = all.len() > 1;
    let shared = |f: &dyn Fn(&Shape) -> Option<String>| -> Option<String> {
        let first = f(all.first()?.0)?;
        all.iter()
            .all(|(s, _)| f(s).as_deref() == Some(first.as_str()))
            .then_some(first)
    };
    let account = shared(&|s| s.account.clone());
    let key = if several {
        shared(&|s| s.key.clone())
    } else {
        None
    };
    let mut region_counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, regions) in &all {
        if let [one] = regions.as_slice() {
            *region_counts.entry(one.as_str()).or_default() += 1;
        }
    }
    // The most common single Region (the first in order on a tie).
    let region = region_counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(r, _)| r.to_string());
    let tags: BTreeMap<String, String> = match (several, all.first()) {
        (true, Some((first, _))) => first
            .tags
            .iter()
            .filter(|(k, v)| all.iter().all(|(s, _)| s.tags.get(*k) == Some(*v)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => BTreeMap::new(),
    };
    let domains = all
        .iter()
        .map(|(s, regions)| {
            let own_tags: BTreeMap<String, String> = s
                .tags
                .iter()
                .filter(|(k, _)| !tags.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let (one, many) = match regions.as_slice() {
                [r] if Some(r) == region.as_ref() => (None, None),
                [r] => (Some(r.clone()), None),
                rs => (None, Some(rs.to_vec())),
            };
            RawDomain {
                name: s.name.clone(),
                account: s.account.clone().filter(|_| account.is_none()),
                accounts: None,
                region: one,
                regions: many,
                encryption_key: s.key.clone().filter(|_| key.is_none()),
                tags: (!own_tags.is_empty()).then_some(own_tags),
                tags_mode: None,
                policy: s.policy.as_ref().and_then(|doc| {
                    serde_json::from_str(doc).ok().map(|document| RawPolicy {
                        file: None,
                        document: Some(document),
                        share_with_organization: None,
                    })
                }),
            }
        })
        .collect();
    let defaults = RawDefaults {
        region,
        account,
        encryption_key: key,
        tags: (!tags.is_empty()).then_some(tags),
        tags_mode: None,
    };
    let empty = defaults == RawDefaults::default();
    RawManifest {
        version: 1,
        defaults: (!empty).then_some(defaults),
        accounts: (!accounts.is_empty()).then_some(accounts),
        organization: None,
        ownership: None,
        keys: None,
        domains,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::{LiveDomain, LiveTarget};

    fn live(domains: &[(&str, &[(&str, &str)])]) -> (Vec<Target>, LiveState) {
        let t = Target {
            account: "123456789012".into(),
            account_name: None,
            region: "us-east-1".into(),
            credentials: TargetCredentials::Caller,
        };
        let mut target = LiveTarget {
            managed_key: Some("arn:aws:kms:us-east-1:123456789012:key/managed".into()),
            ..LiveTarget::default()
        };
        for (name, tags) in domains {
            target.domains.insert(
                name.to_string(),
                LiveDomain {
                    arn: format!("arn:aws:codeartifact:us-east-1:123456789012:domain/{name}"),
                    encryption_key: "arn:aws:kms:us-east-1:123456789012:key/managed".into(),
                    tags: tags
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    policy: None,
                },
            );
        }
        let mut state = LiveState::default();
        state.targets.insert(t.key(), target);
        (vec![t], state)
    }

    #[test]
    fn the_account_is_always_named_and_aws_tags_are_left_out() {
        let (targets, state) = live(&[(
            "built",
            &[("aws:cloudformation:stack-name", "s"), ("team", "x")],
        )]);
        let out = build(&targets, &state);
        let defaults = out.manifest.defaults.expect("defaults");
        assert_eq!(defaults.account.as_deref(), Some("123456789012"));
        assert_eq!(defaults.region.as_deref(), Some("us-east-1"));
        let tags = out.manifest.domains[0].tags.clone().unwrap_or_default();
        assert_eq!(tags.keys().collect::<Vec<_>>(), ["team"]);
        assert_eq!(
            out.manifest.domains[0].encryption_key, None,
            "the managed key"
        );
    }

    #[test]
    fn tags_every_domain_shares_are_lifted_into_defaults() {
        let (targets, state) = live(&[
            ("a", &[("managed-by", "provision"), ("team", "x")]),
            ("b", &[("managed-by", "provision"), ("team", "y")]),
        ]);
        let out = build(&targets, &state);
        let defaults = out.manifest.defaults.expect("defaults");
        let shared = defaults.tags.unwrap_or_default();
        assert_eq!(
            shared.get("managed-by").map(String::as_str),
            Some("provision")
        );
        assert!(!shared.contains_key("team"));
        for d in &out.manifest.domains {
            let own = d.tags.clone().unwrap_or_default();
            assert_eq!(own.keys().collect::<Vec<_>>(), ["team"], "{}", d.name);
        }
    }
}
