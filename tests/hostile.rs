//! Hostile input, probed as an attacker would: each defect found pinned through the real binary
//! against the endpoint, so that it cannot come back.

mod support;

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::{config, manifest, world};

const PLATFORM: &str = "111122223333";
const STRANGER: &str = "999900001111";

fn edit(path: &std::path::Path, f: impl FnOnce(&mut Value)) {
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    f(&mut plan);
    std::fs::write(path, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
}

/// Write `domains.yaml` with these domains and save its plan as `plan.json`; the plan's path.
async fn saved_plan(w: &support::World, domains: &str) -> std::path::PathBuf {
    let m = w.write("domains.yaml", &manifest(domains));
    w.run(&["plan", m.to_str().unwrap(), "--out", "plan.json"])
        .await
        .expect(0);
    w.path("plan.json")
}

#[tokio::test]
async fn a_tampered_plan_cannot_act_on_an_account_the_manifest_never_named() {
    let w = world(config()).await;
    let plan = saved_plan(&w, "  - { name: acme, account: platform }\n").await;
    edit(&plan, |p| {
        p["targets"].as_array_mut().unwrap().push(json!({
            "account": STRANGER,
            "region": "us-east-1",
            "credentials": {"kind": "assume_role", "role_arn": format!("arn:aws:iam::{STRANGER}:role/x")}
        }));
        p["entries"].as_array_mut().unwrap().push(json!({
            "address": {"account": STRANGER, "region": "us-east-1", "name": "evil"},
            "steps": [{"step": "create", "tags_mode": "merge"}]
        }));
    });
    let run = w.run(&["apply", "plan.json", "--auto-approve"]).await;
    run.expect(3);
    assert!(
        run.stderr.contains("not what its manifest") && run.stderr.contains(STRANGER),
        "{}",
        run.stderr
    );
    assert!(w.domains(STRANGER, "us-east-1").await.is_empty());
    assert!(
        w.domains(PLATFORM, "us-east-1").await.is_empty(),
        "nothing at all was done"
    );
}

#[tokio::test]
async fn a_plan_whose_tags_or_arn_were_edited_is_refused() {
    let w = world(config()).await;
    let ca = w.codeartifact(PLATFORM, "us-east-1").await;
    for d in ["acme", "other"] {
        ca.create_domain().domain(d).send().await.unwrap();
    }
    let plan = saved_plan(
        &w,
        "  - { name: acme, account: platform, tags: { env: prod } }\n  - { name: other, account: platform }\n",
    )
    .await;
    let original = std::fs::read_to_string(&plan).unwrap();
    // The tag step of `acme` pointed at `other`'s ARN.
    edit(&plan, |p| {
        for e in p["entries"].as_array_mut().unwrap() {
            if e["address"]["name"] == "acme" {
                e["arn"] = json!(format!(
                    "arn:aws:codeartifact:us-east-1:{PLATFORM}:domain/other"
                ));
            }
        }
    });
    let run = w.run(&["apply", "plan.json", "--auto-approve"]).await;
    run.expect(3);
    assert!(
        run.stderr.contains("is not this domain's"),
        "{}",
        run.stderr
    );
    // A tag value the manifest does not say, and an `aws:` tag removed.
    std::fs::write(&plan, &original).unwrap();
    edit(&plan, |p| {
        for e in p["entries"].as_array_mut().unwrap() {
            if e["address"]["name"] == "acme" {
                e["steps"] = json!([
                    {"step": "set_tags", "tags": [{"key": "env", "new": "hacked"}]},
                    {"step": "remove_tags", "tags": [{"key": "aws:cloudformation:stack", "old": "s"}]}
                ]);
            }
        }
    });
    let run = w.run(&["apply", "plan.json", "--auto-approve"]).await;
    run.expect(3);
    assert!(run.stderr.contains("not the manifest's"), "{}", run.stderr);
    // Unknown fields are refused.
    std::fs::write(&plan, &original).unwrap();
    edit(&plan, |p| p["entries"][0]["extra"] = json!(1));
    w.run(&["apply", "plan.json", "--auto-approve"])
        .await
        .expect(3);
    let tags = ca
        .list_tags_for_resource()
        .resource_arn(format!(
            "arn:aws:codeartifact:us-east-1:{PLATFORM}:domain/acme"
        ))
        .send()
        .await
        .unwrap();
    assert!(tags.tags().iter().all(|t| t.value() != "hacked"));
    // The untouched plan still applies.
    std::fs::write(&plan, &original).unwrap();
    w.run(&["apply", "plan.json", "--auto-approve"])
        .await
        .expect(0);
}

#[tokio::test]
async fn a_plan_is_refused_once_its_manifest_changed() {
    let w = world(config()).await;
    saved_plan(&w, "  - { name: acme, account: platform }\n").await;
    w.write(
        "domains.yaml",
        &manifest("  - { name: acme2, account: platform }\n"),
    );
    let run = w.run(&["apply", "plan.json", "--auto-approve"]).await;
    run.expect(3);
    assert!(run.stderr.contains("plan_stale"), "{}", run.stderr);
    assert!(w.domains(PLATFORM, "us-east-1").await.is_empty());
}

#[cfg(unix)]
#[tokio::test]
async fn a_fifo_or_a_device_is_refused_at_once_as_manifest_or_plan() {
    let w = world(config()).await;
    let fifo = w.path("f.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    let run = w.run(&["validate", fifo.to_str().unwrap()]).await;
    run.expect(3);
    assert!(run.stderr.contains("a FIFO"), "{}", run.stderr);
    std::os::unix::fs::symlink("/dev/zero", w.path("zero.json")).unwrap();
    let run = w.run(&["apply", "zero.json", "--auto-approve"]).await;
    run.expect(3);
    assert!(run.stderr.contains("a device"), "{}", run.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

/// Every file below `dir`, read as text (lossily).
fn files_below(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out
}

#[tokio::test]
async fn secrets_never_leave_the_process_whatever_the_endpoint_echoes() {
    let w = world(config()).await;
    // Real temporary credentials of the endpoint (its session token is known to it), used with a
    // wrong secret: every request is answered SignatureDoesNotMatch quoting the canonical
    // request, session token included, as AWS does.
    let creds = w
        .sts(support::CALLER, "us-east-1")
        .await
        .assume_role()
        .role_arn(format!("arn:aws:iam::{}:role/ci", support::CALLER))
        .role_session_name("leak-test")
        .send()
        .await
        .unwrap();
    let creds = creds.credentials().unwrap();
    let token = creds.session_token().to_string();
    let secret = "SECRETsecretSECRETsecretSECRETsecret0042";
    let m = w.write(
        "domains.yaml",
        &manifest("  - { name: acme, account: platform }\n"),
    );
    let summary = w.path("summary.md");
    let env = |cmd: &mut std::process::Command| {
        cmd.env("AWS_ACCESS_KEY_ID", creds.access_key_id())
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .env("AWS_SESSION_TOKEN", &token)
            .env("GITHUB_STEP_SUMMARY", &summary);
    };
    let m = m.to_str().unwrap();
    let url = w.url();
    let runs: Vec<Vec<&str>> = vec![
        vec!["validate", m],
        vec!["plan", m, "-v", "--out", "plan.json"],
        vec!["plan", m, "-v", "--format", "json"],
        vec![
            "apply",
            m,
            "-v",
            "--auto-approve",
            "--report",
            "r.json",
            "--report-md",
            "r.md",
        ],
        vec![
            "apply",
            "plan.json",
            "-v",
            "--auto-approve",
            "--report",
            "r2.json",
        ],
    ];
    let mut seen = String::new();
    for args in &runs {
        let mut cmd = support::provision();
        cmd.args(args)
            .args(["--endpoint-url", &url])
            .current_dir(w.dir.path());
        env(&mut cmd);
        let run = support::Run::of(cmd).await;
        seen.push_str(&run.stdout);
        seen.push_str(&run.stderr);
    }
    // The endpoint's answer did quote the token: the test would prove nothing otherwise.
    assert!(seen.contains("SignatureDoesNotMatch"), "{seen}");
    assert!(seen.contains("x-amz-security-token:<redacted>"), "{seen}");
    for (path, text) in files_below(w.dir.path())
        .into_iter()
        .chain([("(stdout and stderr)".into(), seen)])
    {
        assert!(!text.contains(secret), "secret in {}", path.display());
        assert!(
            !text.contains(&token),
            "session token in {}",
            path.display()
        );
    }
    assert!(support::exists(&w.path("r.json")) && support::exists(&summary));
}

#[tokio::test]
async fn plain_http_to_another_machine_is_refused_before_anything_is_sent() {
    let w = world(config()).await;
    let m = w.write(
        "domains.yaml",
        &manifest("  - { name: acme, account: platform }\n"),
    );
    let m = m.to_str().unwrap();
    // 192.0.2.0/24 is TEST-NET-1: refused before any connection is attempted.
    for via_env in [false, true] {
        let mut cmd = support::provision();
        cmd.args(["plan", m]).current_dir(w.dir.path());
        if via_env {
            cmd.env("AWS_ENDPOINT_URL", "http://192.0.2.2:18080");
        } else {
            cmd.args(["--endpoint-url", "http://192.0.2.2:18080"]);
        }
        let run = support::Run::of(cmd).await;
        run.expect(3);
        assert!(run.stderr.contains("insecure_endpoint"), "{}", run.stderr);
    }
    // Loopback is fine, and so is HTTPS (not contacted here).
    w.run(&["plan", m]).await.expect(0);
}

#[tokio::test]
async fn escapes_in_what_provision_prints_are_shown_not_obeyed() {
    let w = world(config()).await;
    let name = "evil\u{1b}[2K\u{1b}[1A\u{1b}]0;T\u{7}.yaml";
    let m = w.write(name, &manifest("  - { name: acme, account: platform }\n"));
    let run = w.run(&["validate", m.to_str().unwrap()]).await;
    run.expect(0);
    assert!(
        !run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'),
        "{:?}",
        run.stdout
    );
    assert!(run.stdout.contains("\\u{1b}[2K"), "{:?}", run.stdout);
    let run = w.run(&["plan", m.to_str().unwrap()]).await;
    assert!(
        !run.stderr.contains('\u{1b}') && !run.stdout.contains('\u{1b}'),
        "{:?} {:?}",
        run.stdout,
        run.stderr
    );
}
