//! What people read, through the real binary: `show` renders a saved plan exactly as `plan` did
//! without calling anything, and a run with an unreachable account folds its domains into one
//! line per reason in the plan, the report and the Markdown, unfolded with `-v`.

mod support;

use provision_emulator::Faults;
use support::{Run, World, config, count, manifest, provision, world};

const THREE: &str = r#"  - { name: acme-prod, account: platform, tags: { env: prod } }
  - { name: acme-dev, account: platform, region: eu-west-1 }
  - { name: tools }
"#;

/// The organisation of these tests: account ids from 200000000000.
const FIRST: u64 = 200_000_000_000;

/// Every request the endpoint has answered, over all accounts and operations.
async fn requests(w: &World) -> u64 {
    let stats = support::org::stats(&w.url()).await;
    let mut total = 0;
    for account in stats["accounts"]
        .as_object()
        .into_iter()
        .flat_map(|a| a.values())
    {
        for op in account["operations"]
            .as_object()
            .into_iter()
            .flat_map(|o| o.values())
        {
            total += op
                .as_object()
                .into_iter()
                .flat_map(|o| o.values())
                .filter_map(|n| n.as_u64())
                .sum::<u64>();
        }
    }
    total
}

/// `provision ARGS` in the world's directory, without an endpoint: `show` takes none.
async fn offline(w: &World, args: &[&str]) -> Run {
    let mut cmd = provision();
    cmd.args(args).current_dir(w.dir.path());
    Run::of(cmd).await
}

#[tokio::test]
async fn show_renders_a_saved_plan_as_plan_does_and_calls_nothing() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest(THREE));
    let m = m.to_str().unwrap();
    let plan = w.run(&["plan", m, "--out", "plan.json"]).await;
    plan.expect(0);
    let before = requests(&w).await;

    let shown = offline(&w, &["show", "plan.json"]).await;
    shown.expect(0);
    assert_eq!(shown.stdout, plan.stdout);
    assert!(
        shown.stdout.starts_with("Plan: 3 to create"),
        "{}",
        shown.stdout
    );

    let quiet = offline(&w, &["show", "plan.json", "-q"]).await;
    quiet.expect(0);
    assert_eq!(
        quiet.stdout,
        "Plan: 3 to create, 0 to update, 0 unchanged, 0 drifted, 0 unmanaged.\n"
    );

    let json = offline(&w, &["show", "plan.json", "--format", "json"]).await;
    json.expect(0);
    let saved = std::fs::read_to_string(w.path("plan.json")).unwrap();
    assert_eq!(json.stdout, saved);

    let coloured = offline(&w, &["show", "plan.json", "--color", "always"]).await;
    assert!(
        coloured.stdout.contains("\x1b[32m+"),
        "{:?}",
        coloured.stdout
    );

    assert_eq!(requests(&w).await, before, "show made no call");

    // Once applied, a new plan lists nothing but counts; -v lists every domain.
    w.run(&["apply", m, "--auto-approve"]).await.expect(0);
    w.run(&["plan", m, "--out", "again.json"]).await.expect(0);
    let converged = offline(&w, &["show", "again.json"]).await;
    assert_eq!(
        converged.stdout,
        "No changes. Every domain is as the manifest says.\n"
    );
    let verbose = offline(&w, &["show", "again.json", "-v"]).await;
    for name in ["acme-prod", "acme-dev", "tools"] {
        assert!(
            verbose.stdout.contains(&format!("  = {name}\n")),
            "{}",
            verbose.stdout
        );
    }
}

#[tokio::test]
async fn show_refuses_a_bad_plan_as_apply_does() {
    let w = world(config()).await;
    w.write("empty.json", "{}");
    w.write(
        "old.json",
        r#"{"format":"provision-plan/1","manifest":"m.yaml","targets":[],"changes":[]}"#,
    );
    w.write("domains.yaml", &manifest(THREE));
    for file in ["empty.json", "old.json", "missing.json", "domains.yaml"] {
        let shown = offline(&w, &["show", file]).await;
        shown.expect(3);
        let applied = w.run(&["apply", file, "--auto-approve"]).await;
        if file == "domains.yaml" {
            // apply takes a manifest; show only a saved plan.
            assert!(
                shown.stderr.contains("is not a plan provision can apply"),
                "{}",
                shown.stderr
            );
            continue;
        }
        applied.expect(3);
        assert_eq!(shown.stderr, applied.stderr, "{file}");
        assert!(shown.stdout.is_empty(), "{}", shown.stdout);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_account_is_one_line_per_reason_in_plan_report_and_markdown() {
    let w = world(config()).await;
    let m = w.write("org.yaml", &support::org::manifest(FIRST, 3, 4));
    let m = m.to_str().unwrap();
    let locked = support::org::account(FIRST, 1);
    w.endpoint.set_faults(Faults {
        deny_accounts: vec![locked.clone()],
        ..Faults::default()
    });

    let plan = w.run(&["plan", m]).await;
    plan.expect(1);
    assert_eq!(
        plan.stdout.matches("  × 4 domains  (").count(),
        2,
        "one line for each of the locked account's Regions:\n{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("× d0-"), "{}", plan.stdout);
    // What to do is said once under each folded line.
    assert_eq!(
        plan.stdout
            .matches("      next: allow `codeartifact:ListDomains` to role")
            .count(),
        2,
        "{}",
        plan.stdout
    );
    let first = plan.stdout.lines().next().unwrap();
    assert!(first.starts_with("Plan: 16 to create"), "{}", plan.stdout);
    assert_eq!(
        plan.stdout.lines().last(),
        Some(first),
        "summary first and last"
    );
    let verbose = w.run(&["plan", m, "-v"]).await;
    assert!(
        verbose.stdout.contains("  × d3-eu-west-1  ("),
        "{}",
        verbose.stdout
    );

    let run = w
        .run(&[
            "apply",
            m,
            "--auto-approve",
            "--report",
            "r.json",
            "--report-md",
            "r.md",
        ])
        .await;
    run.expect(1);
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 16, "{}", r["summary"]);
    assert_eq!(count(&r, "skipped"), 8, "{}", r["summary"]);
    let report = run.stdout.split("\nApply complete").nth(1).unwrap_or("");
    assert!(report.contains("Skipped (8):"), "{}", run.stdout);
    assert!(
        report.contains(&format!(
            "  8 domains in account {locked} (a1) · eu-west-1, us-east-1  AccessDenied"
        )),
        "the 8 skipped domains fold by reason:\n{}",
        run.stdout
    );
    assert!(!report.contains("d0-us-east-1"), "{}", run.stdout);
    assert!(
        report.contains(&format!("account {locked} (a1) · us-east-1")),
        "targets are named with their account's name:\n{}",
        run.stdout
    );

    let md = std::fs::read_to_string(w.path("r.md")).unwrap();
    assert!(md.contains("<details><summary>The "), "{md}");
    assert!(
        md.contains("`d3-eu-west-1`"),
        "the folded domains are named: {md}"
    );

    // A second run: the reachable targets are as the manifest says, the locked one unfolded with -v.
    let again = w.run(&["apply", m, "--auto-approve", "-v"]).await;
    again.expect(1);
    for region in ["us-east-1", "eu-west-1"] {
        for d in 0..4 {
            assert!(
                again.stdout.contains(&format!("    d{d}-{region}  ")),
                "{}",
                again.stdout
            );
        }
    }
    let quiet = w.run(&["apply", m, "--auto-approve", "-q"]).await;
    assert!(!quiet.stdout.contains("By target"), "{}", quiet.stdout);
    assert!(!quiet.stdout.contains("symbols"), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("Skipped (8):"), "{}", quiet.stdout);
}
