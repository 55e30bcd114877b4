//! The caller's credentials through the real binary: `--profile` picks the caller's profile, a
//! profile that is not defined is named (exit 3) before any call, and a chain that yields no
//! credentials at all fails once, at once, saying where credentials come from (exit 1).

mod support;

use support::{Run, admin_get, config, flat, outcomes, provision, world};

const MANIFEST: &str = "version: 1\ndefaults: { region: us-east-1 }\ndomains:\n  - name: mine\n";

/// A config file with one profile whose access key id (the endpoint's convention) is an account.
const PROFILES: &str = "[profile prod]\naws_access_key_id = 444455556666\naws_secret_access_key = test\nregion = us-east-1\n";

/// Requests the endpoint answered, any outcome.
async fn requests(url: &str) -> u64 {
    let stats = admin_get(url, "/_emulator/stats").await;
    ["ok", "AccessDenied", "UnrecognizedClientException"]
        .iter()
        .map(|o| outcomes(&stats, o))
        .sum()
}

#[tokio::test]
async fn profile_flag_chooses_the_callers_account() {
    let w = world(config()).await;
    let manifest = w.write("m.yaml", MANIFEST);
    let profiles = w.write("aws-config", PROFILES);
    let mut cmd = provision();
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", &profiles)
        .args(["plan", "--profile", "prod", "--endpoint-url", &w.url()])
        .arg(&manifest);
    let run = Run::of(cmd).await;
    run.expect(0);
    assert!(
        run.stdout.contains("account 444455556666"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn an_undefined_profile_is_named_with_the_closest_one_before_any_call() {
    let w = world(config()).await;
    let manifest = w.write("m.yaml", MANIFEST);
    let profiles = w.write("aws-config", PROFILES);
    for (flag, env) in [(Some("prdo"), None), (None, Some("prdo"))] {
        let mut cmd = provision();
        cmd.env("AWS_CONFIG_FILE", &profiles)
            .args(["plan", "--endpoint-url", &w.url()])
            .arg(&manifest);
        if let Some(p) = flag {
            cmd.args(["--profile", p]);
        }
        if let Some(p) = env {
            cmd.env("AWS_PROFILE", p);
        }
        let run = Run::of(cmd).await;
        run.expect(3);
        let from = if flag.is_some() {
            "--profile"
        } else {
            "AWS_PROFILE"
        };
        assert!(
            flat(&run.stderr).contains(&format!(
                "the AWS profile `prdo` (from {from}) is not defined"
            )),
            "{}",
            run.stderr
        );
        assert!(
            flat(&run.stderr).contains("did you mean `prod`?"),
            "{}",
            run.stderr
        );
        assert!(!flat(&run.stderr).contains("IMDS"), "{}", run.stderr);
    }
    assert_eq!(requests(&w.url()).await, 0, "nothing was asked of AWS");
}

#[tokio::test]
async fn an_accounts_undefined_profile_is_named() {
    let w = world(config()).await;
    let manifest = w.write(
        "m.yaml",
        "version: 1\ndefaults: { region: us-east-1 }\naccounts:\n  ci: { id: \"444455556666\", profile: ci-deploy }\ndomains:\n  - { name: mine, account: ci }\n",
    );
    let run = w
        .run(&["plan", manifest.to_str().unwrap_or_default()])
        .await;
    run.expect(3);
    assert!(
        flat(&run.stderr)
            .contains("the AWS profile `ci-deploy` (from account `ci`) is not defined"),
        "{}",
        run.stderr
    );
    assert!(
        flat(&run.stderr).contains("aws configure --profile NAME"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn no_credentials_at_all_fail_once_with_where_they_come_from() {
    let w = world(config()).await;
    let manifest = w.write(
        "m.yaml",
        &support::manifest("  - name: mine\n  - { name: theirs, account: platform }\n"),
    );
    let mut cmd = provision();
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["plan", "--endpoint-url", &w.url()])
        .arg(&manifest);
    let run = Run::of(cmd).await;
    run.expect(1);
    assert!(
        flat(&run.stderr).contains("no AWS credentials could be found"),
        "{}",
        run.stderr
    );
    assert!(
        flat(&run.stderr).contains("AWS_ACCESS_KEY_ID"),
        "{}",
        run.stderr
    );
    assert!(flat(&run.stderr).contains("--local"), "{}", run.stderr);
    // Said once, not once per domain or target.
    assert!(!run.stdout.contains('×'), "{}", run.stdout);
    assert_eq!(requests(&w.url()).await, 0, "nothing was sent");
}

#[tokio::test]
async fn a_config_file_that_cannot_be_parsed_is_the_sdks_to_report_not_an_unknown_profile() {
    let w = world(config()).await;
    let manifest = w.write("m.yaml", MANIFEST);
    let config_file = w.write("aws-config", "garbage line here\n");
    let credentials = w.write(
        "aws-credentials",
        "[ok]\naws_access_key_id = 444455556666\naws_secret_access_key = test\n",
    );
    let mut cmd = provision();
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", &config_file)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .args(["plan", "--profile", "ok", "--endpoint-url", &w.url()])
        .arg(&manifest);
    let run = Run::of(cmd).await;
    run.expect(1);
    let said = flat(&run.stderr);
    assert!(!said.contains("is not defined"), "{said}");
    assert!(said.contains("could not parse profile file"), "{said}");
}
