//! `provision export` through the real binary: the live domains of chosen accounts and Regions
//! become a manifest (YAML or TOML) whose plan shows no changes, with shared values lifted into
//! `defaults`; an account that cannot be read is named and the rest still written.

mod support;

use support::{CALLER, World, config, world};

const PLATFORM: &str = "111122223333";

/// Domains in the caller's account over two Regions (one alike in both), and one in a role
/// account with a customer key and a policy.
fn estate() -> String {
    format!(
        r#"version: 1
defaults:
  region: us-east-1
  tags: {{ managed-by: provision, cost-center: "4410" }}
accounts:
  platform: {{ id: "{PLATFORM}", role_arn: "arn:aws:iam::{PLATFORM}:role/Provisioner" }}
keys:
  - {{ alias: alias/artifacts, account: platform }}
domains:
  - {{ name: mirrors, account: "{CALLER}", regions: [us-east-1, eu-west-1], tags: {{ team: platform }} }}
  - {{ name: releases, account: "{CALLER}", tags: {{ team: release, audited: "true" }} }}
  - {{ name: scratch, account: "{CALLER}", region: eu-west-1, tags: {{ team: research, ttl: "7" }} }}
  - name: central
    account: platform
    encryption_key: alias/artifacts
    policy:
      document:
        Version: "2012-10-17"
        Statement:
          - {{ Sid: Read, Effect: Allow, Principal: {{ AWS: "arn:aws:iam::{CALLER}:root" }}, Action: "codeartifact:ReadFromRepository", Resource: "*" }}
"#
    )
}

async fn applied(w: &World) {
    let m = w.write("estate.yaml", &estate());
    w.run(&["apply", m.to_str().unwrap_or_default(), "--auto-approve"])
        .await
        .expect(0);
}

/// `provision export` against the endpoint.
async fn export(w: &World, args: &[&str]) -> support::Run {
    let mut all = vec!["export", "--endpoint-url"];
    let url = w.url();
    all.push(&url);
    all.extend_from_slice(args);
    let mut cmd = support::provision();
    cmd.args(&all).current_dir(w.path(""));
    support::Run::of(cmd).await
}

#[tokio::test]
async fn the_callers_account_exports_to_a_manifest_that_plans_no_changes() {
    let w = world(config()).await;
    applied(&w).await;
    let run = export(&w, &["--region", "us-east-1,eu-west-1"]).await;
    run.expect(0);
    // Shared values lifted, the domain alike in both Regions written once, values that look
    // like numbers or booleans quoted.
    insta::assert_snapshot!("export_caller_yaml", run.stdout);
    let m = w.write("exported.yaml", &run.stdout);
    let plan = w
        .run(&[
            "plan",
            m.to_str().unwrap_or_default(),
            "--detailed-exitcode",
        ])
        .await;
    plan.expect(0);
}

#[tokio::test]
async fn role_accounts_keys_and_policies_round_trip_in_yaml_and_toml() {
    let w = world(config()).await;
    applied(&w).await;
    for out in ["org.yaml", "org.toml"] {
        let run = export(
            &w,
            &[
                "--region",
                "us-east-1",
                "--region",
                "eu-west-1",
                "--account",
                &format!("{CALLER},{PLATFORM}"),
                "--role-name",
                "Provisioner",
                "--out",
                out,
            ],
        )
        .await;
        run.expect(0);
        assert!(
            run.stderr.contains("Exported 5 domains to"),
            "{}",
            run.stderr
        );
        let text = std::fs::read_to_string(w.path(out)).expect("written");
        // The customer key by ARN, the policy as a document, the role per account.
        assert!(
            text.contains(&format!("arn:aws:kms:us-east-1:{PLATFORM}:key/")),
            "{text}"
        );
        assert!(text.contains("codeartifact:ReadFromRepository"), "{text}");
        assert!(
            text.contains(&format!("arn:aws:iam::{PLATFORM}:role/Provisioner")),
            "{text}"
        );
        let plan = w
            .run(&[
                "plan",
                w.path(out).to_str().unwrap_or_default(),
                "--detailed-exitcode",
            ])
            .await;
        plan.expect(0);
        assert!(plan.stdout.contains("No changes"), "{}", plan.stdout);
    }
}

#[tokio::test]
async fn an_account_that_cannot_be_read_is_named_and_the_rest_written() {
    let w = world(config()).await;
    applied(&w).await;
    w.endpoint.set_faults(provision_emulator::Faults {
        deny_accounts: vec![PLATFORM.into()],
        ..provision_emulator::Faults::default()
    });
    let run = export(
        &w,
        &[
            "--region",
            "us-east-1",
            "--account",
            &format!("{CALLER},{PLATFORM}"),
            "--role-name",
            "Provisioner",
        ],
    )
    .await;
    run.expect(1);
    assert!(
        run.stderr.contains(&format!("× {PLATFORM}/us-east-1")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 account and Region could not be read"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("name: releases"), "{}", run.stdout);
}

#[tokio::test]
async fn bad_flags_are_refused_before_any_call() {
    let w = world(config()).await;
    for (args, word) in [
        (
            vec!["--region", "us-east-1", "--account", "12345"],
            "12-digit",
        ),
        (vec!["--region", "us-eats-1"], "did you mean us-east-1"),
        (
            vec!["--region", "us-east-1", "--out", "m.txt"],
            ".yaml, .yml or .toml",
        ),
    ] {
        let run = export(&w, &args).await;
        run.expect(3);
        assert!(run.stderr.contains(word), "{args:?}: {}", run.stderr);
    }
}
