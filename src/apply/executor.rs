//! Turn a plan into a report: creates and tag updates run concurrently (bounded), each call
//! through the gate; a ConflictException on create is confirmed with DescribeDomain.

use super::pool;
use super::rate_limit::Kind;
use crate::aws::{CallError, Clients};
use crate::observe::Environment;
use crate::observe::fetch::MANAGED_KEY_ALIAS;
use crate::plan::{Action, Change, Plan};
use crate::report::progress::Progress;
use crate::report::{DomainReport, ErrorInfo, Outcome, Report};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Settings {
    pub concurrency: usize,
}

/// Apply every change of `plan`; never fails as a whole: each domain gets its outcome.
pub async fn apply(
    plan: &Plan,
    env: &Environment,
    settings: &Settings,
    progress: &Progress,
) -> Report {
    let started = Instant::now();
    let work: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::Unmanaged)
        .collect();
    let domains = pool::bounded(work, settings.concurrency, |c| async move {
        let address = c.address();
        progress.started(&address);
        let report = one(c, env, progress, &address).await;
        progress.finished(&address, report.outcome);
        report
    })
    .await;
    progress.finish();
    Report::new(
        domains,
        started.elapsed().as_secs_f64(),
        false,
        env.gate.throttles(),
    )
}

fn report(
    c: &Change,
    outcome: Outcome,
    attempts: u32,
    arn: Option<String>,
    error: Option<ErrorInfo>,
) -> DomainReport {
    DomainReport {
        account: c.account.clone(),
        region: c.region.clone(),
        name: c.name.clone(),
        outcome,
        attempts,
        arn,
        error,
    }
}

fn info(e: &CallError) -> ErrorInfo {
    ErrorInfo {
        code: e.code.clone(),
        message: e.message.clone(),
    }
}

async fn one(c: &Change, env: &Environment, progress: &Progress, address: &str) -> DomainReport {
    let Some(clients) = env.clients.get(&(c.account.clone(), c.region.clone())) else {
        let e = ErrorInfo {
            code: "NoCredentials".into(),
            message: "no client for this account and Region".into(),
        };
        return report(c, Outcome::Skipped, 0, c.arn.clone(), Some(e));
    };
    let on_retry = |e: &CallError, wait: Duration| progress.retrying(address, &e.code, wait);
    match c.action {
        Action::Create => create(c, env, clients, &on_retry).await,
        Action::UpdateTags => update_tags(c, env, clients, &on_retry).await,
        Action::Unchanged => report(c, Outcome::Unchanged, 0, c.arn.clone(), None),
        Action::Drift | Action::Unmanaged => {
            let e = ErrorInfo {
                code: "EncryptionKeyDrift".into(),
                message: c.reason.clone(),
            };
            report(c, Outcome::Drifted, 0, c.arn.clone(), Some(e))
        }
    }
}

type OnRetry<'a> = dyn Fn(&CallError, Duration) + Sync + 'a;

async fn create(
    c: &Change,
    env: &Environment,
    clients: &Clients,
    on_retry: &OnRetry<'_>,
) -> DomainReport {
    let key = (c.account.clone(), c.region.clone());
    let tags: Vec<_> = c
        .tags
        .iter()
        .filter_map(|(k, v)| {
            aws_sdk_codeartifact::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .ok()
        })
        .collect();
    let tried = env
        .gate
        .call(
            &key,
            Kind::Write,
            || async {
                let out = clients
                    .codeartifact
                    .create_domain()
                    .domain(&c.name)
                    .set_encryption_key(c.encryption_key.clone())
                    .set_tags((!tags.is_empty()).then(|| tags.clone()))
                    .send()
                    .await?;
                Ok(out.domain().and_then(|d| d.arn()).map(str::to_string))
            },
            on_retry,
        )
        .await;
    let attempts = tried.attempts;
    match tried.result {
        Ok(arn) => report(c, Outcome::Created, attempts, arn, None),
        Err(e) if e.code == "ConflictException" => {
            // Already there: ours from an attempt whose answer was lost, or someone else's.
            // Either way it is present; the key decides whether it is the domain we want.
            let (outcome, arn, error) = confirm(c, env, clients, on_retry).await;
            let outcome = match outcome {
                Outcome::AlreadyPresent if tried.answer_lost => Outcome::Created,
                o => o,
            };
            report(c, outcome, attempts + 1, arn, error)
        }
        Err(e) => report(c, Outcome::Failed, attempts, None, Some(info(&e))),
    }
}

async fn confirm(
    c: &Change,
    env: &Environment,
    clients: &Clients,
    on_retry: &OnRetry<'_>,
) -> (Outcome, Option<String>, Option<ErrorInfo>) {
    let key = (c.account.clone(), c.region.clone());
    let described = env
        .gate
        .call(
            &key,
            Kind::Read,
            || async {
                let out = clients
                    .codeartifact
                    .describe_domain()
                    .domain(&c.name)
                    .send()
                    .await?;
                let d = out.domain();
                Ok((
                    d.and_then(|d| d.arn()).map(str::to_string),
                    d.and_then(|d| d.encryption_key())
                        .unwrap_or_default()
                        .to_string(),
                ))
            },
            on_retry,
        )
        .await;
    let (arn, live_key) = match described.result {
        Ok(v) => v,
        Err(e) => return (Outcome::Failed, None, Some(info(&e))),
    };
    let wanted = match &c.encryption_key {
        Some(k) => Some(k.clone()),
        None => env
            .gate
            .read(&key, || async {
                let out = clients
                    .kms
                    .describe_key()
                    .key_id(MANAGED_KEY_ALIAS)
                    .send()
                    .await?;
                Ok(out.key_metadata().and_then(|m| m.arn()).map(str::to_string))
            })
            .await
            .ok()
            .flatten(),
    };
    if wanted.as_deref() == Some(live_key.as_str()) {
        (Outcome::AlreadyPresent, arn, None)
    } else {
        let e = ErrorInfo {
            code: "EncryptionKeyDrift".into(),
            message: format!(
                "the domain already exists with encryption key {live_key}, not {}; CodeArtifact cannot change it",
                c.encryption_key.as_deref().unwrap_or("the AWS-managed key")
            ),
        };
        (Outcome::Drifted, arn, Some(e))
    }
}

async fn update_tags(
    c: &Change,
    env: &Environment,
    clients: &Clients,
    on_retry: &OnRetry<'_>,
) -> DomainReport {
    let key = (c.account.clone(), c.region.clone());
    let Some(arn) = c.arn.clone() else {
        let e = ErrorInfo {
            code: "NoArn".into(),
            message: "the plan has no ARN for this domain".into(),
        };
        return report(c, Outcome::Failed, 0, None, Some(e));
    };
    let mut attempts = 0;
    if !c.set_tags.is_empty() {
        let tags: Vec<_> = c
            .set_tags
            .iter()
            .filter_map(|(k, v)| {
                aws_sdk_codeartifact::types::Tag::builder()
                    .key(k)
                    .value(v)
                    .build()
                    .ok()
            })
            .collect();
        let tried = env
            .gate
            .call(
                &key,
                Kind::Write,
                || async {
                    clients
                        .codeartifact
                        .tag_resource()
                        .resource_arn(&arn)
                        .set_tags(Some(tags.clone()))
                        .send()
                        .await?;
                    Ok(())
                },
                on_retry,
            )
            .await;
        attempts += tried.attempts;
        if let Err(e) = tried.result {
            return report(c, Outcome::Failed, attempts, Some(arn), Some(info(&e)));
        }
    }
    if !c.remove_tags.is_empty() {
        let tried = env
            .gate
            .call(
                &key,
                Kind::Write,
                || async {
                    clients
                        .codeartifact
                        .untag_resource()
                        .resource_arn(&arn)
                        .set_tag_keys(Some(c.remove_tags.clone()))
                        .send()
                        .await?;
                    Ok(())
                },
                on_retry,
            )
            .await;
        attempts += tried.attempts;
        if let Err(e) = tried.result {
            return report(c, Outcome::Failed, attempts, Some(arn), Some(info(&e)));
        }
    }
    report(c, Outcome::TagsUpdated, attempts, Some(arn), None)
}
