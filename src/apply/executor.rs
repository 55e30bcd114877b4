//! Turn a plan into a report: creates and tag updates run concurrently (bounded), each call
//! through the gate. A ConflictException on create is confirmed with DescribeDomain; a target
//! that cannot succeed is skipped, as is everything once the failure tolerance is exceeded or
//! the run is interrupted.

use super::breaker::{Breakers, MaxFailures, Tolerance, opens_breaker};
use super::interrupt::{Interrupt, Level};
use super::pool;
use super::rate_limit::{Kind, TargetKey};
use super::retry::{INTERRUPTED, Tried};
use crate::aws::{CallError, Clients};
use crate::observe::Environment;
use crate::observe::fetch::MANAGED_KEY_ALIAS;
use crate::plan::{Action, Change, Plan};
use crate::report::progress::Progress;
use crate::report::{DomainReport, ErrorInfo, Outcome, Report};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Settings {
    pub concurrency: usize,
    pub max_failures: Option<MaxFailures>,
}

/// Apply every change of `plan`; never fails as a whole: each domain gets its outcome.
pub async fn apply(
    plan: &Plan,
    env: &Environment,
    settings: &Settings,
    progress: &Progress,
    interrupt: &Interrupt,
) -> Report {
    let started = Instant::now();
    let work: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::Unmanaged)
        .collect();
    let changing = work.iter().filter(|c| c.action.is_change()).count();
    let run = Run {
        env,
        progress,
        interrupt,
        breakers: Breakers::default(),
        tolerance: Tolerance::new(settings.max_failures, changing),
    };
    let domains = pool::bounded(work, settings.concurrency, |c| run.domain(c)).await;
    progress.finish();
    Report::new(
        domains,
        started.elapsed().as_secs_f64(),
        interrupt.level() != Level::Running,
        env.gate.throttles(),
    )
}

/// What every domain's work shares during one run.
struct Run<'a> {
    env: &'a Environment,
    progress: &'a Progress,
    interrupt: &'a Interrupt,
    breakers: Breakers,
    tolerance: Tolerance,
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

fn error(code: &str, message: impl Into<String>) -> Option<ErrorInfo> {
    Some(ErrorInfo {
        code: code.into(),
        message: message.into(),
    })
}

/// A call that ended in error: interrupted calls are skipped (or unknown when a write may have
/// landed), everything else failed.
fn failed(c: &Change, tried_attempts: u32, arn: Option<String>, e: &CallError) -> DomainReport {
    let outcome = match e.code.as_str() {
        INTERRUPTED if e.answer_lost => Outcome::Unknown,
        INTERRUPTED => Outcome::Skipped,
        _ => Outcome::Failed,
    };
    report(
        c,
        outcome,
        tried_attempts,
        arn,
        error(&e.code, e.message.clone()),
    )
}

type OnRetry<'a> = dyn Fn(&CallError, Duration) + Sync + 'a;

/// Tags as the SDK takes them.
fn sdk_tags(tags: &BTreeMap<String, String>) -> Vec<aws_sdk_codeartifact::types::Tag> {
    tags.iter()
        .filter_map(|(k, v)| {
            aws_sdk_codeartifact::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .ok()
        })
        .collect()
}

impl Run<'_> {
    async fn domain(&self, c: &Change) -> DomainReport {
        match c.action {
            Action::Unchanged => return report(c, Outcome::Unchanged, 0, c.arn.clone(), None),
            Action::Unreachable => {
                let e = c.blocked.as_ref().map(|b| ErrorInfo {
                    code: b.code.clone(),
                    message: format!("not attempted: could not be observed: {}", b.message),
                });
                return report(c, Outcome::Skipped, 0, None, e);
            }
            Action::Drift | Action::Unmanaged => {
                return report(
                    c,
                    Outcome::Drifted,
                    0,
                    c.arn.clone(),
                    error("EncryptionKeyDrift", c.reason.clone()),
                );
            }
            Action::Create | Action::UpdateTags => {}
        }
        let key: TargetKey = (c.account.clone(), c.region.clone());
        if let Some(skip) = self.reason_to_skip(&key) {
            return report(c, Outcome::Skipped, 0, c.arn.clone(), Some(skip));
        }
        let address = c.address();
        self.progress.started(&address);
        let on_retry =
            |e: &CallError, wait: Duration| self.progress.retrying(&address, &e.code, wait);
        let work = async {
            let Some(clients) = self.env.clients.get(&key) else {
                return report(
                    c,
                    Outcome::Skipped,
                    0,
                    c.arn.clone(),
                    error("NoCredentials", "no client for this account and Region"),
                );
            };
            match c.action {
                Action::Create => self.create(c, &key, clients, &on_retry).await,
                _ => self.update_tags(c, &key, clients, &on_retry).await,
            }
        };
        let done = tokio::select! {
            r = work => r,
            _ = self.interrupt.reached(Level::Hard) => report(
                c,
                Outcome::Unknown,
                0,
                c.arn.clone(),
                error(INTERRUPTED, "stopped at once while its calls were in flight; run apply again to converge"),
            ),
        };
        if done.outcome == Outcome::Failed {
            self.tolerance.record_failure();
            if let Some(e) = done.error.as_ref().filter(|e| opens_breaker(&e.code)) {
                self.breakers.trip(&key, e);
            }
        }
        self.progress.finished(&address, done.outcome);
        done
    }

    /// Why a domain's work should not start at all.
    fn reason_to_skip(&self, key: &TargetKey) -> Option<ErrorInfo> {
        if self.interrupt.level() != Level::Running {
            return error(INTERRUPTED, "not started: the run was interrupted");
        }
        if let Some(e) = self.tolerance.exceeded() {
            return Some(e);
        }
        self.breakers.reason(key).map(|e| ErrorInfo {
            message: format!(
                "not attempted: {}/{} already answered {}: {}",
                key.0, key.1, e.code, e.message
            ),
            code: e.code,
        })
    }

    async fn create(
        &self,
        c: &Change,
        key: &TargetKey,
        clients: &Clients,
        on_retry: &OnRetry<'_>,
    ) -> DomainReport {
        let tags = sdk_tags(&c.tags);
        let tried = self
            .write(key, on_retry, || async {
                let out = clients
                    .codeartifact
                    .create_domain()
                    .domain(&c.name)
                    .set_encryption_key(c.encryption_key.clone())
                    .set_tags((!tags.is_empty()).then(|| tags.clone()))
                    .send()
                    .await?;
                Ok(out.domain().and_then(|d| d.arn()).map(str::to_string))
            })
            .await;
        let attempts = tried.attempts;
        match tried.result {
            Ok(arn) => report(c, Outcome::Created, attempts, arn, None),
            Err(e) if e.code == "ConflictException" => {
                // Already there: ours from an attempt whose answer was lost, or someone else's
                // (another run racing this one). The key decides whether it is the domain we want.
                let (outcome, arn, err) = self.confirm(c, key, clients, on_retry).await;
                let outcome = match outcome {
                    Outcome::AlreadyPresent if tried.answer_lost => Outcome::Created,
                    o => o,
                };
                report(c, outcome, attempts + 1, arn, err)
            }
            Err(e) => failed(c, attempts, None, &e),
        }
    }

    async fn confirm(
        &self,
        c: &Change,
        key: &TargetKey,
        clients: &Clients,
        on_retry: &OnRetry<'_>,
    ) -> (Outcome, Option<String>, Option<ErrorInfo>) {
        // The create was answered; confirming it is part of that in-flight work, so a soft
        // stop does not cut it short (a hard stop still does).
        let described: Tried<_> = self
            .env
            .gate
            .call(
                key,
                Kind::Read,
                &Interrupt::never(),
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
            Err(e) => return (Outcome::Failed, None, error(&e.code, e.message)),
        };
        let wanted = match &c.encryption_key {
            Some(k) => Some(k.clone()),
            None => self
                .env
                .gate
                .read(key, || async {
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
            let message = format!(
                "the domain already exists with encryption key {live_key}, not {}; CodeArtifact cannot change it",
                c.encryption_key.as_deref().unwrap_or("the AWS-managed key")
            );
            (Outcome::Drifted, arn, error("EncryptionKeyDrift", message))
        }
    }

    /// A write to `key` through the gate, cut short by an interrupt.
    async fn write<T, F, Fut>(&self, key: &TargetKey, on_retry: &OnRetry<'_>, op: F) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CallError>>,
    {
        self.env
            .gate
            .call(key, Kind::Write, self.interrupt, op, on_retry)
            .await
    }

    async fn update_tags(
        &self,
        c: &Change,
        key: &TargetKey,
        clients: &Clients,
        on_retry: &OnRetry<'_>,
    ) -> DomainReport {
        let Some(arn) = c.arn.clone() else {
            return report(
                c,
                Outcome::Failed,
                0,
                None,
                error("NoArn", "the plan has no ARN for this domain"),
            );
        };
        let mut attempts = 0;
        if !c.set_tags.is_empty() {
            let tags = sdk_tags(&c.set_tags);
            let tried = self
                .write(key, on_retry, || async {
                    let call = clients.codeartifact.tag_resource().resource_arn(&arn);
                    call.set_tags(Some(tags.clone())).send().await?;
                    Ok(())
                })
                .await;
            attempts += tried.attempts;
            if let Err(e) = tried.result {
                return failed(c, attempts, Some(arn), &e);
            }
        }
        if !c.remove_tags.is_empty() {
            let tried = self
                .write(key, on_retry, || async {
                    let call = clients.codeartifact.untag_resource().resource_arn(&arn);
                    call.set_tag_keys(Some(c.remove_tags.clone()))
                        .send()
                        .await?;
                    Ok(())
                })
                .await;
            attempts += tried.attempts;
            if let Err(e) = tried.result {
                return failed(c, attempts, Some(arn), &e);
            }
        }
        report(c, Outcome::TagsUpdated, attempts, Some(arn), None)
    }
}
