//! Organisation-wide bootstrap through the real binary: accounts discovered from AWS
//! Organizations (the endpoint serving an organisation file), a template stamped over them and
//! two Regions, suspended accounts skipped, an account that cannot be reached, who may discover,
//! and the domain-quota pre-check.

mod support;

use provision_emulator::{Faults, Fraction};
use support::{Run, World, admin, config, count, provision, world};

/// The organisation's management account: the caller of these tests.
const MANAGEMENT: &str = "100000000000";
const SHARED: &str = "100000000001";

/// An organisation with `workloads` accounts under Workloads (team tags t0..t9), and `extra`
/// YAML lines appended to that OU's account list; a suspended account in Sandbox.
fn organization(workloads: usize, extra: &str) -> String {
    let mut y = format!(
        "management_account: \"{MANAGEMENT}\"\naccounts:\n  - {{ id: \"{MANAGEMENT}\", name: management }}\n  - {{ id: \"{SHARED}\", name: shared-services }}\nous:\n  - name: Workloads\n    accounts:\n"
    );
    for i in 0..workloads {
        y.push_str(&format!(
            "      - {{ id: \"{}\", name: team-{i}, tags: {{ team: t{} }} }}\n",
            workload(i),
            i % 10
        ));
    }
    y.push_str(extra);
    y.push_str(
        "  - name: Sandbox\n    accounts:\n      - { id: \"300000000000\", name: play, state: SUSPENDED }\n",
    );
    y
}

fn workload(i: usize) -> String {
    format!("{}", 200_000_000_000u64 + i as u64)
}

const MANIFEST: &str = r#"version: 1
organization: { role_name: OrganizationAccountAccessRole }
defaults: { region: us-east-1, tags: { managed-by: provision } }
domains:
  - name: packages
    account: "100000000001"
  - name: ${account.name}-pkgs
    accounts: { ou: Root/Workloads }
    regions: [us-east-1, eu-west-1]
    tags: { team: "${account.tags.team}" }
  - name: sandbox
    accounts: { ou: Root/Sandbox }
"#;

async fn org_world(yaml: &str) -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("org.yaml");
    std::fs::write(&path, yaml).expect("write organisation");
    let mut c = config();
    c.organization = Some(path);
    // Above AWS's 10, so that a raised quota (`--domain-quota`) can be shown.
    c.quotas.domain_quota = 20;
    let w = world(c).await;
    // The file is read at start; the directory may go.
    drop(dir);
    w
}

/// Run the binary as `account` (the endpoint's credentials convention: the key id is the account).
/// Reads are paced at 1 000/s (the endpoint here has no quotas): discovering a thousand accounts'
/// tags one call each is otherwise five seconds of waiting per run at the default 200/s.
async fn run_as(w: &World, account: &str, args: &[&str]) -> Run {
    let mut cmd = provision();
    cmd.args(args)
        .args(["--read-rate", "1000"])
        .arg("--endpoint-url")
        .arg(w.url())
        .env("AWS_ACCESS_KEY_ID", account)
        .current_dir(w.dir.path());
    Run::of(cmd).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_discovered_accounts_in_two_regions_plan_apply_and_converge() {
    let w = org_world(&organization(1000, "")).await;
    w.write("org.yaml", MANIFEST);

    let plan = run_as(&w, MANAGEMENT, &["plan", "org.yaml", "--detailed-exitcode"]).await;
    plan.expect(2);
    assert!(
        plan.stdout
            .contains("Plan: 2001 to create, 0 to update, 0 unchanged"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("account 200000000999 (team-999) · eu-west-1")
    );
    assert!(plan.stdout.contains("+ team-999-pkgs"));
    assert!(
        plan.stdout.contains("play (300000000000): SUSPENDED"),
        "{}",
        plan.stdout
    );

    let apply = run_as(
        &w,
        MANAGEMENT,
        &["apply", "org.yaml", "--auto-approve", "--report", "r.json"],
    )
    .await;
    apply.expect(0);
    let report = w.report("r.json");
    assert_eq!(count(&report, "created"), 2001);
    assert_eq!(w.domains(SHARED, "us-east-1").await, ["packages"]);
    assert_eq!(
        w.domains(&workload(999), "eu-west-1").await,
        ["team-999-pkgs"]
    );
    let ca = w.codeartifact(&workload(13), "us-east-1").await;
    let arn = format!(
        "arn:aws:codeartifact:us-east-1:{}:domain/team-13-pkgs",
        workload(13)
    );
    let tags = ca
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .expect("ListTagsForResource");
    let team = tags
        .tags()
        .iter()
        .find(|t| t.key() == "team")
        .map(|t| t.value());
    assert_eq!(team, Some("t3"));
    // Nothing in the suspended account.
    assert!(w.domains("300000000000", "us-east-1").await.is_empty());

    let again = run_as(&w, MANAGEMENT, &["plan", "org.yaml", "--detailed-exitcode"]).await;
    again.expect(0);
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);

    // An account joins Workloads: the next plan picks it up, without a manifest change.
    let grown = organization(
        1000,
        "      - { id: \"299999999999\", name: newcomer, tags: { team: t0 } }\n",
    );
    admin(&w.url(), "POST", "/_emulator/organization", &grown).await;
    let next = run_as(&w, MANAGEMENT, &["plan", "org.yaml", "--detailed-exitcode"]).await;
    next.expect(2);
    assert!(
        next.stdout
            .contains("Plan: 2 to create, 0 to update, 2001 unchanged"),
        "{}",
        next.stdout
    );
    assert!(next.stdout.contains("+ newcomer-pkgs"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_account_whose_role_cannot_be_assumed_is_unreachable_while_the_others_are_created() {
    let locked = "      - { id: \"288888888888\", name: locked, roles: [], tags: { team: t9 } }\n";
    let w = org_world(&organization(3, locked)).await;
    w.write("org.yaml", MANIFEST);

    let plan = run_as(&w, MANAGEMENT, &["plan", "org.yaml"]).await;
    plan.expect(1);
    assert!(plan.stdout.contains("× locked-pkgs"), "{}", plan.stdout);
    assert!(plan.stdout.contains("+ team-2-pkgs"), "{}", plan.stdout);
    assert!(plan.stderr.contains("2 domains are"), "{}", plan.stderr);
    // What to do: the role must exist there and trust the credentials provision runs with.
    assert!(
        plan.stdout.contains("next: the role arn:aws:iam::288888888888:role/")
            && plan.stdout.contains("its trust policy must let the credentials provision runs with call sts:AssumeRole on it"),
        "{}",
        plan.stdout
    );

    let apply = run_as(
        &w,
        MANAGEMENT,
        &["apply", "org.yaml", "--auto-approve", "--report", "r.json"],
    )
    .await;
    let report = w.report("r.json");
    assert_eq!(count(&report, "created"), 7, "{}", apply.stderr);
    assert_eq!(count(&report, "skipped"), 2);
    assert_eq!(w.domains(&workload(2), "eu-west-1").await, ["team-2-pkgs"]);
    assert!(w.domains("288888888888", "us-east-1").await.is_empty());
}

#[tokio::test]
async fn discovery_from_a_member_account_names_the_account_that_must_run_it() {
    let w = org_world(&organization(2, "")).await;
    w.write("org.yaml", MANIFEST);
    let run = run_as(&w, SHARED, &["plan", "org.yaml"]).await;
    run.expect(1);
    assert!(
        run.stderr
            .contains("AWS Organizations refused ListRoots to account 100000000001"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("(100000000000)"), "{}", run.stderr);
}

#[tokio::test]
async fn a_stamped_name_that_breaks_the_rule_points_at_the_template_and_names_the_account() {
    let w = org_world(&organization(2, "")).await;
    w.write(
        "long.yaml",
        "version: 1\ndefaults: { region: us-east-1 }\ndomains:\n  - name: ${account.name}-a-very-long-suffix-that-overflows-the-limit-x\n    accounts: { ou: Root/Workloads }\n",
    );
    let run = run_as(&w, MANAGEMENT, &["plan", "long.yaml"]).await;
    run.expect(3);
    // The message as one line (miette wraps it).
    let flat = support::flat(&run.stderr);
    assert!(
        flat.contains(
            "domain name `team-1-a-very-long-suffix-that-overflows-the-limit-x` stamped for account team-1 (200000000001) in us-east-1 is invalid: it is 52 characters long"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("long.yaml:4:"), "{}", run.stderr);
}

#[tokio::test]
async fn a_target_that_would_exceed_the_domain_quota_creates_none_of_its_domains() {
    let w = org_world(&organization(2, "")).await;
    // Nine domains already in team-0's us-east-1: the template's tenth and eleventh would not fit.
    let ca = w.codeartifact(&workload(0), "us-east-1").await;
    for i in 0..9 {
        ca.create_domain()
            .domain(format!("existing-{i}"))
            .send()
            .await
            .expect("CreateDomain");
    }
    w.write(
        "q.yaml",
        "version: 1\ndefaults: { region: us-east-1 }\ndomains:\n  - name: ${account.name}-a\n    accounts: { ou: Root/Workloads }\n  - name: ${account.name}-b\n    accounts: { ou: Root/Workloads }\n",
    );
    let plan = run_as(&w, MANAGEMENT, &["plan", "q.yaml"]).await;
    plan.expect(1);
    assert!(
        plan.stdout
            .contains("# team-0-a  (9 there + 2 to create would exceed the quota of 10)"),
        "{}",
        plan.stdout
    );
    assert!(plan.stdout.contains("+ team-1-a"), "{}", plan.stdout);
    // Neither the selector nor the templates use account tags: none were read.
    let stats = admin(&w.url(), "GET", "/_emulator/stats", "").await;
    assert_eq!(
        support::operation_outcomes(&stats, "ListTagsForResource", "ok"),
        0,
        "{stats}"
    );
    assert!(support::operation_outcomes(&stats, "ListAccountsForParent", "ok") > 0);
    assert!(
        plan.stderr.contains("\"Domains per account\""),
        "{}",
        plan.stderr
    );

    let apply = run_as(
        &w,
        MANAGEMENT,
        &["apply", "q.yaml", "--auto-approve", "--report", "r.json"],
    )
    .await;
    let report = w.report("r.json");
    assert_eq!(count(&report, "created"), 2, "{}", apply.stderr);
    assert_eq!(count(&report, "skipped"), 2);
    assert_eq!(w.domains(&workload(0), "us-east-1").await.len(), 9);

    // A raised quota, said so: the creates start.
    let raised = run_as(
        &w,
        MANAGEMENT,
        &["apply", "q.yaml", "--auto-approve", "--domain-quota", "11"],
    )
    .await;
    raised.expect(0);
    assert_eq!(w.domains(&workload(0), "us-east-1").await.len(), 11);
}

/// Organizations answers TooManyRequestsException (with Retry-After) to a third of the calls:
/// discovery waits them out through the one retry owner and the plan is whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn discovery_waits_out_organizations_throttling() {
    let w = org_world(&organization(40, "")).await;
    w.write("org.yaml", MANIFEST);
    w.endpoint.set_faults(Faults {
        throttle_rate: Fraction(0.3),
        retry_after: 0,
        seed: Some(8),
        ..Faults::default()
    });
    let plan = run_as(&w, MANAGEMENT, &["plan", "org.yaml", "--detailed-exitcode"]).await;
    plan.expect(2);
    assert!(
        plan.stdout.contains("Plan: 81 to create"),
        "{}",
        plan.stdout
    );
    let stats = admin(&w.url(), "GET", "/_emulator/stats", "").await;
    assert!(
        support::operation_outcomes(&stats, "ListTagsForResource", "TooManyRequestsException") > 0,
        "throttles were injected: {stats}"
    );
}
