//! Apply never loses or duplicates a domain: faults, interrupts, racing runs, a crashed run,
//! circuit breakers and the failure tolerance — the real binary against the endpoint's faults.

mod support;

use provision_emulator::{Faults, Fraction, Latency};
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::{Child, Stdio};
use std::time::Duration;
use support::{Run, World, config, count, provision, world};

/// The organisation these tests provision: account ids from 200000000000.
const FIRST: u64 = 200_000_000_000;

fn org_manifest(accounts: usize, per_region: usize) -> String {
    support::org::manifest(FIRST, accounts, per_region)
}

fn account(a: usize) -> String {
    support::org::account(FIRST, a)
}

/// Every domain of the report is present, and the report names exactly what ListDomains lists.
async fn assert_report_matches_aws(w: &World, report: &Value, accounts: usize) {
    let mut from_report: BTreeSet<(String, String, String)> = BTreeSet::new();
    for d in report["domains"].as_array().unwrap() {
        let outcome = d["outcome"].as_str().unwrap();
        assert!(
            ["created", "already_present", "unchanged"].contains(&outcome),
            "not converged: {d}"
        );
        from_report.insert((
            d["account"].as_str().unwrap().into(),
            d["region"].as_str().unwrap().into(),
            d["name"].as_str().unwrap().into(),
        ));
    }
    let mut from_aws = BTreeSet::new();
    for a in 0..accounts {
        for region in ["us-east-1", "eu-west-1"] {
            for name in w.domains(&account(a), region).await {
                from_aws.insert((account(a), region.to_string(), name));
            }
        }
    }
    assert_eq!(from_report, from_aws);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_2000_domains_over_200_accounts_converge_under_faults() {
    let w = world(config()).await;
    w.endpoint.set_faults(Faults {
        throttle_rate: Fraction(0.20),
        error_rate: Fraction(0.05),
        drop_rate: Fraction(0.01),
        drop_after_write: Fraction(0.5),
        retry_after: 1,
        seed: Some(2026),
        ..Faults::default()
    });
    let m = w.write("org.yaml", &org_manifest(200, 5));
    let run = w
        .run(&[
            "apply",
            m.to_str().unwrap(),
            "--auto-approve",
            "--concurrency",
            "256",
            "--report",
            "r.json",
        ])
        .await;
    run.expect(0);
    let r = w.report("r.json");
    // A create whose answer was lost meets ConflictException on its retry: already present.
    assert_eq!(
        count(&r, "created") + count(&r, "already_present"),
        2000,
        "{}",
        r["summary"]
    );
    assert!(
        r["throttles"].as_u64().unwrap() > 0,
        "faults were injected: {}",
        r["summary"]
    );
    w.endpoint.set_faults(Faults::default());
    // Every kind of fault was met and survived.
    let stats = support::admin_get(&w.url(), "/_emulator/stats").await;
    let seen = |outcome: &str| support::outcomes(&stats, outcome);
    assert!(seen("InternalServerException") > 0, "no 500 was injected");
    assert!(
        seen("dropped-after-write") > 0,
        "no write was dropped after applying"
    );
    assert!(
        seen("dropped-before-write") > 0,
        "no write was dropped before applying"
    );
    // No domain was created twice, and provision asked again only when it had to: a create meets
    // ConflictException only after one of its own attempts was applied with its answer lost, and
    // each such conflict is reported `already_present`.
    let conflicts = support::operation_outcomes(&stats, "CreateDomain", "ConflictException");
    let lost = support::operation_outcomes(&stats, "CreateDomain", "dropped-after-write");
    assert!(conflicts > 0, "some answers of applied creates were lost");
    assert!(
        conflicts <= lost,
        "{conflicts} conflicts, {lost} lost answers"
    );
    assert_eq!(count(&r, "already_present"), conflicts, "{}", r["summary"]);
    assert_report_matches_aws(&w, &r, 200).await;
    // And a re-run finds everything in place.
    w.run(&[
        "apply",
        m.to_str().unwrap(),
        "--auto-approve",
        "--report",
        "r2.json",
    ])
    .await
    .expect(0);
    assert_eq!(count(&w.report("r2.json"), "unchanged"), 2000);
}

fn spawn_apply(w: &World, manifest: &str, report: &str, extra: &[&str]) -> Child {
    let mut cmd = provision();
    cmd.args(["apply", manifest, "--auto-approve", "--report", report])
        .args(extra)
        .arg("--endpoint-url")
        .arg(w.url())
        .current_dir(w.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().expect("spawn provision")
}

fn signal(child: &Child, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

async fn wait(child: Child) -> Run {
    Run::wait(child).await
}

/// How many calls of `operation` the endpoint has answered successfully so far.
async fn ok_count(w: &World, operation: &str) -> u64 {
    let stats = support::admin_get(&w.url(), "/_emulator/stats").await;
    stats["accounts"]
        .as_object()
        .map(|a| {
            a.values()
                .filter_map(|v| v["operations"][operation]["ok"].as_u64())
                .sum()
        })
        .unwrap_or(0)
}

/// Wait until the endpoint has answered at least `n` calls of `operation` successfully.
async fn answered(w: &World, operation: &str, n: u64) {
    for _ in 0..2400 {
        if ok_count(w, operation).await >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the endpoint never answered {n} {operation} calls");
}

fn slow() -> Faults {
    Faults {
        latency: Some(Latency {
            min_ms: 150,
            max_ms: 150,
        }),
        ..Faults::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_interrupt_finishes_in_flight_work_and_reports_the_rest_skipped() {
    let w = world(config()).await;
    let m = w.write("org.yaml", &org_manifest(4, 5));
    w.endpoint.set_faults(slow());
    let child = spawn_apply(&w, m.to_str().unwrap(), "r.json", &["--concurrency", "2"]);
    answered(&w, "CreateDomain", 2).await;
    signal(&child, "-INT");
    let run = wait(child).await;
    run.expect(130);
    assert!(run.stderr.contains("Interrupted"), "{}", run.stderr);
    let r = w.report("r.json");
    assert_eq!(r["interrupted"], true);
    assert!(count(&r, "created") >= 2, "{}", r["summary"]);
    assert!(count(&r, "skipped") > 0, "{}", r["summary"]);
    assert_eq!(
        count(&r, "unknown"),
        0,
        "a soft stop lets calls finish: {}",
        r["summary"]
    );
    assert_eq!(count(&r, "created") + count(&r, "skipped"), 40);
    // What the report says was created is exactly what exists.
    let mut created = 0;
    for a in 0..4 {
        for region in ["us-east-1", "eu-west-1"] {
            created += w.domains(&account(a), region).await.len() as u64;
        }
    }
    assert_eq!(created, count(&r, "created"));

    w.endpoint.set_faults(Faults::default());
    w.run(&[
        "apply",
        m.to_str().unwrap(),
        "--auto-approve",
        "--report",
        "again.json",
    ])
    .await
    .expect(0);
    let again = w.report("again.json");
    assert_eq!(count(&again, "created") + count(&again, "unchanged"), 40);
    assert_report_matches_aws(&w, &again, 4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_interrupt_stops_at_once_and_still_writes_the_report() {
    let w = world(config()).await;
    let m = w.write("org.yaml", &org_manifest(4, 5));
    w.run(&["plan", m.to_str().unwrap(), "--out", "plan.json"])
        .await
        .expect(0);
    // Every answer now takes 3 s, so creates are surely in flight when the interrupts come.
    w.endpoint.set_faults(Faults {
        latency: Some(Latency {
            min_ms: 3000,
            max_ms: 3000,
        }),
        ..Faults::default()
    });
    let before = ok_count(&w, "AssumeRole").await;
    let child = spawn_apply(&w, "plan.json", "r.json", &["--concurrency", "4"]);
    // Apply re-checks the identity of all 4 accounts first (once each, for both Regions: the
    // role's credentials name their account); the creates follow at once.
    answered(&w, "AssumeRole", before + 4).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    signal(&child, "-INT");
    tokio::time::sleep(Duration::from_millis(200)).await;
    signal(&child, "-INT");
    let run = wait(child).await;
    run.expect(130);
    assert!(run.stderr.contains("Stopping now"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Run `provision apply` again: done work is found present and skipped."),
        "{}",
        run.stderr
    );
    let r = w.report("r.json");
    assert_eq!(r["interrupted"], true);
    assert!(count(&r, "unknown") > 0, "{}", r["summary"]);
    assert_eq!(
        count(&r, "created") + count(&r, "skipped") + count(&r, "unknown"),
        40,
        "{}",
        r["summary"]
    );
    w.endpoint.set_faults(Faults::default());
    w.run(&[
        "apply",
        m.to_str().unwrap(),
        "--auto-approve",
        "--report",
        "again.json",
    ])
    .await
    .expect(0);
    assert_report_matches_aws(&w, &w.report("again.json"), 4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_racing_applies_both_succeed_and_create_each_domain_once() {
    let w = world(config()).await;
    let m = w.write("org.yaml", &org_manifest(3, 4));
    w.endpoint.set_faults(Faults {
        latency: Some(Latency {
            min_ms: 5,
            max_ms: 40,
        }),
        seed: Some(11),
        ..Faults::default()
    });
    let a = spawn_apply(&w, m.to_str().unwrap(), "a.json", &[]);
    let b = spawn_apply(&w, m.to_str().unwrap(), "b.json", &[]);
    let (ra, rb) = tokio::join!(wait(a), wait(b));
    ra.expect(0);
    rb.expect(0);
    let (a, b) = (w.report("a.json"), w.report("b.json"));
    // Each domain was created by exactly one of them; the other found it present, when it
    // observed (unchanged) or when its create met ConflictException (already present).
    assert_eq!(
        count(&a, "created") + count(&b, "created"),
        24,
        "{} {}",
        a["summary"],
        b["summary"]
    );
    let found = |r: &Value| count(r, "already_present") + count(r, "unchanged");
    assert_eq!(
        found(&a) + found(&b),
        24,
        "{} {}",
        a["summary"],
        b["summary"]
    );
    for r in [&a, &b] {
        assert_eq!(count(r, "failed"), 0);
        assert_report_matches_aws(&w, r, 3).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_kill_9_a_rerun_converges_without_duplicates_or_errors() {
    let w = world(config()).await;
    let m = w.write("org.yaml", &org_manifest(4, 5));
    w.endpoint.set_faults(slow());
    let child = spawn_apply(&w, m.to_str().unwrap(), "r.json", &["--concurrency", "2"]);
    answered(&w, "CreateDomain", 3).await;
    signal(&child, "-KILL");
    let _ = wait(child).await;
    w.endpoint.set_faults(Faults::default());
    w.run(&[
        "apply",
        m.to_str().unwrap(),
        "--auto-approve",
        "--report",
        "again.json",
    ])
    .await
    .expect(0);
    let again = w.report("again.json");
    assert!(count(&again, "unchanged") >= 3, "{}", again["summary"]);
    assert_eq!(count(&again, "created") + count(&again, "unchanged"), 40);
    assert_report_matches_aws(&w, &again, 4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_target_is_planned_unreachable_and_skipped_while_others_go_on() {
    let w = world(config()).await;
    let m = w.write("org.yaml", &org_manifest(3, 2));
    w.endpoint.set_faults(Faults {
        deny_accounts: vec![account(1)],
        ..Faults::default()
    });
    let plan = w.run(&["plan", m.to_str().unwrap()]).await;
    plan.expect(1);
    assert!(plan.stdout.contains("× d0-us-east-1"), "{}", plan.stdout);
    assert!(plan.stdout.contains("4 unreachable"), "{}", plan.stdout);
    assert!(plan.stderr.contains("incomplete"), "{}", plan.stderr);

    let run = w
        .run(&[
            "apply",
            m.to_str().unwrap(),
            "--auto-approve",
            "--report",
            "r.json",
        ])
        .await;
    run.expect(1);
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 8, "{}", r["summary"]);
    assert_eq!(count(&r, "skipped"), 4, "{}", r["summary"]);
    for d in r["domains"].as_array().unwrap() {
        if d["account"] == account(1) {
            assert_eq!(d["outcome"], "skipped");
            // The first call that failed was STS's (its code is `AccessDenied`).
            assert!(
                d["error"]["code"]
                    .as_str()
                    .unwrap()
                    .starts_with("AccessDenied"),
                "{d}"
            );
            assert!(
                d["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("could not be observed"),
                "{d}"
            );
        }
    }
    w.endpoint.set_faults(Faults::default());
    assert!(w.domains(&account(1), "us-east-1").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_over_its_domain_quota_is_skipped_after_the_first_refusal_and_others_carry_on() {
    let mut c = config();
    c.quotas.domain_quota = 2;
    let w = world(c).await;
    let m = w.write("org.yaml", &org_manifest(2, 4));
    let run = w
        .run(&[
            "apply",
            m.to_str().unwrap(),
            "--auto-approve",
            "--concurrency",
            "1",
            "--report",
            "r.json",
        ])
        .await;
    run.expect(1);
    let r = w.report("r.json");
    // Per target, in plan order: two created, the third refused (402), the fourth not attempted.
    assert_eq!(count(&r, "created"), 8, "{}", r["summary"]);
    assert_eq!(count(&r, "failed"), 4, "{}", r["summary"]);
    assert_eq!(count(&r, "skipped"), 4, "{}", r["summary"]);
    for d in r["domains"].as_array().unwrap() {
        if d["outcome"] == "skipped" {
            assert_eq!(d["attempts"], 0, "{d}");
            assert_eq!(d["error"]["code"], "ServiceQuotaExceededException", "{d}");
            assert!(
                d["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("not attempted"),
                "{d}"
            );
        }
    }
    let stats = support::admin_get(&w.url(), "/_emulator/stats").await;
    for a in 0..2 {
        let refused = &stats["accounts"][account(a)]["operations"]["CreateDomain"]["ServiceQuotaExceededException"];
        assert_eq!(refused, 2, "one refusal per Region of account {a}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_default_concurrency_a_refused_target_sends_nothing_more() {
    // Regression: with hundreds of requests allowed in flight, every domain of a target was
    // already waiting at the gate when the first refusal opened its breaker, and each was then
    // sent and refused in turn. The breaker is now asked again when a write has its slot.
    let mut c = config();
    c.quotas.domain_quota = 2;
    let w = world(c).await;
    let m = w.write("org.yaml", &org_manifest(1, 20));
    let run = w
        .run(&[
            "apply",
            m.to_str().unwrap(),
            "--auto-approve",
            "--domain-quota",
            "100",
            "--report",
            "r.json",
        ])
        .await;
    run.expect(1);
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 4, "{}", r["summary"]);
    // The refusal that opens a target's breaker, and at most a couple already on the wire.
    assert!(count(&r, "failed") <= 6, "{}", r["summary"]);
    assert!(count(&r, "skipped") >= 30, "{}", r["summary"]);
    let held_back = r["domains"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["outcome"] == "skipped" && d["attempts"] == 0)
        .count();
    assert_eq!(held_back as u64, count(&r, "skipped"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_failure_tolerance_nothing_new_starts() {
    let mut c = config();
    c.quotas.domain_quota = 1;
    let w = world(c).await;
    let m = w.write("org.yaml", &org_manifest(3, 2));
    let args = [
        "apply",
        m.to_str().unwrap(),
        "--auto-approve",
        "--concurrency",
        "1",
    ];
    let run = w
        .run(&[&args[..], &["--max-failures", "1", "--report", "r.json"]].concat())
        .await;
    run.expect(1);
    let r = w.report("r.json");
    // Work goes round the targets: each of the 6 creates its first domain; then target 1's second
    // is refused, target 2's second is refused (2 > 1 tolerated), and the rest are skipped.
    assert_eq!(count(&r, "created"), 6, "{}", r["summary"]);
    assert_eq!(count(&r, "failed"), 2, "{}", r["summary"]);
    assert_eq!(count(&r, "skipped"), 4, "{}", r["summary"]);
    let for_tolerance = r["domains"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["error"]["kind"] == "tolerance_exceeded")
        .count();
    assert_eq!(for_tolerance, 4);
}
