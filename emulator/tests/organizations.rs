//! The real aws-sdk-organizations against the endpoint over HTTP: every operation, the SDK
//! paginators over a thousand accounts, who may call, throttling, and reloading the organisation.

mod common;

use aws_config::retry::RetryConfig;
use aws_sdk_organizations::Client;
use aws_sdk_organizations::error::ProvideErrorMetadata;
use aws_sdk_organizations::types::{AccountJoinedMethod, AccountState, AccountStatus};
use provision_emulator::{Config, Faults, Fraction, Running, StartError};
use std::io::Write;

const MANAGEMENT: &str = "111111111111";
const TEAM_A: &str = "222222222222";
const PLAY: &str = "333333333333";

const ORG: &str = r#"
management_account: "111111111111"
accounts:
  - { id: "111111111111", name: management, email: root@example.com }
  - { id: "444444444444", name: shared-services }
ous:
  - name: Workloads
    tags: { owner: platform }
    accounts:
      - { id: "222222222222", name: team-a, state: ACTIVE, tags: { env: prod, team: a } }
    ous: [ { name: Sandbox, accounts: [ { id: "333333333333", name: play, state: SUSPENDED } ] } ]
"#;

/// An endpoint serving `yaml` as its organisation (the file outlives the start: it is read then).
async fn start_with(yaml: &str) -> Running {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(yaml.as_bytes()).unwrap();
    let mut config = common::unthrottled();
    config.organization = Some(file.path().to_path_buf());
    common::start(config).await
}

/// Organizations lives in us-east-1 only; clients sign for it there.
async fn client(url: &str, account: &str) -> Client {
    Client::new(&common::sdk(url, account, "test", "us-east-1").await)
}

fn code<E: ProvideErrorMetadata>(err: E) -> String {
    err.code().unwrap_or("<none>").to_string()
}

#[tokio::test]
async fn every_operation_answers_the_management_account() {
    let ep = start_with(ORG).await;
    let org = client(&ep.url(), MANAGEMENT).await;

    let o = org.describe_organization().send().await.unwrap();
    let o = o.organization().unwrap();
    let org_id = o.id().unwrap().to_string();
    assert!(org_id.starts_with("o-"), "{org_id}");
    assert_eq!(o.master_account_id(), Some(MANAGEMENT));
    assert_eq!(o.master_account_email(), Some("root@example.com"));
    assert_eq!(
        o.arn(),
        Some(format!("arn:aws:organizations::{MANAGEMENT}:organization/{org_id}").as_str())
    );

    let roots = org.list_roots().send().await.unwrap();
    assert_eq!(roots.roots().len(), 1);
    let root = roots.roots()[0].id().unwrap().to_string();
    assert!(root.starts_with("r-"));
    assert!(roots.next_token().is_none());

    let ous = org
        .list_organizational_units_for_parent()
        .parent_id(&root)
        .send()
        .await
        .unwrap();
    let [workloads] = ous.organizational_units() else {
        panic!("{ous:?}")
    };
    assert_eq!(workloads.name(), Some("Workloads"));
    let workloads_id = workloads.id().unwrap();
    assert!(workloads_id.starts_with(&format!("ou-{}-", &root[2..])));
    assert_eq!(
        workloads.path(),
        Some(format!("{org_id}/{root}/{workloads_id}/").as_str())
    );

    let under_root = org
        .list_accounts_for_parent()
        .parent_id(&root)
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = under_root
        .accounts()
        .iter()
        .filter_map(|a| a.id())
        .collect();
    assert_eq!(ids, [MANAGEMENT, "444444444444"]);

    let in_workloads = org
        .list_accounts_for_parent()
        .parent_id(workloads_id)
        .send()
        .await
        .unwrap();
    let [team_a] = in_workloads.accounts() else {
        panic!("only the OU's own accounts, not its children's: {in_workloads:?}")
    };
    assert_eq!(team_a.name(), Some("team-a"));
    assert_eq!(team_a.state(), Some(&AccountState::Active));
    assert_eq!(team_a.joined_method(), Some(&AccountJoinedMethod::Created));
    assert!(team_a.joined_timestamp().is_some());
    assert_eq!(
        team_a.arn(),
        Some(format!("arn:aws:organizations::{MANAGEMENT}:account/{org_id}/{TEAM_A}").as_str())
    );

    let all = org.list_accounts().send().await.unwrap();
    assert_eq!(all.accounts().len(), 4);

    let described = org
        .describe_account()
        .account_id(TEAM_A)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.account().and_then(|a| a.email()),
        Some("aws+222222222222@example.com")
    );

    let tags = org
        .list_tags_for_resource()
        .resource_id(TEAM_A)
        .send()
        .await
        .unwrap();
    let tags: Vec<_> = tags.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(tags, [("env", "prod"), ("team", "a")]);
    let ou_tags = org
        .list_tags_for_resource()
        .resource_id(workloads_id)
        .send()
        .await
        .unwrap();
    assert_eq!(ou_tags.tags()[0].key(), "owner");
    ep.shutdown().await;
}

#[tokio::test]
async fn suspended_accounts_report_state_and_the_retired_status() {
    let ep = start_with(ORG).await;
    let org = client(&ep.url(), MANAGEMENT).await;
    let play = org
        .describe_account()
        .account_id(PLAY)
        .send()
        .await
        .unwrap();
    let play = play.account().unwrap();
    assert_eq!(play.state(), Some(&AccountState::Suspended));
    #[allow(deprecated)]
    let status = play.status();
    assert_eq!(status, Some(&AccountStatus::Suspended));
    ep.shutdown().await;
}

#[tokio::test]
async fn the_sdk_paginators_walk_a_thousand_accounts() {
    let mut yaml = String::from(
        "management_account: \"100000000000\"\naccounts: [ { id: \"100000000000\", name: m } ]\nous:\n",
    );
    for ou in 0..4 {
        yaml.push_str(&format!("  - name: ou{ou}\n    accounts:\n"));
        for n in 0..250u64 {
            let id = 200_000_000_000 + n * 4 + ou;
            yaml.push_str(&format!("      - {{ id: \"{id}\", name: a{id} }}\n"));
        }
    }
    let ep = start_with(&yaml).await;
    let org = client(&ep.url(), "100000000000").await;

    // These paginators have no `items()`: the pages are flattened here.
    let pages = org
        .list_accounts()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 101, "pages of 10");
    let all: Vec<_> = pages.iter().flat_map(|p| p.accounts()).collect();
    assert_eq!(all.len(), 1001);
    let mut ids: Vec<_> = all.iter().filter_map(|a| a.id()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 1001, "no account twice");

    let root = org.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_string();
    let ous = org
        .list_organizational_units_for_parent()
        .parent_id(&root)
        .max_results(3)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ous.len(), 2, "pages of 3");
    let ous: Vec<_> = ous.iter().flat_map(|p| p.organizational_units()).collect();
    assert_eq!(ous.len(), 4);
    let mut total = 0;
    for ou in &ous {
        let accounts = org
            .list_accounts_for_parent()
            .parent_id(ou.id().unwrap())
            .max_results(20)
            .into_paginator()
            .send()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(accounts.len(), 13, "pages of 20");
        let accounts: Vec<_> = accounts.iter().flat_map(|p| p.accounts()).collect();
        assert_eq!(accounts.len(), 250);
        total += accounts.len();
    }
    assert_eq!(total, 1000);

    // Without MaxResults a page is small, so that pagination is exercised.
    let first = org.list_accounts().send().await.unwrap();
    assert_eq!(first.accounts().len(), 10);
    assert!(first.next_token().is_some());
    ep.shutdown().await;
}

#[tokio::test]
async fn only_the_management_account_may_list() {
    let ep = start_with(ORG).await;
    let member = client(&ep.url(), TEAM_A).await;
    let err = member.list_accounts().send().await.unwrap_err();
    assert_eq!(code(err.into_service_error()), "AccessDeniedException");
    let err = member
        .describe_account()
        .account_id(TEAM_A)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_access_denied_exception(), "{err:?}");
    assert_eq!(
        err.message(),
        Some("You don't have permissions to access this resource.")
    );
    // Any account of the organisation may describe it, as in AWS.
    let o = member.describe_organization().send().await.unwrap();
    assert_eq!(
        o.organization().and_then(|o| o.master_account_id()),
        Some(MANAGEMENT)
    );

    let outsider = client(&ep.url(), "999999999999").await;
    let err = outsider.list_roots().send().await.unwrap_err();
    assert_eq!(code(err.into_service_error()), "AccessDeniedException");
    let err = outsider.describe_organization().send().await.unwrap_err();
    assert_eq!(code(err.into_service_error()), "AccessDeniedException");
    ep.shutdown().await;
}

#[tokio::test]
async fn without_an_organisation_file_no_account_is_in_one() {
    let ep = common::start(common::unthrottled()).await;
    let org = client(&ep.url(), MANAGEMENT).await;
    let err = org
        .describe_organization()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_aws_organizations_not_in_use_exception(), "{err:?}");
    let err = org.list_accounts().send().await.unwrap_err();
    assert_eq!(
        code(err.into_service_error()),
        "AWSOrganizationsNotInUseException"
    );
    ep.shutdown().await;
}

#[tokio::test]
async fn injected_throttling_is_too_many_requests_and_the_sdk_retries_it() {
    let ep = start_with(ORG).await;
    ep.set_faults(Faults {
        throttle_rate: Fraction(1.0),
        ..Faults::default()
    });
    let org = client(&ep.url(), MANAGEMENT).await;
    let err = org
        .list_roots()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_too_many_requests_exception(), "{err:?}");

    // Half the calls throttled: the SDK's standard retries (TooManyRequestsException is a
    // throttling code to it) get every call through.
    ep.set_faults(Faults {
        throttle_rate: Fraction(0.5),
        retry_after: 0,
        seed: Some(3),
        ..Faults::default()
    });
    let sdk = aws_config::SdkConfig::builder()
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(10)
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build();
    let conf = aws_sdk_organizations::config::Builder::from(
        &common::sdk(&ep.url(), MANAGEMENT, "test", "us-east-1").await,
    )
    .retry_config(sdk.retry_config().unwrap().clone())
    .build();
    let retrying = Client::from_conf(conf);
    for _ in 0..5 {
        retrying.list_roots().send().await.unwrap();
    }
    ep.shutdown().await;
}

#[tokio::test]
async fn bad_ids_and_tokens_are_invalid_input_and_unknown_ones_not_found() {
    let ep = start_with(ORG).await;
    let org = client(&ep.url(), MANAGEMENT).await;
    let err = org
        .list_accounts_for_parent()
        .parent_id("not-a-parent")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_input_exception(), "{err:?}");
    let err = org
        .list_accounts_for_parent()
        .parent_id("ou-zzzz-zzzzzzzz")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_parent_not_found_exception(), "{err:?}");
    let err = org
        .describe_account()
        .account_id("123456789012")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_account_not_found_exception(), "{err:?}");
    let err = org
        .list_tags_for_resource()
        .resource_id("123456789012")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_target_not_found_exception(), "{err:?}");
    let err = org
        .list_accounts()
        .next_token("garbage")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_input_exception(), "{err:?}");
    ep.shutdown().await;
}

#[tokio::test]
async fn a_reload_adds_an_account_between_two_discoveries() {
    let ep = start_with(ORG).await;
    let org = client(&ep.url(), MANAGEMENT).await;
    let before = org.list_accounts().send().await.unwrap().accounts().len();
    let ous_before = org.list_roots().send().await.unwrap();

    let grown = ORG.replace(
        "      - { id: \"222222222222\"",
        "      - { id: \"555555555555\", name: team-b }\n      - { id: \"222222222222\"",
    );
    let (status, answer) =
        common::admin(&ep.url(), "POST", "/_emulator/organization", &grown).await;
    assert_eq!(status, 200, "{answer}");
    let after = org.list_accounts().send().await.unwrap().accounts().len();
    assert_eq!(after, before + 1);
    // Ids are derived from the file, so they survive the reload.
    let ous_after = org.list_roots().send().await.unwrap();
    assert_eq!(ous_before.roots()[0].id(), ous_after.roots()[0].id());

    let (status, refused) = common::admin(
        &ep.url(),
        "POST",
        "/_emulator/organization",
        "management_account: 1\n",
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused.contains("12 digits"), "{refused}");
    ep.shutdown().await;
}

#[tokio::test]
async fn an_invalid_organisation_file_stops_the_start() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(b"management_account: \"111111111111\"\nunknown: 1\n")
        .unwrap();
    let config = Config {
        organization: Some(file.path().to_path_buf()),
        ..Config::default()
    };
    let Err(err) = provision_emulator::start(config).await else {
        panic!("an invalid organisation file must stop the start");
    };
    assert!(matches!(err, StartError::Organization(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("unknown") && message.contains(&file.path().display().to_string()),
        "{message}"
    );
}
