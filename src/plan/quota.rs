//! The domain-quota pre-check (pure): existing plus planned domains per (account, Region)
//! against the quota. A target that would go over it gets none of its creates: each is shown
//! with the counts, instead of ten created and the eleventh failing.

use super::model::{Finding, Plan, StepKind};
use crate::model::TargetKey;
use crate::observe::LiveState;
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
}
