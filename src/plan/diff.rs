//! The diff: a pure function from (manifest, live state) to a plan. No I/O, no clock.

use super::model::{Action, Change, PLAN_FORMAT, Plan, Target};
use crate::manifest::{DesiredDomain, TagsMode};
use crate::observe::fetch::is_managed_alias;
use crate::observe::{KeyState, LiveState, LiveTarget};
use std::collections::{BTreeMap, BTreeSet};

/// `domains` pairs each manifest domain with its account id.
pub fn diff(
    manifest: &str,
    domains: &[(String, &DesiredDomain)],
    targets: Vec<Target>,
    live: &LiveState,
) -> Plan {
    let empty = LiveTarget::default();
    let mut changes = Vec::new();
    let mut named: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
    for (account, d) in domains {
        named.insert((account, &d.region, &d.name));
        if let Some(blocked) = live.unreachable.get(&(account.clone(), d.region.clone())) {
            changes.push(Change {
                reason: format!("{}: {}", blocked.code, blocked.message),
                blocked: Some(blocked.clone()),
                ..Change::new(account, &d.region, &d.name, Action::Unreachable)
            });
            continue;
        }
        let t = live
            .targets
            .get(&(account.clone(), d.region.clone()))
            .unwrap_or(&empty);
        changes.push(change(account, d, t));
    }
    for ((account, region), t) in &live.targets {
        for (name, l) in &t.domains {
            if !named.contains(&(account.as_str(), region.as_str(), name.as_str())) {
                changes.push(Change {
                    reason: "present in AWS, not in the manifest".into(),
                    live_encryption_key: Some(l.encryption_key.clone()),
                    arn: Some(l.arn.clone()),
                    ..Change::new(account, region, name, Action::Unmanaged)
                });
            }
        }
    }
    changes.sort_by(|a, b| (&a.account, &a.region, &a.name).cmp(&(&b.account, &b.region, &b.name)));
    Plan {
        format: PLAN_FORMAT.into(),
        manifest: manifest.into(),
        targets,
        changes,
    }
}

fn change(account: &str, d: &DesiredDomain, t: &LiveTarget) -> Change {
    // Observe refused unusable keys, so a named key here resolved to a symmetric one. Naming
    // the AWS-managed key is naming no key.
    let named = d.encryption_key.as_ref().filter(|r| !is_managed_alias(r));
    let desired_key = named.and_then(|r| match t.keys.get(r) {
        Some(KeyState::Symmetric { arn }) => Some(arn.clone()),
        _ => None,
    });
    let base = Change {
        managed_key: desired_key
            .is_none()
            .then(|| t.managed_key.clone())
            .flatten(),
        exact_tags: d.tags_mode == TagsMode::Exact,
        ..Change::new(account, &d.region, &d.name, Action::Create)
    };
    let Some(l) = t.domains.get(&d.name) else {
        return Change {
            reason: "not present".into(),
            encryption_key: desired_key,
            tags: d.tags.clone(),
            ..base
        };
    };
    let expected_key = desired_key.clone().or_else(|| t.managed_key.clone());
    let base = Change {
        encryption_key: desired_key,
        live_encryption_key: Some(l.encryption_key.clone()),
        arn: Some(l.arn.clone()),
        ..base
    };
    if expected_key.as_deref() != Some(l.encryption_key.as_str()) {
        let wanted = named
            .map(String::as_str)
            .unwrap_or("the AWS-managed key (aws/codeartifact)");
        return Change {
            action: Action::Drift,
            reason: format!(
                "encryption key is {}, the manifest wants {wanted}; CodeArtifact cannot change a domain's key",
                l.encryption_key
            ),
            ..base
        };
    }
    let set_tags: BTreeMap<String, String> = d
        .tags
        .iter()
        .filter(|(k, v)| l.tags.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let remove_tags: Vec<String> = match d.tags_mode {
        TagsMode::Merge => Vec::new(),
        TagsMode::Exact => l
            .tags
            .keys()
            .filter(|k| !d.tags.contains_key(*k) && !k.to_ascii_lowercase().starts_with("aws:"))
            .cloned()
            .collect(),
    };
    if set_tags.is_empty() && remove_tags.is_empty() {
        return Change {
            action: Action::Unchanged,
            reason: "as the manifest says".into(),
            ..base
        };
    }
    Change {
        action: Action::UpdateTags,
        reason: format!(
            "{} tags to set, {} to remove",
            set_tags.len(),
            remove_tags.len()
        ),
        set_tags,
        remove_tags,
        ..base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::AccountRef;
    use crate::observe::LiveDomain;

    const ACCOUNT: &str = "111122223333";
    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k1";
    const MANAGED: &str = "arn:aws:kms:us-east-1:111122223333:key/managed";

    fn desired(
        name: &str,
        key: Option<&str>,
        tags: &[(&str, &str)],
        mode: TagsMode,
    ) -> DesiredDomain {
        DesiredDomain {
            name: name.into(),
            account: AccountRef::Id(ACCOUNT.into()),
            region: "us-east-1".into(),
            encryption_key: key.map(str::to_string),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            tags_mode: mode,
            line: 1,
        }
    }

    fn live_domain(name: &str, key: &str, tags: &[(&str, &str)]) -> (String, LiveDomain) {
        (
            name.into(),
            LiveDomain {
                arn: format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:domain/{name}"),
                encryption_key: key.into(),
                tags: tags
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            },
        )
    }

    fn plan(domains: &[DesiredDomain], live: Vec<(String, LiveDomain)>) -> Plan {
        let mut t = LiveTarget {
            domains: live.into_iter().collect(),
            managed_key: Some(MANAGED.into()),
            ..LiveTarget::default()
        };
        t.keys
            .insert("alias/mine".into(), KeyState::Symmetric { arn: KEY.into() });
        let mut state = LiveState::default();
        state
            .targets
            .insert((ACCOUNT.into(), "us-east-1".into()), t);
        let pairs: Vec<_> = domains.iter().map(|d| (ACCOUNT.to_string(), d)).collect();
        diff("m.yaml", &pairs, Vec::new(), &state)
    }

    fn actions(p: &Plan) -> Vec<(&str, Action)> {
        p.changes
            .iter()
            .map(|c| (c.name.as_str(), c.action))
            .collect()
    }

    #[test]
    fn every_action() {
        let p = plan(
            &[
                desired(
                    "new",
                    Some("alias/mine"),
                    &[("env", "prod")],
                    TagsMode::Merge,
                ),
                desired("same", None, &[("env", "prod")], TagsMode::Merge),
                desired(
                    "retag",
                    Some("alias/mine"),
                    &[("env", "prod")],
                    TagsMode::Merge,
                ),
                desired("drifted", Some("alias/mine"), &[], TagsMode::Merge),
            ],
            vec![
                live_domain("same", MANAGED, &[("env", "prod"), ("extra", "kept")]),
                live_domain("retag", KEY, &[("env", "dev")]),
                live_domain("drifted", MANAGED, &[]),
                live_domain("stranger", MANAGED, &[]),
            ],
        );
        assert_eq!(
            actions(&p),
            [
                ("drifted", Action::Drift),
                ("new", Action::Create),
                ("retag", Action::UpdateTags),
                ("same", Action::Unchanged),
                ("stranger", Action::Unmanaged),
            ]
        );
        let new = &p.changes[1];
        assert_eq!(new.encryption_key.as_deref(), Some(KEY));
        assert_eq!(new.tags.get("env").map(String::as_str), Some("prod"));
        assert_eq!(
            p.changes[2].set_tags.get("env").map(String::as_str),
            Some("prod")
        );
        assert!(p.has_changes());
    }

    #[test]
    fn exact_mode_removes_foreign_tags_but_never_aws_ones() {
        let p = plan(
            &[desired("d", None, &[("env", "prod")], TagsMode::Exact)],
            vec![live_domain(
                "d",
                MANAGED,
                &[
                    ("env", "prod"),
                    ("old", "x"),
                    ("aws:cloudformation:stack", "s"),
                ],
            )],
        );
        assert_eq!(p.changes[0].action, Action::UpdateTags);
        assert_eq!(p.changes[0].remove_tags, ["old"]);
        assert!(p.changes[0].set_tags.is_empty());
    }

    #[test]
    fn naming_the_aws_managed_alias_is_naming_no_key() {
        let d = desired("d", Some("alias/aws/codeartifact"), &[], TagsMode::Merge);
        let p = plan(std::slice::from_ref(&d), vec![]);
        assert_eq!(p.changes[0].action, Action::Create);
        assert_eq!(p.changes[0].encryption_key, None);
        let p = plan(&[d], vec![live_domain("d", MANAGED, &[])]);
        assert_eq!(p.changes[0].action, Action::Unchanged);
    }

    #[test]
    fn the_managed_key_not_existing_yet_means_a_live_domain_uses_another() {
        let mut p = plan(
            &[desired("d", None, &[], TagsMode::Merge)],
            vec![live_domain("d", KEY, &[])],
        );
        assert_eq!(p.changes[0].action, Action::Drift);
        p = plan(
            &[desired("d", None, &[], TagsMode::Merge)],
            vec![live_domain("d", MANAGED, &[])],
        );
        assert_eq!(p.changes[0].action, Action::Unchanged);
        assert!(!p.has_changes());
    }
}
