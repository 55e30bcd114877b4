//! Renders a plan for people (Terraform-like, grouped by account and Region) and as JSON for saving.
//!
//! The human form scales to an organisation: the summary line first and last, problems before
//! changes (targets that could not be read or would exceed the quota, then drift, then the
//! accounts skipped), a target with nothing to change in one line, identical reasons folded into
//! one line with their count; `-v` shows everything unfolded, `-q` only problems and the summary.

use super::model::{Action, Entry, Finding, KeyEntry, Plan, Step};
use super::text_diff::{Line, diff_lines};
use crate::model::{SkippedAccount, Target, TargetKey};
use crate::paint::Paint;
use crate::text::{Detail, FOLD_AT, LIST_AT_MOST, plural, target_label};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// How the human form is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HumanOptions {
    /// How much is said: `Quiet` problems and the summary, `Normal` also the changes (unchanged
    /// domains counted, identical reasons folded), `Verbose` every domain and reason.
    pub detail: Detail,
    /// ANSI colour; callers decide from the terminal, tests always pass `false`.
    pub color: bool,
}

/// Shown for a `None` key: the manifest and KMS both leave it implicit, people should not have to.
const AWS_MANAGED_KEY: &str = "AWS-managed (aws/codeartifact)";

/// One colour per action.
impl Paint {
    fn action(&self, action: Action, s: &str) -> String {
        let code = match action {
            Action::Create => "32",
            Action::UpdateTags | Action::UpdatePolicy => "33",
            Action::Unchanged => "2",
            Action::Drift | Action::Delete => "31",
            Action::Unmanaged => "36",
            Action::Unreachable => "31",
            Action::UnusableKey => "31",
            Action::OverQuota => "31",
        };
        self.wrap(code, s)
    }
}

/// Where a target's group stands in the listing: problems first, then changes, then what is
/// only informational; a target with nothing but unchanged domains takes one line (or none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// Something of it could not be read or would exceed the domain quota.
    Blocked,
    Drifted,
    Changes,
    Unmanaged,
    Unchanged,
}

fn rank(action: Action) -> Rank {
    match action {
        Action::Unreachable | Action::OverQuota | Action::UnusableKey => Rank::Blocked,
        Action::Drift => Rank::Drifted,
        Action::Create | Action::UpdateTags | Action::UpdatePolicy | Action::Delete => {
            Rank::Changes
        }
        Action::Unmanaged => Rank::Unmanaged,
        Action::Unchanged => Rank::Unchanged,
    }
}

/// One target's declared keys and domains, each sorted.
#[derive(Default)]
struct Group<'a> {
    keys: Vec<&'a KeyEntry>,
    entries: Vec<&'a Entry>,
}

impl Group<'_> {
    fn rank(&self) -> Rank {
        let keys = self.keys.iter().map(|k| k.action());
        let domains = self.entries.iter().map(|e| e.action());
        keys.chain(domains)
            .map(rank)
            .min()
            .unwrap_or(Rank::Unchanged)
    }

    fn unchanged(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.action() == Action::Unchanged)
            .count()
    }
}

/// A key or a domain the plan will not touch for a reason of its target's (unreachable, over
/// quota): such lines fold together.
#[derive(Clone, Copy)]
enum Held<'a> {
    Key(&'a KeyEntry),
    Domain(&'a Entry),
}

/// The plan for people: summary, legend, problems, changes by target, unchanged targets, summary.
pub fn human(plan: &Plan, opts: &HumanOptions) -> String {
    let paint = Paint(opts.color);
    let detail = opts.detail;
    let names: BTreeMap<TargetKey, &Target> = plan.targets.iter().map(|t| (t.key(), t)).collect();
    let header = |key: &TargetKey| {
        let name = names.get(key).and_then(|t| t.account_name.as_deref());
        target_label(key.account.as_str(), name, key.region.as_str())
    };

    // Sort here rather than trust the producer: a hand-edited saved plan must still render in order.
    let mut groups: BTreeMap<TargetKey, Group> = BTreeMap::new();
    let mut keys: Vec<&KeyEntry> = plan.keys.iter().collect();
    keys.sort_by(|a, b| (&a.account, &a.region, &a.alias).cmp(&(&b.account, &b.region, &b.alias)));
    for k in keys {
        groups.entry(k.target()).or_default().keys.push(k);
    }
    let mut entries: Vec<&Entry> = plan.entries.iter().collect();
    entries.sort_by(|a, b| a.address.cmp(&b.address));
    for e in entries {
        groups
            .entry(e.address.target())
            .or_default()
            .entries
            .push(e);
    }
    let mut ranked: Vec<(Rank, &TargetKey, &Group)> =
        groups.iter().map(|(k, g)| (g.rank(), k, g)).collect();
    ranked.sort_by_key(|(r, k, _)| (*r, *k));

    // Each block is drawn first, so that the legend can name exactly the symbols they use.
    let mut used = BTreeSet::new();
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    let mut unchanged_only = Vec::new();
    for (r, key, group) in ranked {
        let body = group_lines(group, detail, &paint, &mut used);
        if body.is_empty() {
            if r == Rank::Unchanged && detail == Detail::Normal {
                unchanged_only.push((key, group));
            }
            continue;
        }
        let block = format!("{}\n{body}", paint.bold(&header(key)));
        if r <= Rank::Drifted {
            problems.push(block);
        } else {
            changes.push(block);
        }
    }
    let mut blocks = problems;
    if !plan.skipped.is_empty() {
        blocks.push(skipped_lines(&plan.skipped, detail));
    }
    // Targets with every domain unchanged are context, not news: shown only beside something else.
    if !blocks.is_empty() || !changes.is_empty() {
        blocks.extend(changes);
        if !unchanged_only.is_empty() {
            used.insert(Action::Unchanged);
            blocks.push(unchanged_targets(&unchanged_only, &header, &paint));
        }
    }

    let summary = tally(plan);
    let mut out = String::new();
    if !blocks.is_empty() {
        if detail != Detail::Quiet {
            let _ = writeln!(out, "{summary}\n");
            if !used.is_empty() {
                out.push_str("Domain actions are shown with these symbols:\n");
                for action in Action::ALL.into_iter().filter(|a| used.contains(a)) {
                    let symbol = paint.action(action, &action.symbol().to_string());
                    let _ = writeln!(out, "  {symbol} {}", action.label());
                }
                out.push('\n');
            }
        }
        for block in &blocks {
            let _ = writeln!(out, "{block}");
        }
    }
    if plan.left_out > 0 {
        let _ = writeln!(
            out,
            "{} outside {} not planned.\n",
            plural(plan.left_out, "domain", "domains"),
            plan.filter.flags()
        );
    }
    out.push_str(&summary);
    out.push('\n');
    if plan.count(Action::OverQuota) > 0 {
        out.push_str(QUOTA_HELP);
        out.push('\n');
    }
    out
}

/// A target's lines under its header: what cannot proceed (folded by reason), drift, then keys
/// and domain changes in address order, and the count of unchanged domains. Empty when `detail`
/// leaves nothing of it to say.
fn group_lines(g: &Group, detail: Detail, paint: &Paint, used: &mut BTreeSet<Action>) -> String {
    let mut out = String::new();
    let verbose = detail == Detail::Verbose;

    // Held back for the same reason (a target's): one line per reason from FOLD_AT on.
    let mut held: Vec<(Action, String, Vec<Held>)> = Vec::new();
    let blocked = |a: Action| rank(a) == Rank::Blocked;
    let items = (g.keys.iter().filter(|k| blocked(k.action())))
        .map(|k| (k.action(), key_reason(k), Held::Key(k)))
        .chain(
            (g.entries.iter().filter(|e| blocked(e.action())))
                .map(|e| (e.action(), reason(e), Held::Domain(e))),
        );
    for (action, why, item) in items {
        match held.iter_mut().find(|(a, w, _)| *a == action && *w == why) {
            Some((_, _, list)) => list.push(item),
            None => held.push((action, why, vec![item])),
        }
    }
    for (action, why, list) in &held {
        used.insert(*action);
        if !verbose && list.len() >= FOLD_AT {
            let keys = list.iter().filter(|h| matches!(h, Held::Key(_))).count();
            let domains = list.len() - keys;
            let mut what = Vec::new();
            if domains > 0 {
                what.push(plural(domains, "domain", "domains"));
            }
            if keys > 0 {
                what.push(plural(keys, "key", "keys"));
            }
            let head = paint.action(*action, &format!("{} {}", action.symbol(), what.join(", ")));
            let _ = writeln!(out, "  {head}  {}", paint.dim(&format!("({why})")));
            // The same reason has the same next step: said once under the folded line.
            let next = list.iter().find_map(|h| match h {
                Held::Key(k) => k.blocked.as_ref().and_then(|b| b.next.clone()),
                Held::Domain(e) => match &e.finding {
                    Some(Finding::Unreachable { blocked }) => blocked.next.clone(),
                    _ => None,
                },
            });
            if let Some(next) = next {
                let _ = writeln!(out, "      next: {next}");
            }
            continue;
        }
        for item in list {
            match item {
                Held::Key(k) => key_lines(&mut out, k, paint),
                Held::Domain(e) => entry_lines(&mut out, e, paint),
            }
        }
    }
    for e in g.entries.iter().filter(|e| e.action() == Action::Drift) {
        used.insert(Action::Drift);
        entry_lines(&mut out, e, paint);
    }
    if detail == Detail::Quiet {
        return out;
    }

    for k in &g.keys {
        let action = k.action();
        if rank(action) == Rank::Blocked || (action == Action::Unchanged && !verbose) {
            continue;
        }
        used.insert(action);
        key_lines(&mut out, k, paint);
    }
    // Unmanaged domains share their reason too: from FOLD_AT on, their names on one line (their
    // ARNs follow from the names).
    let unmanaged: Vec<&str> = (g.entries.iter())
        .filter(|e| e.action() == Action::Unmanaged)
        .map(|e| e.address.name.as_str())
        .collect();
    let fold_unmanaged = !verbose && unmanaged.len() >= FOLD_AT;
    for e in &g.entries {
        let action = e.action();
        let shown = match rank(action) {
            Rank::Blocked | Rank::Drifted => false,
            Rank::Changes => true,
            Rank::Unmanaged => !fold_unmanaged,
            Rank::Unchanged => verbose,
        };
        if shown {
            used.insert(action);
            entry_lines(&mut out, e, paint);
        }
    }
    if fold_unmanaged {
        let action = Action::Unmanaged;
        used.insert(action);
        let head = format!(
            "{} {}",
            action.symbol(),
            plural(unmanaged.len(), "domain", "domains")
        );
        let why = format!(
            "present in AWS, not in the manifest: {}",
            unmanaged.join(", ")
        );
        let _ = writeln!(
            out,
            "  {}  {}",
            paint.action(action, &head),
            paint.dim(&format!("({why})"))
        );
    }
    let unchanged = g.unchanged();
    if !verbose && unchanged > 0 && !out.is_empty() {
        used.insert(Action::Unchanged);
        let line = format!("{} {unchanged} unchanged", Action::Unchanged.symbol());
        let _ = writeln!(out, "  {}", paint.action(Action::Unchanged, &line));
    }
    out
}

/// Targets whose every domain is unchanged: one line each, or one line for all of them when
/// there are more than [`LIST_AT_MOST`].
fn unchanged_targets(
    targets: &[(&TargetKey, &Group)],
    header: &dyn Fn(&TargetKey) -> String,
    paint: &Paint,
) -> String {
    let symbol = Action::Unchanged.symbol();
    if targets.len() > LIST_AT_MOST {
        let domains: usize = targets.iter().map(|(_, g)| g.unchanged()).sum();
        let line = format!(
            "{symbol} {} with every domain unchanged ({}; -v lists them)",
            plural(targets.len(), "target", "targets"),
            plural(domains, "domain", "domains"),
        );
        return format!("{}\n", paint.action(Action::Unchanged, &line));
    }
    let labels: Vec<String> = targets.iter().map(|(key, _)| header(key)).collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for ((_, g), label) in targets.iter().zip(&labels) {
        let mut count = format!("{symbol} {} unchanged", g.unchanged());
        if !g.keys.is_empty() {
            let _ = write!(count, ", {} present", plural(g.keys.len(), "key", "keys"));
        }
        // Padded before painting, so that colour never skews the column.
        let _ = writeln!(
            out,
            "{}  {}",
            paint.bold(&format!("{label:<width$}")),
            paint.action(Action::Unchanged, &count)
        );
    }
    out
}

/// Accounts an organisation selector reached that are not ACTIVE; from [`FOLD_AT`] accounts in
/// one state on, that state is one line (unless `-v`).
fn skipped_lines(skipped: &[SkippedAccount], detail: Detail) -> String {
    let mut out = format!(
        "{} skipped (not ACTIVE in the organisation):\n",
        plural(skipped.len(), "account", "accounts")
    );
    let mut by_state: BTreeMap<&str, Vec<&SkippedAccount>> = BTreeMap::new();
    for s in skipped {
        by_state.entry(s.state.as_str()).or_default().push(s);
    }
    for (state, list) in by_state {
        if detail != Detail::Verbose && list.len() >= FOLD_AT {
            let _ = writeln!(
                out,
                "  - {}: {state}",
                plural(list.len(), "account", "accounts")
            );
            continue;
        }
        for s in list {
            let _ = writeln!(out, "  - {} ({}): {}", s.name, s.account, s.state);
        }
    }
    out
}

/// What to do about a target over the domain quota.
const QUOTA_HELP: &str = "Domains marked # would take their account and Region over the CodeArtifact quota \"Domains per account\" (10 unless raised): remove domains, or request an increase through Service Quotas and pass --domain-quota N.";

/// Why an entry is what it is, in a few words (for people only).
fn reason(entry: &Entry) -> String {
    if let Some(f) = &entry.finding {
        return match f {
            Finding::Drift { .. } => "encryption key differs".into(),
            Finding::Unmanaged { .. } => "present in AWS, not in the manifest".into(),
            Finding::Unreachable { blocked } => format!("{}: {}", blocked.label(), blocked.message),
            Finding::UnusableKey { .. } => f.key_problem().unwrap_or_default(),
            Finding::OverQuota {
                existing,
                planned,
                quota,
            } => {
                format!("{existing} there + {planned} to create would exceed the quota of {quota}")
            }
        };
    }
    let (mut set, mut remove, mut policy) = (0, 0, None);
    for step in &entry.steps {
        match step {
            Step::Create { .. } => return "not present".into(),
            Step::Delete { tag, value } => {
                return format!(
                    "carries {tag}={value}, not in this manifest; apply --prune deletes it"
                );
            }
            Step::SetTags { tags } => set += tags.len(),
            Step::RemoveTags { tags } => remove += tags.len(),
            Step::PutPolicy { previous, .. } => {
                policy = Some(match previous {
                    Some(_) => "policy differs",
                    None => "no policy yet",
                });
            }
        }
    }
    let tags = match (set, remove) {
        (0, 0) => String::new(),
        (s, 0) => format!("{} to set", plural(s, "tag", "tags")),
        (0, r) => format!("{} to remove", plural(r, "tag", "tags")),
        (s, r) => format!("{} to set, {r} to remove", plural(s, "tag", "tags")),
    };
    match (tags.is_empty(), policy) {
        (_, None) => tags,
        (true, Some(p)) => p.to_string(),
        (false, Some(p)) => format!("{tags}; {p}"),
    }
}

/// A policy step: the old and new documents as a line diff, kept lines as context.
fn policy_lines(
    out: &mut String,
    detail: &str,
    document: &str,
    previous: Option<&str>,
    paint: &Paint,
) {
    let _ = writeln!(out, "{detail}policy:");
    for line in diff_lines(previous.unwrap_or(""), document) {
        let (action, text) = match line {
            Line::Same(l) => {
                let _ = writeln!(out, "{detail}  {l}");
                continue;
            }
            Line::Removed(l) => (Action::Drift, format!("- {l}")),
            Line::Added(l) => (Action::Create, format!("+ {l}")),
        };
        let _ = writeln!(out, "{detail}{}", paint.action(action, &text));
    }
}

/// Why a key is what it is, in a few words.
fn key_reason(k: &KeyEntry) -> String {
    match (&k.blocked, &k.create) {
        (Some(b), _) => format!("{}: {}", b.label(), b.message),
        (None, Some(_)) => "not present; a symmetric encryption key, then its alias".into(),
        (None, None) => "present, used as is".into(),
    }
}

/// One declared key: `+ key alias/NAME`, then what it is created with, or the key it names.
fn key_lines(out: &mut String, k: &KeyEntry, paint: &Paint) {
    let action = k.action();
    let head = paint.action(action, &format!("{} key {}", action.symbol(), k.alias));
    let why = key_reason(k);
    let _ = writeln!(out, "  {head}  {}", paint.dim(&format!("({why})")));
    let detail = "      ";
    if let Some(arn) = &k.arn {
        let _ = writeln!(out, "{detail}{arn}");
    }
    if let Some(c) = &k.create {
        if let Some(d) = &c.description {
            let _ = writeln!(out, "{detail}description: {d}");
        }
        if !c.tags.is_empty() {
            let _ = writeln!(out, "{detail}tags:");
            let width = key_width(c.tags.keys());
            for (key, v) in &c.tags {
                let _ = writeln!(out, "{detail}  {key:<width$} = {v}");
            }
        }
    }
}

/// One domain: symbol and name, then what exactly would happen, indented under it.
fn entry_lines(out: &mut String, entry: &Entry, paint: &Paint) {
    let action = entry.action();
    let head = paint.action(
        action,
        &format!("{} {}", action.symbol(), entry.address.name),
    );
    let why = reason(entry);
    if why.is_empty() {
        let _ = writeln!(out, "  {head}");
    } else {
        let _ = writeln!(out, "  {head}  {}", paint.dim(&format!("({why})")));
    }
    let detail = "      ";
    for step in &entry.steps {
        match step {
            Step::Create {
                encryption_key,
                declared_key,
                tags,
                ..
            } => {
                let key = match (encryption_key, declared_key) {
                    (Some(arn), _) => arn.clone(),
                    (None, Some(alias)) => format!("{alias} (created above)"),
                    (None, None) => AWS_MANAGED_KEY.to_owned(),
                };
                let _ = writeln!(out, "{detail}encryption key: {key}");
                if !tags.is_empty() {
                    let _ = writeln!(out, "{detail}tags:");
                    let width = key_width(tags.keys());
                    for (k, v) in tags {
                        let _ = writeln!(out, "{detail}  {k:<width$} = {v}");
                    }
                }
            }
            Step::SetTags { tags } => {
                // A tag the domain lacks is added (`+`); one with another value is corrected (`~`).
                let width = key_width(tags.iter().map(|t| &t.key));
                for t in tags {
                    let (action, line) = match &t.old {
                        Some(old) => (
                            Action::UpdateTags,
                            format!("~ {:<width$} = {old} → {}", t.key, t.new),
                        ),
                        None => (Action::Create, format!("+ {:<width$} = {}", t.key, t.new)),
                    };
                    let _ = writeln!(out, "{detail}{}", paint.action(action, &line));
                }
            }
            Step::RemoveTags { tags } => {
                let width = key_width(tags.iter().map(|t| &t.key));
                for t in tags {
                    let line = format!("- {:<width$} = {}", t.key, t.old);
                    let _ = writeln!(out, "{detail}{}", paint.action(Action::Drift, &line));
                }
            }
            Step::PutPolicy {
                document, previous, ..
            } => policy_lines(out, detail, document, previous.as_deref(), paint),
            // The reason says it all; the ARN says which domain exactly.
            Step::Delete { .. } => {
                if let Some(arn) = &entry.arn {
                    let _ = writeln!(out, "{detail}{arn}");
                }
            }
        }
    }
    match &entry.finding {
        Some(Finding::Drift { drift }) => {
            let wanted = drift.wanted.as_deref().unwrap_or(AWS_MANAGED_KEY);
            // Two lines, values aligned: ARNs are long, and the eye compares them column by column.
            let _ = writeln!(out, "{detail}key: live     {}", drift.live);
            let _ = writeln!(out, "{detail}   ≠ manifest {wanted}");
            let _ = writeln!(out, "{detail}next: {}", drift.next_step());
        }
        Some(Finding::Unmanaged { .. }) => {
            if let Some(arn) = &entry.arn {
                let _ = writeln!(out, "{detail}{arn}");
            }
        }
        Some(Finding::Unreachable { blocked }) => {
            if let Some(next) = &blocked.next {
                let _ = writeln!(out, "{detail}next: {next}");
            }
        }
        Some(Finding::OverQuota { .. } | Finding::UnusableKey { .. }) | None => {}
    }
}

fn key_width<'a>(keys: impl Iterator<Item = &'a String>) -> usize {
    keys.map(|k| k.chars().count()).max().unwrap_or(0)
}

/// The closing line; it reads the counts from every entry, listed or not, and then the keys'.
fn tally(plan: &Plan) -> String {
    let domains = domain_tally(plan);
    if plan.keys.is_empty() {
        return domains;
    }
    let k = |a| plan.count_keys(a);
    let mut counts = vec![
        format!("{} to create", k(Action::Create)),
        format!("{} present", k(Action::Unchanged)),
    ];
    if k(Action::Unreachable) > 0 {
        counts.push(format!("{} unreachable (skipped)", k(Action::Unreachable)));
    }
    let keys = if plan.keys.len() == 1 { "Key" } else { "Keys" };
    format!("{domains}\n{keys}: {}.", counts.join(", "))
}

/// The domains' closing line.
fn domain_tally(plan: &Plan) -> String {
    let n = |a| plan.count(a);
    let mut unreachable = match n(Action::Unreachable) {
        0 => String::new(),
        u => format!(", {u} unreachable (skipped)"),
    };
    if n(Action::UnusableKey) > 0 {
        let _ = write!(
            unreachable,
            ", {} with an unusable key (skipped)",
            n(Action::UnusableKey)
        );
    }
    if n(Action::OverQuota) > 0 {
        let _ = write!(
            unreachable,
            ", {} over quota (not created)",
            n(Action::OverQuota)
        );
    }
    if n(Action::Delete) > 0 {
        let _ = write!(
            unreachable,
            ", {} to delete (with --prune)",
            n(Action::Delete)
        );
    }
    if plan.has_changes() {
        return format!(
            "Plan: {} to create, {} to update, {} unchanged, {} drifted, {} unmanaged{unreachable}.",
            n(Action::Create),
            n(Action::UpdateTags) + n(Action::UpdatePolicy),
            n(Action::Unchanged),
            n(Action::Drift),
            n(Action::Unmanaged),
        );
    }
    let (drift, unmanaged) = (n(Action::Drift), n(Action::Unmanaged));
    if drift == 0 && unmanaged == 0 && unreachable.is_empty() {
        return "No changes. Every domain is as the manifest says.".to_owned();
    }
    // Drift, unmanaged and unreachable domains are not "as the manifest says", but apply will
    // not touch them: count them rather than claim all is well.
    let mut counts = vec![format!("{} unchanged", n(Action::Unchanged))];
    if drift > 0 {
        counts.push(format!("{drift} drifted"));
    }
    if unmanaged > 0 {
        counts.push(format!("{unmanaged} unmanaged"));
    }
    format!(
        "No changes. {}{unreachable} (reported, never changed).",
        counts.join(", ")
    )
}

/// The plan as pretty JSON, newline-terminated: the saved-plan format `apply --plan` reads back.
pub fn json(plan: &Plan) -> String {
    let mut s =
        serde_json::to_string_pretty(plan).expect("a plan is plain data and always serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    //! Fixtures come from the real diff of a resolved manifest against a live state, so that
    //! what the renderer shows is what a run would show.
    use super::*;
    use crate::aws::ErrorKind;
    use crate::model::{DomainAddress, TagsMode, Target, TargetCredentials};
    use crate::observe::{Blocked, KeyState, LiveDomain, LiveState, LiveTarget};
    use crate::plan::diff::diff;
    use crate::resolve::{Desired, Resolved};

    const A: &str = "111122223333";
    const B: &str = "444455556666";
    const LOCKED: &str = "999988887777";
    const KEY_A: &str =
        "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const KEY_B: &str =
        "arn:aws:kms:eu-west-1:444455556666:key/0987dcba-09fe-87dc-65ba-ab0987654321";

    fn managed(account: &str, region: &str) -> String {
        format!("arn:aws:kms:{region}:{account}:key/aws-managed-codeartifact")
    }

    fn tags(pairs: &[(&str, &str)]) -> crate::model::TagSet {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn want(account: &str, region: &str, name: &str, key: Option<&str>) -> Desired {
        Desired {
            address: DomainAddress::new(account, region, name),
            encryption_key: key.map(str::to_string),
            tags: Default::default(),
            tags_mode: TagsMode::Merge,
            policy: None,
            line: 1,
        }
    }

    fn live(
        account: &str,
        region: &str,
        name: &str,
        key: &str,
        t: &[(&str, &str)],
    ) -> (String, LiveDomain) {
        (
            name.into(),
            LiveDomain {
                arn: format!("arn:aws:codeartifact:{region}:{account}:domain/{name}"),
                encryption_key: key.into(),
                tags: tags(t),
                policy: None,
            },
        )
    }

    fn target(account: &str, name: Option<&str>, region: &str) -> Target {
        Target {
            account: account.into(),
            account_name: name.map(Into::into),
            region: region.into(),
            credentials: TargetCredentials::Caller,
        }
    }

    /// Every action over four targets, the manifest deliberately out of order.
    fn full_plan() -> Plan {
        let (e1, w2, eu) = ("us-east-1", "us-west-2", "eu-west-1");
        let mut prod = want(A, e1, "acme-prod", None);
        prod.tags = tags(&[("env", "prod"), ("cost-center", "4711")]);
        let mut shared = want(A, e1, "acme-shared", None);
        shared.tags = tags(&[("team", "platform"), ("env", "shared")]);
        shared.tags_mode = TagsMode::Exact;
        let domains = vec![
            want(B, eu, "acme-eu-old", None),
            shared,
            want(B, eu, "acme-eu-dev", None),
            prod,
            want(A, w2, "acme-dr", Some("alias/dr")),
            want(B, eu, "acme-eu", Some("alias/eu")),
            want(A, e1, "acme-dev", None),
            want(A, w2, "acme-staging", None),
            want(LOCKED, e1, "acme-locked", None),
        ];
        let mut state = LiveState::default();
        state.targets.insert(
            TargetKey::new(A, e1),
            LiveTarget {
                domains: [
                    live(
                        A,
                        e1,
                        "acme-shared",
                        &managed(A, e1),
                        &[("env", "dev"), ("owner", "someone"), ("legacy-id", "7")],
                    ),
                    live(A, e1, "acme-dev", &managed(A, e1), &[]),
                ]
                .into_iter()
                .collect(),
                managed_key: Some(managed(A, e1)),
                ..LiveTarget::default()
            },
        );
        state.targets.insert(
            TargetKey::new(A, w2),
            LiveTarget {
                domains: [
                    live(A, w2, "acme-dr", &managed(A, w2), &[]),
                    live(A, w2, "acme-staging", &managed(A, w2), &[]),
                ]
                .into_iter()
                .collect(),
                keys: [(
                    "alias/dr".to_string(),
                    KeyState::Symmetric { arn: KEY_A.into() },
                )]
                .into_iter()
                .collect(),
                managed_key: Some(managed(A, w2)),
            },
        );
        state.targets.insert(
            TargetKey::new(B, eu),
            LiveTarget {
                domains: [
                    live(B, eu, "acme-eu-old", KEY_B, &[]),
                    live(B, eu, "acme-eu-dev", &managed(B, eu), &[]),
                    live(B, eu, "scratch", &managed(B, eu), &[]),
                ]
                .into_iter()
                .collect(),
                keys: [(
                    "alias/eu".to_string(),
                    KeyState::Symmetric { arn: KEY_B.into() },
                )]
                .into_iter()
                .collect(),
                managed_key: Some(managed(B, eu)),
            },
        );
        state.unreachable.insert(
            TargetKey::new(LOCKED, e1),
            Blocked {
                kind: ErrorKind::AccessDenied,
                code: Some("AccessDeniedException".into()),
                message: "codeartifact:ListDomains: User is not authorized".into(),
                next: None,
            },
        );
        let resolved = Resolved {
            targets: vec![
                target(B, None, eu),
                target(A, Some("platform"), e1),
                target(A, Some("platform"), w2),
                target(LOCKED, None, e1),
            ],
            domains,
            ..Resolved::default()
        };
        diff("domains.yaml", "sha256:0", &resolved, &state)
    }

    /// `platform`'s us-east-1 with acme-dev and acme-prod as the manifest says, plus `extra`
    /// domains wanted with the AWS-managed key and live with the given key.
    fn no_change_plan_with(extra: &[(&str, &str)]) -> Plan {
        let e1 = "us-east-1";
        let mut live_domains = vec![
            live(A, e1, "acme-dev", &managed(A, e1), &[]),
            live(A, e1, "acme-prod", &managed(A, e1), &[]),
        ];
        let mut domains = vec![
            want(A, e1, "acme-dev", None),
            want(A, e1, "acme-prod", None),
        ];
        for (name, key) in extra {
            live_domains.push(live(A, e1, name, key, &[]));
            domains.push(want(A, e1, name, None));
        }
        let mut state = LiveState::default();
        state.targets.insert(
            TargetKey::new(A, e1),
            LiveTarget {
                domains: live_domains.into_iter().collect(),
                managed_key: Some(managed(A, e1)),
                ..LiveTarget::default()
            },
        );
        let resolved = Resolved {
            targets: vec![target(A, Some("platform"), e1)],
            domains,
            ..Resolved::default()
        };
        diff("domains.yaml", "sha256:0", &resolved, &state)
    }

    /// Two accounts declaring `alias/codeartifact`: missing in one (its domain waits for it),
    /// present in the other.
    fn key_plan() -> Plan {
        use crate::resolve::DesiredKey;
        let e1 = "us-east-1";
        let declared = |account: &str| DesiredKey {
            target: TargetKey::new(account, e1),
            alias: "alias/codeartifact".into(),
            description: Some("CodeArtifact domains".into()),
            tags: tags(&[("team", "platform"), ("env", "prod")]),
            line: 5,
        };
        let mut state = LiveState::default();
        state.targets.insert(
            TargetKey::new(A, e1),
            LiveTarget {
                keys: [("alias/codeartifact".to_string(), KeyState::NotFound)].into(),
                ..LiveTarget::default()
            },
        );
        state.targets.insert(
            TargetKey::new(B, e1),
            LiveTarget {
                keys: [(
                    "alias/codeartifact".to_string(),
                    KeyState::Symmetric {
                        arn: KEY_B.replace("eu-west-1", e1),
                    },
                )]
                .into(),
                ..LiveTarget::default()
            },
        );
        let resolved = Resolved {
            targets: vec![target(A, Some("platform"), e1), target(B, None, e1)],
            domains: vec![
                want(A, e1, "acme", Some("alias/codeartifact")),
                want(B, e1, "acme", Some("alias/codeartifact")),
            ],
            keys: vec![declared(A), declared(B)],
            ..Resolved::default()
        };
        diff("domains.yaml", "sha256:0", &resolved, &state)
    }

    #[test]
    fn human_key_to_create() {
        insta::assert_snapshot!("human_key_to_create", human(&key_plan(), &PLAIN));
        let verbose = human(&key_plan(), &VERBOSE);
        assert!(verbose.contains("= key alias/codeartifact"), "{verbose}");
        let text = json(&key_plan());
        assert!(
            text.contains("\"declared_key\": \"alias/codeartifact\""),
            "{text}"
        );
        let back: Plan = serde_json::from_str(&text).unwrap();
        assert_eq!(back, key_plan(), "the saved plan reads back unchanged");
    }

    fn no_change_plan() -> Plan {
        no_change_plan_with(&[])
    }

    const PLAIN: HumanOptions = HumanOptions {
        detail: Detail::Normal,
        color: false,
    };
    const VERBOSE: HumanOptions = HumanOptions {
        detail: Detail::Verbose,
        color: false,
    };
    const QUIET: HumanOptions = HumanOptions {
        detail: Detail::Quiet,
        color: false,
    };

    #[test]
    fn human_every_action() {
        insta::assert_snapshot!("human_every_action", human(&full_plan(), &PLAIN));
    }

    #[test]
    fn human_every_action_verbose() {
        insta::assert_snapshot!("human_every_action_verbose", human(&full_plan(), &VERBOSE));
    }

    #[test]
    fn a_corrected_tag_reads_old_to_new_and_counts_are_singular_when_one() {
        let text = human(&full_plan(), &PLAIN);
        assert!(text.contains("~ env  = dev → shared"), "{text}");
        assert!(text.contains("+ team = platform"), "{text}");
        assert!(text.contains("(2 tags to set, 2 to remove)"), "{text}");
        let mut one = full_plan();
        let shared = one
            .entries
            .iter_mut()
            .find(|e| e.address.name == "acme-shared")
            .unwrap();
        shared.steps.truncate(1);
        if let Some(Step::SetTags { tags }) = shared.steps.first_mut() {
            tags.truncate(1);
        }
        assert!(human(&one, &PLAIN).contains("(1 tag to set)"));
    }

    #[test]
    fn human_no_changes() {
        let plan = no_change_plan();
        let text = human(&plan, &PLAIN);
        assert_eq!(text, "No changes. Every domain is as the manifest says.\n");
        insta::assert_snapshot!("human_no_changes_verbose", human(&plan, &VERBOSE));
    }

    #[test]
    fn human_no_changes_but_drift() {
        let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let plan = no_change_plan_with(&[("acme-old", key)]);
        insta::assert_snapshot!("human_no_changes_but_drift", human(&plan, &PLAIN));
    }

    #[test]
    fn human_empty_plan() {
        let plan = Plan {
            entries: vec![],
            keys: vec![],
            ..no_change_plan()
        };
        assert_eq!(
            human(&plan, &VERBOSE),
            "No changes. Every domain is as the manifest says.\n"
        );
    }

    #[test]
    fn legend_lists_only_present_actions() {
        let text = human(&full_plan(), &PLAIN);
        for absent in ["update policy", "over quota"] {
            assert!(!text.contains(absent), "{absent} does not occur: {text}");
        }
        assert!(
            text.contains("  = unchanged\n"),
            "counted, so in the legend"
        );
        let quiet = human(&full_plan(), &QUIET);
        assert!(!quiet.contains("symbols"), "{quiet}");
    }

    /// An organisation's worth: a target that cannot be read (12 domains and a key), one that
    /// would exceed its quota (4 creates), one with a change, `unchanged` targets with every
    /// domain as the manifest says, and `suspended` accounts the selectors reached.
    fn scale_plan(unchanged: usize, suspended: usize) -> Plan {
        use crate::resolve::DesiredKey;
        let e1 = "us-east-1";
        let mut domains = Vec::new();
        let mut targets = vec![target(A, Some("platform"), e1), target(LOCKED, None, e1)];
        let mut state = LiveState::default();
        for i in 0..12 {
            domains.push(want(LOCKED, e1, &format!("locked-{i:02}"), None));
        }
        state.unreachable.insert(
            TargetKey::new(LOCKED, e1),
            Blocked {
                kind: ErrorKind::AccessDenied,
                code: Some("AccessDenied".into()),
                message: "sts:AssumeRole: User is not authorized to assume the role".into(),
                next: None,
            },
        );
        let full = "333344445555";
        targets.push(target(full, Some("crowded"), e1));
        for i in 0..4 {
            domains.push(want(full, e1, &format!("new-{i}"), None));
        }
        let crowded: Vec<_> = (0..8)
            .map(|i| live(full, e1, &format!("old-{i}"), &managed(full, e1), &[]))
            .collect();
        state.targets.insert(
            TargetKey::new(full, e1),
            LiveTarget {
                domains: crowded.into_iter().collect(),
                managed_key: Some(managed(full, e1)),
                ..LiveTarget::default()
            },
        );
        domains.push(want(A, e1, "acme-new", None));
        state.targets.insert(
            TargetKey::new(A, e1),
            LiveTarget {
                managed_key: Some(managed(A, e1)),
                ..LiveTarget::default()
            },
        );
        for t in 0..unchanged {
            let account = format!("5000000{t:05}");
            targets.push(target(&account, Some(&format!("team-{t}")), e1));
            let mut here = Vec::new();
            for name in ["pkgs", "mirror"] {
                domains.push(want(&account, e1, name, None));
                here.push(live(&account, e1, name, &managed(&account, e1), &[]));
            }
            state.targets.insert(
                TargetKey::new(account.as_str(), e1),
                LiveTarget {
                    domains: here.into_iter().collect(),
                    managed_key: Some(managed(&account, e1)),
                    ..LiveTarget::default()
                },
            );
        }
        let skipped = (0..suspended)
            .map(|i| crate::model::SkippedAccount {
                account: format!("3000000000{i:02}").as_str().into(),
                name: format!("sandbox-{i}"),
                state: "SUSPENDED".into(),
            })
            .collect();
        let resolved = Resolved {
            targets,
            domains,
            skipped,
            keys: vec![DesiredKey {
                target: TargetKey::new(LOCKED, e1),
                alias: "alias/codeartifact".into(),
                description: None,
                tags: Default::default(),
                line: 3,
            }],
            ..Resolved::default()
        };
        let mut plan = diff("domains.yaml", "sha256:0", &resolved, &state);
        crate::plan::quota::enforce(&mut plan, &state, 10);
        plan
    }

    #[test]
    fn human_at_scale() {
        let plan = scale_plan(3, 4);
        insta::assert_snapshot!("human_at_scale", human(&plan, &PLAIN));
        insta::assert_snapshot!("human_at_scale_quiet", human(&plan, &QUIET));
        let verbose = human(&plan, &VERBOSE);
        for unfolded in [
            "  × locked-11  (AccessDenied: sts:AssumeRole",
            "  × key alias/codeartifact  (AccessDenied",
            "  # new-3  (8 there + 4 to create would exceed the quota of 10)",
            "  = pkgs\n",
            "  - sandbox-3 (300000000003): SUSPENDED",
        ] {
            assert!(verbose.contains(unfolded), "{unfolded}\n{verbose}");
        }
    }

    #[test]
    fn many_unchanged_targets_read_as_one_line() {
        let plan = scale_plan(LIST_AT_MOST + 1, 0);
        let text = human(&plan, &PLAIN);
        assert!(
            text.contains(
                "\n= 21 targets with every domain unchanged (42 domains; -v lists them)\n"
            ),
            "{text}"
        );
        assert!(!text.contains("team-3"), "{text}");
        let listed = human(&scale_plan(LIST_AT_MOST, 0), &PLAIN);
        assert_eq!(
            listed.matches("= 2 unchanged").count(),
            LIST_AT_MOST,
            "{listed}"
        );
    }

    #[test]
    fn two_held_back_for_one_reason_are_still_two_lines() {
        let mut plan = scale_plan(0, 2);
        plan.entries.retain(|e| {
            e.address.account != LOCKED
                || ["locked-00", "locked-01"].contains(&e.address.name.as_str())
        });
        plan.keys.clear();
        let text = human(&plan, &PLAIN);
        assert!(text.contains("  × locked-00  (AccessDenied"), "{text}");
        assert!(text.contains("  × locked-01  (AccessDenied"), "{text}");
        assert!(
            text.contains("  - sandbox-1 (300000000001): SUSPENDED"),
            "{text}"
        );
        assert!(text.contains("2 accounts skipped"), "{text}");
    }

    #[test]
    fn colour_only_when_asked() {
        let plan = full_plan();
        assert!(!human(&plan, &PLAIN).contains('\x1b'));
        let coloured = human(
            &plan,
            &HumanOptions {
                detail: Detail::Normal,
                color: true,
            },
        );
        assert!(coloured.contains("\x1b[32m+ acme-prod\x1b[0m"));
        // Every colour the plan paints is one the output keeps.
        assert_eq!(crate::output::clean(&coloured, true), coloured);
    }

    #[test]
    fn plan_json() {
        let plan = full_plan();
        let text = json(&plan);
        assert!(text.ends_with("}\n"));
        let back: Plan = serde_json::from_str(&text).unwrap();
        assert_eq!(back, plan, "the saved plan reads back unchanged");
        insta::assert_snapshot!("plan_json", text);
    }

    /// A central domain whose policy was edited out of band, one with tags and a policy to
    /// change, and a new one to be created with the organisation's read policy.
    fn policy_plan() -> Plan {
        use crate::model::policy::organization_read;
        use crate::observe::LivePolicy;
        use crate::resolve::DesiredPolicy;
        let e1 = "us-east-1";
        let wanted = organization_read("o-a1b2c3d4e5");
        let mut edited = wanted.clone();
        edited["Statement"][0]["Action"] = serde_json::json!([
            "codeartifact:GetAuthorizationToken",
            "codeartifact:ReadFromRepository",
            "codeartifact:PublishPackageVersion"
        ]);
        edited["Statement"][0]["Condition"]["StringEquals"]["aws:PrincipalOrgID"] =
            "o-zzzzzzzzzz".into();
        let mut central = want(A, e1, "central", None);
        central.policy = Some(DesiredPolicy::new(&wanted));
        let mut team = want(A, e1, "team", None);
        team.tags = tags(&[("env", "prod")]);
        team.policy = Some(DesiredPolicy::new(&serde_json::json!({
            "Version": "2012-10-17",
            "Statement": []
        })));
        let mut fresh = want(A, e1, "fresh", None);
        fresh.policy = Some(DesiredPolicy::new(&wanted));
        let mut central_live = live(A, e1, "central", &managed(A, e1), &[]);
        central_live.1.policy = Some(LivePolicy {
            revision: Some("rev-7".into()),
            // As a person would write it: compact, keys in another order.
            document: edited.to_string(),
        });
        let team_live = live(A, e1, "team", &managed(A, e1), &[]);
        let mut state = LiveState::default();
        state.targets.insert(
            TargetKey::new(A, e1),
            LiveTarget {
                domains: [central_live, team_live].into_iter().collect(),
                managed_key: Some(managed(A, e1)),
                ..LiveTarget::default()
            },
        );
        let resolved = Resolved {
            targets: vec![target(A, Some("platform"), e1)],
            domains: vec![central, team, fresh],
            ..Resolved::default()
        };
        diff("domains.yaml", "sha256:0", &resolved, &state)
    }

    #[test]
    fn human_policy_changes() {
        let plan = policy_plan();
        let text = human(&plan, &PLAIN);
        assert!(text.contains("~ update policy"), "{text}");
        assert!(
            text.ends_with(
                "Plan: 1 to create, 2 to update, 0 unchanged, 0 drifted, 0 unmanaged.\n"
            ),
            "{text}"
        );
        insta::assert_snapshot!("human_policy_changes", text);
    }
}
