//! Renders a plan for people (Terraform-like, grouped by account and Region) and as JSON for saving.

use super::model::{Action, Entry, Finding, KeyEntry, Plan, Step};
use super::text_diff::{Line, diff_lines};
use crate::model::TargetKey;
use crate::paint::Paint;
use crate::text::plural;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How the human form is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HumanOptions {
    /// Also list the domains that need nothing (they are always counted).
    pub verbose: bool,
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

/// The plan for people: legend, entries grouped by target, then a one-line tally.
pub fn human(plan: &Plan, opts: &HumanOptions) -> String {
    let paint = Paint(opts.color);
    let shown = |e: &&Entry| opts.verbose || e.action() != Action::Unchanged;

    // Sort here rather than trust the producer: a hand-edited saved plan must still render in order.
    let mut entries: Vec<&Entry> = plan.entries.iter().collect();
    entries.sort_by(|a, b| a.address.cmp(&b.address));
    let listed: Vec<&Entry> = entries.iter().filter(|e| shown(e)).copied().collect();

    let keys: Vec<&KeyEntry> = plan
        .keys
        .iter()
        .filter(|k| opts.verbose || k.action() != Action::Unchanged)
        .collect();
    // Each target's keys, then its domains: keys are made first.
    let mut groups: BTreeMap<TargetKey, (Vec<&KeyEntry>, Vec<&Entry>)> = BTreeMap::new();
    for k in &keys {
        groups.entry(k.target()).or_default().0.push(k);
    }
    for e in &listed {
        groups.entry(e.address.target()).or_default().1.push(e);
    }

    let mut out = String::new();
    if !groups.is_empty() {
        out.push_str("Domain actions are shown with these symbols:\n");
        for action in Action::ALL {
            if listed.iter().any(|e| e.action() == action)
                || keys.iter().any(|k| k.action() == action)
            {
                let symbol = paint.action(action, &action.symbol().to_string());
                let _ = writeln!(out, "  {symbol} {}", action.label());
            }
        }
        out.push('\n');

        for (i, (here, (keys, entries))) in groups.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let named = plan
                .target(here)
                .and_then(|t| t.account_name.as_deref())
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let header = format!("account {}{named} · {}", here.account, here.region);
            let _ = writeln!(out, "{}", paint.bold(&header));
            for k in keys {
                key_lines(&mut out, k, &paint);
            }
            for entry in entries {
                entry_lines(&mut out, entry, &paint);
            }
        }
        out.push('\n');
    }
    if !plan.skipped.is_empty() {
        let _ = writeln!(
            out,
            "{} skipped (not ACTIVE in the organisation):",
            plural(plan.skipped.len(), "account", "accounts")
        );
        for s in &plan.skipped {
            let _ = writeln!(out, "  - {} ({}): {}", s.name, s.account, s.state);
        }
        out.push('\n');
    }
    if plan.left_out > 0 {
        let _ = writeln!(
            out,
            "{} outside {} not planned.\n",
            plural(plan.left_out, "domain", "domains"),
            plan.filter.flags()
        );
    }
    out.push_str(&tally(plan));
    out.push('\n');
    if plan.count(Action::OverQuota) > 0 {
        out.push_str(QUOTA_HELP);
        out.push('\n');
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
                    "carries {tag}={value}, no longer in the manifest; apply --prune deletes it"
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

/// One declared key: `+ key alias/NAME`, then what it is created with, or the key it names.
fn key_lines(out: &mut String, k: &KeyEntry, paint: &Paint) {
    let action = k.action();
    let head = paint.action(action, &format!("{} key {}", action.symbol(), k.alias));
    let why = match (&k.blocked, &k.create) {
        (Some(b), _) => format!("{}: {}", b.label(), b.message),
        (None, Some(_)) => "not present; a symmetric encryption key, then its alias".into(),
        (None, None) => "present, used as is".into(),
    };
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
        verbose: false,
        color: false,
    };
    const VERBOSE: HumanOptions = HumanOptions {
        verbose: true,
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
        assert!(
            !text.contains("= unchanged"),
            "unchanged is not listed, so not in the legend"
        );
        assert!(human(&full_plan(), &VERBOSE).contains("  = unchanged\n"));
    }

    #[test]
    fn colour_only_when_asked() {
        let plan = full_plan();
        assert!(!human(&plan, &PLAIN).contains('\x1b'));
        let coloured = human(
            &plan,
            &HumanOptions {
                verbose: false,
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
