//! Renders a plan for people (Terraform-like, grouped by account and Region) and as JSON for saving.

use super::model::{Action, Change, Plan};
use crate::paint::Paint;
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
            Action::UpdateTags => "33",
            Action::Unchanged => "2",
            Action::Drift => "31",
            Action::Unmanaged => "36",
            Action::Unreachable => "31",
        };
        self.wrap(code, s)
    }
}

/// The plan for people: legend, changes grouped by target, then a one-line tally.
pub fn human(plan: &Plan, opts: &HumanOptions) -> String {
    let paint = Paint(opts.color);
    let shown = |c: &&Change| opts.verbose || c.action != Action::Unchanged;

    // Sort here rather than trust the producer: a hand-edited saved plan must still render in order.
    let mut changes: Vec<&Change> = plan.changes.iter().collect();
    changes.sort_by(|a, b| (&a.account, &a.region, &a.name).cmp(&(&b.account, &b.region, &b.name)));
    let listed: Vec<&Change> = changes.iter().filter(|c| shown(c)).copied().collect();

    let mut out = String::new();
    if !listed.is_empty() {
        out.push_str("Domain actions are shown with these symbols:\n");
        for action in Action::ALL {
            if listed.iter().any(|c| c.action == action) {
                let symbol = paint.action(action, &action.symbol().to_string());
                let _ = writeln!(out, "  {symbol} {}", action.label());
            }
        }
        out.push('\n');

        let mut target: Option<(&str, &str)> = None;
        for change in &listed {
            let here = (change.account.as_str(), change.region.as_str());
            if target != Some(here) {
                if target.is_some() {
                    out.push('\n');
                }
                target = Some(here);
                let named = plan
                    .target(here.0, here.1)
                    .and_then(|t| t.account_name.as_deref())
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                let header = format!("account {}{named} · {}", here.0, here.1);
                let _ = writeln!(out, "{}", paint.bold(&header));
            }
            change_lines(&mut out, change, &paint);
        }
        out.push('\n');
    }
    out.push_str(&tally(plan));
    out.push('\n');
    out
}

/// One domain: symbol and name, then what exactly would happen, indented under it.
fn change_lines(out: &mut String, change: &Change, paint: &Paint) {
    let head = paint.action(
        change.action,
        &format!("{} {}", change.action.symbol(), change.name),
    );
    if change.reason.is_empty() {
        let _ = writeln!(out, "  {head}");
    } else {
        let _ = writeln!(
            out,
            "  {head}  {}",
            paint.dim(&format!("({})", change.reason))
        );
    }
    let detail = "      ";
    match change.action {
        Action::Create => {
            let key = change.encryption_key.as_deref().unwrap_or(AWS_MANAGED_KEY);
            let _ = writeln!(out, "{detail}encryption key: {key}");
            if !change.tags.is_empty() {
                let _ = writeln!(out, "{detail}tags:");
                let width = key_width(change.tags.keys());
                for (k, v) in &change.tags {
                    let _ = writeln!(out, "{detail}  {k:<width$} = {v}");
                }
            }
        }
        Action::UpdateTags => {
            // A tag the domain lacks is added (`+`); one with another value is corrected (`~`).
            let width = key_width(change.set_tags.keys());
            for (k, v) in &change.set_tags {
                let (action, line) = match change.live_tags.get(k) {
                    Some(old) => (Action::UpdateTags, format!("~ {k:<width$} = {old} → {v}")),
                    None => (Action::Create, format!("+ {k:<width$} = {v}")),
                };
                let _ = writeln!(out, "{detail}{}", paint.action(action, &line));
            }
            let mut removed: Vec<&String> = change.remove_tags.iter().collect();
            removed.sort();
            for k in removed {
                let _ = writeln!(
                    out,
                    "{detail}{}",
                    paint.action(Action::Drift, &format!("- {k}"))
                );
            }
        }
        Action::Drift => {
            let live = change
                .live_encryption_key
                .as_deref()
                .unwrap_or(AWS_MANAGED_KEY);
            let wanted = change.encryption_key.as_deref().unwrap_or(AWS_MANAGED_KEY);
            // Two lines, values aligned: ARNs are long, and the eye compares them column by column.
            let _ = writeln!(out, "{detail}key: live     {live}");
            let _ = writeln!(out, "{detail}   ≠ manifest {wanted}");
        }
        Action::Unmanaged => {
            if let Some(arn) = &change.arn {
                let _ = writeln!(out, "{detail}{arn}");
            }
        }
        Action::Unchanged | Action::Unreachable => {}
    }
}

fn key_width<'a>(keys: impl Iterator<Item = &'a String>) -> usize {
    keys.map(|k| k.chars().count()).max().unwrap_or(0)
}

/// The closing line; it reads the counts from every change, listed or not.
fn tally(plan: &Plan) -> String {
    let n = |a| plan.count(a);
    let unreachable = match n(Action::Unreachable) {
        0 => String::new(),
        u => format!(", {u} unreachable (skipped)"),
    };
    if plan.has_changes() {
        return format!(
            "Plan: {} to create, {} to update, {} unchanged, {} drifted, {} unmanaged{unreachable}.",
            n(Action::Create),
            n(Action::UpdateTags),
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
    use super::*;
    use crate::plan::model::{PLAN_FORMAT, Target, TargetCredentials};
    use std::collections::BTreeMap;

    const KEY_A: &str =
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const KEY_B: &str =
        "arn:aws:kms:eu-west-1:444455556666:key/0987dcba-09fe-87dc-65ba-ab0987654321";

    fn change(account: &str, region: &str, name: &str, action: Action, reason: &str) -> Change {
        Change {
            reason: reason.into(),
            ..Change::new(account, region, name, action)
        }
    }

    fn arn(account: &str, region: &str, name: &str) -> String {
        format!("arn:aws:codeartifact:{region}:{account}:domain/{name}")
    }

    fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn target(account: &str, name: Option<&str>, region: &str) -> Target {
        Target {
            account: account.into(),
            account_name: name.map(Into::into),
            region: region.into(),
            credentials: TargetCredentials::Caller,
        }
    }

    /// Every action over three targets, deliberately out of order to prove the renderer sorts.
    fn full_plan() -> Plan {
        let (a, b) = ("111122223333", "444455556666");
        let mut create = change(a, "us-east-1", "acme-prod", Action::Create, "not found");
        create.tags = tags(&[("env", "prod"), ("cost-center", "4711")]);
        let mut create_kms = change(b, "eu-west-1", "acme-eu", Action::Create, "not found");
        create_kms.encryption_key = Some(KEY_B.into());
        let mut update = change(
            a,
            "us-east-1",
            "acme-shared",
            Action::UpdateTags,
            "tags differ",
        );
        update.arn = Some(arn(a, "us-east-1", "acme-shared"));
        update.live_tags = tags(&[("env", "dev"), ("owner", "someone"), ("legacy-id", "7")]);
        update.set_tags = tags(&[("team", "platform"), ("env", "shared")]);
        update.remove_tags = vec!["owner".into(), "legacy-id".into()];
        let mut drift = change(
            a,
            "us-west-2",
            "acme-dr",
            Action::Drift,
            "encryption key differs",
        );
        drift.encryption_key = Some(KEY_A.into());
        drift.arn = Some(arn(a, "us-west-2", "acme-dr"));
        let mut drift_managed = change(
            b,
            "eu-west-1",
            "acme-eu-old",
            Action::Drift,
            "encryption key differs",
        );
        drift_managed.live_encryption_key = Some(KEY_B.into());
        let mut unmanaged = change(
            b,
            "eu-west-1",
            "scratch",
            Action::Unmanaged,
            "not in the manifest",
        );
        unmanaged.arn = Some(arn(b, "eu-west-1", "scratch"));
        let unchanged_a = change(a, "us-east-1", "acme-dev", Action::Unchanged, "");
        let unchanged_b = change(a, "us-west-2", "acme-staging", Action::Unchanged, "");
        let unchanged_c = change(b, "eu-west-1", "acme-eu-dev", Action::Unchanged, "");
        let blocked = crate::observe::Blocked {
            code: "AccessDeniedException".into(),
            message: "codeartifact:ListDomains: User is not authorized".into(),
        };
        let mut unreachable = change(
            "999988887777",
            "us-east-1",
            "acme-locked",
            Action::Unreachable,
            "AccessDeniedException: codeartifact:ListDomains: User is not authorized",
        );
        unreachable.blocked = Some(blocked);
        Plan {
            format: PLAN_FORMAT.into(),
            manifest: "domains.yaml".into(),
            targets: vec![
                target(b, None, "eu-west-1"),
                target(a, Some("platform"), "us-east-1"),
                target(a, Some("platform"), "us-west-2"),
            ],
            changes: vec![
                unmanaged,
                update,
                unchanged_c,
                create,
                drift,
                create_kms,
                unchanged_a,
                drift_managed,
                unchanged_b,
                unreachable,
            ],
        }
    }

    fn no_change_plan() -> Plan {
        let a = "111122223333";
        Plan {
            format: PLAN_FORMAT.into(),
            manifest: "domains.yaml".into(),
            targets: vec![target(a, Some("platform"), "us-east-1")],
            changes: vec![
                change(a, "us-east-1", "acme-dev", Action::Unchanged, ""),
                change(a, "us-east-1", "acme-prod", Action::Unchanged, ""),
            ],
        }
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
    fn human_no_changes() {
        let plan = no_change_plan();
        let text = human(&plan, &PLAIN);
        assert_eq!(text, "No changes. Every domain is as the manifest says.\n");
        insta::assert_snapshot!("human_no_changes_verbose", human(&plan, &VERBOSE));
    }

    #[test]
    fn human_no_changes_but_drift() {
        let mut plan = no_change_plan();
        let mut drift = change("111122223333", "us-east-1", "acme-old", Action::Drift, "");
        drift.live_encryption_key = Some(KEY_A.into());
        plan.changes.push(drift);
        insta::assert_snapshot!("human_no_changes_but_drift", human(&plan, &PLAIN));
    }

    #[test]
    fn human_empty_plan() {
        let plan = Plan {
            changes: vec![],
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
}
