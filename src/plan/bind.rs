//! A saved plan is bound to its manifest: applying it checks that every target and every change
//! in it is one the manifest produces, so that a plan edited on its way between CI jobs cannot
//! act on an account, a domain or a tag the manifest never named.

use super::model::{Entry, Finding, Plan, Step};
use crate::model::policy::same_policy;
use crate::model::{Arn, DomainAddress, TagsMode, Target, TargetKey, is_reserved_tag};
use crate::resolve::{Desired, Resolved};
use std::collections::HashMap;

/// At most this many tags on a domain (CodeArtifact's limit): no step may name more.
const MAX_TAGS: usize = 50;

/// Every way the plan differs from what its manifest produces, in plan order.
pub fn mismatches(plan: &Plan, resolved: &Resolved) -> Vec<String> {
    let mut out = Vec::new();
    let targets: HashMap<TargetKey, &Target> =
        resolved.targets.iter().map(|r| (r.key(), r)).collect();
    for t in &plan.targets {
        match targets.get(&t.key()) {
            None => out.push(format!("target {} is not one the manifest names", t.key())),
            Some(r) if r.credentials != t.credentials => out.push(format!(
                "target {}: the plan's credentials are not the manifest's",
                t.key()
            )),
            Some(_) => {}
        }
    }
    // A plan made under a filter holds only what the filter selects.
    let outside = |key: &TargetKey| {
        !plan.filter.is_empty() && !plan.target(key).is_some_and(|t| plan.filter.target(t))
    };
    for e in &plan.entries {
        if outside(&e.address.target()) || !plan.filter.domain(&e.address.name) {
            out.push(format!("{}: outside the plan's filter", e.address));
        }
    }
    let desired: HashMap<&DomainAddress, &Desired> =
        resolved.domains.iter().map(|d| (&d.address, d)).collect();
    let declared_keys = resolved.declared_keys();
    for e in &plan.entries {
        let d = desired.get(&e.address).copied();
        let declared = d
            .and_then(|d| declared_keys.of(d))
            .map(|k| k.alias.as_str());
        let retired = Retired {
            ownership: resolved.ownership.as_ref(),
            target_named: targets.contains_key(&e.address.target()),
        };
        if let Err(why) = entry(e, d, declared, &retired) {
            out.push(format!("{}: {why}", e.address));
        }
    }
    for k in &plan.keys {
        let place = format!("{}/{}", k.target(), k.alias);
        match (declared_keys.at(k.target(), &k.alias), &k.create) {
            (None, _) => out.push(format!("{place}: the manifest does not declare this key")),
            (Some(d), Some(c)) if c.description != d.description || c.tags != d.tags => {
                out.push(format!(
                    "{place}: the description or tags to create it with are not the manifest's"
                ))
            }
            (Some(_), None)
                if k.blocked.is_none()
                    && k.arn.as_deref().and_then(arn_place)
                        != Some((k.region.as_str(), k.account.as_str())) =>
            {
                out.push(format!(
                    "{place}: its key is not in this account and Region"
                ))
            }
            (Some(_), _) => {}
        }
    }
    out
}

/// What a deletion is checked against: the manifest's ownership tag, and whether the domain's
/// target is one the manifest names.
struct Retired<'a> {
    ownership: Option<&'a (String, String)>,
    target_named: bool,
}

/// `declared`: the alias of the declared key the manifest's domain names in its target.
fn entry(
    e: &Entry,
    desired: Option<&Desired>,
    declared: Option<&str>,
    retired: &Retired,
) -> Result<(), String> {
    if let Some(arn) = e.arn.as_ref().filter(|arn| !is_domain_arn(arn, &e.address)) {
        return Err(format!("its ARN `{arn}` is not this domain's"));
    }
    let Some(d) = desired else {
        // Only what the plan merely reports, or deletes under the manifest's ownership tag in
        // the manifest's targets, may be outside the manifest.
        return match (&e.finding, e.steps.as_slice()) {
            (Some(Finding::Unmanaged { .. }), []) => Ok(()),
            (None, [Step::Delete { tag, value }]) => match retired.ownership {
                Some((k, v)) if k == tag && v == value && retired.target_named => Ok(()),
                Some(_) if retired.target_named => {
                    Err("it is deleted under another tag than the manifest's ownership tag".into())
                }
                Some(_) => Err("it is deleted in a target the manifest does not name".into()),
                None => Err("it is deleted, but the manifest declares no ownership tag".into()),
            },
            _ => Err("the manifest does not name this domain".into()),
        };
    };
    if e.steps.len() > 3 {
        return Err(format!(
            "{} steps, more than a domain ever needs",
            e.steps.len()
        ));
    }
    for step in &e.steps {
        match step {
            Step::Create {
                tags,
                tags_mode,
                declared_key,
                encryption_key,
                ..
            } => {
                if tags != &d.tags || *tags_mode != d.tags_mode {
                    return Err("the tags to create it with are not the manifest's".into());
                }
                create_key(&e.address, d, declared, encryption_key, declared_key)?;
            }
            Step::SetTags { tags } => {
                if tags.len() > MAX_TAGS || tags.iter().any(|t| d.tags.get(&t.key) != Some(&t.new))
                {
                    return Err("a tag to set is not the manifest's".into());
                }
            }
            Step::RemoveTags { tags } => {
                if d.tags_mode != TagsMode::Exact {
                    return Err("it removes tags, but the manifest merges them".into());
                }
                if tags.len() > MAX_TAGS
                    || tags
                        .iter()
                        .any(|t| d.tags.contains_key(&t.key) || is_reserved_tag(&t.key))
                {
                    return Err("a tag to remove is the manifest's or AWS's".into());
                }
            }
            Step::Delete { .. } => {
                return Err("the manifest names this domain; it is never deleted".into());
            }
            Step::PutPolicy { document, .. } => {
                if !d
                    .policy
                    .as_ref()
                    .is_some_and(|p| same_policy(document, &p.document))
                {
                    return Err("the policy to put is not the manifest's".into());
                }
            }
        }
    }
    Ok(())
}

/// A domain's key cannot change once created: the create step's key must be the one the manifest
/// names. Its ARN was observed, so it can only be checked for its place: in the account and Region
/// the manifest's ARN names, else in the domain's own.
fn create_key(
    address: &DomainAddress,
    d: &Desired,
    declared: Option<&str>,
    arn: &Option<String>,
    declared_key: &Option<String>,
) -> Result<(), String> {
    let named = d
        .encryption_key
        .as_deref()
        .filter(|r| !crate::model::is_managed_alias(r));
    let Some(reference) = named else {
        return match (arn, declared_key) {
            (None, None) => Ok(()),
            _ => Err("it names a key to create it with, but the manifest names none".into()),
        };
    };
    match (arn, declared_key) {
        (None, Some(alias)) if Some(alias.as_str()) == declared => Ok(()),
        (Some(arn), None) => {
            let want =
                arn_place(reference).unwrap_or((address.region.as_str(), address.account.as_str()));
            if arn_place(arn) == Some(want) {
                Ok(())
            } else {
                Err(format!(
                    "the key to create it with (`{arn}`) is not in the account and Region of the manifest's `{reference}`"
                ))
            }
        }
        _ => Err("the key to create it with is not the one the manifest names for it".into()),
    }
}

/// The (Region, account) of an ARN.
fn arn_place(arn: &str) -> Option<(&str, &str)> {
    Arn::parse(arn).map(|a| (a.region, a.account))
}

/// `arn:PARTITION:codeartifact:REGION:ACCOUNT:domain/NAME` of exactly this address.
fn is_domain_arn(arn: &str, a: &DomainAddress) -> bool {
    Arn::parse(arn).is_some_and(|arn| {
        arn.service == "codeartifact"
            && a.region == arn.region
            && a.account == arn.account
            && arn.resource.strip_prefix("domain/") == Some(a.name.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RemovedTag, TagChange, TagSet, Target, TargetCredentials};
    use crate::plan::model::PLAN_FORMAT;
    use crate::resolve::DesiredKey;

    const A: &str = "111122223333";

    fn tags(pairs: &[(&str, &str)]) -> TagSet {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn resolved(mode: TagsMode) -> Resolved {
        Resolved {
            targets: vec![Target {
                account: A.into(),
                account_name: None,
                region: "us-east-1".into(),
                credentials: TargetCredentials::Caller,
            }],
            domains: vec![Desired {
                address: DomainAddress::new(A, "us-east-1", "d"),
                encryption_key: None,
                tags: tags(&[("env", "prod")]),
                tags_mode: mode,
                policy: None,
                line: 1,
            }],
            ..Resolved::default()
        }
    }

    fn plan(entries: Vec<Entry>) -> Plan {
        Plan {
            format: PLAN_FORMAT.into(),
            manifest: "m.yaml".into(),
            manifest_digest: "sha256:0".into(),
            targets: resolved(TagsMode::Merge).targets,
            entries,
            skipped: Vec::new(),
            keys: Vec::new(),
            filter: Default::default(),
            left_out: 0,
        }
    }

    fn at(name: &str, steps: Vec<Step>) -> Entry {
        Entry {
            steps,
            ..Entry::new(DomainAddress::new(A, "us-east-1", name))
        }
    }

    fn create(t: TagSet) -> Step {
        Step::Create {
            encryption_key: None,
            declared_key: None,
            managed_key: None,
            tags: t,
            tags_mode: TagsMode::Merge,
        }
    }

    #[test]
    fn what_the_manifest_produces_is_accepted() {
        let p = plan(vec![at("d", vec![create(tags(&[("env", "prod")]))])]);
        assert!(mismatches(&p, &resolved(TagsMode::Merge)).is_empty());
    }

    #[test]
    fn another_account_another_domain_or_other_tags_are_refused() {
        let mut p = plan(vec![at("d", vec![create(tags(&[("env", "prod")]))])]);
        p.targets.push(Target {
            account: "999900001111".into(),
            account_name: None,
            region: "us-east-1".into(),
            credentials: TargetCredentials::AssumeRole {
                role_arn: "arn:aws:iam::999900001111:role/x".into(),
                external_id: None,
                session_name: None,
            },
        });
        p.entries.push(Entry {
            steps: vec![create(TagSet::new())],
            ..Entry::new(DomainAddress::new("999900001111", "us-east-1", "evil"))
        });
        p.entries
            .push(at("d", vec![create(tags(&[("env", "dev")]))]));
        let m = mismatches(&p, &resolved(TagsMode::Merge));
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[0].contains("999900001111/us-east-1"), "{m:?}");
    }

    #[test]
    fn an_entry_outside_the_plans_filter_is_refused() {
        let mut p = plan(vec![at("d", vec![create(tags(&[("env", "prod")]))])]);
        p.filter.domains = vec!["d*".into()];
        assert!(mismatches(&p, &resolved(TagsMode::Merge)).is_empty());
        p.filter.domains = vec!["x*".into()];
        let m = mismatches(&p, &resolved(TagsMode::Merge));
        assert_eq!(m, ["111122223333/us-east-1/d: outside the plan's filter"]);
        p.filter.domains.clear();
        p.filter.regions = vec!["eu-west-1".into()];
        assert_eq!(mismatches(&p, &resolved(TagsMode::Merge)).len(), 1);
    }

    #[test]
    fn keys_and_declared_keys_must_be_the_manifests() {
        use crate::plan::{CreateKey, KeyEntry};
        let mut r = resolved(TagsMode::Merge);
        r.keys.push(DesiredKey {
            target: TargetKey::new(A, "us-east-1"),
            alias: "alias/ca".into(),
            description: None,
            tags: tags(&[("team", "a")]),
            line: 2,
        });
        r.domains[0].encryption_key = Some("alias/ca".into());
        let key = |alias: &str, t: TagSet| KeyEntry {
            account: A.into(),
            region: "us-east-1".into(),
            alias: alias.into(),
            arn: None,
            create: Some(CreateKey {
                description: None,
                tags: t,
            }),
            blocked: None,
        };
        let with = |declared: &str| Step::Create {
            encryption_key: None,
            declared_key: Some(declared.into()),
            managed_key: None,
            tags: tags(&[("env", "prod")]),
            tags_mode: TagsMode::Merge,
        };
        let mut p = plan(vec![at("d", vec![with("alias/ca")])]);
        p.keys.push(key("alias/ca", tags(&[("team", "a")])));
        assert!(mismatches(&p, &r).is_empty(), "{:?}", mismatches(&p, &r));
        p.keys.push(key("alias/evil", TagSet::new()));
        p.keys.push(key("alias/ca", tags(&[("team", "b")])));
        p.entries = vec![at("d", vec![with("alias/other")])];
        let m = mismatches(&p, &r);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[1].contains("alias/evil"), "{m:?}");

        // The declared key dropped from the create (the domain would get the AWS-managed key for
        // good), a key in another account, and a present key whose ARN is another account's.
        let arn = |account: &str| format!("arn:aws:kms:us-east-1:{account}:key/k");
        let mut foreign = key("alias/ca", TagSet::new());
        foreign.create = None;
        foreign.arn = Some(arn("999900001111"));
        let mut p = plan(vec![at("d", vec![create(tags(&[("env", "prod")]))])]);
        p.keys.push(foreign);
        let m = mismatches(&p, &r);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].contains("not the one the manifest names"), "{m:?}");
        assert!(m[1].contains("not in this account and Region"), "{m:?}");
        let mut step = with("alias/ca");
        if let Step::Create {
            encryption_key,
            declared_key,
            ..
        } = &mut step
        {
            *declared_key = None;
            *encryption_key = Some(arn("999900001111"));
        }
        let p = plan(vec![at("d", vec![step.clone()])]);
        assert_eq!(mismatches(&p, &r).len(), 1);
        if let Step::Create { encryption_key, .. } = &mut step {
            *encryption_key = Some(arn(A));
        }
        assert!(mismatches(&plan(vec![at("d", vec![step])]), &r).is_empty());
    }

    #[test]
    fn an_arn_of_another_domain_and_removals_in_merge_mode_are_refused() {
        let mut e = at(
            "d",
            vec![Step::SetTags {
                tags: vec![TagChange {
                    key: "env".into(),
                    old: None,
                    new: "prod".into(),
                }],
            }],
        );
        e.arn = Some(format!("arn:aws:codeartifact:us-east-1:{A}:domain/other"));
        let m = mismatches(&plan(vec![e.clone()]), &resolved(TagsMode::Merge));
        assert_eq!(m.len(), 1, "{m:?}");
        e.arn = Some(format!("arn:aws:codeartifact:us-east-1:{A}:domain/d"));
        assert!(mismatches(&plan(vec![e]), &resolved(TagsMode::Merge)).is_empty());

        let removal = |key: &str| {
            at(
                "d",
                vec![Step::RemoveTags {
                    tags: vec![RemovedTag {
                        key: key.into(),
                        old: "x".into(),
                    }],
                }],
            )
        };
        assert_eq!(
            mismatches(&plan(vec![removal("old")]), &resolved(TagsMode::Merge)).len(),
            1
        );
        assert!(mismatches(&plan(vec![removal("old")]), &resolved(TagsMode::Exact)).is_empty());
        assert_eq!(
            mismatches(
                &plan(vec![removal("aws:cloudformation:stack")]),
                &resolved(TagsMode::Exact)
            )
            .len(),
            1
        );
    }

    #[test]
    fn a_policy_that_is_not_the_manifests_is_refused() {
        let put = |document: &str| {
            at(
                "d",
                vec![Step::PutPolicy {
                    document: document.into(),
                    revision: Some("r".into()),
                    previous: None,
                }],
            )
        };
        let mut r = resolved(TagsMode::Merge);
        // The manifest declares no policy: none may be put.
        assert_eq!(mismatches(&plan(vec![put("{}")]), &r).len(), 1);
        r.domains[0].policy = Some(crate::resolve::DesiredPolicy::new(
            &serde_json::json!({"Version": "2012-10-17", "Statement": []}),
        ));
        // The same JSON in another layout is the manifest's; other JSON is not.
        let same = r#"{"Statement":[],"Version":"2012-10-17"}"#;
        assert!(mismatches(&plan(vec![put(same)]), &r).is_empty());
        assert_eq!(
            mismatches(&plan(vec![put(r#"{"Statement":[]}"#)]), &r).len(),
            1
        );
    }
}
