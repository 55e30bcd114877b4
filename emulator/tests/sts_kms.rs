//! The real aws-sdk-sts and aws-sdk-kms against the endpoint over HTTP: identities, temporary
//! credentials, keys and aliases, and their isolation by account and Region.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_kms::error::ProvideErrorMetadata;
use aws_sdk_kms::types::{KeyManagerType, KeySpec, KeyUsageType};
use aws_sdk_sts::config::Credentials;
use provision_emulator::{Config, Running};

const A: &str = "111122223333";
const B: &str = "444455556666";

/// An endpoint without request quotas, so that no test is throttled by accident.
async fn start() -> Running {
    let mut config = Config::default();
    config.quotas.write_tps = 0;
    config.quotas.read_tps = 0;
    provision_emulator::start(config)
        .await
        .expect("endpoint starts")
}

/// SDK configuration as a user would have it; retries off so that every answer is seen.
async fn sdk(url: &str, credentials: Credentials, region: &str) -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new(region.to_string()))
        .credentials_provider(credentials)
        .retry_config(RetryConfig::disabled())
        .load()
        .await
}

fn static_keys(access_key_id: &str) -> Credentials {
    Credentials::new(access_key_id, "test", None, None, "static")
}

async fn sts(url: &str, access_key_id: &str) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::new(&sdk(url, static_keys(access_key_id), "us-east-1").await)
}

async fn kms(url: &str, account: &str, region: &str) -> aws_sdk_kms::Client {
    aws_sdk_kms::Client::new(&sdk(url, static_keys(account), region).await)
}

#[tokio::test]
async fn caller_identity_of_static_keys() {
    let ep = start().await;
    let me = sts(&ep.url(), A)
        .await
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(me.account(), Some(A));
    assert!(me.arn().is_some_and(|arn| arn.contains(A)), "{me:?}");
    assert!(me.user_id().is_some());

    // An access key id that is not an account number acts as the default account.
    let me = sts(&ep.url(), "AKIAIOSFODNN7EXAMPLE")
        .await
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(me.account(), Some("000000000000"));
    ep.shutdown().await;
}

#[tokio::test]
async fn assumed_role_credentials_act_as_the_role() {
    let ep = start().await;
    let out = sts(&ep.url(), A)
        .await
        .assume_role()
        .role_arn(format!("arn:aws:iam::{B}:role/deploy/provisioner"))
        .role_session_name("ci-run-42")
        .duration_seconds(900)
        .external_id("ext-id")
        .send()
        .await
        .unwrap();
    let creds = out.credentials().unwrap();
    assert!(creds.access_key_id().starts_with("ASIA"));
    assert_eq!(creds.access_key_id().len(), 20);
    assert_eq!(creds.secret_access_key().len(), 40);
    let lifetime = creds.expiration().secs() - now_secs();
    assert!((800..=1000).contains(&lifetime), "{lifetime}");
    let user = out.assumed_role_user().unwrap();
    let arn = format!("arn:aws:sts::{B}:assumed-role/provisioner/ci-run-42");
    assert_eq!(user.arn(), arn);
    assert!(user.assumed_role_id().starts_with("AROA"));
    assert!(user.assumed_role_id().ends_with(":ci-run-42"));

    let temporary = Credentials::new(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token().to_string()),
        None,
        "assumed",
    );
    let config = sdk(&ep.url(), temporary, "us-east-1").await;
    let me = aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(me.account(), Some(B));
    assert_eq!(me.arn(), Some(arn.as_str()));
    assert_eq!(me.user_id(), Some(user.assumed_role_id()));

    // The role's account owns what the temporary credentials create.
    let key = aws_sdk_kms::Client::new(&config)
        .create_key()
        .send()
        .await
        .unwrap();
    assert_eq!(key.key_metadata().unwrap().aws_account_id(), Some(B));
    ep.shutdown().await;
}

/// Seconds since the epoch, to check an expiration against.
fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[tokio::test]
async fn assume_role_validation_errors() {
    let ep = start().await;
    let client = sts(&ep.url(), A).await;
    let role = format!("arn:aws:iam::{B}:role/ok");
    let user = format!("arn:aws:iam::{B}:user/someone");
    for (role_arn, session) in [
        ("not-a-role-arn-at-all", "session"),
        ("arn:aws:iam::12:role/short-account", "session"),
        (user.as_str(), "session"),
        (role.as_str(), "x"),
        (role.as_str(), "bad name"),
    ] {
        let err = client
            .assume_role()
            .role_arn(role_arn)
            .role_session_name(session)
            .send()
            .await
            .unwrap_err();
        let err = err.into_service_error();
        assert_eq!(
            err.code(),
            Some("ValidationError"),
            "{role_arn} {session}: {err:?}"
        );
    }
    let err = client
        .assume_role()
        .role_arn(format!("arn:aws:iam::{B}:role/ok"))
        .role_session_name("session")
        .duration_seconds(60)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.into_service_error().code(), Some("ValidationError"));
    ep.shutdown().await;
}

#[tokio::test]
async fn keys_and_aliases() {
    let ep = start().await;
    let client = kms(&ep.url(), A, "us-east-1").await;

    let symmetric = client
        .create_key()
        .description("domain key")
        .send()
        .await
        .unwrap();
    let m = symmetric.key_metadata().unwrap();
    let (id, arn) = (m.key_id().to_string(), m.arn().unwrap().to_string());
    assert_eq!(arn, format!("arn:aws:kms:us-east-1:{A}:key/{id}"));
    assert_eq!(m.aws_account_id(), Some(A));
    assert_eq!(m.key_spec(), Some(&KeySpec::SymmetricDefault));
    assert_eq!(m.key_usage(), Some(&KeyUsageType::EncryptDecrypt));
    assert_eq!(m.key_manager(), Some(&KeyManagerType::Customer));
    assert_eq!(m.description(), Some("domain key"));
    assert!(m.enabled());
    assert!(m.creation_date().is_some());
    assert_eq!(m.encryption_algorithms().len(), 1);

    let rsa = client
        .create_key()
        .key_spec(KeySpec::Rsa2048)
        .key_usage(KeyUsageType::SignVerify)
        .send()
        .await
        .unwrap();
    let rm = rsa.key_metadata().unwrap();
    assert_eq!(rm.key_spec(), Some(&KeySpec::Rsa2048));
    assert_eq!(rm.signing_algorithms().len(), 6);
    let rsa_encrypt = client
        .create_key()
        .key_spec(KeySpec::Rsa2048)
        .send()
        .await
        .unwrap();
    assert_eq!(
        rsa_encrypt
            .key_metadata()
            .unwrap()
            .encryption_algorithms()
            .len(),
        2
    );

    client
        .create_alias()
        .alias_name("alias/domain")
        .target_key_id(&id)
        .send()
        .await
        .unwrap();
    let alias_arn = format!("arn:aws:kms:us-east-1:{A}:alias/domain");
    for key_ref in [
        id.as_str(),
        arn.as_str(),
        "alias/domain",
        alias_arn.as_str(),
    ] {
        let d = client.describe_key().key_id(key_ref).send().await.unwrap();
        assert_eq!(d.key_metadata().unwrap().key_id(), id, "{key_ref}");
    }

    let err = client
        .create_alias()
        .alias_name("alias/domain")
        .target_key_id(rm.key_id())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_already_exists_exception(), "{err:?}");

    for missing in ["11111111-2222-4333-8444-555555555555", "alias/missing"] {
        let err = client
            .describe_key()
            .key_id(missing)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_not_found_exception(), "{missing}: {err:?}");
    }
    let err = client
        .create_alias()
        .alias_name("alias/other")
        .target_key_id("11111111-2222-4333-8444-555555555555")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_not_found_exception(), "{err:?}");
    ep.shutdown().await;
}

#[tokio::test]
async fn list_aliases_pages() {
    let ep = start().await;
    let client = kms(&ep.url(), A, "us-east-1").await;
    let key = client.create_key().send().await.unwrap();
    let id = key.key_metadata().unwrap().key_id().to_string();
    for i in 0..5 {
        client
            .create_alias()
            .alias_name(format!("alias/team-{i}"))
            .target_key_id(&id)
            .send()
            .await
            .unwrap();
    }
    let (mut names, mut marker, mut pages) = (Vec::new(), None::<String>, 0);
    loop {
        let page = client
            .list_aliases()
            .limit(2)
            .set_marker(marker.clone())
            .send()
            .await
            .unwrap();
        pages += 1;
        assert!(page.aliases().len() <= 2);
        for a in page.aliases() {
            assert_eq!(a.target_key_id(), Some(id.as_str()));
            let name = a.alias_name().unwrap().to_string();
            assert_eq!(
                a.alias_arn(),
                Some(format!("arn:aws:kms:us-east-1:{A}:{name}").as_str())
            );
            names.push(name);
        }
        if !page.truncated() {
            break;
        }
        marker = page.next_marker().map(str::to_string);
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..5).map(|i| format!("alias/team-{i}")).collect();
    assert_eq!(names, expected);

    // The SDK's paginator follows the same markers.
    let all: Vec<_> = client
        .list_aliases()
        .limit(2)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);

    let err = client
        .list_aliases()
        .marker("not-a-marker")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_marker_exception(), "{err:?}");
    ep.shutdown().await;
}

#[tokio::test]
async fn accounts_and_regions_are_isolated() {
    let ep = start().await;
    let a = kms(&ep.url(), A, "us-east-1").await;
    let key = a.create_key().send().await.unwrap();
    let m = key.key_metadata().unwrap();
    let (id, arn) = (m.key_id().to_string(), m.arn().unwrap().to_string());
    a.create_alias()
        .alias_name("alias/shared-name")
        .target_key_id(&id)
        .send()
        .await
        .unwrap();

    let b = kms(&ep.url(), B, "us-east-1").await;
    let a_west = kms(&ep.url(), A, "us-west-2").await;
    for (who, client) in [("account B", &b), ("us-west-2", &a_west)] {
        for key_ref in [id.as_str(), "alias/shared-name"] {
            let err = client
                .describe_key()
                .key_id(key_ref)
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            assert!(err.is_not_found_exception(), "{who} {key_ref}: {err:?}");
        }
        let listed = client.list_aliases().send().await.unwrap();
        assert!(listed.aliases().is_empty(), "{who}");
    }
    // The same alias name is free in another account.
    let b_key = b.create_key().send().await.unwrap();
    b.create_alias()
        .alias_name("alias/shared-name")
        .target_key_id(b_key.key_metadata().unwrap().key_id())
        .send()
        .await
        .unwrap();
    // A key ARN names its own account and Region, as for cross-account key use.
    let d = b.describe_key().key_id(&arn).send().await.unwrap();
    assert_eq!(d.key_metadata().unwrap().aws_account_id(), Some(A));
    let err = b
        .describe_key()
        .key_id("not-a-key")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("NotFoundException"));
    ep.shutdown().await;
}
