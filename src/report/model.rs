//! The apply report as plain data: one outcome per domain plus a summary, rendered for people and
//! CI. Its JSON is a documented format (`provision-report/1`, `schemas/report.schema.json`).

use crate::apply::{Applied, DomainReport, KeyReport, Outcome};
use crate::model::{AccountId, Region};
use crate::plan::Plan;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Marks a file as a report of this major version. Fields may be added within a version (a
/// consumer ignores those it does not know); one removed, renamed or given another meaning
/// makes the next version, which a consumer that does not know it refuses.
pub const REPORT_FORMAT: &str = "provision-report/1";

/// What apply did, for CI: `--report` writes it as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(title = "provision report")]
pub struct Report {
    /// `provision-report/1`.
    #[schemars(extend("const" = REPORT_FORMAT))]
    pub format: String,
    /// The version of the provision that wrote it.
    pub provision_version: String,
    /// The manifest the plan was made from, as given on the command line.
    pub manifest: String,
    /// Its SHA-256 digest (`sha256:` and 64 hex digits), as the plan records it.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub manifest_digest: String,
    /// When apply started, RFC 3339 in UTC to the millisecond (`2026-11-29T22:01:05.123Z`).
    // `format` alone is only an annotation in JSON Schema 2020-12: the pattern holds everywhere.
    #[schemars(
        extend("format" = "date-time"),
        regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$")
    )]
    pub started: String,
    /// When it finished: `started` plus `elapsed_seconds`.
    #[schemars(
        extend("format" = "date-time"),
        regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$")
    )]
    pub finished: String,
    pub elapsed_seconds: f64,
    /// Set when SIGINT/SIGTERM stopped the run early.
    pub interrupted: bool,
    /// Throttling answers met and waited out, over all calls.
    pub throttles: u64,
    pub summary: Summary,
    /// Every (account, Region) of the plan, with the account's name when the manifest or the
    /// organisation gives one; sorted.
    pub targets: Vec<ReportTarget>,
    /// Sorted by (account, region, name).
    pub domains: Vec<DomainReport>,
    /// The keys the manifest declares, sorted by (account, region, alias).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyReport>,
}

/// A target as the report names it.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct ReportTarget {
    pub account: AccountId,
    /// The name under `accounts`, or the account's name in the organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    pub region: Region,
}

/// Counts per outcome; the JSON keys are the outcome names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Summary {
    pub created: usize,
    pub already_present: usize,
    pub unchanged: usize,
    pub tags_updated: usize,
    /// Zero when absent: reports written before policies existed read back.
    #[serde(default)]
    pub policy_updated: usize,
    /// Zero when absent, as for reports written before prune existed.
    #[serde(default)]
    pub deleted: usize,
    #[serde(default)]
    pub kept: usize,
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
            Outcome::Deleted => &mut self.deleted,
            Outcome::Kept => &mut self.kept,
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
            Outcome::Deleted => self.deleted,
            Outcome::Kept => self.kept,
            Outcome::Drifted => self.drifted,
            Outcome::Failed => self.failed,
            Outcome::Skipped => self.skipped,
            Outcome::Unknown => self.unknown,
        }
    }
}

impl Report {
    /// The report of `applied`, the run of `plan` that started at `started`.
    pub fn new(applied: Applied, plan: &Plan, started: SystemTime) -> Self {
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
        // The end from the run's own monotonic clock, so that the two times and the elapsed
        // seconds always agree.
        let finished = started + Duration::from_secs_f64(applied.elapsed_seconds.max(0.0));
        Self {
            format: REPORT_FORMAT.into(),
            provision_version: env!("CARGO_PKG_VERSION").into(),
            manifest: plan.manifest.clone(),
            manifest_digest: plan.manifest_digest.clone(),
            started: utc(started),
            finished: utc(finished),
            elapsed_seconds: applied.elapsed_seconds,
            interrupted: applied.interrupted,
            throttles: applied.throttles,
            summary: Summary::of(&domains),
            targets,
            domains,
            keys,
        }
    }

    /// Every domain is as the manifest says (drift and failures are not), every key there.
    pub fn is_success(&self) -> bool {
        !self.interrupted
            && self.domains.iter().all(|d| d.outcome.is_success())
            && self.keys.iter().all(|k| k.outcome.is_success())
    }
}

/// `time` as RFC 3339 in UTC to the millisecond: `2026-11-29T22:01:05.123Z` (a time before
/// 1970 reads as 1970-01-01T00:00:00.000Z: a clock that far wrong has nothing better to say).
pub fn utc(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        since.subsec_millis()
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64, millis: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(secs * 1000 + millis)
    }

    #[test]
    fn times_are_rfc_3339_utc_to_the_millisecond() {
        assert_eq!(utc(at(0, 0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(utc(at(951_782_400, 5)), "2000-02-29T00:00:00.005Z");
        assert_eq!(utc(at(1_709_251_199, 999)), "2024-02-29T23:59:59.999Z");
        assert_eq!(utc(at(1_735_689_600, 0)), "2025-01-01T00:00:00.000Z");
        assert_eq!(utc(at(4_107_542_400, 0)), "2100-03-01T00:00:00.000Z");
        assert_eq!(utc(at(253_402_300_799, 0)), "9999-12-31T23:59:59.000Z");
        assert_eq!(
            utc(UNIX_EPOCH - Duration::from_secs(1)),
            "1970-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn every_day_of_four_centuries_follows_the_one_before() {
        let days_in = |y: u64, m: u64| match m {
            2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let mut expected = (1970, 1, 1);
        for days in 0..146_097 {
            assert_eq!(civil(days), expected, "day {days}");
            let (y, m, d) = expected;
            expected = if d < days_in(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
    }
}
