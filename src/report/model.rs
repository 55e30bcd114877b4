//! The apply report as plain data: one outcome per domain plus a summary, rendered for people and CI.

use crate::apply::{Applied, DomainReport, KeyReport, Outcome};
use crate::model::{AccountId, Region};
use crate::plan::Plan;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub summary: Summary,
    /// Every (account, Region) of the plan, with the account's name when the manifest or the
    /// organisation gives one; sorted.
    pub targets: Vec<ReportTarget>,
    /// Sorted by (account, region, name).
    pub domains: Vec<DomainReport>,
    /// The keys the manifest declares, sorted by (account, region, alias).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyReport>,
    pub elapsed_seconds: f64,
    /// Set when SIGINT/SIGTERM stopped the run early.
    pub interrupted: bool,
    /// Throttling answers met and waited out, over all calls.
    pub throttles: u64,
}

/// A target as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReportTarget {
    pub account: AccountId,
    /// The name under `accounts`, or the account's name in the organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    pub region: Region,
}

/// Counts per outcome; the JSON keys are the outcome names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub created: usize,
    pub already_present: usize,
    pub unchanged: usize,
    pub tags_updated: usize,
    /// Zero when absent: reports written before policies existed read back.
    #[serde(default)]
    pub policy_updated: usize,
    pub drifted: usize,
    pub failed: usize,
    pub skipped: usize,
    /// May or may not exist now: a write was in flight when a second interrupt stopped the run,
    /// or its answer was lost and DescribeDomain could not tell.
    pub unknown: usize,
}

impl Summary {
    pub fn of(domains: &[DomainReport]) -> Self {
        let mut s = Summary::default();
        for d in domains {
            *s.slot(d.outcome) += 1;
        }
        s
    }

    fn slot(&mut self, o: Outcome) -> &mut usize {
        match o {
            Outcome::Created => &mut self.created,
            Outcome::AlreadyPresent => &mut self.already_present,
            Outcome::Unchanged => &mut self.unchanged,
            Outcome::TagsUpdated => &mut self.tags_updated,
            Outcome::PolicyUpdated => &mut self.policy_updated,
            Outcome::Drifted => &mut self.drifted,
            Outcome::Failed => &mut self.failed,
            Outcome::Skipped => &mut self.skipped,
            Outcome::Unknown => &mut self.unknown,
        }
    }

    pub fn get(&self, o: Outcome) -> usize {
        match o {
            Outcome::Created => self.created,
            Outcome::AlreadyPresent => self.already_present,
            Outcome::Unchanged => self.unchanged,
            Outcome::TagsUpdated => self.tags_updated,
            Outcome::PolicyUpdated => self.policy_updated,
            Outcome::Drifted => self.drifted,
            Outcome::Failed => self.failed,
            Outcome::Skipped => self.skipped,
            Outcome::Unknown => self.unknown,
        }
    }
}

impl Report {
    /// The report of `applied`, the run of `plan`.
    pub fn new(applied: Applied, plan: &Plan) -> Self {
        let mut domains = applied.domains;
        domains.sort_by(|a, b| a.address.cmp(&b.address));
        let mut keys = applied.keys;
        keys.sort_by(|a, b| {
            (&a.account, &a.region, &a.alias).cmp(&(&b.account, &b.region, &b.alias))
        });
        let mut targets: Vec<ReportTarget> = (plan.targets.iter())
            .map(|t| ReportTarget {
                account: t.account.clone(),
                account_name: t.account_name.clone(),
                region: t.region.clone(),
            })
            .collect();
        targets.sort();
        targets.dedup();
        Self {
            summary: Summary::of(&domains),
            targets,
            domains,
            keys,
            elapsed_seconds: applied.elapsed_seconds,
            interrupted: applied.interrupted,
            throttles: applied.throttles,
        }
    }

    /// Every domain is as the manifest says (drift and failures are not), every key there.
    pub fn is_success(&self) -> bool {
        !self.interrupted
            && self.domains.iter().all(|d| d.outcome.is_success())
            && self.keys.iter().all(|k| k.outcome.is_success())
    }
}
