//! Renders an apply report: aligned text for people, JSON for CI, Markdown for step summaries.

use super::model::Report;
use crate::apply::{DomainReport, KeyOutcome, Outcome};
use crate::paint::Paint;
use crate::text::plural;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The outcome as people read it: the JSON key with spaces.
fn label(o: Outcome) -> String {
    o.key().replace('_', " ")
}

/// How many outcomes there are: per-target rows are arrays indexed as `Outcome::ALL`.
const N: usize = Outcome::ALL.len();

/// Counts per (account, Region), ordered, from the domains themselves.
fn per_target(report: &Report) -> BTreeMap<(&str, &str), [usize; N]> {
    let mut targets: BTreeMap<(&str, &str), [usize; N]> = BTreeMap::new();
    for d in &report.domains {
        let row = targets
            .entry((d.address.account.as_str(), d.address.region.as_str()))
            .or_default();
        row[index(d.outcome)] += 1;
    }
    targets
}

fn index(o: Outcome) -> usize {
    Outcome::ALL
        .iter()
        .position(|x| *x == o)
        .expect("ALL holds every outcome")
}

/// The per-target table only shows outcomes that occurred: seven mostly-zero columns would
/// not fit a terminal, and the summary table above already lists every outcome.
fn occurring(targets: &BTreeMap<(&str, &str), [usize; N]>) -> Vec<Outcome> {
    Outcome::ALL
        .into_iter()
        .filter(|o| targets.values().any(|row| row[index(*o)] > 0))
        .collect()
}

/// The summary rows: every outcome, zeros included, so the table has the same shape on every
/// run; except `unknown`, which only a forced stop produces and would otherwise read as a worry.
fn summary_outcomes(report: &Report) -> Vec<Outcome> {
    Outcome::ALL
        .into_iter()
        .filter(|o| *o != Outcome::Unknown || report.summary.get(*o) > 0)
        .collect()
}

/// The domains people must look at, by outcome, each list sorted by address.
fn problems(report: &Report) -> Vec<(Outcome, &'static str, Vec<&DomainReport>)> {
    [
        (Outcome::Failed, "Failed"),
        (Outcome::Skipped, "Skipped"),
        (Outcome::Drifted, "Drifted"),
        (Outcome::Unknown, "Unknown, in flight when stopped"),
    ]
    .into_iter()
    .filter_map(|(o, title)| {
        let mut list: Vec<&DomainReport> =
            report.domains.iter().filter(|d| d.outcome == o).collect();
        list.sort_by(|a, b| a.address.cmp(&b.address));
        (!list.is_empty()).then_some((o, title, list))
    })
    .collect()
}

/// Seconds under a minute keep a decimal (runs are short); longer runs read as minutes.
fn elapsed(secs: f64) -> String {
    if secs < 59.95 {
        return format!("{secs:.1} s");
    }
    let total = secs.round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h} h {m:02} min")
    } else {
        format!("{m} min {s:02} s")
    }
}

/// `Apply complete in 3.2 s; 2 throttling answers met and waited out.`
fn status_line(report: &Report) -> String {
    let verb = if report.interrupted {
        "interrupted after"
    } else {
        "complete in"
    };
    let mut line = format!("Apply {verb} {}", elapsed(report.elapsed_seconds));
    if report.throttles > 0 {
        let t = plural(report.throttles, "throttling answer", "throttling answers");
        let _ = write!(line, "; {t} met and waited out");
    }
    line.push('.');
    line
}

/// One colour per outcome: green done, yellow not done, red failed.
impl Paint {
    fn outcome(&self, o: Outcome, s: &str) -> String {
        match o {
            Outcome::Created | Outcome::TagsUpdated | Outcome::PolicyUpdated | Outcome::Deleted => {
                self.wrap("32", s)
            }
            Outcome::AlreadyPresent | Outcome::Unchanged | Outcome::Kept => s.to_owned(),
            Outcome::Drifted | Outcome::Skipped => self.wrap("33", s),
            Outcome::Failed | Outcome::Unknown => self.wrap("31", s),
        }
    }
}

/// Rows of cells to lines: first column left-aligned, the rest (counts) right-aligned.
/// Padding is computed on the plain text, and `paint` applied afterwards, so colour never skews alignment.
fn table(rows: &[Vec<String>], paint: impl Fn(usize, usize, String) -> String) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (r, row) in rows.iter().enumerate() {
        // Trailing blank cells are dropped before painting: escape codes around padding would
        // survive the trim and leave invisible trailing spaces.
        let used = row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
        let cells: Vec<String> = row[..used]
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let w = widths[c];
                let padded = if c == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                };
                paint(r, c, padded)
            })
            .collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
    out
}

/// The report for people, printed at the end of apply.
pub fn text(report: &Report, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();

    // Zeros are dimmed, not dropped: see `summary_outcomes`.
    let outcomes = summary_outcomes(report);
    let mut rows = vec![vec!["outcome".to_owned(), "domains".to_owned()]];
    for &o in &outcomes {
        rows.push(vec![label(o), report.summary.get(o).to_string()]);
    }
    let total: usize = Outcome::ALL.iter().map(|o| report.summary.get(*o)).sum();
    rows.push(vec!["total".to_owned(), total.to_string()]);
    let last = rows.len() - 1;
    out.push_str(&table(&rows, |r, _, cell| match r {
        0 => p.wrap("1", &cell),
        r if r == last => p.wrap("1", &cell),
        r => {
            let o = outcomes[r - 1];
            if report.summary.get(o) == 0 {
                p.wrap("2", &cell)
            } else {
                p.outcome(o, &cell)
            }
        }
    }));

    let targets = per_target(report);
    if targets.len() > 1 {
        let shown = occurring(&targets);
        // Two-word labels stack over two header lines so the table stays near 80 columns.
        let (mut top, mut bottom) = (vec![String::new()], vec!["target".to_owned()]);
        for o in &shown {
            let l = label(*o);
            match l.split_once(' ') {
                Some((first, second)) => {
                    top.push(first.to_owned());
                    bottom.push(second.to_owned());
                }
                None => {
                    top.push(String::new());
                    bottom.push(l);
                }
            }
        }
        top.push(String::new());
        bottom.push("total".to_owned());
        // No two-word label shown: the top line would be blank, so leave it out.
        let mut rows = if top.iter().all(String::is_empty) {
            vec![bottom]
        } else {
            vec![top, bottom]
        };
        let header_rows = rows.len();
        for ((account, region), counts) in &targets {
            let mut row = vec![format!("{account} {region}")];
            row.extend(shown.iter().map(|o| counts[index(*o)].to_string()));
            row.push(counts.iter().sum::<usize>().to_string());
            rows.push(row);
        }
        out.push('\n');
        out.push_str(&table(&rows, |r, c, cell| {
            if r < header_rows {
                p.wrap("1", &cell)
            } else if c > 0 && cell.trim() == "0" {
                p.wrap("2", &cell)
            } else {
                cell
            }
        }));
    }

    if !report.keys.is_empty() {
        let _ = writeln!(out, "\n{}", p.wrap("1", "Keys:"));
        let rows: Vec<Vec<String>> = report
            .keys
            .iter()
            .map(|k| {
                vec![
                    k.outcome.key().to_owned(),
                    format!("{}/{} {}", k.account, k.region, k.alias),
                    k.arn.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..2)
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for (k, row) in report.keys.iter().zip(&rows) {
            let outcome = format!("{:<w$}", row[0], w = widths[0]);
            let outcome = match k.outcome {
                KeyOutcome::Created => p.wrap("32", &outcome),
                KeyOutcome::Present => outcome,
                KeyOutcome::Skipped => p.wrap("33", &outcome),
                KeyOutcome::Failed => p.wrap("31", &outcome),
            };
            let line = format!("{outcome}  {:<w$}  {}", row[1], row[2], w = widths[1]);
            let _ = writeln!(out, "  {}", line.trim_end());
            if let Some(e) = &k.error {
                let _ = writeln!(out, "      {}: {}", e.label(), e.message);
            }
        }
    }

    for (o, title, list) in problems(report) {
        let _ = writeln!(
            out,
            "\n{}",
            p.outcome(o, &format!("{title} ({}):", list.len()))
        );
        for d in list {
            let attempts = plural(d.attempts, "attempt", "attempts");
            match &d.error {
                Some(e) => {
                    let _ = writeln!(out, "  {}  {} ({attempts})", d.address, e.label());
                    // Continuation lines keep the indent, so a multi-line message stays in its block.
                    for line in e.message.lines() {
                        let _ = writeln!(out, "      {line}");
                    }
                }
                None => {
                    let _ = writeln!(out, "  {}  ({attempts})", d.address);
                }
            }
        }
    }

    let status = status_line(report);
    let status = if report.interrupted {
        p.wrap("1;33", &status)
    } else {
        p.wrap("1", &status)
    };
    let _ = writeln!(out, "\n{status}");
    out
}

/// The report as pretty JSON exactly per the serde model: the contract CI scripts read.
pub fn json(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).expect("a report is plain data and always serialises");
    s.push('\n');
    s
}

/// A table cell: GitHub Markdown breaks on `|` and newlines, and would render HTML in messages.
fn md_cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// The report for `--report-md` and `$GITHUB_STEP_SUMMARY`.
pub fn markdown(report: &Report) -> String {
    let mut out = String::from("## provision apply\n\n");
    let _ = writeln!(out, "{}\n", status_line(report));

    out.push_str("| Outcome | Domains |\n| :-- | --: |\n");
    for o in summary_outcomes(report) {
        let _ = writeln!(out, "| {} | {} |", label(o), report.summary.get(o));
    }
    let total: usize = Outcome::ALL.iter().map(|o| report.summary.get(*o)).sum();
    let _ = writeln!(out, "| **total** | **{total}** |");

    let targets = per_target(report);
    if targets.len() > 1 {
        let shown = occurring(&targets);
        out.push_str("\n### By target\n\n| Target |");
        for o in &shown {
            let _ = write!(out, " {} |", label(*o));
        }
        out.push_str(" total |\n| :-- |");
        out.push_str(&" --: |".repeat(shown.len() + 1));
        out.push('\n');
        for ((account, region), counts) in &targets {
            let _ = write!(out, "| {account} {region} |");
            for o in &shown {
                let _ = write!(out, " {} |", counts[index(*o)]);
            }
            let _ = writeln!(out, " {} |", counts.iter().sum::<usize>());
        }
    }

    if !report.keys.is_empty() {
        out.push_str(
            "\n### Keys\n\n| Key | Outcome | ARN | Message |\n| :-- | :-- | :-- | :-- |\n",
        );
        for k in &report.keys {
            let message = k
                .error
                .as_ref()
                .map(|e| md_cell(&e.message))
                .unwrap_or_default();
            let arn = k
                .arn
                .as_deref()
                .map(|a| format!("`{}`", md_cell(a)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}/{} {}` | {} | {arn} | {message} |",
                k.account,
                k.region,
                md_cell(&k.alias),
                k.outcome.key()
            );
        }
    }

    for (_, title, list) in problems(report) {
        let heading = if title == "Failed" { "Failures" } else { title };
        let _ = writeln!(out, "\n### {heading}\n");
        out.push_str("| Domain | Code | Attempts | Message |\n| :-- | :-- | --: | :-- |\n");
        for d in list {
            let (code, message) = match &d.error {
                Some(e) => (format!("`{}`", md_cell(e.label())), md_cell(&e.message)),
                None => (String::new(), String::new()),
            };
            let _ = writeln!(
                out,
                "| `{}` | {code} | {} | {message} |",
                d.address, d.attempts
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::{Applied, Cause, ErrorInfo};
    use crate::aws::ErrorKind;
    use crate::model::DomainAddress;

    fn report(
        domains: Vec<DomainReport>,
        elapsed_seconds: f64,
        interrupted: bool,
        throttles: u64,
    ) -> Report {
        Report::new(Applied {
            keys: Vec::new(),
            domains,
            elapsed_seconds,
            interrupted,
            throttles,
        })
    }

    fn aws_error(kind: ErrorKind, code: &str, message: &str) -> ErrorInfo {
        ErrorInfo {
            kind: Cause::Call(kind),
            code: Some(code.into()),
            message: message.into(),
        }
    }

    fn domain(
        account: &str,
        region: &str,
        name: &str,
        outcome: Outcome,
        attempts: u32,
    ) -> DomainReport {
        let arn = outcome
            .is_success()
            .then(|| format!("arn:aws:codeartifact:{region}:{account}:domain/{name}"));
        DomainReport {
            attempts,
            arn,
            ..DomainReport::new(&DomainAddress::new(account, region, name), outcome)
        }
    }

    fn failed(
        account: &str,
        region: &str,
        name: &str,
        attempts: u32,
        error: ErrorInfo,
    ) -> DomainReport {
        DomainReport {
            error: Some(error),
            ..domain(account, region, name, Outcome::Failed, attempts)
        }
    }

    /// Three targets, every outcome, failures with awkward messages; given out of order.
    fn mixed_report() -> Report {
        let (a, b) = ("111122223333", "444455556666");
        let mut drifted = domain(a, "us-west-2", "acme-dr", Outcome::Drifted, 1);
        drifted.arn = Some(format!("arn:aws:codeartifact:us-west-2:{a}:domain/acme-dr"));
        drifted.error = Some(ErrorInfo {
            kind: Cause::KeyDrift,
            code: None,
            message: "live key aws/codeartifact, manifest arn:aws:kms:us-west-2:111122223333:key/1234abcd".into(),
        });
        let mut skipped = domain(b, "eu-west-1", "acme-eu-next", Outcome::Skipped, 0);
        skipped.error = Some(ErrorInfo {
            kind: Cause::Call(ErrorKind::Interrupted),
            code: None,
            message: "not started: the run was interrupted".into(),
        });
        let domains = vec![
            domain(b, "eu-west-1", "acme-eu", Outcome::Created, 1),
            failed(
                a,
                "us-east-1",
                "acme-prod",
                1,
                aws_error(
                    ErrorKind::AccessDenied,
                    "AccessDeniedException",
                    "User: arn:aws:sts::111122223333:assumed-role/ci/provision is not authorized to perform: codeartifact:CreateDomain",
                ),
            ),
            domain(a, "us-east-1", "acme-dev", Outcome::Unchanged, 1),
            domain(a, "us-east-1", "acme-shared", Outcome::TagsUpdated, 2),
            drifted,
            domain(a, "us-west-2", "acme-staging", Outcome::AlreadyPresent, 1),
            failed(
                b,
                "eu-west-1",
                "acme-eu-big",
                5,
                aws_error(
                    ErrorKind::Quota,
                    "ServiceQuotaExceededException",
                    "Domain quota | 10 per account\nreached <request a raise>",
                ),
            ),
            skipped,
            domain(a, "us-east-1", "acme-new", Outcome::Created, 3),
        ];
        report(domains, 3.24, false, 4)
    }

    fn clean_report() -> Report {
        let a = "111122223333";
        let domains = vec![
            domain(a, "us-east-1", "acme-prod", Outcome::Created, 1),
            domain(a, "us-east-1", "acme-dev", Outcome::Unchanged, 1),
            domain(a, "us-east-1", "acme-shared", Outcome::TagsUpdated, 1),
        ];
        report(domains, 0.84, false, 0)
    }

    /// Stopped twice: one domain in flight (unknown), the rest never started.
    fn interrupted_report() -> Report {
        let a = "111122223333";
        let mut unknown = domain(a, "us-east-1", "acme-prod", Outcome::Unknown, 1);
        unknown.error = Some(ErrorInfo {
            kind: Cause::Call(ErrorKind::Interrupted),
            code: None,
            message: "in flight when the run was stopped; run plan to see whether it exists".into(),
        });
        let domains = vec![
            domain(a, "us-east-1", "acme-dev", Outcome::Created, 1),
            unknown,
            domain(a, "us-east-1", "acme-shared", Outcome::Skipped, 0),
        ];
        report(domains, 71.6, true, 0)
    }

    #[test]
    fn interrupted_text() {
        insta::assert_snapshot!("interrupted_text", text(&interrupted_report(), false));
    }

    #[test]
    fn mixed_text() {
        insta::assert_snapshot!("mixed_text", text(&mixed_report(), false));
    }

    #[test]
    fn mixed_markdown() {
        insta::assert_snapshot!("mixed_markdown", markdown(&mixed_report()));
    }

    #[test]
    fn mixed_json() {
        insta::assert_snapshot!("mixed_json", json(&mixed_report()));
    }

    #[test]
    fn every_colour_painted_is_one_the_output_keeps() {
        for r in [mixed_report(), interrupted_report(), clean_report()] {
            let coloured = text(&r, true);
            assert!(coloured.contains('\x1b'));
            assert_eq!(crate::output::clean(&coloured, true), coloured);
        }
    }

    #[test]
    fn clean_text() {
        insta::assert_snapshot!("clean_text", text(&clean_report(), false));
    }

    #[test]
    fn clean_markdown() {
        insta::assert_snapshot!("clean_markdown", markdown(&clean_report()));
    }

    #[test]
    fn json_has_the_contract_keys() {
        let v: serde_json::Value = serde_json::from_str(&json(&mixed_report())).unwrap();
        for key in [
            "summary",
            "domains",
            "elapsed_seconds",
            "interrupted",
            "throttles",
        ] {
            assert!(v.get(key).is_some(), "top-level key `{key}`");
        }
        for o in Outcome::ALL {
            assert!(
                v["summary"].get(o.key()).is_some(),
                "summary key `{}`",
                o.key()
            );
        }
        let failed = v["domains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["outcome"] == "failed")
            .unwrap();
        for key in [
            "account", "region", "name", "outcome", "attempts", "arn", "error",
        ] {
            assert!(failed.get(key).is_some(), "domain key `{key}`");
        }
        for key in ["kind", "code", "message"] {
            assert!(failed["error"].get(key).is_some(), "error key `{key}`");
        }
        let back: Report = serde_json::from_str(&json(&mixed_report())).unwrap();
        assert_eq!(back, mixed_report());
    }

    #[test]
    fn interrupted_and_long_runs() {
        let mut r = clean_report();
        r.interrupted = true;
        r.elapsed_seconds = 125.4;
        r.throttles = 1;
        assert_eq!(
            status_line(&r),
            "Apply interrupted after 2 min 05 s; 1 throttling answer met and waited out."
        );
        assert_eq!(elapsed(59.96), "1 min 00 s");
        assert_eq!(elapsed(3725.0), "1 h 02 min");
        assert_eq!(elapsed(0.04), "0.0 s");
    }

    #[test]
    fn markdown_cells_are_escaped() {
        assert_eq!(md_cell("a | b\nc <d>"), "a \\| b<br>c &lt;d&gt;");
    }

    #[test]
    fn colour_keeps_alignment() {
        let plain = text(&mixed_report(), false);
        let coloured = text(&mixed_report(), true);
        assert!(!plain.contains('\x1b'));
        assert!(coloured.contains('\x1b'));
        let stripped = strip_ansi(&coloured);
        assert_eq!(stripped, plain);
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
