//! The real aws-sdk-codeartifact against the endpoint over HTTP: every operation and error it serves.

mod common;

use aws_sdk_codeartifact::error::ProvideErrorMetadata;
use aws_sdk_codeartifact::operation::create_domain::CreateDomainError;
use aws_sdk_codeartifact::types::ValidationExceptionReason;
use common::{codeartifact, kms, start, tag, unthrottled};
use futures::StreamExt;
use provision_emulator::Config;

const A: &str = "111122223333";
const B: &str = "444455556666";

#[tokio::test]
async fn create_describe_list_delete() {
    let ep = start(unthrottled()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;

    let created = ca
        .create_domain()
        .domain("acme-prod")
        .tags(tag("env", "prod"))
        .send()
        .await
        .unwrap();
    let d = created.domain().unwrap();
    assert_eq!(d.name(), Some("acme-prod"));
    assert_eq!(d.owner(), Some(A));
    assert_eq!(
        d.arn(),
        Some("arn:aws:codeartifact:us-east-1:111122223333:domain/acme-prod")
    );
    assert_eq!(d.status().map(|s| s.as_str()), Some("Active"));
    assert!(d.created_time().unwrap().secs() > 1_700_000_000);
    assert_eq!(d.repository_count(), 0);
    assert_eq!(
        d.s3_bucket_arn(),
        Some("arn:aws:s3:::assets-111122223333-us-east-1")
    );
    // No key given: the account's AWS-managed key, created on first use, with its alias.
    let key_arn = d.encryption_key().unwrap().to_string();
    assert!(
        key_arn.starts_with("arn:aws:kms:us-east-1:111122223333:key/"),
        "{key_arn}"
    );
    let managed = kms(&ep.url(), A, "us-east-1")
        .await
        .describe_key()
        .key_id("alias/aws/codeartifact")
        .send()
        .await
        .unwrap();
    assert_eq!(
        managed.key_metadata().unwrap().arn(),
        Some(key_arn.as_str())
    );

    let described = ca
        .describe_domain()
        .domain("acme-prod")
        .domain_owner(A)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.domain().unwrap().encryption_key(),
        Some(key_arn.as_str())
    );

    let listed = ca.list_domains().send().await.unwrap();
    let names: Vec<_> = listed.domains().iter().filter_map(|d| d.name()).collect();
    assert_eq!(names, ["acme-prod"]);
    assert!(listed.next_token().is_none());

    let deleted = ca.delete_domain().domain("acme-prod").send().await.unwrap();
    assert_eq!(
        deleted.domain().unwrap().status().map(|s| s.as_str()),
        Some("Deleted")
    );
    let err = ca
        .describe_domain()
        .domain("acme-prod")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    ep.shutdown().await;
}

#[tokio::test]
async fn customer_keys_resolve_and_asymmetric_or_unknown_keys_are_refused() {
    let ep = start(unthrottled()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    let kms = kms(&ep.url(), A, "us-east-1").await;
    let key = kms.create_key().send().await.unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    let key_id = key.key_metadata().unwrap().key_id().to_string();
    kms.create_alias()
        .alias_name("alias/artifacts")
        .target_key_id(&key_id)
        .send()
        .await
        .unwrap();

    for reference in [
        key_id.clone(),
        key_arn.clone(),
        "alias/artifacts".to_string(),
        "arn:aws:kms:us-east-1:111122223333:alias/artifacts".to_string(),
    ] {
        let name = format!("by-{}", reference.len());
        let d = ca
            .create_domain()
            .domain(&name)
            .encryption_key(&reference)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{reference}: {e:?}"));
        assert_eq!(
            d.domain().unwrap().encryption_key(),
            Some(key_arn.as_str()),
            "{reference}"
        );
    }

    let rsa = kms
        .create_key()
        .key_spec(aws_sdk_kms::types::KeySpec::Rsa2048)
        .key_usage(aws_sdk_kms::types::KeyUsageType::SignVerify)
        .send()
        .await
        .unwrap();
    for bad in [rsa.key_metadata().unwrap().arn().unwrap(), "alias/missing"] {
        let err = ca
            .create_domain()
            .domain("bad-key")
            .encryption_key(bad)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        let CreateDomainError::ValidationException(v) = &err else {
            panic!("{bad}: expected ValidationException, got {err:?}")
        };
        assert_eq!(
            v.reason(),
            Some(&ValidationExceptionReason::EncryptionKeyError)
        );
        assert_eq!(err.meta().code(), Some("ValidationException"));
    }
    ep.shutdown().await;
}

#[tokio::test]
async fn inputs_are_checked_as_the_model_constrains_them() {
    let ep = start(unthrottled()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    let long = "a".repeat(51);
    let long_key = "k".repeat(129);
    let cases: Vec<(&str, Vec<aws_sdk_codeartifact::types::Tag>)> = vec![
        ("Upper", vec![]),
        ("a", vec![]),
        (long.as_str(), vec![]),
        ("ends-with-dash-", vec![]),
        ("9starts-with-digit", vec![]),
        ("x-acme-prod", vec![tag("aws:reserved", "x")]),
        ("ok-name", vec![tag(&long_key, "x")]),
        ("ok-name", vec![tag("k", "line\nbreak")]),
        ("ok-name", vec![tag("dup", "1"), tag("dup", "2")]),
    ];
    for (name, tags) in cases {
        let err = ca
            .create_domain()
            .domain(name)
            .set_tags(Some(tags.clone()))
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        let CreateDomainError::ValidationException(v) = &err else {
            panic!("{name} {tags:?}: expected ValidationException, got {err:?}")
        };
        assert_eq!(
            v.reason(),
            Some(&ValidationExceptionReason::FieldValidationFailed),
            "{name}"
        );
    }
    for max in [0, 1001] {
        let err = ca.list_domains().max_results(max).send().await.unwrap_err();
        assert_eq!(err.code(), Some("ValidationException"), "maxResults {max}");
    }
    let err = ca
        .list_domains()
        .next_token("forged")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"));
    ep.shutdown().await;
}

#[tokio::test]
async fn a_second_create_conflicts_naming_the_domain() {
    let ep = start(unthrottled()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    ca.create_domain().domain("acme").send().await.unwrap();
    let err = ca.create_domain().domain("acme").send().await.unwrap_err();
    let raw_status = err.raw_response().map(|r| r.status().as_u16());
    let CreateDomainError::ConflictException(c) = err.into_service_error() else {
        panic!("expected ConflictException")
    };
    assert_eq!(raw_status, Some(409));
    assert_eq!(c.resource_id(), Some("acme"));
    assert_eq!(c.resource_type().map(|t| t.as_str()), Some("domain"));
    ep.shutdown().await;
}

#[tokio::test]
async fn list_domains_paginates_over_2500_domains() {
    let mut config = unthrottled();
    config.quotas.domain_quota = 0;
    let ep = start(config).await;
    let ca = codeartifact(&ep.url(), A, "eu-west-1").await;
    let created: Vec<_> = futures::stream::iter(0..2500)
        .map(|i| {
            let ca = ca.clone();
            async move { ca.create_domain().domain(format!("d-{i:04}")).send().await }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    assert!(created.iter().all(Result::is_ok));

    let pages: Vec<_> = ca
        .list_domains()
        .max_results(1000)
        .into_paginator()
        .send()
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    let names: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.unwrap().domains().to_vec())
        .filter_map(|d| d.name().map(str::to_string))
        .collect();
    let expected: Vec<String> = (0..2500).map(|i| format!("d-{i:04}")).collect();
    assert_eq!(names, expected, "every domain once, in name order");
    ep.shutdown().await;
}

#[tokio::test]
async fn accounts_and_regions_are_isolated() {
    let ep = start(unthrottled()).await;
    let a_east = codeartifact(&ep.url(), A, "us-east-1").await;
    let a_west = codeartifact(&ep.url(), A, "eu-west-1").await;
    let b_east = codeartifact(&ep.url(), B, "us-east-1").await;
    a_east
        .create_domain()
        .domain("shared-name")
        .send()
        .await
        .unwrap();
    // The same name is free in another Region and another account.
    a_west
        .create_domain()
        .domain("shared-name")
        .send()
        .await
        .unwrap();
    let b = b_east
        .create_domain()
        .domain("shared-name")
        .send()
        .await
        .unwrap();
    assert_eq!(b.domain().unwrap().owner(), Some(B));
    a_east
        .create_domain()
        .domain("only-a")
        .send()
        .await
        .unwrap();
    let err = b_east
        .describe_domain()
        .domain("only-a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(
        b_east.list_domains().send().await.unwrap().domains().len(),
        1
    );
    assert_eq!(
        a_west.list_domains().send().await.unwrap().domains().len(),
        1
    );
    // Another account's domain cannot be reached by naming its owner.
    let err = b_east
        .describe_domain()
        .domain("only-a")
        .domain_owner(A)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));
    ep.shutdown().await;
}

#[tokio::test]
async fn the_eleventh_domain_exceeds_the_quota_with_402() {
    let ep = start(unthrottled()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    for i in 0..10 {
        ca.create_domain()
            .domain(format!("d{i}"))
            .send()
            .await
            .unwrap();
    }
    let err = ca.create_domain().domain("d10").send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(402));
    assert_eq!(err.code(), Some("ServiceQuotaExceededException"));
    assert!(
        err.message().unwrap().contains("(10)"),
        "{:?}",
        err.message()
    );
    // Another Region has its own quota.
    let west = codeartifact(&ep.url(), A, "eu-west-1").await;
    west.create_domain().domain("d10").send().await.unwrap();
    ep.shutdown().await;
}

#[tokio::test]
async fn over_the_write_rate_is_throttled_with_retry_after() {
    let mut config = Config::default();
    config.quotas.write_tps = 5;
    config.quotas.domain_quota = 0;
    let ep = start(config).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    let results: Vec<_> = futures::future::join_all(
        (0..30).map(|i| ca.create_domain().domain(format!("t{i}")).send()),
    )
    .await;
    let throttled: Vec<_> = results
        .into_iter()
        .filter_map(Result::err)
        .map(|e| {
            assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(429));
            let header = e
                .raw_response()
                .and_then(|r| r.headers().get("retry-after"))
                .map(str::to_string);
            assert_eq!(header.as_deref(), Some("1"));
            e.into_service_error()
        })
        .collect();
    // Thirty writes land within at most two one-second windows of five each.
    assert!(throttled.len() >= 20, "{throttled:?}");
    for e in throttled {
        let CreateDomainError::ThrottlingException(t) = e else {
            panic!("expected ThrottlingException, got {e:?}")
        };
        assert_eq!(t.retry_after_seconds(), Some(1));
    }
    ep.shutdown().await;
}

#[tokio::test]
async fn bad_signatures_and_unknown_tokens_are_refused_with_403() {
    let ep = start(unthrottled()).await;
    let wrong_secret = aws_sdk_codeartifact::Client::new(
        &common::sdk(&ep.url(), A, "not-the-secret", "us-east-1").await,
    );
    let err = wrong_secret.list_domains().send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(403));
    assert_eq!(err.code(), Some("InvalidSignatureException"));

    let forged_session = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(ep.url())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_codeartifact::config::Credentials::new(
            "ASIAFORGED",
            "test",
            Some("made-up-token".into()),
            None,
            "test",
        ))
        .load()
        .await;
    let err = aws_sdk_codeartifact::Client::new(&forged_session)
        .list_domains()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnrecognizedClientException"));

    // A custom secret is honoured.
    let mut config = unthrottled();
    config.secret = "s3cr3t".into();
    let custom = start(config).await;
    let ok = aws_sdk_codeartifact::Client::new(
        &common::sdk(&custom.url(), A, "s3cr3t", "us-east-1").await,
    );
    ok.list_domains().send().await.unwrap();
    let default = codeartifact(&custom.url(), A, "us-east-1").await;
    assert_eq!(
        default.list_domains().send().await.unwrap_err().code(),
        Some("InvalidSignatureException")
    );
    custom.shutdown().await;
    ep.shutdown().await;
}

#[tokio::test]
async fn tags_are_added_updated_removed_and_listed() {
    let ep = start(unthrottled()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    let arn = ca
        .create_domain()
        .domain("tagged")
        .tags(tag("env", "dev"))
        .tags(tag("team", "platform"))
        .send()
        .await
        .unwrap()
        .domain()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    ca.tag_resource()
        .resource_arn(&arn)
        .tags(tag("env", "prod"))
        .tags(tag("cost-center", "4410"))
        .send()
        .await
        .unwrap();
    ca.untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    let tags = ca
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let pairs: Vec<_> = tags.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(pairs, [("env", "prod"), ("cost-center", "4410")]);

    let missing = arn.replace("tagged", "missing");
    let err = ca
        .list_tags_for_resource()
        .resource_arn(missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    let many: Vec<_> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
    let err = ca
        .tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(many))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ServiceQuotaExceededException"));
    ep.shutdown().await;
}

#[tokio::test]
async fn domain_permissions_policies_have_revisions() {
    let ep = start(unthrottled()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    ca.create_domain().domain("guarded").send().await.unwrap();
    let err = ca
        .get_domain_permissions_policy()
        .domain("guarded")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));

    let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
    let first = ca
        .put_domain_permissions_policy()
        .domain("guarded")
        .policy_document(doc)
        .send()
        .await
        .unwrap();
    let rev = first.policy().unwrap().revision().unwrap().to_string();
    let got = ca
        .get_domain_permissions_policy()
        .domain("guarded")
        .send()
        .await
        .unwrap();
    assert_eq!(got.policy().unwrap().document(), Some(doc));
    assert_eq!(
        got.policy().unwrap().resource_arn(),
        Some("arn:aws:codeartifact:us-east-1:111122223333:domain/guarded")
    );
    // A stale revision conflicts; the current one replaces the policy.
    let err = ca
        .put_domain_permissions_policy()
        .domain("guarded")
        .policy_document(doc)
        .policy_revision("stale")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"));
    let second = ca
        .put_domain_permissions_policy()
        .domain("guarded")
        .policy_document(doc)
        .policy_revision(&rev)
        .send()
        .await
        .unwrap();
    let rev2 = second.policy().unwrap().revision().unwrap().to_string();
    assert_ne!(rev, rev2);
    let err = ca
        .put_domain_permissions_policy()
        .domain("guarded")
        .policy_document("not json")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"));
    let err = ca
        .delete_domain_permissions_policy()
        .domain("guarded")
        .policy_revision(&rev)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"));
    ca.delete_domain_permissions_policy()
        .domain("guarded")
        .policy_revision(&rev2)
        .send()
        .await
        .unwrap();
    let err = ca
        .get_domain_permissions_policy()
        .domain("guarded")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    ep.shutdown().await;
}

#[tokio::test]
async fn a_domain_with_repositories_cannot_be_deleted() {
    let ep = start(unthrottled()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    ca.create_domain().domain("busy").send().await.unwrap();
    let status = admin_patch(
        &ep.url(),
        "/_emulator/domains/111122223333/us-east-1/busy",
        r#"{"repositoryCount": 2}"#,
    )
    .await;
    assert_eq!(status, 200);
    let d = ca.describe_domain().domain("busy").send().await.unwrap();
    assert_eq!(d.domain().unwrap().repository_count(), 2);
    let err = ca.delete_domain().domain("busy").send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(409));
    assert_eq!(err.code(), Some("ConflictException"));
    ep.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = unthrottled();
    config.state = Some(dir.path().to_path_buf());
    let ep = start(config.clone()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    let created = ca
        .create_domain()
        .domain("kept")
        .tags(tag("env", "prod"))
        .send()
        .await
        .unwrap();
    ca.create_domain().domain("gone").send().await.unwrap();
    ca.delete_domain().domain("gone").send().await.unwrap();
    ep.shutdown().await;

    let ep = start(config).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    let listed = ca.list_domains().send().await.unwrap();
    let names: Vec<_> = listed.domains().iter().filter_map(|d| d.name()).collect();
    assert_eq!(names, ["kept"]);
    let d = ca.describe_domain().domain("kept").send().await.unwrap();
    assert_eq!(
        d.domain().unwrap().encryption_key(),
        created.domain().unwrap().encryption_key()
    );
    let arn = d.domain().unwrap().arn().unwrap();
    let tags = ca
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().len(), 1);
    ep.shutdown().await;
}

#[tokio::test]
async fn injected_faults_answer_500_drop_connections_or_deny() {
    let ep = start(unthrottled()).await;
    let ca = codeartifact(&ep.url(), A, "us-east-1").await;
    let mut faults = provision_emulator::Faults {
        error_rate: provision_emulator::Fraction(1.0),
        ..Default::default()
    };
    ep.set_faults(faults.clone());
    let err = ca.list_domains().send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));
    assert_eq!(err.code(), Some("InternalServerException"));

    // Dropped after the write: the client sees no answer, yet the domain exists.
    faults.error_rate = provision_emulator::Fraction(0.0);
    faults.drop_rate = provision_emulator::Fraction(1.0);
    faults.drop_after_write = provision_emulator::Fraction(1.0);
    ep.set_faults(faults.clone());
    let err = ca.create_domain().domain("maybe").send().await.unwrap_err();
    assert!(err.raw_response().is_none(), "no HTTP answer: {err:?}");
    // Dropped before the write: nothing happened.
    faults.drop_after_write = provision_emulator::Fraction(0.0);
    ep.set_faults(faults);
    ca.create_domain().domain("never").send().await.unwrap_err();
    ep.set_faults(provision_emulator::Faults {
        deny_accounts: vec![B.into()],
        ..Default::default()
    });
    let names: Vec<_> = ca
        .list_domains()
        .send()
        .await
        .unwrap()
        .domains()
        .iter()
        .filter_map(|d| d.name().map(str::to_string))
        .collect();
    assert_eq!(names, ["maybe"]);
    let denied = codeartifact(&ep.url(), B, "us-east-1").await;
    let err = denied.list_domains().send().await.unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(403));

    let stats: serde_json::Value = admin_get(&ep.url(), "/_emulator/stats").await;
    let a = &stats["accounts"][A]["operations"];
    assert_eq!(a["ListDomains"]["InternalServerException"], 1);
    assert_eq!(a["CreateDomain"]["dropped-after-write"], 1);
    assert_eq!(a["CreateDomain"]["dropped-before-write"], 1);
    assert_eq!(
        stats["accounts"][B]["operations"]["ListDomains"]["AccessDeniedException"],
        1
    );
    ep.shutdown().await;
}

async fn admin_patch(url: &str, path: &str, body: &str) -> u16 {
    common::admin(url, "PATCH", path, body).await.0
}

async fn admin_get(url: &str, path: &str) -> serde_json::Value {
    let (status, body) = common::admin(url, "GET", path, "").await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}
