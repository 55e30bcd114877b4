//! The README's main command: `provision apply examples/domains.yaml --local` on a machine with no
//! AWS account, twice (the second run changes nothing), and the TOML example agrees.

mod support;

use support::{Run, provision};

async fn run(dir: &std::path::Path, args: &[&str]) -> Run {
    let mut cmd = provision();
    cmd.args(args).current_dir(dir);
    Run::of(cmd).await
}

#[tokio::test]
async fn the_examples_apply_locally_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let yaml = examples.join("domains.yaml");
    let toml = examples.join("domains.toml");
    let (yaml, toml) = (yaml.to_str().unwrap(), toml.to_str().unwrap());

    let first = run(
        dir.path(),
        &[
            "apply",
            yaml,
            "--local",
            "--auto-approve",
            "--report",
            "r1.json",
        ],
    )
    .await;
    first.expect(0);
    assert!(
        first.stdout.contains("Plan: 12 to create"),
        "{}",
        first.stdout
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r1.json")).unwrap())
            .unwrap();
    assert_eq!(report["summary"]["created"], 12, "{report}");
    assert!(dir.path().join(".provision/local/journal.jsonl").exists());

    // The state persisted in .provision/local: the same manifest, in either format, is in place.
    for manifest in [yaml, toml] {
        let again = run(
            dir.path(),
            &[
                "apply",
                manifest,
                "--local",
                "--auto-approve",
                "--report",
                "r2.json",
            ],
        )
        .await;
        again.expect(0);
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("r2.json")).unwrap())
                .unwrap();
        assert_eq!(report["summary"]["unchanged"], 12, "{manifest}: {report}");
        run(
            dir.path(),
            &["plan", manifest, "--local", "--detailed-exitcode"],
        )
        .await
        .expect(0);
    }
}

/// The organisation example: `--local --organization` serves the example organisation and acts as
/// its management account; the bootstrap manifest creates the central domain (shared with the
/// organisation), a key and a domain per workload account and Region, and converges.
#[tokio::test]
async fn the_organisation_example_bootstraps_locally_and_converges() {
    let dir = tempfile::tempdir().unwrap();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let manifest = examples.join("organization-bootstrap.yaml");
    let org = examples.join("organization.yaml");
    let (manifest, org) = (manifest.to_str().unwrap(), org.to_str().unwrap());
    let local = ["--local", "--organization", org];

    let plan = run(dir.path(), &[&["plan", manifest][..], &local].concat()).await;
    plan.expect(0);
    assert!(plan.stdout.contains("Plan: 9 to create"), "{}", plan.stdout);
    assert!(plan.stdout.contains("Keys: 8 to create"), "{}", plan.stdout);
    assert!(
        plan.stdout
            .contains("description: Encrypts the CodeArtifact domain of payments-prod"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("\"aws:PrincipalOrgID\""),
        "{}",
        plan.stdout
    );

    let apply = run(
        dir.path(),
        &[
            &["apply", manifest, "--auto-approve", "--report", "r.json"][..],
            &local,
        ]
        .concat(),
    )
    .await;
    apply.expect(0);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["created"], 9, "{report}");

    let again = run(
        dir.path(),
        &[&["plan", manifest, "--detailed-exitcode"][..], &local].concat(),
    )
    .await;
    again.expect(0);
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);
}
