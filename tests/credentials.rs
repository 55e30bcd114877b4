//! How credential failures surface through the real SDK: an AssumeRole that STS refuses is a
//! final refusal (not retried, not mistaken for a lost answer); one that fails otherwise is a
//! `Credentials` hiccup, retried.

mod support;

use provision::aws::{CallError, Clients, Connection, ErrorKind};
use provision::model::TargetCredentials;
use provision_emulator::Faults;
use support::{config, world};

#[tokio::test]
async fn an_assume_role_refused_by_sts_is_final_with_no_lost_answer() {
    let w = world(config()).await;
    // Every STS call of the caller fails: the role's credentials can never be had.
    w.endpoint.set_faults(Faults {
        deny_accounts: vec!["000000000000".into()],
        ..Faults::default()
    });
    let connection = Connection::new(Some(w.url()), true);
    let role = TargetCredentials::AssumeRole {
        role_arn: "arn:aws:iam::111122223333:role/Provisioner".into(),
        external_id: None,
        session_name: None,
    };
    let sdk = connection.target(&role, "111122223333", "us-east-1").await;
    let clients = Clients::new(&sdk);
    let err: CallError = clients
        .codeartifact()
        .list_domains()
        .send()
        .await
        .map_err(CallError::from)
        .expect_err("no credentials");
    assert_eq!(err.kind, ErrorKind::AccessDenied, "{err:?}");
    assert_eq!(err.code, None, "no service answered: {err:?}");
    assert!(!err.answer_lost, "the request was never sent: {err:?}");
    assert!(err.message.contains("AccessDenied"), "{err:?}");
}
