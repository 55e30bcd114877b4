//! The diff: a pure function from (the resolved manifest, the live state) to a plan. No I/O,
//! no clock.

use super::model::{CreateKey, Entry, Finding, FoundKey, KeyEntry, PLAN_FORMAT, Plan, Step};
use crate::model::policy::{canonical_text, same_policy};
use crate::model::{DomainAddress, KeyDrift, TagDelta, is_managed_alias, key_drift};
use crate::observe::{KeyState, LivePolicy, LiveState, LiveTarget};
use crate::resolve::{Desired, DesiredKey, Resolved};
use std::collections::BTreeSet;

/// `manifest` and `digest` name the manifest the plan is made from, so that applying it later
/// can check that it is still the same.
pub fn diff(manifest: &str, digest: &str, resolved: &Resolved, live: &LiveState) -> Plan {
    let empty = LiveTarget::default();
    let mut entries = Vec::new();
    let mut named: BTreeSet<&DomainAddress> = BTreeSet::new();
    let declared = resolved.declared_keys();
    for d in &resolved.domains {
        named.insert(&d.address);
        let target = d.address.target();
        if let Some(blocked) = live.unreachable.get(&target) {
            entries.push(Entry {
                finding: Some(Finding::Unreachable {
                    blocked: blocked.clone(),
                }),
                ..Entry::new(d.address.clone())
            });
            continue;
        }
        let t = live.targets.get(&target).unwrap_or(&empty);
        entries.push(entry(d, t, declared.of(d)));
    }
    for (key, t) in &live.targets {
        for (name, l) in &t.domains {
            let address = DomainAddress::new(key.account.clone(), key.region.clone(), name);
            if named.contains(&address) {
                continue;
            }
            // The manifest's own, retired: deleted only by `apply --prune`. Without the tag a
            // domain is someone else's, only reported.
            let owned = resolved
                .ownership
                .as_ref()
                .filter(|(k, v)| l.tags.get(k) == Some(v));
            entries.push(match owned {
                Some((tag, value)) => Entry {
                    arn: Some(l.arn.clone()),
                    steps: vec![Step::Delete {
                        tag: tag.clone(),
                        value: value.clone(),
                    }],
                    ..Entry::new(address)
                },
                None => Entry {
                    arn: Some(l.arn.clone()),
                    finding: Some(Finding::Unmanaged {
                        encryption_key: l.encryption_key.clone(),
                    }),
                    ..Entry::new(address)
                },
            });
        }
    }
    entries.sort_by(|a, b| a.address.cmp(&b.address));
    let mut keys: Vec<KeyEntry> = resolved.keys.iter().map(|k| key_entry(k, live)).collect();
    keys.sort_by(|a, b| (&a.account, &a.region, &a.alias).cmp(&(&b.account, &b.region, &b.alias)));
    Plan {
        format: PLAN_FORMAT.into(),
        manifest: manifest.into(),
        manifest_digest: digest.into(),
        targets: resolved.targets.clone(),
        entries,
        skipped: resolved.skipped.clone(),
        keys,
        filter: Default::default(),
        left_out: 0,
    }
}

/// A declared key: present under its alias (used as is, whatever its description and tags), or
/// to create.
fn key_entry(k: &DesiredKey, live: &LiveState) -> KeyEntry {
    let base = KeyEntry {
        account: k.target.account.clone(),
        region: k.target.region.clone(),
        alias: k.alias.clone(),
        arn: None,
        create: None,
        blocked: None,
    };
    if let Some(blocked) = live.unreachable.get(&k.target) {
        return KeyEntry {
            blocked: Some(blocked.clone()),
            ..base
        };
    }
    let arn = live
        .targets
        .get(&k.target)
        .and_then(|t| t.keys.get(&k.alias))
        .and_then(KeyState::arn)
        .map(str::to_owned);
    let create = arn.is_none().then(|| CreateKey {
        description: k.description.clone(),
        tags: k.tags.clone(),
    });
    KeyEntry {
        arn,
        create,
        ..base
    }
}

/// One manifest domain; `declared` is the key of `keys` its reference names in its target.
fn entry(d: &Desired, t: &LiveTarget, declared: Option<&DesiredKey>) -> Entry {
    if let Some(finding) = unusable_key(d, t, declared) {
        return Entry {
            arn: t.domains.get(&d.address.name).map(|l| l.arn.clone()),
            finding: Some(finding),
            ..Entry::new(d.address.clone())
        };
    }
    // Past that check, a named key resolved to a symmetric one. Naming the AWS-managed key is
    // naming no key.
    let desired_key = d
        .encryption_key
        .as_ref()
        .filter(|r| !is_managed_alias(r))
        .and_then(|r| match t.keys.get(r) {
            Some(KeyState::Symmetric { arn }) => Some(arn.clone()),
            _ => None,
        });
    // Declared but not there yet: apply makes it before this domain.
    let declared_key = declared
        .filter(|_| desired_key.is_none())
        .map(|k| k.alias.clone());
    let base = Entry::new(d.address.clone());
    let Some(l) = t.domains.get(&d.address.name) else {
        let mut steps = vec![Step::Create {
            managed_key: (desired_key.is_none() && declared_key.is_none())
                .then(|| t.managed_key.clone())
                .flatten(),
            encryption_key: desired_key,
            declared_key,
            tags: d.tags.clone(),
            tags_mode: d.tags_mode,
        }];
        steps.extend(policy_step(d, None));
        return Entry { steps, ..base };
    };
    let base = Entry {
        arn: Some(l.arn.clone()),
        ..base
    };
    if let Some(alias) = declared_key {
        // A live domain cannot use a key that does not exist yet.
        return Entry {
            finding: Some(Finding::Drift {
                drift: KeyDrift {
                    live: l.encryption_key.clone(),
                    wanted: Some(alias),
                },
            }),
            ..base
        };
    }
    if let Some(drift) = key_drift(
        desired_key.as_deref(),
        t.managed_key.as_deref(),
        &l.encryption_key,
    ) {
        return Entry {
            finding: Some(Finding::Drift { drift }),
            ..base
        };
    }
    let mut steps = tag_steps(TagDelta::between(&d.tags, &l.tags, d.tags_mode));
    steps.extend(policy_step(d, l.policy.as_ref()));
    Entry { steps, ..base }
}

/// The domain's named key, when KMS says it cannot be used: it does not exist (and is not
/// declared here, to be created first) or is not a symmetric encryption key. Only that domain is
/// held back, as an unreachable target's are: one bad key must not hide the rest of the plan.
fn unusable_key(d: &Desired, t: &LiveTarget, declared: Option<&DesiredKey>) -> Option<Finding> {
    let key = d.encryption_key.as_ref().filter(|r| !is_managed_alias(r))?;
    let found = match t.keys.get(key)? {
        KeyState::Symmetric { .. } => return None,
        KeyState::NotFound if declared.is_some() => return None,
        KeyState::NotFound => None,
        KeyState::Unusable { arn, spec } => Some(FoundKey {
            arn: arn.clone(),
            spec: spec.clone(),
        }),
    };
    Some(Finding::UnusableKey {
        key: key.clone(),
        found,
    })
}

/// PutDomainPermissionsPolicy when the manifest declares a policy and the live one (`None`: the
/// domain has none, or is yet to be created) is not the same JSON.
fn policy_step(d: &Desired, live: Option<&LivePolicy>) -> Option<Step> {
    let wanted = d.policy.as_ref()?;
    if live.is_some_and(|l| same_policy(&l.document, &wanted.document)) {
        return None;
    }
    Some(Step::PutPolicy {
        document: wanted.document.clone(),
        revision: live.and_then(|l| l.revision.clone()),
        // A live document that is not JSON is shown as AWS holds it.
        previous: live.map(|l| canonical_text(&l.document).unwrap_or_else(|| l.document.clone())),
    })
}

/// The steps that carry out a tag delta: TagResource, then UntagResource, each only when needed.
pub fn tag_steps(delta: TagDelta) -> Vec<Step> {
    let mut steps = Vec::new();
    if !delta.set.is_empty() {
        steps.push(Step::SetTags { tags: delta.set });
    }
    if !delta.remove.is_empty() {
        steps.push(Step::RemoveTags { tags: delta.remove });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RemovedTag, TagChange, TagsMode, TargetKey};
    use crate::observe::LiveDomain;
    use crate::plan::model::Action;
    use crate::resolve::DesiredKey;

    const ACCOUNT: &str = "111122223333";
    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k1";
    const MANAGED: &str = "arn:aws:kms:us-east-1:111122223333:key/managed";

    fn desired(name: &str, key: Option<&str>, tags: &[(&str, &str)], mode: TagsMode) -> Desired {
        Desired {
            address: DomainAddress::new(ACCOUNT, "us-east-1", name),
            encryption_key: key.map(str::to_string),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            tags_mode: mode,
            policy: None,
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
                policy: None,
            },
        )
    }

    /// One target holding `live`, the managed key and `alias/mine`, plus `keys` as KMS says.
    fn state(live: Vec<(String, LiveDomain)>, keys: Vec<(String, KeyState)>) -> LiveState {
        let mut t = LiveTarget {
            domains: live.into_iter().collect(),
            managed_key: Some(MANAGED.into()),
            ..LiveTarget::default()
        };
        t.keys
            .insert("alias/mine".into(), KeyState::Symmetric { arn: KEY.into() });
        t.keys.extend(keys);
        let mut state = LiveState::default();
        state
            .targets
            .insert(TargetKey::new(ACCOUNT, "us-east-1"), t);
        state
    }

    fn plan(domains: &[Desired], live: Vec<(String, LiveDomain)>) -> Plan {
        let state = state(live, Vec::new());
        let resolved = Resolved {
            targets: Vec::new(),
            domains: domains.to_vec(),
            ..Resolved::default()
        };
        diff("m.yaml", "sha256:0", &resolved, &state)
    }

    fn actions(p: &Plan) -> Vec<(&str, Action)> {
        p.entries
            .iter()
            .map(|e| (e.address.name.as_str(), e.action()))
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
        let Step::Create {
            encryption_key,
            tags,
            ..
        } = &p.entries[1].steps[0]
        else {
            panic!("{:?}", p.entries[1]);
        };
        assert_eq!(encryption_key.as_deref(), Some(KEY));
        assert_eq!(tags.get("env").map(String::as_str), Some("prod"));
        // A corrected tag carries its live value: the plan shows `env = dev → prod`.
        assert_eq!(
            p.entries[2].steps,
            [Step::SetTags {
                tags: vec![TagChange {
                    key: "env".into(),
                    old: Some("dev".into()),
                    new: "prod".into()
                }]
            }]
        );
        assert!(p.has_changes());
    }

    #[test]
    fn a_missing_or_asymmetric_key_holds_back_only_the_domains_naming_it() {
        let sign = "arn:aws:kms:us-east-1:111122223333:key/sign";
        let state = state(
            vec![live_domain("old", KEY, &[])],
            vec![
                ("alias/gone".into(), KeyState::NotFound),
                (
                    "alias/sign".into(),
                    KeyState::Unusable {
                        arn: sign.into(),
                        spec: "RSA_2048/SIGN_VERIFY".into(),
                    },
                ),
            ],
        );
        let resolved = Resolved {
            domains: vec![
                desired("a", Some("alias/gone"), &[], TagsMode::Merge),
                desired("b", Some("alias/sign"), &[], TagsMode::Merge),
                desired("c", Some("alias/mine"), &[], TagsMode::Merge),
                desired("old", Some("alias/gone"), &[], TagsMode::Merge),
            ],
            ..Resolved::default()
        };
        let p = diff("m.yaml", "sha256:0", &resolved, &state);
        assert_eq!(
            actions(&p),
            [
                ("a", Action::UnusableKey),
                ("b", Action::UnusableKey),
                ("c", Action::Create),
                ("old", Action::UnusableKey),
            ]
        );
        assert_eq!(
            p.entries[1].finding,
            Some(Finding::UnusableKey {
                key: "alias/sign".into(),
                found: Some(FoundKey {
                    arn: sign.into(),
                    spec: "RSA_2048/SIGN_VERIFY".into()
                })
            })
        );
        // A live domain keeps its ARN; nothing of it is to change.
        assert!(p.entries[3].arn.is_some() && !p.entries[3].has_changes());
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
        assert_eq!(
            p.entries[0].steps,
            [Step::RemoveTags {
                tags: vec![RemovedTag {
                    key: "old".into(),
                    old: "x".into()
                }]
            }]
        );
    }

    #[test]
    fn tags_and_removals_are_two_steps_of_one_entry() {
        let p = plan(
            &[desired("d", None, &[("env", "prod")], TagsMode::Exact)],
            vec![live_domain("d", MANAGED, &[("env", "dev"), ("old", "x")])],
        );
        let kinds: Vec<_> = p.entries[0].steps.iter().map(Step::kind).collect();
        use crate::plan::model::StepKind;
        assert_eq!(kinds, [StepKind::SetTags, StepKind::RemoveTags]);
        assert_eq!(p.entries[0].action(), Action::UpdateTags);
    }

    fn declared(alias: &str) -> DesiredKey {
        DesiredKey {
            target: TargetKey::new(ACCOUNT, "us-east-1"),
            alias: alias.into(),
            description: Some("domains".into()),
            tags: [("team".to_string(), "a".to_string())].into(),
            line: 2,
        }
    }

    /// `alias/new` is declared and missing, `alias/mine` declared and present.
    fn plan_with_keys(domains: &[Desired], live: Vec<(String, LiveDomain)>) -> Plan {
        let arn_form = format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/new");
        let state = state(
            live,
            vec![
                ("alias/new".into(), KeyState::NotFound),
                (arn_form, KeyState::NotFound),
            ],
        );
        let resolved = Resolved {
            targets: Vec::new(),
            domains: domains.to_vec(),
            keys: vec![declared("alias/new"), declared("alias/mine")],
            ..Resolved::default()
        };
        diff("m.yaml", "sha256:0", &resolved, &state)
    }

    #[test]
    fn a_missing_declared_key_is_created_and_a_present_one_used_as_is() {
        let p = plan_with_keys(&[], vec![]);
        let summary: Vec<_> = p
            .keys
            .iter()
            .map(|k| (k.alias.as_str(), k.action(), k.arn.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                ("alias/mine", Action::Unchanged, Some(KEY)),
                ("alias/new", Action::Create, None),
            ]
        );
        let create = p.keys[1].create.as_ref().unwrap();
        assert_eq!(create.description.as_deref(), Some("domains"));
        assert_eq!(create.tags.get("team").map(String::as_str), Some("a"));
        assert!(p.has_changes(), "a key to create is a change");
        assert_eq!(p.count_keys(Action::Create), 1);
    }

    #[test]
    fn a_domain_naming_a_declared_key_waits_for_it() {
        let arn_form = format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/new");
        let p = plan_with_keys(
            &[
                desired("by-alias", Some("alias/new"), &[], TagsMode::Merge),
                desired("by-arn", Some(&arn_form), &[], TagsMode::Merge),
                desired("present", Some("alias/mine"), &[], TagsMode::Merge),
                desired("live", Some("alias/new"), &[], TagsMode::Merge),
            ],
            vec![live_domain("live", MANAGED, &[])],
        );
        let create = |name: &str| {
            let e = p.entries.iter().find(|e| e.address.name == name).unwrap();
            match &e.steps[..] {
                [
                    Step::Create {
                        encryption_key,
                        declared_key,
                        managed_key,
                        ..
                    },
                ] => (
                    encryption_key.clone(),
                    declared_key.clone(),
                    managed_key.clone(),
                ),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(create("by-alias"), (None, Some("alias/new".into()), None));
        assert_eq!(create("by-arn"), (None, Some("alias/new".into()), None));
        assert_eq!(create("present"), (Some(KEY.into()), None, None));
        // A live domain cannot have a key that does not exist yet.
        let live = p.entries.iter().find(|e| e.address.name == "live").unwrap();
        assert_eq!(
            live.finding,
            Some(Finding::Drift {
                drift: KeyDrift {
                    live: MANAGED.into(),
                    wanted: Some("alias/new".into())
                }
            })
        );
    }

    #[test]
    fn keys_of_an_unreachable_target_are_blocked() {
        let mut state = LiveState::default();
        let blocked = crate::observe::Blocked {
            kind: crate::aws::ErrorKind::AccessDenied,
            code: None,
            message: "no".into(),
            next: None,
        };
        state
            .unreachable
            .insert(TargetKey::new(ACCOUNT, "us-east-1"), blocked);
        let resolved = Resolved {
            targets: Vec::new(),
            domains: Vec::new(),
            keys: vec![declared("alias/new")],
            ..Resolved::default()
        };
        let p = diff("m.yaml", "sha256:0", &resolved, &state);
        assert_eq!(p.keys[0].action(), Action::Unreachable);
        assert!(!p.has_changes());
    }

    #[test]
    fn naming_the_aws_managed_alias_is_naming_no_key() {
        let d = desired("d", Some("alias/aws/codeartifact"), &[], TagsMode::Merge);
        let p = plan(std::slice::from_ref(&d), vec![]);
        assert_eq!(p.entries[0].action(), Action::Create);
        assert!(matches!(
            &p.entries[0].steps[0],
            Step::Create {
                encryption_key: None,
                managed_key: Some(_),
                ..
            }
        ));
        let p = plan(&[d], vec![live_domain("d", MANAGED, &[])]);
        assert_eq!(p.entries[0].action(), Action::Unchanged);
    }

    #[test]
    fn the_managed_key_not_existing_yet_means_a_live_domain_uses_another() {
        let mut p = plan(
            &[desired("d", None, &[], TagsMode::Merge)],
            vec![live_domain("d", KEY, &[])],
        );
        assert_eq!(p.entries[0].action(), Action::Drift);
        p = plan(
            &[desired("d", None, &[], TagsMode::Merge)],
            vec![live_domain("d", MANAGED, &[])],
        );
        assert_eq!(p.entries[0].action(), Action::Unchanged);
        assert!(!p.has_changes());
    }

    fn with_policy(mut d: Desired, document: &str) -> Desired {
        let value: serde_json::Value = serde_json::from_str(document).unwrap();
        d.policy = Some(crate::resolve::DesiredPolicy::new(&value));
        d
    }

    fn live_policy(mut l: (String, LiveDomain), document: &str) -> (String, LiveDomain) {
        l.1.policy = Some(crate::observe::LivePolicy {
            revision: Some("rev-1".into()),
            document: document.into(),
        });
        l
    }

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codeartifact:ReadFromRepository"}]}"#;

    #[test]
    fn a_policy_is_put_after_the_create_and_when_absent_or_different() {
        let d = with_policy(desired("d", None, &[], TagsMode::Merge), POLICY);
        let p = plan(std::slice::from_ref(&d), vec![]);
        use crate::plan::model::StepKind;
        let kinds: Vec<_> = p.entries[0].steps.iter().map(Step::kind).collect();
        assert_eq!(kinds, [StepKind::Create, StepKind::PutPolicy]);

        let p = plan(
            std::slice::from_ref(&d),
            vec![live_domain("d", MANAGED, &[])],
        );
        assert_eq!(p.entries[0].action(), Action::UpdatePolicy);
        assert!(matches!(
            &p.entries[0].steps[..],
            [Step::PutPolicy {
                revision: None,
                previous: None,
                ..
            }]
        ));

        let other = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let p = plan(
            std::slice::from_ref(&d),
            vec![live_policy(live_domain("d", MANAGED, &[]), other)],
        );
        let [
            Step::PutPolicy {
                document,
                revision,
                previous,
            },
        ] = &p.entries[0].steps[..]
        else {
            panic!("{:?}", p.entries[0]);
        };
        assert_eq!(revision.as_deref(), Some("rev-1"));
        assert_eq!(
            previous.as_deref(),
            crate::model::policy::canonical_text(other).as_deref()
        );
        assert!(
            document.contains("\n  \"Statement\": ["),
            "canonical: {document}"
        );
    }

    #[test]
    fn a_policy_differing_only_in_key_order_and_whitespace_is_unchanged() {
        let d = with_policy(desired("d", None, &[], TagsMode::Merge), POLICY);
        let same = "{ \"Statement\": [ { \"Action\": \"codeartifact:ReadFromRepository\",\n \"Effect\": \"Allow\" } ],\n  \"Version\": \"2012-10-17\" }";
        let p = plan(
            &[d],
            vec![live_policy(live_domain("d", MANAGED, &[]), same)],
        );
        assert_eq!(p.entries[0].action(), Action::Unchanged);
        // A domain that declares no policy keeps whatever it has.
        let p = plan(
            &[desired("d", None, &[], TagsMode::Merge)],
            vec![live_policy(live_domain("d", MANAGED, &[]), "{}")],
        );
        assert_eq!(p.entries[0].action(), Action::Unchanged);
    }
}
