//! The event stream (`--events`) and the debug log (`--debug`, `RUST_LOG`) through the real
//! binary: every call the endpoint answered and every domain appear, lines are written as
//! things happen, and no secret is ever logged.

mod support;

use provision_emulator::{Faults, Fraction, Latency};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;
use support::{CALLER, Run, World, config, manifest, provision, world};

/// Six domains of the caller (no role to assume: every call is one provision makes itself).
fn six() -> String {
    let domains: String = (1..=6)
        .map(|i| format!("  - {{ name: e{i}, tags: {{ n: \"{i}\" }} }}\n"))
        .collect();
    manifest(&domains)
}

fn events(w: &World, name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(w.path(name)).expect("events written");
    assert!(text.ends_with('\n'), "a line was left unfinished");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Requests the endpoint answered, per operation (any outcome).
async fn answered(w: &World) -> BTreeMap<String, u64> {
    let stats = support::admin_get(&w.url(), "/_emulator/stats").await;
    let mut out = BTreeMap::new();
    for account in stats["accounts"].as_object().unwrap().values() {
        for (op, outcomes) in account["operations"].as_object().unwrap() {
            let n: u64 = outcomes
                .as_object()
                .unwrap()
                .values()
                .filter_map(Value::as_u64)
                .sum();
            *out.entry(op.clone()).or_default() += n;
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_and_every_domain_is_an_event() {
    let w = world(config()).await;
    // Throttling makes retries: each attempt is its own event, numbered.
    w.endpoint.set_faults(Faults {
        throttle_rate: Fraction(0.5),
        retry_after: 0,
        ..Faults::default()
    });
    let m = w.write("m.yaml", &six());
    let m = m.to_str().unwrap();
    w.run(&[
        "apply",
        m,
        "--auto-approve",
        "--events",
        "ev.jsonl",
        "--report",
        "r.json",
    ])
    .await
    .expect(0);
    let lines = events(&w, "ev.jsonl");
    for l in &lines {
        assert_eq!(l["format"], "provision-events/1", "{l}");
        let time = l["time"].as_str().unwrap();
        assert!(time.ends_with('Z') && time.contains('T'), "{l}");
    }
    assert_eq!(lines[0]["event"], "start");
    assert_eq!(lines[0]["command"], "apply");

    let calls: Vec<&Value> = lines.iter().filter(|l| l["event"] == "call").collect();
    let mut per_operation = BTreeMap::<String, u64>::new();
    for c in &calls {
        *per_operation
            .entry(c["operation"].as_str().unwrap().to_string())
            .or_default() += 1;
        for field in ["service", "account", "region", "latency_ms", "attempt"] {
            assert!(!c[field].is_null(), "{field}: {c}");
        }
        // Each answer has a status and a request id; the only faults are throttles (429, or
        // 400 Throttling from STS), and each says so.
        assert!(c["status"].is_u64() && c["request_id"].is_string(), "{c}");
        if c["status"] == 200 {
            assert!(c["error"].is_null() && c["code"].is_null(), "{c}");
        } else {
            assert_eq!(c["error"], "throttling", "{c}");
            assert!(c["status"] == 429 || c["status"] == 400, "{c}");
        }
    }
    assert_eq!(
        per_operation,
        answered(&w).await,
        "one event per call answered"
    );
    assert!(
        calls.iter().any(|c| c["attempt"].as_u64() > Some(1)),
        "no retry among {} calls",
        calls.len()
    );

    let report = w.report("r.json");
    let reported: BTreeMap<String, String> = report["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().into(),
                d["outcome"].as_str().unwrap().into(),
            )
        })
        .collect();
    let domains: BTreeMap<String, String> = lines
        .iter()
        .filter(|l| l["event"] == "domain")
        .map(|l| {
            (
                l["name"].as_str().unwrap().into(),
                l["outcome"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(domains, reported);
    assert_eq!(domains.len(), 6);

    // A re-run: unchanged domains are events too, and plan writes its calls.
    w.run(&["apply", m, "--auto-approve", "--events", "ev2.jsonl"])
        .await
        .expect(0);
    let lines = events(&w, "ev2.jsonl");
    let unchanged = lines
        .iter()
        .filter(|l| l["event"] == "domain" && l["outcome"] == "unchanged")
        .count();
    assert_eq!(unchanged, 6);
    w.run(&["plan", m, "--events", "plan.jsonl"])
        .await
        .expect(0);
    let lines = events(&w, "plan.jsonl");
    assert_eq!(lines[0]["command"], "plan");
    assert!(lines.iter().any(|l| l["operation"] == "ListDomains"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_written_as_they_happen() {
    let w = world(config()).await;
    w.endpoint.set_faults(Faults {
        latency: Some(Latency {
            min_ms: 300,
            max_ms: 300,
        }),
        ..Faults::default()
    });
    let m = w.write("m.yaml", &six());
    let mut cmd = provision();
    cmd.args(["apply", m.to_str().unwrap(), "--auto-approve", "-q"])
        .args(["--concurrency", "1", "--events", "ev.jsonl"])
        .arg("--endpoint-url")
        .arg(w.url())
        .current_dir(w.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn provision");
    // The first domain's event is in the file while the others are still being created.
    let mut seen = false;
    for _ in 0..400 {
        let text = std::fs::read_to_string(w.path("ev.jsonl")).unwrap_or_default();
        if text.contains(r#""event":"domain""#) {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the run ended before its first domain's event was read"
            );
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(seen, "no domain event while the run went on");
    Run::wait(child).await.expect(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_events_path_that_cannot_be_written_fails_before_any_call() {
    let w = world(config()).await;
    let m = w.write("m.yaml", &six());
    let run = w
        .run(&[
            "apply",
            m.to_str().unwrap(),
            "--auto-approve",
            "--events",
            "no/such/dir/ev.jsonl",
        ])
        .await;
    run.expect(3);
    assert!(run.stderr.contains("event stream"), "{}", run.stderr);
    assert!(answered(&w).await.is_empty(), "a call was made");
}

/// Temporary credentials the endpoint issued: a secret and a session token it will accept.
async fn session(w: &World) -> (String, String, String) {
    let out = w
        .sts(CALLER, "us-east-1")
        .await
        .assume_role()
        .role_arn(format!("arn:aws:iam::{CALLER}:role/ci"))
        .role_session_name("debug-log")
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    (
        c.access_key_id().to_string(),
        c.secret_access_key().to_string(),
        c.session_token().to_string(),
    )
}

async fn run_with_session(w: &World, args: &[&str], rust_log: Option<&str>) -> Run {
    let (id, secret, token) = session(w).await;
    let mut cmd = provision();
    cmd.args(args)
        .arg("--endpoint-url")
        .arg(w.url())
        .current_dir(w.dir.path())
        .env("AWS_ACCESS_KEY_ID", id)
        .env("AWS_SECRET_ACCESS_KEY", &secret)
        .env("AWS_SESSION_TOKEN", &token)
        .env_remove("RUST_LOG");
    if let Some(filter) = rust_log {
        cmd.env("RUST_LOG", filter);
    }
    let run = Run::of(cmd).await;
    for (what, value) in [("secret", &secret), ("session token", &token)] {
        assert!(
            !run.stderr.contains(value.as_str()),
            "the {what} was logged"
        );
        assert!(
            !run.stdout.contains(value.as_str()),
            "the {what} was printed"
        );
    }
    run
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_logs_every_call_with_its_fields_and_no_secret() {
    let w = world(config()).await;
    let m = w.write("m.yaml", &manifest("  - { name: logged }\n"));
    let m = m.to_str().unwrap();

    let run = run_with_session(&w, &["apply", m, "--auto-approve", "--debug"], None).await;
    run.expect(0);
    let create = run
        .stderr
        .lines()
        .find(|l| l.contains("operation=CreateDomain"))
        .unwrap_or_else(|| panic!("no CreateDomain logged:\n{}", run.stderr));
    for field in [
        "DEBUG provision::call",
        "service=codeartifact",
        &format!("account={CALLER}"),
        "region=us-east-1",
        "status=200",
        "outcome=ok",
        "request_id=",
        "latency_ms=",
        "attempt=1",
    ] {
        assert!(create.contains(field), "{field}: {create}");
    }
    assert!(!create.contains("request_id=none"), "{create}");
    // Only provision's own lines: the SDK's logs stay off unless RUST_LOG asks for them.
    assert!(
        run.stderr
            .lines()
            .filter(|l| l.contains(" DEBUG ") || l.contains(" TRACE ") || l.contains(" INFO "))
            .all(|l| l.contains("provision::call")),
        "{}",
        run.stderr
    );

    // Nothing is logged by default, nor with one -v; -vv logs as --debug does.
    let run = run_with_session(&w, &["plan", m], None).await;
    run.expect(0);
    assert!(!run.stderr.contains("provision::call"), "{}", run.stderr);
    let run = run_with_session(&w, &["plan", m, "-v"], None).await;
    assert!(!run.stderr.contains("provision::call"), "{}", run.stderr);
    let run = run_with_session(&w, &["plan", m, "-vv"], None).await;
    run.expect(0);
    assert!(
        run.stderr.contains("operation=ListDomains"),
        "{}",
        run.stderr
    );

    // RUST_LOG alone turns it on, and can ask for everything (the SDK's own logs included):
    // still no secret.
    let run = run_with_session(&w, &["plan", m], Some("provision=debug")).await;
    run.expect(0);
    assert!(
        run.stderr.contains("operation=ListDomains"),
        "{}",
        run.stderr
    );
    let run = run_with_session(&w, &["plan", m, "--debug"], Some("trace")).await;
    run.expect(0);
    assert!(
        run.stderr.contains("aws_smithy"),
        "the SDK's trace was not logged"
    );
}
