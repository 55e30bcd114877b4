//! Domain permission policies through the real binary against the endpoint: declared, applied
//! and stable; edited out of band and corrected; changed between plan and apply and reported,
//! not overwritten; an invalid policy file refused with its location.

mod support;

use support::{CALLER, World, config, world};

/// The endpoint with an organisation whose management account is the caller.
async fn org_world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let org = dir.path().join("org.yaml");
    std::fs::write(
        &org,
        format!(
            "management_account: \"{CALLER}\"\naccounts: [ {{ id: \"{CALLER}\", name: shared-services }} ]\n"
        ),
    )
    .expect("write organisation");
    let mut c = config();
    c.organization = Some(org);
    // The file is read at start; the directory may go afterwards.
    world(c).await
}

const FILE_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Team", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::123456789012:root" },
      "Action": "codeartifact:ReadFromRepository", "Resource": "*" }
  ]
}
"#;

const MANIFEST: &str = r#"version: 1
defaults: { region: us-east-1 }
domains:
  - name: central
    policy: { share_with_organization: read }
  - name: team
    policy: { file: policies/team.json }
"#;

async fn policy(w: &World, name: &str) -> Option<(String, String)> {
    let ca = w.codeartifact(CALLER, "us-east-1").await;
    let out = ca
        .get_domain_permissions_policy()
        .domain(name)
        .send()
        .await
        .ok()?;
    let p = out.policy()?;
    Some((
        p.revision().unwrap_or_default().to_string(),
        p.document().unwrap_or_default().to_string(),
    ))
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("a JSON policy")
}

async fn setup() -> (World, String) {
    let w = org_world().await;
    std::fs::create_dir(w.path("policies")).expect("mkdir");
    w.write("policies/team.json", FILE_POLICY);
    let m = w.write("domains.yaml", MANIFEST);
    (w, m.to_str().expect("utf-8 path").to_string())
}

#[tokio::test]
async fn declared_policies_are_planned_applied_and_then_unchanged() {
    let (w, m) = setup().await;
    let plan = w.run(&["plan", &m, "--detailed-exitcode"]).await;
    plan.expect(2);
    assert!(
        plan.stdout.contains("\"aws:PrincipalOrgID\": \"o-"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("+   \"Version\": \"2012-10-17\""),
        "{}",
        plan.stdout
    );

    w.run(&["apply", &m, "--auto-approve", "--report", "r.json"])
        .await
        .expect(0);
    let r = w.report("r.json");
    for d in r["domains"].as_array().expect("domains") {
        assert_eq!(
            d["steps"],
            serde_json::json!(["create", "put_policy"]),
            "{r}"
        );
    }
    let (_, central) = policy(&w, "central").await.expect("central has a policy");
    let central = json(&central);
    let condition = &central["Statement"][0]["Condition"]["StringEquals"]["aws:PrincipalOrgID"];
    assert!(
        condition.as_str().is_some_and(|id| id.starts_with("o-")),
        "{central}"
    );
    let (_, team) = policy(&w, "team").await.expect("team has a policy");
    assert_eq!(json(&team), json(FILE_POLICY));

    let again = w.run(&["plan", &m, "--detailed-exitcode"]).await;
    again.expect(0);
}

#[tokio::test]
async fn a_policy_edited_out_of_band_is_shown_and_corrected() {
    let (w, m) = setup().await;
    w.run(&["apply", &m, "--auto-approve"]).await.expect(0);
    let (revision, _) = policy(&w, "team").await.expect("policy");
    let edited = FILE_POLICY.replace("ReadFromRepository", "PublishPackageVersion");
    let ca = w.codeartifact(CALLER, "us-east-1").await;
    ca.put_domain_permissions_policy()
        .domain("team")
        .policy_revision(revision)
        .policy_document(&edited)
        .send()
        .await
        .expect("out-of-band put");

    let plan = w.run(&["plan", &m, "--detailed-exitcode"]).await;
    plan.expect(2);
    assert!(
        plan.stdout.contains("~ team  (policy differs)"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("-       \"Action\": \"codeartifact:PublishPackageVersion\","),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("+       \"Action\": \"codeartifact:ReadFromRepository\","),
        "{}",
        plan.stdout
    );

    w.run(&["apply", &m, "--auto-approve", "--report", "r.json"])
        .await
        .expect(0);
    let r = w.report("r.json");
    let team = r["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .find(|d| d["name"] == "team")
        .expect("team reported")
        .clone();
    assert_eq!(team["steps"], serde_json::json!(["put_policy"]), "{r}");
    assert_eq!(team["outcome"], "policy_updated", "{r}");
    assert_eq!(
        json(&policy(&w, "team").await.expect("policy").1),
        json(FILE_POLICY)
    );
    w.run(&["plan", &m, "--detailed-exitcode"]).await.expect(0);
}

#[tokio::test]
async fn a_policy_changed_between_plan_and_apply_is_reported_not_overwritten() {
    let (w, m) = setup().await;
    w.run(&["apply", &m, "--auto-approve"]).await.expect(0);
    // The manifest changes the team's policy; the plan is saved with the revision it saw.
    w.write(
        "policies/team.json",
        &FILE_POLICY.replace("\"Sid\": \"Team\"", "\"Sid\": \"TeamRead\""),
    );
    w.run(&["plan", &m, "--out", "p.json"]).await.expect(0);
    let (revision, _) = policy(&w, "team").await.expect("policy");
    let theirs = FILE_POLICY.replace("ReadFromRepository", "PublishPackageVersion");
    let ca = w.codeartifact(CALLER, "us-east-1").await;
    ca.put_domain_permissions_policy()
        .domain("team")
        .policy_revision(revision)
        .policy_document(&theirs)
        .send()
        .await
        .expect("someone else's put");

    let run = w
        .run(&["apply", "p.json", "--auto-approve", "--report", "r.json"])
        .await;
    run.expect(1);
    let r = w.report("r.json");
    let team = r["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .find(|d| d["name"] == "team")
        .expect("team reported")
        .clone();
    assert_eq!(team["outcome"], "failed", "{r}");
    assert_eq!(team["error"]["kind"], "policy_changed", "{r}");
    let message = team["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("changed after the plan was made"),
        "{message}"
    );
    assert!(message.contains("run plan again"), "{message}");
    assert_eq!(
        json(&policy(&w, "team").await.expect("policy").1),
        json(&theirs),
        "the out-of-band policy is still there"
    );
}

/// The plan saw no policy on the domain, so its put carries no revision, and AWS would overwrite
/// whatever is there: a policy someone puts in between is found first and reported.
#[tokio::test]
async fn a_policy_put_where_the_plan_saw_none_is_reported_not_overwritten() {
    let (w, _) = setup().await;
    let ca = w.codeartifact(CALLER, "us-east-1").await;
    ca.create_domain()
        .domain("team")
        .send()
        .await
        .expect("a domain without a policy");
    let m = w.write(
        "team.yaml",
        "version: 1\ndefaults: { region: us-east-1 }\ndomains:\n  - name: team\n    policy: { file: policies/team.json }\n",
    );
    let m = m.to_str().expect("utf-8 path");
    w.run(&["plan", m, "--out", "p.json"]).await.expect(0);
    let theirs = FILE_POLICY.replace("ReadFromRepository", "PublishPackageVersion");
    ca.put_domain_permissions_policy()
        .domain("team")
        .policy_document(&theirs)
        .send()
        .await
        .expect("someone else's put");

    let run = w
        .run(&["apply", "p.json", "--auto-approve", "--report", "r.json"])
        .await;
    run.expect(1);
    let r = w.report("r.json");
    assert_eq!(r["domains"][0]["error"]["kind"], "policy_changed", "{r}");
    assert_eq!(
        json(&policy(&w, "team").await.expect("policy").1),
        json(&theirs),
        "the out-of-band policy is still there"
    );
}

/// A policy file is part of the manifest: a plan saved before it was edited is stale.
#[tokio::test]
async fn a_plan_saved_before_its_policy_file_changed_is_stale() {
    let (w, m) = setup().await;
    w.run(&["plan", &m, "--out", "p.json"]).await.expect(0);
    w.write(
        "policies/team.json",
        &FILE_POLICY.replace("\"Sid\": \"Team\"", "\"Sid\": \"Edited\""),
    );
    let run = w.run(&["apply", "p.json", "--auto-approve"]).await;
    run.expect(3);
    assert!(run.stderr.contains("plan_stale"), "{}", run.stderr);
    assert!(policy(&w, "team").await.is_none(), "nothing was applied");
}

#[tokio::test]
async fn an_invalid_policy_file_is_a_located_diagnostic() {
    let (w, m) = setup().await;
    w.write("policies/team.json", "[ \"not an object\" ]");
    let run = w.run(&["plan", &m]).await;
    run.expect(3);
    assert!(
        run.stderr
            .contains("policy file `policies/team.json` holds an array, not a JSON object"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("domains.yaml:7:21"), "{}", run.stderr);
}
