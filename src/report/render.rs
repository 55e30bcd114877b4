//! Renders an apply report: text for people, JSON for CI, Markdown for step summaries.
//!
//! The text scales as the plan does: the summary first and last, problems first (failed,
//! skipped, drifted, unknown), three or more domains with the same outcome for the same reason
//! folded into one line with their count, then one line per target with its counts (more than
//! 20 targets where everything succeeded: one line for all). `-v` lists every domain unfolded,
//! `-q` only the problems and the summary. The Markdown says the same in tables, long lists in
//! `<details>` blocks.

use super::model::Report;
use crate::apply::{DomainReport, KeyOutcome, KeyReport, Outcome};
use crate::paint::Paint;
use crate::text::{Detail, FOLD_AT, LIST_AT_MOST, plural, target_label};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// The outcome as people read it: the JSON key with spaces (and, for domains kept, why).
fn label(o: Outcome) -> String {
    match o {
        Outcome::Kept => "kept (without --prune)".to_owned(),
        _ => o.key().replace('_', " "),
    }
}

/// How many outcomes there are: per-target rows are arrays indexed as `Outcome::ALL`.
const N: usize = Outcome::ALL.len();

/// The outcomes people must look at, in the order they are listed, with their titles.
const PROBLEMS: [(Outcome, &str); 4] = [
    (Outcome::Failed, "Failed"),
    (Outcome::Skipped, "Skipped"),
    (Outcome::Drifted, "Drifted"),
    (Outcome::Unknown, "Unknown, in flight when stopped"),
];

/// An (account, Region) as the report keys it.
type Where<'a> = (&'a str, &'a str);

fn place(d: &DomainReport) -> Where<'_> {
    (d.address.account.as_str(), d.address.region.as_str())
}

/// Targets named as the plan names them: `account 111122223333 (platform) · us-east-1`.
struct Names<'a>(BTreeMap<Where<'a>, &'a str>);

impl<'a> Names<'a> {
    fn of(report: &'a Report) -> Self {
        let names = (report.targets.iter())
            .filter_map(|t| {
                Some((
                    (t.account.as_str(), t.region.as_str()),
                    t.account_name.as_deref()?,
                ))
            })
            .collect();
        Names(names)
    }

    fn label(&self, (account, region): Where) -> String {
        target_label(account, self.0.get(&(account, region)).copied(), region)
    }
}

/// Counts per (account, Region), ordered, from the domains themselves.
fn per_target(report: &Report) -> BTreeMap<Where<'_>, [usize; N]> {
    let mut targets: BTreeMap<Where, [usize; N]> = BTreeMap::new();
    for d in &report.domains {
        targets.entry(place(d)).or_default()[index(d.outcome)] += 1;
    }
    targets
}

fn index(o: Outcome) -> usize {
    Outcome::ALL
        .iter()
        .position(|x| *x == o)
        .expect("ALL holds every outcome")
}

/// Whether every domain of a row is as the manifest says.
fn all_succeeded(counts: &[usize; N]) -> bool {
    Outcome::ALL
        .iter()
        .all(|o| o.is_success() || counts[index(*o)] == 0)
}

/// `2 created, 1 failed`: the outcomes that occurred, in their order, each in its colour.
fn counts_text(counts: &[usize; N], paint: &Paint) -> String {
    let parts: Vec<String> = (Outcome::ALL.into_iter())
        .filter(|o| counts[index(*o)] > 0)
        .map(|o| paint.outcome(o, &format!("{} {}", counts[index(o)], label(o))))
        .collect();
    if parts.is_empty() {
        "no domains".to_owned()
    } else {
        parts.join(", ")
    }
}

fn summary_counts(report: &Report) -> [usize; N] {
    Outcome::ALL.map(|o| report.summary.get(o))
}

/// The summary rows of the Markdown table: every outcome, zeros included, so the table has the
/// same shape on every run; except `unknown`, which only a forced stop produces and would
/// otherwise read as a worry.
fn summary_outcomes(report: &Report) -> Vec<Outcome> {
    Outcome::ALL
        .into_iter()
        .filter(|o| *o != Outcome::Unknown || report.summary.get(*o) > 0)
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

/// `Apply complete in 3.2 s: 2 created, 1 unchanged; 2 throttling answers met and waited out.`
/// and, when the manifest declares keys, `Keys: 1 created, 1 present.`
fn summary(report: &Report, paint: &Paint) -> String {
    let verb = if report.interrupted {
        "interrupted after"
    } else {
        "complete in"
    };
    let head = format!("Apply {verb} {}", elapsed(report.elapsed_seconds));
    let head = if report.interrupted {
        paint.wrap("1;33", &head)
    } else {
        paint.bold(&head)
    };
    let mut line = format!("{head}: {}", counts_text(&summary_counts(report), paint));
    if report.throttles > 0 {
        let t = plural(report.throttles, "throttling answer", "throttling answers");
        let _ = write!(line, "; {t} met and waited out");
    }
    line.push('.');
    if !report.keys.is_empty() {
        let keys: Vec<String> = KEY_OUTCOMES
            .into_iter()
            .filter_map(|o| {
                let n = report.keys.iter().filter(|k| k.outcome == o).count();
                (n > 0).then(|| paint.key_outcome(o, &format!("{n} {}", o.key())))
            })
            .collect();
        let noun = if report.keys.len() == 1 {
            "Key"
        } else {
            "Keys"
        };
        let _ = write!(line, "\n{noun}: {}.", keys.join(", "));
    }
    line
}

const KEY_OUTCOMES: [KeyOutcome; 4] = [
    KeyOutcome::Created,
    KeyOutcome::Present,
    KeyOutcome::Failed,
    KeyOutcome::Skipped,
];

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

    fn key_outcome(&self, o: KeyOutcome, s: &str) -> String {
        match o {
            KeyOutcome::Created => self.wrap("32", s),
            KeyOutcome::Present => s.to_owned(),
            KeyOutcome::Skipped => self.wrap("33", s),
            KeyOutcome::Failed => self.wrap("31", s),
        }
    }
}

/// Why a domain or key is not as the manifest says, as a key to fold on: its code (or cause)
/// and message; `None` when it carries no error.
type Why<'a> = Option<(&'a str, &'a str)>;

fn reason(error: Option<&crate::apply::ErrorInfo>) -> Why<'_> {
    error.map(|e| (e.label(), e.message.as_str()))
}

/// Items with the same reason, in the order first met; those of a reason met at least
/// [`FOLD_AT`] times are folded (unless `-v`), the rest stay single, in their order.
struct Folded<'a, T> {
    folds: Vec<(Why<'a>, Vec<&'a T>)>,
    single: Vec<&'a T>,
}

fn fold<'a, T>(
    items: &[&'a T],
    reason_of: impl Fn(&'a T) -> Why<'a>,
    detail: Detail,
) -> Folded<'a, T> {
    if detail == Detail::Verbose {
        return Folded {
            folds: Vec::new(),
            single: items.to_vec(),
        };
    }
    // One pass, indexed: a run of 10 000 failures may have 10 000 different messages.
    let mut index: HashMap<Why, usize> = HashMap::new();
    let mut groups: Vec<(Why, Vec<&T>)> = Vec::new();
    let mut group_of = Vec::with_capacity(items.len());
    for &item in items {
        let why = reason_of(item);
        let g = *index.entry(why).or_insert_with(|| {
            groups.push((why, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(item);
        group_of.push(g);
    }
    let single = (items.iter().zip(&group_of))
        .filter(|(_, g)| groups[**g].1.len() < FOLD_AT)
        .map(|(item, _)| *item)
        .collect();
    let folds = (groups.into_iter())
        .filter(|(_, list)| list.len() >= FOLD_AT)
        .collect();
    Folded { folds, single }
}

/// `(1 attempt)`, or `(2-5 attempts)` over several.
fn attempts(list: impl Iterator<Item = u32>) -> String {
    let all: Vec<u32> = list.collect();
    let (lo, hi) = (
        all.iter().min().copied().unwrap_or(0),
        all.iter().max().copied().unwrap_or(0),
    );
    if lo == hi {
        format!("({})", plural(lo, "attempt", "attempts"))
    } else {
        format!("({lo}-{hi} attempts)")
    }
}

/// Where a fold's items are: the one target's name; one account's name and its Regions (up
/// to [`FOLD_AT`] of them); else how many targets.
fn spread<'a>(places: impl Iterator<Item = Where<'a>>, names: &Names) -> String {
    let mut all: Vec<Where> = places.collect();
    all.sort();
    all.dedup();
    let account = all.first().map(|(a, _)| *a);
    match all.as_slice() {
        [one] => names.label(*one),
        [(a, r), ..] if all.len() <= FOLD_AT && all.iter().all(|(x, _)| Some(*x) == account) => {
            let regions: Vec<&str> = all.iter().map(|(_, r)| *r).collect();
            target_label(a, names.0.get(&(a, r)).copied(), &regions.join(", "))
        }
        _ => plural(all.len(), "target", "targets"),
    }
}

/// A message under its line, continuation lines keeping the indent so that a multi-line
/// message stays in its block.
fn message_lines(out: &mut String, indent: &str, message: &str) {
    for line in message.lines() {
        let _ = writeln!(out, "{indent}{line}");
    }
}

/// The report for people, printed at the end of apply.
pub fn text(report: &Report, detail: Detail, color: bool) -> String {
    let p = Paint(color);
    let names = Names::of(report);
    let summary = summary(report, &p);
    let mut out = String::new();
    let mut body = String::new();

    for (o, title) in PROBLEMS {
        let list: Vec<&DomainReport> = report.domains.iter().filter(|d| d.outcome == o).collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            body,
            "\n{}",
            p.outcome(o, &format!("{title} ({}):", list.len()))
        );
        let folded = fold(&list, |d| reason(d.error.as_ref()), detail);
        for (why, group) in &folded.folds {
            let what = plural(group.len(), "domain", "domains");
            let at = spread(group.iter().map(|d| place(d)), &names);
            let tries = attempts(group.iter().map(|d| d.attempts));
            match why {
                Some((code, message)) => {
                    let _ = writeln!(body, "  {what} in {at}  {code} {tries}");
                    message_lines(&mut body, "      ", message);
                }
                None => {
                    let _ = writeln!(body, "  {what} in {at}  {tries}");
                }
            }
        }
        let mut by_target: BTreeMap<Where, Vec<&DomainReport>> = BTreeMap::new();
        for d in folded.single {
            by_target.entry(place(d)).or_default().push(d);
        }
        for (at, list) in by_target {
            let _ = writeln!(body, "  {}", names.label(at));
            for d in list {
                let tries = attempts(std::iter::once(d.attempts));
                match &d.error {
                    Some(e) => {
                        let _ = writeln!(body, "    {}  {} {tries}", d.address.name, e.label());
                        message_lines(&mut body, "        ", &e.message);
                    }
                    None => {
                        let _ = writeln!(body, "    {}  {tries}", d.address.name);
                    }
                }
            }
        }
    }

    key_lines(&mut body, report, detail, &names, &p);
    if detail != Detail::Quiet {
        target_lines(&mut body, report, detail, &names, &p);
    }

    if !body.is_empty() {
        out.push_str(&summary);
        out.push('\n');
        out.push_str(&body);
        out.push('\n');
    }
    out.push_str(&summary);
    out.push('\n');
    out
}

/// The declared keys: those that are not there or carry a notice (all of them with `-v`), the
/// same reason folded as for domains; created and present keys are counted in the summary.
fn key_lines(out: &mut String, report: &Report, detail: Detail, names: &Names, p: &Paint) {
    let shown: Vec<&KeyReport> = (report.keys.iter())
        .filter(|k| detail == Detail::Verbose || !k.outcome.is_success() || k.error.is_some())
        .collect();
    if shown.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", p.bold("Keys:"));
    let width = shown
        .iter()
        .map(|k| k.outcome.key().len())
        .max()
        .unwrap_or(0);
    let outcome = |k: &KeyReport| p.key_outcome(k.outcome, &format!("{:<width$}", k.outcome.key()));
    // Problems first, each outcome's keys folded by reason.
    for o in [
        KeyOutcome::Failed,
        KeyOutcome::Skipped,
        KeyOutcome::Created,
        KeyOutcome::Present,
    ] {
        let these: Vec<&KeyReport> = shown.iter().copied().filter(|k| k.outcome == o).collect();
        let folded = fold(&these, |k| reason(k.error.as_ref()), detail);
        for (why, group) in &folded.folds {
            let at = spread(
                group
                    .iter()
                    .map(|k| (k.account.as_str(), k.region.as_str())),
                names,
            );
            let what = plural(group.len(), "key", "keys");
            let _ = writeln!(out, "  {}  {what} in {at}", outcome(group[0]));
            if let Some((code, message)) = why {
                let _ = writeln!(out, "      {code}: {message}");
            }
        }
        for k in folded.single {
            let at = names.label((k.account.as_str(), k.region.as_str()));
            let arn = k.arn.as_deref().unwrap_or("");
            let line = format!("{}  {} in {at}  {arn}", outcome(k), k.alias);
            let _ = writeln!(out, "  {}", line.trim_end());
            if let Some(e) = &k.error {
                let _ = writeln!(out, "      {}: {}", e.label(), e.message);
            }
        }
    }
}

/// One line per target with its counts, targets with a problem first. Without `-v`, at most
/// [`LIST_AT_MOST`] targets with a problem are listed and the rest counted in one line (their
/// problems are told above, by reason), and more than [`LIST_AT_MOST`] targets where
/// everything succeeded take one line together; `-v` lists every target, and every domain
/// under it. Left out when there is one target and nothing more to say than the summary.
fn target_lines(out: &mut String, report: &Report, detail: Detail, names: &Names, p: &Paint) {
    type Row<'r> = (&'r Where<'r>, &'r [usize; N]);
    let targets = per_target(report);
    let verbose = detail == Detail::Verbose;
    if targets.len() < 2 && !verbose {
        return;
    }
    let (fine, troubled): (Vec<Row>, Vec<Row>) =
        targets.iter().partition(|(_, c)| all_succeeded(c));
    let troubled_listed = match troubled.len() {
        n if verbose || n <= LIST_AT_MOST => n,
        _ => LIST_AT_MOST,
    };
    let fine_listed = match fine.len() {
        n if verbose || n <= LIST_AT_MOST => n,
        _ => 0,
    };
    let width = (troubled[..troubled_listed].iter())
        .chain(&fine[..fine_listed])
        .map(|(w, _)| names.label(**w).chars().count())
        .max()
        .unwrap_or(0);
    let mut domains: BTreeMap<Where, Vec<&DomainReport>> = BTreeMap::new();
    if verbose {
        for d in &report.domains {
            domains.entry(place(d)).or_default().push(d);
        }
    }
    let list = |out: &mut String, rows: &[Row]| {
        for (at, counts) in rows {
            let name = names.label(**at);
            let _ = writeln!(out, "  {name:<width$}  {}", counts_text(counts, p));
            for d in domains.get(*at).into_iter().flatten() {
                let _ = writeln!(out, "      {:<15}  {}", label(d.outcome), d.address.name);
            }
        }
    };
    let count = |out: &mut String, rows: &[Row], what: &dyn Fn(usize) -> String| {
        if rows.is_empty() {
            return;
        }
        let mut sum = [0; N];
        for (_, c) in rows {
            for (s, n) in sum.iter_mut().zip(c.iter()) {
                *s += n;
            }
        }
        let _ = writeln!(
            out,
            "  {}: {} (-v lists them)",
            what(rows.len()),
            counts_text(&sum, p)
        );
    };
    let _ = writeln!(out, "\n{}", p.bold("By target:"));
    list(out, &troubled[..troubled_listed]);
    count(out, &troubled[troubled_listed..], &|n| {
        let targets = if n == 1 { "target" } else { "targets" };
        format!("{n} more {targets} with a domain not as the manifest says")
    });
    list(out, &fine[..fine_listed]);
    count(out, &fine[fine_listed..], &|n| {
        let targets = plural(n, "target", "targets");
        format!("{targets} with every domain as the manifest says")
    });
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

/// A table of more than [`LIST_AT_MOST`] rows goes in a `<details>` block under `summary`, so
/// that a step summary stays readable; a short one is shown as is.
fn md_table(out: &mut String, rows: usize, summary: &str, table: &str) {
    if rows > LIST_AT_MOST {
        let _ = writeln!(out, "<details><summary>{summary}</summary>\n");
        out.push_str(table);
        out.push_str("\n</details>\n");
    } else {
        out.push_str(table);
    }
}

/// At most this many targets are listed under a folded row; the JSON report has them all.
const MD_NAMED: usize = 1000;

/// The report for `--report-md` and `$GITHUB_STEP_SUMMARY`: the summary first, problems (the
/// same reason folded into one row, its domains in a `<details>` block), keys, targets (those
/// where everything succeeded counted in one row when they are many) and the outcome table last.
pub fn markdown(report: &Report) -> String {
    let plain = Paint(false);
    let names = Names::of(report);
    let mut out = String::from("## provision apply\n\n");
    let _ = writeln!(out, "{}", summary(report, &plain).replace('\n', "  \n"));

    for (o, title) in PROBLEMS {
        let list: Vec<&DomainReport> = report.domains.iter().filter(|d| d.outcome == o).collect();
        if list.is_empty() {
            continue;
        }
        let heading = if o == Outcome::Failed {
            "Failures"
        } else {
            title
        };
        let _ = writeln!(out, "\n### {heading} ({})\n", list.len());
        let folded = fold(&list, |d| reason(d.error.as_ref()), Detail::Normal);
        let mut table = String::from(
            "| Target | Domain | Code | Attempts | Message |\n| :-- | :-- | :-- | --: | :-- |\n",
        );
        let row = |table: &mut String, at: String, what: String, why: Why, tries: String| {
            let (code, message) = match why {
                Some((code, message)) => (format!("`{}`", md_cell(code)), md_cell(message)),
                None => (String::new(), String::new()),
            };
            let _ = writeln!(
                table,
                "| {} | {what} | {code} | {tries} | {message} |",
                md_cell(&at)
            );
        };
        for (why, group) in &folded.folds {
            let at = spread(group.iter().map(|d| place(d)), &names);
            let tries = attempts(group.iter().map(|d| d.attempts));
            let tries = tries
                .trim_matches(|c| c == '(' || c == ')')
                .replace(" attempts", "")
                .replace(" attempt", "");
            row(
                &mut table,
                at,
                format!("{} domains", group.len()),
                *why,
                tries,
            );
        }
        for d in &folded.single {
            let why = reason(d.error.as_ref());
            row(
                &mut table,
                names.label(place(d)),
                format!("`{}`", md_cell(&d.address.name)),
                why,
                d.attempts.to_string(),
            );
        }
        let rows = folded.folds.len() + folded.single.len();
        md_table(&mut out, rows, &plural(rows, "row", "rows"), &table);
        for (why, group) in &folded.folds {
            let because = why
                .map(|(code, _)| format!(": {}", md_cell(code)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "\n<details><summary>The {} {}{because}</summary>\n",
                plural(group.len(), "domain", "domains"),
                label(o)
            );
            let mut by_target: BTreeMap<Where, Vec<&str>> = BTreeMap::new();
            for d in group {
                by_target
                    .entry(place(d))
                    .or_default()
                    .push(d.address.name.as_str());
            }
            for (at, names_here) in by_target.iter().take(MD_NAMED) {
                let listed: Vec<String> = names_here
                    .iter()
                    .map(|n| format!("`{}`", md_cell(n)))
                    .collect();
                let _ = writeln!(
                    out,
                    "- {}: {}",
                    md_cell(&names.label(*at)),
                    listed.join(", ")
                );
            }
            if by_target.len() > MD_NAMED {
                let rest = by_target.len() - MD_NAMED;
                let _ = writeln!(
                    out,
                    "- … and {} more (the JSON report lists them all)",
                    plural(rest, "target", "targets")
                );
            }
            out.push_str("\n</details>\n");
        }
    }

    if !report.keys.is_empty() {
        let mut table = String::from(
            "| Key | Target | Outcome | ARN | Message |\n| :-- | :-- | :-- | :-- | :-- |\n",
        );
        let mut keys: Vec<&KeyReport> = report.keys.iter().collect();
        // Problems first.
        keys.sort_by_key(|k| k.outcome.is_success() && k.error.is_none());
        for k in &keys {
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
            let at = names.label((k.account.as_str(), k.region.as_str()));
            let _ = writeln!(
                table,
                "| `{}` | {} | {} | {arn} | {message} |",
                md_cell(&k.alias),
                md_cell(&at),
                k.outcome.key()
            );
        }
        out.push_str("\n### Keys\n\n");
        md_table(
            &mut out,
            keys.len(),
            &plural(keys.len(), "key", "keys"),
            &table,
        );
    }

    let targets = per_target(report);
    if targets.len() > 1 {
        let shown: Vec<Outcome> = Outcome::ALL
            .into_iter()
            .filter(|o| targets.values().any(|row| row[index(*o)] > 0))
            .collect();
        let mut head = String::from("| Target |");
        for o in &shown {
            let _ = write!(head, " {} |", o.key().replace('_', " "));
        }
        head.push_str(" total |\n| :-- |");
        head.push_str(&" --: |".repeat(shown.len() + 1));
        head.push('\n');
        let row = |table: &mut String, name: &str, counts: &[usize; N]| {
            let _ = write!(table, "| {} |", md_cell(name));
            for o in &shown {
                let _ = write!(table, " {} |", counts[index(*o)]);
            }
            let _ = writeln!(table, " {} |", counts.iter().sum::<usize>());
        };
        let (fine, troubled): (Vec<_>, Vec<_>) =
            targets.iter().partition(|(_, c)| all_succeeded(c));
        out.push_str("\n### By target\n\n");
        let mut table = head.clone();
        for (at, counts) in &troubled {
            row(&mut table, &names.label(**at), counts);
        }
        if fine.len() > LIST_AT_MOST {
            let mut sum = [0; N];
            for (_, c) in &fine {
                for (s, n) in sum.iter_mut().zip(c.iter()) {
                    *s += n;
                }
            }
            let name = format!(
                "{} where everything succeeded",
                plural(fine.len(), "target", "targets")
            );
            row(&mut table, &name, &sum);
            let what = format!(
                "{} with a domain not as the manifest says",
                plural(troubled.len(), "target", "targets")
            );
            md_table(&mut out, troubled.len() + 1, &what, &table);
            let mut all = head;
            for (at, counts) in &fine {
                row(&mut all, &names.label(**at), counts);
            }
            out.push('\n');
            md_table(
                &mut out,
                fine.len(),
                &format!(
                    "The {} where everything succeeded",
                    plural(fine.len(), "target", "targets")
                ),
                &all,
            );
        } else {
            for (at, counts) in &fine {
                row(&mut table, &names.label(**at), counts);
            }
            md_table(
                &mut out,
                targets.len(),
                &plural(targets.len(), "target", "targets"),
                &table,
            );
        }
    }

    out.push_str("\n### Outcomes\n\n| Outcome | Domains |\n| :-- | --: |\n");
    for o in summary_outcomes(report) {
        let _ = writeln!(out, "| {} | {} |", label(o), report.summary.get(o));
    }
    let total: usize = Outcome::ALL.iter().map(|o| report.summary.get(*o)).sum();
    let _ = writeln!(out, "| **total** | **{total}** |");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::{Applied, Cause, ErrorInfo};
    use crate::aws::ErrorKind;
    use crate::model::{DomainAddress, Target, TargetCredentials};
    use crate::plan::Plan;

    const NORMAL: Detail = Detail::Normal;

    /// The plan the reports are of: its targets, `111122223333` named `platform`.
    fn plan(domains: &[DomainReport]) -> Plan {
        let mut targets: Vec<Target> = domains
            .iter()
            .map(|d| Target {
                account: d.address.account.clone(),
                account_name: (d.address.account == "111122223333").then(|| "platform".into()),
                region: d.address.region.clone(),
                credentials: TargetCredentials::Caller,
            })
            .collect();
        targets.sort();
        targets.dedup();
        Plan {
            format: crate::plan::PLAN_FORMAT.into(),
            manifest: "domains.yaml".into(),
            manifest_digest: format!("sha256:{}", "0a".repeat(32)),
            targets,
            entries: Vec::new(),
            skipped: Vec::new(),
            keys: Vec::new(),
            filter: Default::default(),
            left_out: 0,
        }
    }

    fn report(
        domains: Vec<DomainReport>,
        elapsed_seconds: f64,
        interrupted: bool,
        throttles: u64,
    ) -> Report {
        let plan = plan(&domains);
        Report::new(
            Applied {
                keys: Vec::new(),
                domains,
                elapsed_seconds,
                interrupted,
                throttles,
            },
            &plan,
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_764_453_600),
        )
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
        insta::assert_snapshot!(
            "interrupted_text",
            text(&interrupted_report(), NORMAL, false)
        );
    }

    #[test]
    fn mixed_text() {
        insta::assert_snapshot!("mixed_text", text(&mixed_report(), NORMAL, false));
    }

    #[test]
    fn mixed_markdown() {
        insta::assert_snapshot!("mixed_markdown", markdown(&mixed_report()));
    }

    #[test]
    fn mixed_json() {
        // The version changes with every release; what matters is that it is there.
        let text = json(&mixed_report()).replace(
            &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
            "\"[version]\"",
        );
        insta::assert_snapshot!("mixed_json", text);
    }

    #[test]
    fn every_colour_painted_is_one_the_output_keeps() {
        for r in [mixed_report(), interrupted_report(), clean_report()] {
            let coloured = text(&r, Detail::Verbose, true);
            assert!(coloured.contains('\x1b'));
            assert_eq!(crate::output::clean(&coloured, true), coloured);
        }
    }

    #[test]
    fn clean_text() {
        insta::assert_snapshot!("clean_text", text(&clean_report(), NORMAL, false));
    }

    #[test]
    fn clean_markdown() {
        insta::assert_snapshot!("clean_markdown", markdown(&clean_report()));
    }

    #[test]
    fn json_has_the_contract_keys() {
        let v: serde_json::Value = serde_json::from_str(&json(&mixed_report())).unwrap();
        for key in [
            "format",
            "provision_version",
            "manifest",
            "manifest_digest",
            "started",
            "finished",
            "summary",
            "targets",
            "domains",
            "elapsed_seconds",
            "interrupted",
            "throttles",
        ] {
            assert!(v.get(key).is_some(), "top-level key `{key}`");
        }
        assert_eq!(v["format"], crate::report::REPORT_FORMAT);
        assert_eq!(v["started"], "2025-11-29T22:00:00.000Z");
        assert_eq!(
            v["finished"], "2025-11-29T22:00:03.240Z",
            "started + elapsed"
        );
        assert_eq!(v["targets"][0]["account_name"], "platform");
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
            summary(&r, &Paint(false)),
            "Apply interrupted after 2 min 05 s: 1 created, 1 unchanged, 1 tags updated; 1 throttling answer met and waited out."
        );
        assert_eq!(elapsed(59.96), "1 min 00 s");
        assert_eq!(elapsed(3725.0), "1 h 02 min");
        assert_eq!(elapsed(0.04), "0.0 s");
    }

    /// An organisation's run, interrupted: 30 targets where everything succeeded, and 50 where
    /// five domains each were not started; in one of those, two failed with AccessDenied.
    fn interrupted_at_scale() -> Report {
        let mut domains = Vec::new();
        for t in 0..30 {
            let account = format!("5000000{t:05}");
            domains.push(domain(&account, "us-east-1", "pkgs", Outcome::Created, 1));
            domains.push(domain(
                &account,
                "us-east-1",
                "mirror",
                Outcome::Unchanged,
                1,
            ));
        }
        for t in 0..50 {
            let account = format!("6000000{t:05}");
            for i in 0..5 {
                let mut d = domain(&account, "eu-west-1", &format!("d{i}"), Outcome::Skipped, 0);
                d.error = Some(ErrorInfo {
                    kind: Cause::Call(ErrorKind::Interrupted),
                    code: None,
                    message: "not started: the run was interrupted".into(),
                });
                domains.push(d);
            }
            domains.push(domain(&account, "eu-west-1", "first", Outcome::Created, 1));
        }
        for name in ["locked-a", "locked-b"] {
            domains.push(failed(
                "111122223333",
                "us-east-1",
                name,
                1,
                aws_error(
                    ErrorKind::AccessDenied,
                    "AccessDeniedException",
                    "not authorized to perform: codeartifact:CreateDomain",
                ),
            ));
        }
        report(domains, 42.0, true, 0)
    }

    #[test]
    fn interrupted_at_scale_text() {
        let r = interrupted_at_scale();
        let normal = text(&r, NORMAL, false);
        assert!(
            normal.lines().count() < 40,
            "250 identical skips must not take 250 lines:\n{normal}"
        );
        insta::assert_snapshot!("interrupted_at_scale_text", normal);
        insta::assert_snapshot!("interrupted_at_scale_quiet", text(&r, Detail::Quiet, false));
        let verbose = text(&r, Detail::Verbose, false);
        assert_eq!(
            verbose
                .matches("not started: the run was interrupted")
                .count(),
            250
        );
        assert!(
            verbose.contains("  account 500000000029 · us-east-1"),
            "{verbose}"
        );
        assert!(
            verbose.contains("      unchanged        mirror\n"),
            "{verbose}"
        );
    }

    #[test]
    fn interrupted_at_scale_markdown() {
        let md = markdown(&interrupted_at_scale());
        insta::assert_snapshot!("interrupted_at_scale_markdown", md);
    }

    #[test]
    fn mixed_text_verbose_and_quiet() {
        insta::assert_snapshot!(
            "mixed_text_verbose",
            text(&mixed_report(), Detail::Verbose, false)
        );
        insta::assert_snapshot!(
            "mixed_text_quiet",
            text(&mixed_report(), Detail::Quiet, false)
        );
    }

    #[test]
    fn markdown_cells_are_escaped() {
        assert_eq!(md_cell("a | b\nc <d>"), "a \\| b<br>c &lt;d&gt;");
    }

    #[test]
    fn colour_keeps_alignment() {
        let plain = text(&mixed_report(), NORMAL, false);
        let coloured = text(&mixed_report(), NORMAL, true);
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
