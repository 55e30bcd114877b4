//! Prune through the real binary: a domain the manifest no longer names that carries its
//! ownership tag is planned `- delete`, deleted only by `apply --prune`; one that still holds
//! repositories is refused with what to do; one without the tag, or that lost it since the plan
//! was saved, is never deleted.

mod support;

use support::{CALLER, World, admin, config, count, world};

const BEFORE: &str = "version: 1\nownership: { managed-by: provision }\ndefaults: { region: us-east-1 }\ndomains:\n  - name: keep\n  - name: retire\n  - name: busy\n";
const AFTER: &str = "version: 1\nownership: { managed-by: provision }\ndefaults: { region: us-east-1 }\ndomains:\n  - name: keep\n";

/// `BEFORE` applied, a domain made out of band without the tag, and `busy` holding repositories.
async fn estate(w: &World) -> String {
    let m = w.write("before.yaml", BEFORE);
    w.run(&["apply", m.to_str().unwrap_or_default(), "--auto-approve"])
        .await
        .expect(0);
    let ca = w.codeartifact(CALLER, "us-east-1").await;
    ca.create_domain()
        .domain("theirs")
        .send()
        .await
        .expect("a domain made by someone else");
    let patched = admin(
        &w.url(),
        "PATCH",
        &format!("/_emulator/domains/{CALLER}/us-east-1/busy"),
        r#"{"repositoryCount": 2}"#,
    )
    .await;
    assert_eq!(patched["status"], "ok", "{patched}");
    w.write("after.yaml", AFTER).to_string_lossy().into_owned()
}

#[tokio::test]
async fn retired_domains_are_planned_for_deletion_and_kept_without_prune() {
    let w = world(config()).await;
    let after = estate(&w).await;
    let plan = w.run(&["plan", &after, "--detailed-exitcode"]).await;
    plan.expect(2);
    insta::assert_snapshot!("prune_plan", plan.stdout);
    // Without --prune nothing is deleted, and the run succeeds saying so.
    let apply = w
        .run(&["apply", &after, "--auto-approve", "--report", "r.json"])
        .await;
    apply.expect(0);
    let report = w.report("r.json");
    assert_eq!(count(&report, "kept"), 2, "{report}");
    assert_eq!(count(&report, "deleted"), 0, "{report}");
    let mut left = w.domains(CALLER, "us-east-1").await;
    left.sort();
    assert_eq!(left, ["busy", "keep", "retire", "theirs"]);
}

#[tokio::test]
async fn prune_deletes_the_owned_refuses_a_domain_with_repositories_and_never_touches_others() {
    let w = world(config()).await;
    let after = estate(&w).await;
    let apply = w
        .run(&[
            "apply",
            &after,
            "--auto-approve",
            "--prune",
            "--report",
            "r.json",
        ])
        .await;
    // `busy` failed: the run says so.
    apply.expect(1);
    let report = w.report("r.json");
    assert_eq!(count(&report, "deleted"), 1, "{report}");
    assert_eq!(count(&report, "failed"), 1, "{report}");
    let busy = report["domains"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["name"] == "busy"))
        .cloned()
        .unwrap_or_default();
    let message = busy["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("still holds repositories"), "{busy}");
    assert!(
        message.contains("delete or move its repositories"),
        "{busy}"
    );
    assert_eq!(busy["error"]["code"], "ConflictException", "{busy}");
    let mut left = w.domains(CALLER, "us-east-1").await;
    left.sort();
    // `theirs` has no ownership tag: never deleted; `busy` still there.
    assert_eq!(left, ["busy", "keep", "theirs"]);
}

#[tokio::test]
async fn a_saved_deletion_whose_domain_lost_the_tag_is_not_carried_out() {
    let w = world(config()).await;
    let after = estate(&w).await;
    w.run(&["plan", &after, "--out", "plan.json"])
        .await
        .expect(0);
    // Someone takes `retire` over after the plan was saved.
    let ca = w.codeartifact(CALLER, "us-east-1").await;
    let arn = format!("arn:aws:codeartifact:us-east-1:{CALLER}:domain/retire");
    ca.untag_resource()
        .resource_arn(&arn)
        .tag_keys("managed-by")
        .send()
        .await
        .expect("untag");
    let apply = w
        .run(&[
            "apply",
            "plan.json",
            "--auto-approve",
            "--prune",
            "--report",
            "r.json",
        ])
        .await;
    apply.expect(1);
    let report = w.report("r.json");
    let retire = report["domains"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["name"] == "retire"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(retire["outcome"], "failed", "{retire}");
    assert_eq!(retire["error"]["kind"], "not_owned", "{retire}");
    assert!(
        w.domains(CALLER, "us-east-1")
            .await
            .contains(&"retire".to_string())
    );
}

#[tokio::test]
async fn a_saved_plan_cannot_delete_under_another_tag() {
    let w = world(config()).await;
    let after = estate(&w).await;
    w.run(&["plan", &after, "--out", "plan.json"])
        .await
        .expect(0);
    let text = std::fs::read_to_string(w.path("plan.json")).expect("plan");
    // An edited plan whose deletions trust another tag than the manifest's.
    let edited = text.replace("\"value\": \"provision\"", "\"value\": \"someone-else\"");
    assert_ne!(edited, text, "the plan has a delete step to edit");
    w.write("plan.json", &edited);
    let apply = w
        .run(&["apply", "plan.json", "--auto-approve", "--prune"])
        .await;
    apply.expect(3);
    let flat = support::flat(&apply.stderr);
    assert!(
        flat.contains("another tag than the manifest's ownership tag"),
        "{}",
        apply.stderr
    );
}

#[tokio::test]
async fn a_filtered_plan_never_takes_the_manifests_other_domains_for_retired_ones() {
    let w = world(config()).await;
    let after = estate(&w).await;
    let before = w.path("before.yaml").to_string_lossy().into_owned();
    // Every domain is in `before`: filtered to one, nothing is to delete.
    let plan = w.run(&["plan", &before, "--domain", "keep"]).await;
    plan.expect(0);
    assert!(!plan.stdout.contains("- retire"), "{}", plan.stdout);
    assert!(!plan.stdout.contains("- busy"), "{}", plan.stdout);
    // In `after`, a domain filter selects retired domains by name too: `keep` selects none.
    let apply = w
        .run(&[
            "apply",
            &after,
            "--domain",
            "keep",
            "--auto-approve",
            "--prune",
        ])
        .await;
    apply.expect(0);
    let mut left = w.domains(CALLER, "us-east-1").await;
    left.sort();
    assert_eq!(left, ["busy", "keep", "retire", "theirs"]);
}

#[tokio::test]
async fn the_ownership_tag_wins_over_a_domains_own_value_for_its_key() {
    let w = world(config()).await;
    let m = w.write(
        "m.yaml",
        "version: 1\nownership: { managed-by: provision }\ndefaults: { region: us-east-1, tags: { managed-by: terraform } }\ndomains:\n  - { name: claimed, tags: { managed-by: someone } }\n",
    );
    let plan = w
        .run(&["plan", m.to_str().unwrap_or_default(), "--format", "json"])
        .await;
    plan.expect(0);
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).expect("a JSON plan");
    let create = &plan["entries"][0]["steps"][0];
    assert_eq!(create["step"], "create", "{plan}");
    assert_eq!(create["tags"]["managed-by"], "provision", "{plan}");
}
