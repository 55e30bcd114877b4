//! Keys the manifest declares, through the real binary against the endpoint: created with their
//! alias and tags before the domains that name them, used as is when present, never changed.

mod support;

use support::{CALLER, config, count, world};

const PLATFORM: &str = "111122223333";

/// `alias/codeartifact` declared in the platform account and the caller's, a domain in each
/// naming it (once by alias, once by alias ARN).
fn two_accounts() -> String {
    format!(
        r#"version: 1
defaults:
  region: us-east-1
accounts:
  platform: {{ id: "{PLATFORM}", role_arn: "arn:aws:iam::{PLATFORM}:role/Provisioner" }}
keys:
  - alias: alias/codeartifact
    account: platform
    description: CodeArtifact domains
    tags: {{ team: platform, env: prod }}
  - {{ alias: alias/codeartifact, account: "{CALLER}" }}
domains:
  - {{ name: acme, account: platform, encryption_key: alias/codeartifact }}
  - {{ name: tools, account: "{CALLER}", encryption_key: "arn:aws:kms:us-east-1:{CALLER}:alias/codeartifact" }}
"#
    )
}

#[tokio::test]
async fn declared_keys_are_created_before_their_domains_then_nothing_changes() {
    let w = world(config()).await;
    let m = w.write("domains.yaml", &two_accounts());
    let m = m.to_str().unwrap();

    let plan = w.run(&["plan", m, "--detailed-exitcode"]).await;
    plan.expect(2);
    assert!(
        plan.stdout.contains("+ key alias/codeartifact"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("Keys: 2 to create, 0 present."),
        "{}",
        plan.stdout
    );
    w.run(&["plan", m, "--out", "plan.json"]).await.expect(0);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("plan.json")).unwrap()).unwrap();
    assert_eq!(saved["keys"].as_array().unwrap().len(), 2, "{saved}");

    w.run(&["apply", "plan.json", "--auto-approve", "--report", "r.json"])
        .await
        .expect(0);
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 2, "{r}");
    let keys = r["keys"].as_array().unwrap();
    assert!(keys.iter().all(|k| k["outcome"] == "created"), "{r}");

    for account in [PLATFORM, CALLER] {
        let kms = w.kms(account, "us-east-1").await;
        let aliases = kms.list_aliases().send().await.unwrap();
        let alias = aliases
            .aliases()
            .iter()
            .find(|a| a.alias_name() == Some("alias/codeartifact"))
            .expect("alias created");
        let key = kms
            .describe_key()
            .key_id("alias/codeartifact")
            .send()
            .await
            .unwrap();
        let meta = key.key_metadata().unwrap();
        assert_eq!(Some(meta.key_id()), alias.target_key_id());
        assert_eq!(
            meta.key_spec().map(|s| s.as_str()),
            Some("SYMMETRIC_DEFAULT")
        );
        assert_eq!(
            meta.key_usage().map(|u| u.as_str()),
            Some("ENCRYPT_DECRYPT")
        );
        let name = if account == PLATFORM { "acme" } else { "tools" };
        let domain = w
            .codeartifact(account, "us-east-1")
            .await
            .describe_domain()
            .domain(name)
            .send()
            .await
            .unwrap();
        assert_eq!(domain.domain().unwrap().encryption_key(), meta.arn());
        let tags = kms
            .list_resource_tags()
            .key_id(meta.key_id())
            .send()
            .await
            .unwrap();
        let mut pairs: Vec<_> = tags
            .tags()
            .iter()
            .map(|t| (t.tag_key().to_string(), t.tag_value().to_string()))
            .collect();
        pairs.sort();
        if account == PLATFORM {
            assert_eq!(meta.description(), Some("CodeArtifact domains"));
            assert_eq!(
                pairs,
                [
                    ("env".to_string(), "prod".to_string()),
                    ("team".to_string(), "platform".to_string())
                ]
            );
        } else {
            assert!(pairs.is_empty(), "{pairs:?}");
        }
    }

    let again = w.run(&["plan", m, "--detailed-exitcode"]).await;
    again.expect(0);
    assert!(
        again.stdout.contains("No changes.")
            && again.stdout.contains("Keys: 0 to create, 2 present."),
        "{}",
        again.stdout
    );
}

#[tokio::test]
async fn an_existing_key_under_the_alias_is_used_as_is() {
    let w = world(config()).await;
    let kms = w.kms(PLATFORM, "us-east-1").await;
    let key = kms
        .create_key()
        .description("made by hand")
        .send()
        .await
        .unwrap();
    let meta = key.key_metadata().unwrap();
    kms.create_alias()
        .alias_name("alias/codeartifact")
        .target_key_id(meta.key_id())
        .send()
        .await
        .unwrap();
    let m = w.write("domains.yaml", &two_accounts());
    let m = m.to_str().unwrap();

    let plan = w.run(&["plan", m, "--verbose"]).await;
    plan.expect(0);
    assert!(
        plan.stdout.contains("= key alias/codeartifact")
            && plan.stdout.contains(meta.arn().unwrap()),
        "{}",
        plan.stdout
    );
    w.run(&["apply", m, "--auto-approve", "--report", "r.json"])
        .await
        .expect(0);
    let r = w.report("r.json");
    let platform = r["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["account"] == PLATFORM)
        .unwrap();
    assert_eq!(platform["outcome"], "present", "{r}");
    assert_eq!(platform["arn"], meta.arn().unwrap());

    // Not recreated, not modified: one key in the account, its description and tags as made.
    let aliases = kms.list_aliases().send().await.unwrap();
    let ours: Vec<_> = aliases
        .aliases()
        .iter()
        .filter(|a| a.alias_name() == Some("alias/codeartifact"))
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].target_key_id(), Some(meta.key_id()));
    let now = kms
        .describe_key()
        .key_id(meta.key_id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        now.key_metadata().unwrap().description(),
        Some("made by hand")
    );
    let tags = kms
        .list_resource_tags()
        .key_id(meta.key_id())
        .send()
        .await
        .unwrap();
    assert!(tags.tags().is_empty());
    let domain = w
        .codeartifact(PLATFORM, "us-east-1")
        .await
        .describe_domain()
        .domain("acme")
        .send()
        .await
        .unwrap();
    assert_eq!(domain.domain().unwrap().encryption_key(), meta.arn());
}

#[tokio::test]
async fn an_invalid_alias_is_a_located_diagnostic() {
    let w = world(config()).await;
    let m = w.write(
        "bad.yaml",
        "version: 1\ndefaults: { region: us-east-1 }\nkeys:\n  - alias: alias/aws/codeartifact\ndomains: []\n",
    );
    let run = w.run(&["plan", m.to_str().unwrap()]).await;
    run.expect(3);
    assert!(
        run.stderr
            .contains("invalid key alias `alias/aws/codeartifact`")
            && run.stderr.contains("bad.yaml:4:"),
        "{}",
        run.stderr
    );
}

/// Issue 10: one missing alias in one account failed the whole plan. Now only the domains that
/// name a missing or unusable key are held back (plan exits 1, apply skips them with the
/// reason); the rest of the organisation is planned and applied.
#[tokio::test]
async fn a_missing_or_unusable_key_holds_back_only_the_domains_naming_it() {
    let w = world(config()).await;
    let signing = w
        .kms(CALLER, "us-east-1")
        .await
        .create_key()
        .key_spec(aws_sdk_kms::types::KeySpec::Rsa2048)
        .key_usage(aws_sdk_kms::types::KeyUsageType::SignVerify)
        .send()
        .await
        .unwrap();
    let signing = signing.key_metadata().unwrap().arn().unwrap().to_string();
    let m = w.write(
        "domains.yaml",
        &format!(
            r#"version: 1
defaults:
  region: us-east-1
accounts:
  platform: {{ id: "{PLATFORM}", role_arn: "arn:aws:iam::{PLATFORM}:role/Provisioner" }}
domains:
  - {{ name: acme, account: platform, encryption_key: alias/missing }}
  - {{ name: signed, account: "{CALLER}", encryption_key: "{signing}" }}
  - {{ name: tools, account: platform }}
  - {{ name: web, account: "{CALLER}" }}
"#
        ),
    );
    let m = m.to_str().unwrap();

    let plan = w.run(&["plan", m]).await;
    plan.expect(1);
    let shown = plan.stdout.replace(&signing, "SIGNING-KEY-ARN");
    insta::assert_snapshot!("unusable_key_plan", shown);
    assert!(
        plan.stderr.contains("provision::unusable_key")
            && plan
                .stderr
                .contains("the plan is incomplete: 2 domains name"),
        "{}",
        plan.stderr
    );

    let apply = w
        .run(&["apply", m, "--auto-approve", "--report", "r.json"])
        .await;
    apply.expect(1);
    let r = w.report("r.json");
    assert_eq!(count(&r, "created"), 2, "{r}");
    assert_eq!(count(&r, "skipped"), 2, "{r}");
    assert_eq!(w.domains(PLATFORM, "us-east-1").await, ["tools"]);
    assert_eq!(w.domains(CALLER, "us-east-1").await, ["web"]);
    let acme = r["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "acme")
        .expect("acme reported");
    assert_eq!(acme["outcome"], "skipped", "{acme}");
    assert_eq!(acme["error"]["kind"], "unusable_key", "{acme}");
    assert!(
        acme["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`alias/missing` does not exist"),
        "{acme}"
    );
    assert!(
        apply
            .stdout
            .contains("is RSA_2048/SIGN_VERIFY, not a symmetric encryption key"),
        "{}",
        apply.stdout
    );
}
