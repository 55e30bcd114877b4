//! `--account`, `--region` and `--domain` (issue 10), through the real binary against the
//! endpoint: only what they select is observed, planned and applied; the plan says what they
//! left out; a value that selects nothing is refused with a suggestion; a saved plan keeps them.

mod support;

use support::{CALLER, config, count, manifest, world};

const PLATFORM: &str = "111122223333";

const DOMAINS: &str = r#"  - { name: acme-prod, account: platform }
  - { name: acme-dev, account: platform }
  - { name: acme-eu, account: platform, region: eu-west-1 }
  - { name: tools }
"#;

#[tokio::test]
async fn filters_limit_what_is_planned_and_applied_and_a_saved_plan_keeps_them() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest(DOMAINS));
    let m = m.to_str().unwrap();
    // A manifest domain the filter leaves out, live in a target it keeps: not "unmanaged".
    w.codeartifact(PLATFORM, "us-east-1")
        .await
        .create_domain()
        .domain("acme-dev")
        .send()
        .await
        .unwrap();

    let filter = [
        "--account",
        "platform",
        "--region",
        "us-east-1",
        "--domain",
        "*-prod",
    ];
    let plan = w
        .run(&[&["plan", m, "--out", "plan.json"][..], &filter].concat())
        .await;
    plan.expect(0);
    insta::assert_snapshot!("filtered_plan", plan.stdout);

    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("plan.json")).unwrap()).unwrap();
    assert_eq!(saved["filter"]["domains"][0], "*-prod", "{saved}");
    assert_eq!(saved["left_out"], 3, "{saved}");

    // A saved plan keeps its filter: giving one again is refused before any call.
    let again = w
        .run(&[
            "apply",
            "plan.json",
            "--auto-approve",
            "--account",
            "platform",
        ])
        .await;
    again.expect(3);
    assert!(
        again.stderr.contains("not to a saved plan"),
        "{}",
        again.stderr
    );

    w.run(&["apply", "plan.json", "--auto-approve", "--report", "r.json"])
        .await
        .expect(0);
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 1, "{r}");
    assert_eq!(
        w.domains(PLATFORM, "us-east-1").await,
        ["acme-dev", "acme-prod"]
    );
    assert!(w.domains(PLATFORM, "eu-west-1").await.is_empty());
    assert!(w.domains(CALLER, "us-east-1").await.is_empty());

    // By account id, on apply with the manifest.
    w.run(&["apply", m, "--auto-approve", "--account", CALLER])
        .await
        .expect(0);
    assert_eq!(w.domains(CALLER, "us-east-1").await, ["tools"]);
    assert!(w.domains(PLATFORM, "eu-west-1").await.is_empty());
}

#[tokio::test]
async fn a_filter_that_selects_nothing_is_refused_with_a_suggestion() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &manifest(DOMAINS));
    let m = m.to_str().unwrap();
    for (args, says) in [
        (
            ["--account", "platfrom"],
            "--account platfrom matches nothing in the manifest",
        ),
        (["--region", "eu-west-2"], "did you mean `eu-west-1`?"),
        (
            ["--domain", "acme-stag*"],
            "the manifest's domains: acme-dev",
        ),
    ] {
        let run = w.run(&[&["plan", m][..], &args].concat()).await;
        run.expect(3);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    let run = w
        .run(&["apply", m, "--auto-approve", "--account", "platfrom"])
        .await;
    run.expect(3);
    assert!(
        run.stderr.contains("did you mean `platform`?"),
        "{}",
        run.stderr
    );
    let apart = w
        .run(&["plan", m, "--account", CALLER, "--domain", "acme-*"])
        .await;
    apart.expect(3);
    assert!(
        apart.stderr.contains("together match no domain"),
        "{}",
        apart.stderr
    );
}
