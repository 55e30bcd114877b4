//! Unit tests of the validator.

use super::*;
use crate::model::Pattern;

fn yaml(src: &str) -> Result<Manifest, ManifestError> {
    parse_str(src, "test.yaml", Format::Yaml)
}

fn toml(src: &str) -> Result<Manifest, ManifestError> {
    parse_str(src, "test.toml", Format::Toml)
}

fn ok(result: Result<Manifest, ManifestError>) -> Manifest {
    match result {
        Ok(m) => m,
        Err(e) => panic!("expected a valid manifest: {:?}", miette::Report::new(e)),
    }
}

/// `(code, labelled text, help)` of every problem.
fn problems(result: Result<Manifest, ManifestError>, src: &str) -> Vec<(String, String, String)> {
    let err = match result {
        Ok(m) => panic!("expected problems, got {m:?}"),
        Err(e) => e,
    };
    assert!(err.is_invalid_input());
    err.problems()
        .iter()
        .map(|p| {
            let label = miette::Diagnostic::labels(p)
                .and_then(|mut l| l.next())
                .map(|l| src[l.offset()..l.offset() + l.len()].to_string())
                .unwrap_or_default();
            let help = miette::Diagnostic::help(p)
                .map(|h| h.to_string())
                .unwrap_or_default();
            (p.code().to_string(), label, help)
        })
        .collect()
}

fn only(result: Result<Manifest, ManifestError>, src: &str) -> (String, String, String) {
    let mut all = problems(result, src);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

fn domain_yaml(fields: &str) -> String {
    format!("version: 1\ndefaults: {{ region: us-east-1 }}\ndomains:\n  - {{ {fields} }}\n")
}

#[test]
fn minimal_manifest_resolves_defaults() {
    let m = ok(yaml(
        "version: 1\ndefaults:\n  region: eu-west-1\ndomains:\n  - name: ab\n",
    ));
    assert_eq!(
        m.domains,
        vec![DesiredDomain {
            name: Pattern::text("ab"),
            placement: Placement::single(AccountRef::Caller, "eu-west-1"),
            encryption_key: None,
            tags: Default::default(),
            tags_mode: TagsMode::Merge,
            policy: None,
            line: 5,
            name_span: 60..62,
        }]
    );
    assert!(m.accounts.is_empty());
}

#[test]
fn full_resolution() {
    let src = r#"
version: 1
defaults:
  region: us-east-1
  account: platform
  encryption_key: alias/codeartifact
  tags: { managed-by: provision, env: default }
  tags_mode: exact
accounts:
  platform: { id: "111122223333", role_arn: "arn:aws:iam::111122223333:role/Provisioner", external_id: ext-1 }
  sandbox:  { id: "444455556666", profile: sandbox }
  plain:    { id: "012345678901" }
domains:
  - name: acme-prod
    encryption_key: arn:aws:kms:us-east-1:111122223333:key/0c1d2e3f-1111-2222-3333-444455556666
    tags: { env: prod }
    tags_mode: merge
  - { name: acme-dev, account: sandbox, region: eu-west-1, encryption_key: mrk-0123456789abcdef0123456789abcdef }
  - { name: acme-id, account: "999988887777" }
"#;
    let m = ok(yaml(src));
    assert_eq!(
        m.accounts,
        vec![
            AccountSpec {
                name: "platform".into(),
                id: "111122223333".into(),
                credentials: Credentials::AssumeRole {
                    role_arn: "arn:aws:iam::111122223333:role/Provisioner".into(),
                    external_id: Some("ext-1".into()),
                    session_name: None,
                },
            },
            AccountSpec {
                name: "sandbox".into(),
                id: "444455556666".into(),
                credentials: Credentials::Profile("sandbox".into()),
            },
            AccountSpec {
                name: "plain".into(),
                id: "012345678901".into(),
                credentials: Credentials::Caller,
            },
        ]
    );
    let [prod, dev, by_id] = &m.domains[..] else {
        panic!("{m:?}")
    };
    assert_eq!(
        prod.placement.accounts,
        Accounts::Listed(vec![AccountRef::Named {
            name: "platform".into(),
            id: "111122223333".into()
        }])
    );
    assert_eq!(
        prod.tags.get("env").map(ToString::to_string).as_deref(),
        Some("prod")
    );
    assert_eq!(
        prod.tags
            .get("managed-by")
            .map(ToString::to_string)
            .as_deref(),
        Some("provision")
    );
    assert_eq!(prod.tags_mode, TagsMode::Merge);
    assert_eq!(prod.line, 14);
    assert_eq!(dev.placement.regions, ["eu-west-1"]);
    assert_eq!(dev.tags_mode, TagsMode::Exact);
    assert_eq!(
        dev.encryption_key.as_deref(),
        Some("mrk-0123456789abcdef0123456789abcdef")
    );
    assert_eq!(
        by_id.placement.accounts,
        Accounts::Listed(vec![AccountRef::Id("999988887777".into())])
    );
    assert_eq!(by_id.encryption_key.as_deref(), Some("alias/codeartifact"));
    assert_eq!(by_id.line, 19);
}

#[test]
fn toml_equivalent() {
    let src = r#"
version = 1
[defaults]
region = "us-east-1"
[accounts.sandbox]
id = "444455556666"
profile = "sandbox"
[[domains]]
name = "acme-dev"
account = "sandbox"
tags = { env = "dev" }
"#;
    let m = ok(toml(src));
    assert_eq!(m.domains[0].line, 8);
    assert_eq!(
        m.domains[0].placement.accounts,
        Accounts::Listed(vec![AccountRef::Named {
            name: "sandbox".into(),
            id: "444455556666".into()
        }])
    );
}

#[test]
fn domain_names() {
    for good in ["ab", "a1", "acme-prod", &format!("a{}", "b".repeat(49))] {
        ok(yaml(&domain_yaml(&format!("name: {good}"))));
    }
    for bad in [
        "a",
        "1abc",
        "acme-",
        "Acme",
        "ac_me",
        "-ac",
        &format!("a{}", "b".repeat(50)),
    ] {
        let src = domain_yaml(&format!("name: \"{bad}\""));
        let (code, label, help) = only(yaml(&src), &src);
        assert_eq!(code, "manifest::invalid_domain_name", "{bad}");
        assert_eq!(label, format!("\"{bad}\""));
        assert!(help.contains("2–50"), "{help}");
    }
}

#[test]
fn unknown_keys_with_suggestions() {
    let src = "version: 1\nverison: 2\ndefaults: { region: us-east-1, encyption_key: x }\ndomains:\n  - { name: ab, tagz: {} , zzzzzz: 1 }\n";
    let all = problems(yaml(src), src);
    let got: Vec<_> = all
        .iter()
        .map(|(c, l, h)| (c.as_str(), l.as_str(), h.as_str()))
        .collect();
    assert_eq!(
        got[0],
        (
            "manifest::unknown_key",
            "verison",
            "did you mean `version`?"
        )
    );
    assert_eq!(
        got[1],
        (
            "manifest::unknown_key",
            "encyption_key",
            "did you mean `encryption_key`?"
        )
    );
    assert_eq!(
        got[2],
        ("manifest::unknown_key", "tagz", "did you mean `tags`?")
    );
    assert_eq!(got[3].0, "manifest::unknown_key");
    assert!(got[3].2.starts_with("known keys here:"), "{}", got[3].2);
    assert_eq!(got.len(), 4);
}

#[test]
fn version_and_required_fields() {
    let src = "version: 2\ndomains: []\n";
    assert_eq!(only(yaml(src), src).0, "manifest::unsupported_version");
    let src = "version: \"1\"\ndomains: []\n";
    let (code, label, help) = only(yaml(src), src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::wrong_type", "\"1\"")
    );
    assert!(help.contains("remove the quotes"));
    let src = "defaults: {}\n";
    let all = problems(yaml(src), src);
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|p| p.0 == "manifest::missing_field"));
    let src = "";
    assert_eq!(
        problems(yaml(src), src).len(),
        1,
        "empty file: not a mapping"
    );
    let src = "version: 1\naccounts: { a: {} }\ndomains:\n  - region: us-east-1\n";
    let all = problems(yaml(src), src);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().all(|p| p.0 == "manifest::missing_field"));
    assert_eq!(all[0].1, "a");
    assert_eq!(all[1].1, "region: us-east-1");
    let src = "version = 1\ndomains = []\n";
    ok(toml(src));
}

#[test]
fn wrong_types() {
    let src = domain_yaml("name: ab, tags: [env, prod]");
    let (code, label, help) = only(yaml(&src), &src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::wrong_type", "[env, prod]")
    );
    assert!(help.contains("mapping"), "{help}");
    let src = domain_yaml("name: ab, tags: { cost: 4410 }");
    let (code, label, help) = only(yaml(&src), &src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::wrong_type", "4410")
    );
    assert!(help.contains("\"4410\""), "{help}");
    let src = "version: 1\ndomains: { name: ab }\n";
    assert_eq!(only(yaml(src), src).0, "manifest::wrong_type");
    let src = domain_yaml("name: ab, tags_mode: mrege");
    let (code, _, help) = only(yaml(&src), &src);
    assert_eq!(code, "manifest::invalid_value");
    assert!(help.contains("did you mean `merge`"), "{help}");
}

#[test]
fn account_ids() {
    let src = "version: 1\naccounts:\n  a: { id: 111122223333 }\ndomains: []\n";
    let (code, label, help) = only(yaml(src), src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::unquoted_account_id", "111122223333")
    );
    assert!(
        help.contains("\"111122223333\"") && help.contains("leading zeros"),
        "{help}"
    );
    let src = domain_yaml("name: ab, account: 111122223333");
    assert_eq!(only(yaml(&src), &src).0, "manifest::unquoted_account_id");
    let src = "version: 1\naccounts:\n  a: { id: \"1111\" }\ndomains: []\n";
    assert_eq!(only(yaml(src), src).0, "manifest::invalid_account_id");
    let src = domain_yaml("name: ab, account: \"12345\"");
    assert_eq!(only(yaml(&src), &src).0, "manifest::invalid_account_id");
}

#[test]
fn account_references() {
    let src = "version: 1\ndefaults: { region: us-east-1 }\naccounts:\n  platform: { id: \"111122223333\" }\ndomains:\n  - { name: ab, account: platfrom }\n";
    let (code, label, help) = only(yaml(src), src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::unknown_account", "platfrom")
    );
    assert_eq!(help, "did you mean `platform`?");
    let src = domain_yaml("name: ab, account: nobody");
    let (_, _, help) = only(yaml(&src), &src);
    assert!(
        help.contains("declare the account under `accounts`"),
        "{help}"
    );
}

#[test]
fn credentials() {
    let src = "version: 1\naccounts:\n  a: { id: \"111122223333\", role_arn: \"arn:aws:iam::111122223333:role/R\", profile: p }\ndomains: []\n";
    let (code, label, _) = only(yaml(src), src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::conflicting_credentials", "profile")
    );
    let src = "version: 1\naccounts:\n  a: { id: \"111122223333\", role_arn: \"arn:aws:iam::444455556666:role/R\" }\ndomains: []\n";
    let (code, label, _) = only(yaml(src), src);
    assert_eq!(code, "manifest::role_account_mismatch");
    assert_eq!(label, "\"arn:aws:iam::444455556666:role/R\"");
    for bad in [
        "arn:aws:iam::111122223333:user/R",
        "arn:aws:sts::111122223333:role/R",
        "role/R",
        "arn:aws:iam:us-east-1:111122223333:role/R",
    ] {
        let src = format!(
            "version: 1\naccounts:\n  a: {{ id: \"111122223333\", role_arn: \"{bad}\" }}\ndomains: []\n"
        );
        assert_eq!(
            only(yaml(&src), &src).0,
            "manifest::invalid_role_arn",
            "{bad}"
        );
    }
    let src =
        "version: 1\naccounts:\n  a: { id: \"111122223333\", session_name: s1 }\ndomains: []\n";
    assert_eq!(only(yaml(src), src).0, "manifest::role_option_without_role");
}

#[test]
fn regions() {
    let src = domain_yaml("name: ab, region: eu-wset-1");
    let (code, label, help) = only(yaml(&src), &src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::unknown_region", "eu-wset-1")
    );
    assert_eq!(help, "did you mean `eu-west-1`?");
    let src = "version: 1\ndomains:\n  - name: ab\n  - { name: cd, region: us-west-2 }\n";
    let (code, label, help) = only(yaml(src), src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::missing_region", "ab")
    );
    assert!(help.contains("defaults.region"));
    // A bad default Region is reported once, not per domain.
    let src = "version: 1\ndefaults: { region: mars-1 }\ndomains: [{ name: ab }, { name: cd }]\n";
    assert_eq!(only(yaml(src), src).0, "manifest::unknown_region");
}

#[test]
fn encryption_keys() {
    let good = [
        "0c1d2e3f-1111-2222-3333-444455556666",
        "mrk-0123456789abcdef0123456789abcdef",
        "alias/codeartifact",
        "alias/aws/codeartifact",
        "alias/team_a/key-1",
        "arn:aws:kms:eu-west-1:111122223333:key/0c1d2e3f-1111-2222-3333-444455556666",
        "arn:aws:kms:eu-west-1:999988887777:key/mrk-0123456789abcdef0123456789abcdef",
        "arn:aws:kms:eu-west-1:111122223333:alias/codeartifact",
    ];
    for key in good {
        let src = format!(
            "version: 1\ndomains:\n  - {{ name: ab, region: eu-west-1, encryption_key: \"{key}\" }}\n"
        );
        ok(yaml(&src));
    }
    let bad = [
        "0c1d2e3f",
        "alias/",
        "alias/has space",
        "mrk-123",
        "arn:aws:kms:eu-west-1:1111:key/0c1d2e3f-1111-2222-3333-444455556666",
        "arn:aws:s3:eu-west-1:111122223333:key/0c1d2e3f-1111-2222-3333-444455556666",
        "arn:aws:kms:eu-west-1:111122223333:secret/x",
        "arn:aws-cn:kms:eu-west-1:111122223333:alias/x",
        "arn:aws:kms:eu-west-1:111122223333",
    ];
    for key in bad {
        let src = format!(
            "version: 1\ndomains:\n  - {{ name: ab, region: eu-west-1, encryption_key: \"{key}\" }}\n"
        );
        let (code, _, help) = only(yaml(&src), &src);
        assert_eq!(code, "manifest::invalid_encryption_key", "{key}");
        assert!(help.contains("alias/NAME"), "{help}");
    }
    let long = format!("alias/{}", "a".repeat(251));
    let src = format!(
        "version: 1\ndomains:\n  - {{ name: ab, region: eu-west-1, encryption_key: \"{long}\" }}\n"
    );
    assert_eq!(only(yaml(&src), &src).0, "manifest::invalid_encryption_key");

    let src = "version: 1\ndomains:\n  - { name: ab, region: eu-west-1, encryption_key: \"arn:aws:kms:us-east-1:111122223333:alias/k\" }\n";
    let (code, label, help) = only(yaml(src), src);
    assert_eq!(code, "manifest::key_region_mismatch");
    assert_eq!(label, "\"arn:aws:kms:us-east-1:111122223333:alias/k\"");
    assert!(help.contains("eu-west-1"), "{help}");
    // Inherited from the defaults: labels the default key.
    let src = "version: 1\ndefaults: { region: us-east-1, encryption_key: \"arn:aws:kms:us-east-1:111122223333:alias/k\" }\ndomains:\n  - { name: ab }\n  - { name: cd, region: eu-west-1 }\n";
    let (code, label, _) = only(yaml(src), src);
    assert_eq!(code, "manifest::key_region_mismatch");
    assert!(label.starts_with("\"arn:aws:kms:us-east-1"));
}

#[test]
fn tags() {
    let src = domain_yaml("name: ab, tags: { \"AWS:x\": y }");
    let (code, label, _) = only(yaml(&src), &src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::reserved_tag_prefix", "\"AWS:x\"")
    );
    let long_key = "k".repeat(129);
    let src = domain_yaml(&format!("name: ab, tags: {{ {long_key}: y }}"));
    assert_eq!(only(yaml(&src), &src).0, "manifest::invalid_tag_key");
    let src = domain_yaml(&format!("name: ab, tags: {{ k: {} }}", "v".repeat(257)));
    assert_eq!(only(yaml(&src), &src).0, "manifest::invalid_tag_value");
    let src = domain_yaml("name: ab, tags: { k: \"a\\u0007b\" }");
    assert_eq!(only(yaml(&src), &src).0, "manifest::invalid_tag_value");
    let src = domain_yaml("name: ab, tags: { k: \"\" }");
    ok(yaml(&src));

    // 50 after merging is fine, 51 is not; the domain wins on the same key.
    let defaults: Vec<String> = (0..10).map(|i| format!("d{i}: x")).collect();
    let own = |n: usize| {
        (0..n)
            .map(|i| format!("t{i}: x"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mk = |n| {
        format!(
            "version: 1\ndefaults: {{ region: us-east-1, tags: {{ {} }} }}\ndomains:\n  - {{ name: ab, tags: {{ {}, d0: mine }} }}\n",
            defaults.join(", "),
            own(n)
        )
    };
    let m = ok(yaml(&mk(40)));
    assert_eq!(m.domains[0].tags.len(), 50);
    assert_eq!(
        m.domains[0]
            .tags
            .get("d0")
            .map(ToString::to_string)
            .as_deref(),
        Some("mine")
    );
    let src = mk(41);
    let (code, label, help) = only(yaml(&src), &src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::too_many_tags", "tags")
    );
    assert!(help.contains("remove 1"), "{help}");
}

#[test]
fn duplicates() {
    let src = r#"version: 1
defaults: { region: us-east-1 }
accounts:
  platform: { id: "111122223333" }
domains:
  - { name: ab }
  - { name: ab }
  - { name: cd, account: platform }
  - { name: cd, account: "111122223333" }
  - { name: cd, account: "111122223333", region: eu-west-1 }
  - { name: ef, account: platform }
  - { name: ef }
"#;
    let all = problems(yaml(src), src);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().all(|p| p.0 == "manifest::duplicate_domain"));
    let err = yaml(src).unwrap_err();
    let labels: Vec<_> = miette::Diagnostic::labels(&err.problems()[0])
        .unwrap()
        .collect();
    assert_eq!(labels.len(), 2);
    assert!(labels[0].primary() && labels[0].offset() > labels[1].offset());
    assert_eq!(labels[1].label(), Some("first defined here"));
}

#[test]
fn syntax_errors() {
    let src = "version: 1\ndomains: [\n";
    let (code, _, _) = only(yaml(src), src);
    assert_eq!(code, "manifest::syntax");
    let src = "version = 1\ndomains = [\nname = \n";
    let all = problems(toml(src), src);
    assert!(!all.is_empty() && all.iter().all(|p| p.0 == "manifest::syntax"));
    let src = "version: 1\nversion: 1\ndomains: []\n";
    assert_eq!(only(yaml(src), src).0, "manifest::syntax");
}

#[test]
fn yaml_anchors_and_merges() {
    let src = "version: 1\ndefaults: { region: us-east-1 }\nx-common: &c { tags: { a: b } }\ndomains:\n  - { <<: *c, name: ab }\n";
    // `x-common` is an unknown key; anchors elsewhere are fine.
    let (code, label, _) = only(yaml(src), src);
    assert_eq!(
        (code.as_str(), label.as_str()),
        ("manifest::unknown_key", "x-common")
    );
}

#[test]
fn error_message_counts_problems() {
    let src = domain_yaml("name: A, region: x");
    let err = yaml(&src).unwrap_err();
    assert_eq!(err.to_string(), "test.yaml: 2 problems");
    let src = domain_yaml("name: A");
    assert_eq!(yaml(&src).unwrap_err().to_string(), "test.yaml: 1 problem");
}

#[test]
fn too_large() {
    let big = "#".repeat(MAX_MANIFEST_BYTES as usize + 1);
    let err = yaml(&big).unwrap_err();
    assert!(matches!(err, ManifestError::TooLarge { .. }));
    assert!(err.is_invalid_input());
}

mod policies {
    use super::*;
    use crate::model::policy::OrganizationShare;

    fn policy_of(m: &Manifest) -> Option<&PolicySpec> {
        m.domains[0].policy.as_ref()
    }

    fn in_dir(dir: &Path, src: &str) -> Result<Manifest, ManifestError> {
        parse_str_in(src, "test.yaml", Format::Yaml, Some(dir))
    }

    #[test]
    fn inline_documents_in_yaml_and_toml_are_the_same_json() {
        let y = ok(yaml(&domain_yaml(
            "name: ab, policy: { document: { Version: \"2012-10-17\", Statement: [{ Effect: Allow, Principal: \"*\", Action: \"codeartifact:*\", Resource: \"*\", Condition: { NumericLessThan: { n: 3 } } }] } }",
        )));
        let t = ok(toml(
            "version = 1\n[defaults]\nregion = \"us-east-1\"\n[[domains]]\nname = \"ab\"\n[domains.policy.document]\nVersion = \"2012-10-17\"\n[[domains.policy.document.Statement]]\nEffect = \"Allow\"\nPrincipal = \"*\"\nAction = \"codeartifact:*\"\nResource = \"*\"\nCondition = { NumericLessThan = { n = 3 } }\n",
        ));
        let want = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{ "Effect": "Allow", "Principal": "*", "Action": "codeartifact:*", "Resource": "*",
                            "Condition": { "NumericLessThan": { "n": 3 } } }]
        });
        assert_eq!(policy_of(&y), Some(&PolicySpec::Document(want.clone())));
        assert_eq!(policy_of(&t), Some(&PolicySpec::Document(want)));
    }

    #[test]
    fn the_organization_shorthand() {
        let m = ok(yaml(&domain_yaml(
            "name: ab, policy: { share_with_organization: read }",
        )));
        assert_eq!(
            policy_of(&m),
            Some(&PolicySpec::ShareWithOrganization(OrganizationShare::Read))
        );
        let src = domain_yaml("name: ab, policy: { share_with_organization: reed }");
        let (code, label, help) = only(yaml(&src), &src);
        assert_eq!(
            (code.as_str(), label.as_str()),
            ("manifest::invalid_value", "reed")
        );
        assert!(help.contains("did you mean `read`"), "{help}");
    }

    #[test]
    fn exactly_one_form() {
        let src = domain_yaml("name: ab, policy: { share_with_organization: read, file: p.json }");
        let (code, label, _) = only(yaml(&src), &src);
        assert_eq!(
            (code.as_str(), label.as_str()),
            ("manifest::policy_forms", "file")
        );
        let src = domain_yaml("name: ab, policy: {}");
        let (code, label, _) = only(yaml(&src), &src);
        assert_eq!(
            (code.as_str(), label.as_str()),
            ("manifest::empty_policy", "policy")
        );
    }

    #[test]
    fn not_in_defaults() {
        let src = "version: 1\ndefaults: { region: us-east-1, policy: { share_with_organization: read } }\ndomains: [{ name: ab }]\n";
        let (code, label, help) = only(yaml(src), src);
        assert_eq!(
            (code.as_str(), label.as_str()),
            ("manifest::unknown_key", "policy")
        );
        assert!(help.contains("never in `defaults`"), "{help}");
    }

    #[test]
    fn files_are_read_next_to_the_manifest_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("good.json", r#"{"Version": "2012-10-17", "Statement": []}"#);
        write("list.json", "[1]");
        write("broken.json", "{ \"Version\": ");
        write("big.json", &format!("{{\"x\": \"{}\"}}", "a".repeat(8000)));
        // Pretty-printed past 7 168 bytes, but AWS counts the compact document, which fits.
        write(
            "pretty.json",
            &format!(
                "{{\"Version\": \"2012-10-17\",{}\"Statement\": []}}",
                " ".repeat(9000)
            ),
        );
        ok(in_dir(
            dir.path(),
            &domain_yaml("name: ab, policy: { file: pretty.json }"),
        ));
        let m = ok(in_dir(
            dir.path(),
            &domain_yaml("name: ab, policy: { file: good.json }"),
        ));
        assert_eq!(
            policy_of(&m),
            Some(&PolicySpec::Document(
                serde_json::json!({"Version": "2012-10-17", "Statement": []})
            ))
        );
        for (file, message) in [
            ("missing.json", "does not exist"),
            ("list.json", "holds an array, not a JSON object"),
            ("broken.json", "is not JSON"),
            ("big.json", "bytes"),
        ] {
            let src = domain_yaml(&format!("name: ab, policy: {{ file: {file} }}"));
            let err = in_dir(dir.path(), &src).unwrap_err();
            let p = &err.problems()[0];
            assert_eq!(err.problems().len(), 1, "{file}");
            assert_eq!(p.code().to_string(), "manifest::policy_file");
            assert!(p.to_string().contains(message), "{file}: {p}");
            let (_, label, _) = only(in_dir(dir.path(), &src), &src);
            assert_eq!(label, file);
        }
    }

    #[test]
    fn text_without_a_file_refuses_policy_files() {
        let src = domain_yaml("name: ab, policy: { file: p.json }");
        let (code, label, help) = only(yaml(&src), &src);
        assert_eq!(
            (code.as_str(), label.as_str()),
            ("manifest::policy_file", "p.json")
        );
        assert!(help.contains("inline"), "{help}");
    }

    #[test]
    fn inline_documents_must_fit_and_be_json() {
        let big = "a".repeat(7200);
        let src = format!(
            "version: 1\ndomains:\n  - name: ab\n    region: us-east-1\n    policy:\n      document:\n        Sid: {big}\n"
        );
        let (code, label, _) = only(yaml(&src), &src);
        assert_eq!(
            (code.as_str(), label.as_str()),
            ("manifest::policy_too_large", "document")
        );
        let src = "version = 1\n[[domains]]\nname = \"ab\"\nregion = \"us-east-1\"\n[domains.policy.document]\nVersion = 2012-10-17\n";
        let (code, label, help) = only(toml(src), src);
        assert_eq!(
            (code.as_str(), label.as_str()),
            ("manifest::policy_value", "2012-10-17")
        );
        assert!(help.contains("quote"), "{help}");
    }
}

#[test]
fn keys_take_defaults_and_keep_description_and_tags() {
    let src = "version: 1
defaults: { region: eu-west-1, account: prod, tags: { owner: domains-only } }
accounts:
  prod: { id: \"111122223333\" }
keys:
  - alias: alias/codeartifact
    description: domains
    tags: { team: platform }
  - { alias: alias/codeartifact, account: \"444455556666\", region: us-east-1 }
domains:
  - { name: ab, encryption_key: alias/codeartifact }
";
    let m = ok(yaml(src));
    let first = src.find("alias/codeartifact").unwrap_or_default();
    let second = src.find("alias/codeartifact, account").unwrap_or_default();
    let span = |at: usize| at..at + "alias/codeartifact".len();
    assert_eq!(
        m.keys,
        vec![
            DeclaredKey {
                alias: "alias/codeartifact".into(),
                placement: Placement::single(
                    AccountRef::Named {
                        name: "prod".into(),
                        id: "111122223333".into()
                    },
                    "eu-west-1"
                ),
                description: Some(Pattern::text("domains")),
                tags: [("team".to_string(), Pattern::text("platform"))].into(),
                line: 6,
                alias_span: span(first),
            },
            DeclaredKey {
                alias: "alias/codeartifact".into(),
                placement: Placement::single(AccountRef::Id("444455556666".into()), "us-east-1"),
                description: None,
                tags: BTreeMap::new(),
                line: 9,
                alias_span: span(second),
            },
        ]
    );
}

#[test]
fn key_problems_are_located() {
    let src = "version: 1
defaults: { region: eu-west-1 }
keys:
  - alias: alias/aws/codeartifact
  - alias: codeartifact
  - { alias: alias/ok, region: mars-1 }
  - { alias: alias/twice, tags: { \"aws:x\": v } }
  - alias: alias/twice
domains: []
";
    let all = problems(yaml(src), src);
    let codes: Vec<(&str, &str)> = all
        .iter()
        .map(|(c, l, _)| (c.as_str(), l.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("manifest::invalid_key_alias", "alias/aws/codeartifact"),
            ("manifest::invalid_key_alias", "codeartifact"),
            ("manifest::unknown_region", "mars-1"),
            ("manifest::reserved_tag_prefix", "\"aws:x\""),
            ("manifest::duplicate_key", "alias/twice"),
        ]
    );
    assert!(all[0].2.contains("`alias/aws/…`"), "{}", all[0].2);
    let long = format!(
        "version: 1\ndefaults: {{ region: eu-west-1 }}\nkeys:\n  - {{ alias: alias/k, description: {} }}\ndomains: []\n",
        "d".repeat(8193)
    );
    assert_eq!(
        only(yaml(&long), &long).0,
        "manifest::key_description_too_long"
    );
    let toml_src =
        "version = 1\ndomains = []\n[[keys]]\nalias = \"alias/k\"\nregion = \"us-east-1\"\n";
    assert_eq!(ok(toml(toml_src)).keys[0].alias, "alias/k");
}

#[test]
fn ownership_is_one_tag_under_the_tag_rules() {
    let m = ok(yaml(
        "version: 1\nownership: { managed-by: provision }\ndefaults: { region: us-east-1 }\ndomains:\n  - name: ab\n",
    ));
    assert_eq!(m.ownership, Some(("managed-by".into(), "provision".into())));
    let m = ok(toml(
        "version = 1\n[ownership]\nowner = \"platform\"\n[defaults]\nregion = \"us-east-1\"\n[[domains]]\nname = \"ab\"\n",
    ));
    assert_eq!(m.ownership, Some(("owner".into(), "platform".into())));
    let two = "version: 1\nownership: { a: b, c: d }\ndefaults: { region: us-east-1 }\ndomains:\n  - name: ab\n";
    let (code, label, help) = only(yaml(two), two);
    assert_eq!(code, "manifest::ownership");
    assert_eq!(label, "ownership");
    assert!(help.contains("managed-by: provision"), "{help}");
    let reserved = "version: 1\nownership: { \"aws:x\": b }\ndefaults: { region: us-east-1 }\ndomains:\n  - name: ab\n";
    let (code, _, _) = only(yaml(reserved), reserved);
    assert_eq!(code, "manifest::reserved_tag_prefix");
    for value in ["\"\"", "\"${account.name}\""] {
        let src = format!(
            "version: 1\nownership: {{ owner: {value} }}\ndefaults: {{ region: us-east-1 }}\ndomains:\n  - name: ab\n"
        );
        let (code, label, _) = only(yaml(&src), &src);
        assert_eq!(
            (code.as_str(), label.as_str()),
            ("manifest::ownership", "ownership"),
            "{value}"
        );
    }
}

#[test]
fn a_value_one_character_long_is_counted_in_the_singular() {
    let src = "version: 1\naccounts:\n  a: { id: \"111122223333\", role_arn: \"arn:aws:iam::111122223333:role/R\", external_id: x }\ndomains: []\n";
    let Err(err) = yaml(src) else {
        panic!("a 1-character external_id is refused")
    };
    let labels: Vec<String> = err
        .problems()
        .iter()
        .flat_map(|p| miette::Diagnostic::labels(p).into_iter().flatten())
        .filter_map(|l| l.label().map(str::to_owned))
        .collect();
    assert_eq!(labels, ["1 character"]);
}
