//! The real binary against the endpoint: create, re-run, races, drift, tags, faults, quotas, refusals.

mod support;

use provision_emulator::{Faults, Fraction};
use support::{CALLER, config, count, manifest, world};

const THREE: &str = r#"  - { name: acme-prod, account: platform, tags: { env: prod } }
  - { name: acme-dev, account: platform, region: eu-west-1 }
  - { name: tools }
"#;

#[tokio::test]
async fn apply_creates_then_a_rerun_changes_nothing() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest(THREE));
    let m = m.to_str().unwrap();

    w.run(&["apply", m, "--auto-approve", "--report", "r1.json"])
        .await
        .expect(0);
    let r = w.report("r1.json");
    assert_eq!(count(&r, "created"), 3, "{r}");
    assert_eq!(w.domains("111122223333", "us-east-1").await, ["acme-prod"]);
    assert_eq!(w.domains("111122223333", "eu-west-1").await, ["acme-dev"]);
    assert_eq!(w.domains(CALLER, "us-east-1").await, ["tools"]);
    let prod = r["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "acme-prod")
        .unwrap();
    assert_eq!(
        prod["arn"],
        "arn:aws:codeartifact:us-east-1:111122223333:domain/acme-prod"
    );
    assert_eq!(prod["outcome"], "created");
    assert_eq!(prod["attempts"], 1);

    // Tags were set at creation, defaults merged under the domain's own.
    let ca = w.codeartifact("111122223333", "us-east-1").await;
    let tags = ca
        .list_tags_for_resource()
        .resource_arn(prod["arn"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let mut pairs: Vec<_> = tags
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("env".to_string(), "prod".to_string()),
            ("managed-by".to_string(), "provision".to_string())
        ]
    );

    let again = w
        .run(&["apply", m, "--auto-approve", "--report", "r2.json"])
        .await;
    again.expect(0);
    let r = w.report("r2.json");
    assert_eq!(count(&r, "unchanged"), 3, "{r}");
    assert_eq!(count(&r, "created"), 0);
    w.run(&["plan", m, "--detailed-exitcode"]).await.expect(0);
}

#[tokio::test]
async fn a_report_path_that_cannot_be_written_is_refused_before_anything_changes() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest(THREE));
    let m = m.to_str().unwrap();
    let run = w
        .run(&["apply", m, "--auto-approve", "--report", "nodir/r.json"])
        .await;
    run.expect(3);
    assert!(
        run.stderr.contains("cannot write a report to nodir/r.json"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert!(w.domains("111122223333", "us-east-1").await.is_empty());
    assert!(w.domains(CALLER, "us-east-1").await.is_empty());
    // A path that can be written is checked without leaving a file behind when the run stops
    // before the end (here: the Markdown report's directory is missing).
    let run = w
        .run(&[
            "apply",
            m,
            "--auto-approve",
            "--report",
            "r.json",
            "--report-md",
            "nodir/r.md",
        ])
        .await;
    run.expect(3);
    assert!(!w.dir.path().join("r.json").exists());
}

#[tokio::test]
async fn plan_is_read_only_and_a_saved_plan_applies_exactly() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest(THREE));
    let m = m.to_str().unwrap();
    let plan = w
        .run(&["plan", m, "--detailed-exitcode", "--out", "plan.json"])
        .await;
    plan.expect(2);
    assert!(plan.stdout.contains("Plan: 3 to create"), "{}", plan.stdout);
    assert!(
        w.domains(CALLER, "us-east-1").await.is_empty(),
        "plan wrote nothing"
    );

    let json = w.run(&["plan", m, "--format", "json"]).await;
    json.expect(0);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(parsed["format"], "provision-plan/4");
    let entries = parsed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert!(
        entries.iter().all(|e| e["steps"][0]["step"] == "create"),
        "{}",
        json.stdout
    );

    // A plan of another format version is refused with what to do.
    let old = w.write(
        "old.json",
        r#"{"format":"provision-plan/1","manifest":"domains.yaml","targets":[],"changes":[]}"#,
    );
    let refused = w
        .run(&["apply", old.to_str().unwrap(), "--auto-approve"])
        .await;
    refused.expect(3);
    assert!(
        refused.stderr.contains("provision-plan/1") && refused.stderr.contains("provision plan"),
        "{}",
        refused.stderr
    );

    w.run(&["apply", "plan.json", "--auto-approve", "--report", "r.json"])
        .await
        .expect(0);
    assert_eq!(count(&w.report("r.json"), "created"), 3);
}

#[tokio::test]
async fn a_domain_created_between_plan_and_apply_is_already_present() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest(THREE));
    w.run(&["plan", m.to_str().unwrap(), "--out", "plan.json"])
        .await
        .expect(0);
    // Someone else creates two of them with the AWS-managed key, as the manifest wants: one
    // with the manifest's tags, one without.
    let tag = aws_sdk_codeartifact::types::Tag::builder()
        .key("managed-by")
        .value("provision")
        .build()
        .unwrap();
    let ca = w.codeartifact(CALLER, "us-east-1").await;
    ca.create_domain()
        .domain("tools")
        .tags(tag)
        .send()
        .await
        .unwrap();
    let platform = w.codeartifact("111122223333", "eu-west-1").await;
    platform
        .create_domain()
        .domain("acme-dev")
        .send()
        .await
        .unwrap();
    let run = w
        .run(&["apply", "plan.json", "--auto-approve", "--report", "r.json"])
        .await;
    run.expect(0);
    // Said once, with what happened to them (issue 10).
    assert!(
        run.stdout.contains("Changed since the plan was made:\n  - 2 domains to create existed already (created since the plan): reported already present, their key checked and tags reconciled\n"),
        "{}",
        run.stdout
    );
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 1, "{r}");
    // Conflict means already present, also when its tags then had to be corrected: the
    // correction is in the domain's steps, not its outcome.
    assert_eq!(count(&r, "already_present"), 2, "{r}");
    let steps = |name: &str| {
        r["domains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .map(|d| d["steps"].clone())
            .unwrap()
    };
    assert_eq!(steps("tools"), serde_json::json!(["create"]), "{r}");
    assert_eq!(
        steps("acme-dev"),
        serde_json::json!(["create", "set_tags"]),
        "{r}"
    );
    assert_eq!(w.domains(CALLER, "us-east-1").await, ["tools"]);
    let arn = "arn:aws:codeartifact:eu-west-1:111122223333:domain/acme-dev";
    let tags = platform
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().len(), 1);
}

#[tokio::test]
async fn a_different_encryption_key_is_drift_reported_never_destroyed() {
    let w = world(config()).await;
    let kms = w.kms(CALLER, "us-east-1").await;
    let key = kms.create_key().send().await.unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    // Live with a customer key; the manifest wants the AWS-managed one.
    let ca = w.codeartifact(CALLER, "us-east-1").await;
    ca.create_domain()
        .domain("tools")
        .encryption_key(&key_arn)
        .send()
        .await
        .unwrap();
    let m = w.write("domains.yaml", &manifest("  - { name: tools }\n"));
    let plan = w.run(&["plan", m.to_str().unwrap()]).await;
    plan.expect(0);
    assert!(
        plan.stdout.contains("! tools") || plan.stdout.contains("!  tools"),
        "{}",
        plan.stdout
    );
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
    assert_eq!(count(&r, "drifted"), 1, "{r}");
    assert_eq!(r["domains"][0]["error"]["kind"], "key_drift");
    // Both say what converges it: the live key in the manifest, or a recreate outside provision.
    let next = "next: set the domain's encryption_key in the manifest to its live key, or delete and recreate the domain outside provision";
    assert!(plan.stdout.contains(next), "{}", plan.stdout);
    assert!(
        r["domains"][0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains(next),
        "{r}"
    );
    let still = ca.describe_domain().domain("tools").send().await.unwrap();
    assert_eq!(
        still.domain().unwrap().encryption_key(),
        Some(key_arn.as_str())
    );
}

#[tokio::test]
async fn tags_are_corrected_in_merge_mode_and_pruned_in_exact_mode() {
    let w = world(config()).await;
    let ca = w.codeartifact(CALLER, "us-east-1").await;
    let tag = |k: &str, v: &str| {
        aws_sdk_codeartifact::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
            .unwrap()
    };
    for name in ["merged", "exact"] {
        ca.create_domain()
            .domain(name)
            .tags(tag("env", "dev"))
            .tags(tag("owner", "someone"))
            .send()
            .await
            .unwrap();
    }
    let m = w.write(
        "domains.yaml",
        &manifest("  - { name: merged, tags: { env: prod } }\n  - { name: exact, tags: { env: prod }, tags_mode: exact }\n"),
    );
    w.run(&[
        "apply",
        m.to_str().unwrap(),
        "--auto-approve",
        "--report",
        "r.json",
    ])
    .await
    .expect(0);
    assert_eq!(count(&w.report("r.json"), "tags_updated"), 2);
    let tags_of = |name: &'static str| {
        let ca = ca.clone();
        async move {
            let arn = format!("arn:aws:codeartifact:us-east-1:{CALLER}:domain/{name}");
            let out = ca
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await
                .unwrap();
            let mut v: Vec<String> = out
                .tags()
                .iter()
                .map(|t| format!("{}={}", t.key(), t.value()))
                .collect();
            v.sort();
            v
        }
    };
    assert_eq!(
        tags_of("merged").await,
        ["env=prod", "managed-by=provision", "owner=someone"]
    );
    assert_eq!(tags_of("exact").await, ["env=prod", "managed-by=provision"]);
}

#[tokio::test]
async fn throttling_and_server_errors_still_converge() {
    let w = world(config()).await;
    w.endpoint.set_faults(Faults {
        throttle_rate: Fraction(0.3),
        error_rate: Fraction(0.15),
        retry_after: 0,
        seed: Some(7),
        ..Faults::default()
    });
    let domains: String = (0..10)
        .map(|i| format!("  - {{ name: d{i}, account: platform }}\n"))
        .collect();
    let m = w.write("domains.yaml", &manifest(&domains));
    w.run(&[
        "apply",
        m.to_str().unwrap(),
        "--auto-approve",
        "--report",
        "r.json",
    ])
    .await
    .expect(0);
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 10, "{r}");
    assert!(r["throttles"].as_u64().unwrap() > 0, "{r}");
    let stats = support::admin_get(&w.url(), "/_emulator/stats").await;
    let errors = support::outcomes(&stats, "InternalServerException");
    assert!(errors > 0, "500s were injected and survived: {stats}");
    w.endpoint.set_faults(Faults::default());
    assert_eq!(w.domains("111122223333", "us-east-1").await.len(), 10);
}

/// The service's own quota answer, when the quota the plan was told (`--domain-quota`) is higher
/// than the account's real one: that domain fails with a clear message, the others are created.
#[tokio::test]
async fn over_the_domain_quota_fails_that_domain_with_a_clear_message() {
    let w = world(config()).await;
    let domains: String = (0..11)
        .map(|i| format!("  - {{ name: q{i:02} }}\n"))
        .collect();
    let m = w.write("domains.yaml", &manifest(&domains));
    let run = w
        .run(&[
            "apply",
            m.to_str().unwrap(),
            "--auto-approve",
            "--domain-quota",
            "11",
            "--report",
            "r.json",
        ])
        .await;
    run.expect(1);
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 10, "{r}");
    assert_eq!(count(&r, "failed"), 1, "{r}");
    let failed = r["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["outcome"] == "failed")
        .unwrap();
    assert_eq!(failed["error"]["code"], "ServiceQuotaExceededException");
    assert!(
        run.stdout.contains("ServiceQuotaExceededException"),
        "{}",
        run.stdout
    );
    // It names the quota and how to raise it.
    let next = "next: CodeArtifact's quota \"Domains per account\" is reached in account 123456789012, us-east-1: request an increase through Service Quotas, then pass --domain-quota N";
    assert!(
        failed["error"]["message"].as_str().unwrap().contains(next),
        "{failed}"
    );
    assert!(run.stdout.contains(next), "{}", run.stdout);
}

#[tokio::test]
async fn credentials_for_another_account_are_refused_and_nothing_is_written() {
    let w = world(config()).await;
    let m = w.write(
        "domains.yaml",
        r#"version: 1
defaults: { region: us-east-1 }
accounts:
  platform: { id: "111122223333", role_arn: "arn:aws:iam::111122223333:role/Provisioner" }
  liar: { id: "444455556666" }
domains:
  - { name: fine, account: platform }
  - { name: wrong, account: liar }
"#,
    );
    // `liar` uses the caller's credentials, which are account 123456789012.
    let run = w
        .run(&["apply", m.to_str().unwrap(), "--auto-approve"])
        .await;
    run.expect(1);
    assert!(
        run.stderr.contains("444455556666") && run.stderr.contains("123456789012"),
        "{}",
        run.stderr
    );
    assert!(w.domains("111122223333", "us-east-1").await.is_empty());
}

#[tokio::test]
async fn an_invalid_manifest_is_refused_before_any_call() {
    let w = world(config()).await;
    let m = w.write(
        "bad.yaml",
        &manifest("  - { name: Bad_Name }\n  - { name: ok, region: eu-wset-1 }\n"),
    );
    for cmd in ["validate", "plan", "apply"] {
        let run = w
            .run(
                &[cmd, m.to_str().unwrap(), "--auto-approve"][..if cmd == "apply" { 3 } else { 2 }],
            )
            .await;
        run.expect(3);
        assert!(
            run.stderr.contains("Bad_Name") && run.stderr.contains("eu-west-1"),
            "{}",
            run.stderr
        );
    }
    let stats = support::admin_get(&w.url(), "/_emulator/stats").await;
    assert_eq!(
        stats["accounts"],
        serde_json::json!({}),
        "no request reached AWS"
    );
}

#[tokio::test]
async fn apply_without_a_terminal_or_approval_refuses() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest(THREE));
    let run = w.run(&["apply", m.to_str().unwrap()]).await;
    run.expect(3);
    assert!(run.stderr.contains("--auto-approve"), "{}", run.stderr);
    assert!(w.domains(CALLER, "us-east-1").await.is_empty());
}

#[tokio::test]
async fn markdown_reports_go_to_a_file_and_to_the_github_step_summary() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest(THREE));
    let summary = w.write("step-summary.md", "# earlier step\n");
    let mut cmd = support::provision();
    cmd.args([
        "apply",
        m.to_str().unwrap(),
        "--auto-approve",
        "--report-md",
        "r.md",
    ])
    .arg("--endpoint-url")
    .arg(w.url())
    .env("GITHUB_STEP_SUMMARY", &summary)
    .current_dir(w.dir.path());
    support::Run::of(cmd).await.expect(0);
    let md = std::fs::read_to_string(w.path("r.md")).unwrap();
    assert!(md.starts_with("## provision apply"), "{md}");
    assert!(md.contains("| created"), "{md}");
    let appended = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(
        appended,
        format!("# earlier step\n{md}"),
        "appended, not replaced"
    );
}

#[tokio::test]
async fn the_same_domain_named_by_the_callers_id_and_by_default_is_a_duplicate() {
    let w = world(config()).await;
    let m = w.write(
        "domains.yaml",
        &manifest(&format!(
            "  - {{ name: twice, account: \"{CALLER}\" }}\n  - {{ name: twice }}\n"
        )),
    );
    let run = w
        .run(&["apply", m.to_str().unwrap(), "--auto-approve"])
        .await;
    run.expect(3);
    assert!(run.stderr.contains("produced twice"), "{}", run.stderr);
    assert!(w.domains(CALLER, "us-east-1").await.is_empty());
}

#[tokio::test]
async fn a_saved_plan_is_refused_when_todays_credentials_are_another_account() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest("  - { name: mine }\n"));
    w.run(&["plan", m.to_str().unwrap(), "--out", "plan.json"])
        .await
        .expect(0);
    let mut cmd = support::provision();
    cmd.args([
        "apply",
        "plan.json",
        "--auto-approve",
        "--endpoint-url",
        &w.url(),
    ])
    .env("AWS_ACCESS_KEY_ID", "999999999999")
    .current_dir(w.dir.path());
    let run = support::Run::of(cmd).await;
    // The manifest's domain names no account: today it resolves to the caller's account
    // 999999999999, so the plan's target in 123456789012 is not one the manifest produces.
    run.expect(3);
    assert!(run.stderr.contains("plan_tampered"), "{}", run.stderr);
    assert!(run.stderr.contains(CALLER), "{}", run.stderr);
    assert!(w.domains("999999999999", "us-east-1").await.is_empty());
    assert!(w.domains(CALLER, "us-east-1").await.is_empty());
}

/// `--color always` colours even a pipe (and wins over NO_COLOR, which the harness sets);
/// `auto`, the default, leaves a pipe plain, as does `never`.
#[tokio::test]
async fn color_follows_the_flag_and_the_conventions() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest("  - { name: painted }\n"));
    let m = m.to_str().unwrap();
    let always = w.run(&["plan", m, "--color", "always"]).await;
    always.expect(0);
    assert!(always.stdout.contains("\x1b[32m+"), "{:?}", always.stdout);
    for args in [vec!["plan", m], vec!["plan", m, "--color", "never"]] {
        let plain = w.run(&args).await;
        plain.expect(0);
        assert!(!plain.stdout.contains('\x1b'), "{:?}", plain.stdout);
    }
    // A malformed flag is invalid input (3), never the 2 that --detailed-exitcode means changes.
    let bad = w
        .run(&["plan", m, "--color", "sometimes", "--detailed-exitcode"])
        .await;
    bad.expect(3);
    assert!(bad.stderr.contains("sometimes"), "{}", bad.stderr);
}

/// Each flag is offered only by the commands it means something to: `--color` by those that
/// print a plan or report, `--debug` and `--local` by those that call AWS.
#[tokio::test]
async fn flags_are_refused_where_they_mean_nothing() {
    let w = world(config()).await;
    for args in [
        vec!["export", "--region", "us-east-1", "--color", "always"],
        vec!["show", "plan.json", "--debug"],
        vec!["show", "plan.json", "--local"],
        vec!["validate", "m.yaml", "--local"],
        vec!["validate", "m.yaml", "--color", "never"],
    ] {
        let run = w.run(&args).await;
        run.expect(3);
        assert!(
            run.stderr.contains("unexpected argument"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

/// A path that names no file is bad input, whatever the command: exit 3, as a wrong extension is.
#[tokio::test]
async fn a_missing_manifest_or_plan_is_invalid_input() {
    let w = world(config()).await;
    for args in [
        vec!["validate", "missing.yaml"],
        vec!["plan", "missing.yaml"],
        vec!["apply", "missing.json", "--auto-approve"],
        vec!["validate", "manifest.txt"],
    ] {
        let run = w.run(&args).await;
        run.expect(3);
        assert!(
            run.stderr.contains("missing") || run.stderr.contains("extension"),
            "{}",
            run.stderr
        );
    }
}

/// Issue 10: an AccessDenied names whom to allow which action, at apply (a saved plan whose
/// role lost its permissions since) and at plan (the account cannot be read).
#[tokio::test]
async fn access_denied_says_whom_to_allow_which_action() {
    let w = world(config()).await;
    let m = w.write(
        "domains.yaml",
        &manifest("  - { name: acme, account: platform }\n  - { name: tools }\n"),
    );
    let m = m.to_str().unwrap();
    w.run(&["plan", m, "--out", "plan.json"]).await.expect(0);
    // Every request signed as the platform account is now refused; the role is still assumed
    // (AssumeRole is signed by the caller), so the saved plan's identity check passes.
    w.endpoint.set_faults(Faults {
        deny_accounts: vec!["111122223333".into()],
        ..Faults::default()
    });
    let role = "role arn:aws:iam::111122223333:role/Provisioner (account 111122223333)";
    let apply = w
        .run(&["apply", "plan.json", "--auto-approve", "--report", "r.json"])
        .await;
    apply.expect(1);
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 1, "{r}");
    let acme = &r["domains"][0];
    assert_eq!(acme["outcome"], "failed", "{acme}");
    let create = format!("next: allow `codeartifact:CreateDomain` to {role}");
    assert!(
        acme["error"]["message"].as_str().unwrap().contains(&create),
        "{acme}"
    );
    assert!(apply.stdout.contains(&create), "{}", apply.stdout);

    let plan = w.run(&["plan", m]).await;
    plan.expect(1);
    let list = format!("next: allow `codeartifact:ListDomains` to {role}");
    assert!(plan.stdout.contains(&list), "{}", plan.stdout);
}

/// Issue 10: what a saved plan assumed and is no longer so is said, with what apply did about it:
/// a domain to re-tag that was deleted since, targets that no longer answer.
#[tokio::test]
async fn a_saved_plan_says_what_changed_since_it_was_made() {
    let w = world(config()).await;
    let m = w.write(
        "domains.yaml",
        r#"version: 1
defaults: { region: us-east-1, tags: { team: a } }
accounts:
  platform: { id: "111122223333", role_arn: "arn:aws:iam::111122223333:role/Provisioner" }
  other: { id: "444455556666", role_arn: "arn:aws:iam::444455556666:role/Provisioner" }
domains:
  - { name: acme, account: platform }
  - { name: beta, account: platform }
  - { name: tools, account: other }
"#,
    );
    let m = m.to_str().unwrap();
    w.run(&["apply", m, "--auto-approve"]).await.expect(0);
    // Retagged by hand, so the plan corrects them; then one is deleted before the apply.
    let ca = w.codeartifact("111122223333", "us-east-1").await;
    for name in ["acme", "beta"] {
        ca.tag_resource()
            .resource_arn(format!(
                "arn:aws:codeartifact:us-east-1:111122223333:domain/{name}"
            ))
            .tags(
                aws_sdk_codeartifact::types::Tag::builder()
                    .key("team")
                    .value("b")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
    w.run(&["plan", m, "--out", "plan.json"]).await.expect(0);
    ca.delete_domain().domain("beta").send().await.unwrap();
    let run = w
        .run(&["apply", "plan.json", "--auto-approve", "--report", "r.json"])
        .await;
    run.expect(1);
    assert!(
        run.stdout.contains("Changed since the plan was made:\n  - 1 domain was not found any more (deleted since the plan?): not changed (failed, not_found)\n"),
        "{}",
        run.stdout
    );
    let r = w.report("r.json");
    assert_eq!(count(&r, "tags_updated"), 1, "{r}");
    let beta = r["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "beta")
        .unwrap();
    assert!(
        beta["error"]["message"]
            .as_str()
            .unwrap()
            .contains("next: the domain is gone since it was observed"),
        "{beta}"
    );

    // The caller's credentials are now refused: no role can be assumed, no target answers. The
    // plan's one change (beta, to create again) is skipped.
    w.run(&["plan", m, "--out", "plan.json"]).await.expect(0);
    w.endpoint.set_faults(Faults {
        deny_accounts: vec![CALLER.into()],
        ..Faults::default()
    });
    let run = w
        .run(&["apply", "plan.json", "--auto-approve", "--report", "r.json"])
        .await;
    run.expect(1);
    assert!(
        run.stdout.contains("  - 1 domain is in an account and Region that could no longer be reached: skipped, with the reason\n"),
        "{}",
        run.stdout
    );
}

/// Issue 10: 11 domains in one account and Region can never all be created (CodeArtifact's
/// default quota is 10): validate says so where the manifest says it, and so do plan and apply,
/// with the same --domain-quota.
#[tokio::test]
async fn more_domains_than_the_quota_in_one_place_is_a_located_problem() {
    let w = world(config()).await;
    let domains: String = (0..11)
        .map(|i| format!("  - {{ name: q{i:02} }}\n"))
        .chain(["  - { name: elsewhere, region: eu-west-1 }\n".to_string()])
        .collect();
    w.write("domains.yaml", &manifest(&domains));
    let validate = w.run(&["validate", "domains.yaml"]).await;
    validate.expect(3);
    insta::assert_snapshot!("over_domain_quota", validate.stderr);
    w.run(&["validate", "domains.yaml", "--domain-quota", "11"])
        .await
        .expect(0);
    for args in [
        &["plan", "domains.yaml"][..],
        &["apply", "domains.yaml", "--auto-approve"],
    ] {
        let run = w.run(args).await;
        run.expect(3);
        assert!(
            run.stderr.contains("manifest::over_domain_quota"),
            "{args:?}: {}",
            run.stderr
        );
    }
    w.run(&["plan", "domains.yaml", "--domain-quota", "11"])
        .await
        .expect(0);
    assert!(w.domains(CALLER, "us-east-1").await.is_empty());
}
