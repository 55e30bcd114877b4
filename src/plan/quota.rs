//! The domain-quota pre-check (pure): existing plus planned domains per (account, Region)
//! against the quota. A target that would go over it gets none of its creates: each is shown
//! with the counts, instead of ten created and the eleventh failing; nor the keys declared there,
//! which only its new domains could use (a key is never deleted, so one made for nothing stays).

use super::model::{Finding, Plan, StepKind};
use crate::aws::ErrorKind;
use crate::model::TargetKey;
use crate::observe::{Blocked, LiveState};
use std::collections::BTreeMap;

/// CodeArtifact's default: 10 domains per account per Region.
pub const DEFAULT_DOMAIN_QUOTA: u32 = 10;

/// Mark the creates of every target that would exceed `quota`.
pub fn enforce(plan: &mut Plan, live: &LiveState, quota: u32) {
    let mut planned: BTreeMap<TargetKey, usize> = BTreeMap::new();
    for e in plan.entries.iter().filter(|e| e.finding.is_none()) {
        if e.steps.iter().any(|s| s.kind() == StepKind::Create) {
            *planned.entry(e.address.target()).or_default() += 1;
        }
    }
    let over: BTreeMap<TargetKey, (usize, usize)> = planned
        .into_iter()
        .filter_map(|(key, planned)| {
            let existing = live.targets.get(&key).map_or(0, |t| t.domains.len());
            (existing + planned > quota as usize).then_some((key, (existing, planned)))
        })
        .collect();
    for e in plan.entries.iter_mut().filter(|e| e.finding.is_none()) {
        if !e.steps.iter().any(|s| s.kind() == StepKind::Create) {
            continue;
        }
        if let Some(&(existing, planned)) = over.get(&e.address.target()) {
            e.steps.clear();
            e.finding = Some(Finding::OverQuota {
                existing,
                planned,
                quota,
            });
        }
    }
    for k in plan.keys.iter_mut() {
        if let (Some(&(existing, planned)), Some(_), None) =
            (over.get(&k.target()), &k.create, &k.blocked)
        {
            k.blocked = Some(Blocked {
                kind: ErrorKind::Quota,
                code: None,
                message: format!(
                    "its account and Region would exceed the domain quota ({existing} there + {planned} to create > {quota}), so no domain would use it"
                ),
                next: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DomainAddress;
    use crate::observe::{LiveDomain, LiveTarget};
    use crate::plan::Action;
    use crate::plan::model::{CreateKey, Entry, KeyEntry, PLAN_FORMAT, Step};

    fn create(account: &str, name: &str) -> Entry {
        Entry {
            steps: vec![Step::Create {
                encryption_key: None,
                declared_key: None,
                managed_key: None,
                tags: Default::default(),
                tags_mode: Default::default(),
            }],
            ..Entry::new(DomainAddress::new(account, "us-east-1", name))
        }
    }

    #[test]
    fn a_target_over_the_quota_gets_none_of_its_creates_nor_its_keys() {
        let mut plan = Plan {
            format: PLAN_FORMAT.into(),
            manifest: "m.yaml".into(),
            manifest_digest: "sha256:0".into(),
            targets: Vec::new(),
            entries: vec![
                create("111111111111", "a"),
                create("111111111111", "b"),
                create("222222222222", "c"),
            ],
            skipped: Vec::new(),
            keys: ["111111111111", "222222222222"]
                .map(|account| KeyEntry {
                    account: account.into(),
                    region: "us-east-1".into(),
                    alias: "alias/k".into(),
                    arn: None,
                    create: Some(CreateKey {
                        description: None,
                        tags: Default::default(),
                    }),
                    blocked: None,
                })
                .to_vec(),
            filter: Default::default(),
            left_out: 0,
        };
        // Nine domains already in the first account, one in the second (unmanaged ones count).
        let mut live = LiveState::default();
        for (account, n) in [("111111111111", 9), ("222222222222", 1)] {
            let mut t = LiveTarget::default();
            for i in 0..n {
                let live = LiveDomain {
                    arn: format!("arn:aws:codeartifact:us-east-1:{account}:domain/x{i}"),
                    encryption_key: String::new(),
                    tags: Default::default(),
                    policy: None,
                };
                t.domains.insert(format!("x{i}"), live);
            }
            live.targets.insert(TargetKey::new(account, "us-east-1"), t);
        }
        enforce(&mut plan, &live, 10);
        let actions: Vec<Action> = plan.entries.iter().map(Entry::action).collect();
        assert_eq!(
            actions,
            [Action::OverQuota, Action::OverQuota, Action::Create]
        );
        assert_eq!(
            plan.entries[0].finding,
            Some(Finding::OverQuota {
                existing: 9,
                planned: 2,
                quota: 10
            })
        );
        assert_eq!(plan.keys[0].action(), Action::OverQuota);
        assert_eq!(plan.keys[1].action(), Action::Create);
        // A raised quota lets them all through.
        let mut fresh = plan.clone();
        for e in fresh.entries.iter_mut().take(2) {
            *e = create("111111111111", &e.address.name);
        }
        fresh.keys[0].blocked = None;
        enforce(&mut fresh, &live, 11);
        assert!(fresh.entries.iter().all(|e| e.action() == Action::Create));
        assert_eq!(fresh.keys[0].action(), Action::Create);
    }
}
