//! Turn a plan into a report: creates and tag updates run concurrently (bounded), each call
//! through the gate. A create that met ConflictException, or whose answer was lost, is confirmed
//! with DescribeDomain (key compared, tags reconciled); a target that cannot succeed is skipped,
//! as is everything once the failure tolerance is exceeded or the run is interrupted.

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
use std::sync::atomic::{AtomicBool, Ordering};
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
    let work: Vec<&Change> = plan.reported().collect();
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
            // Unmanaged domains never reach here (filtered out above); drift is only reported.
            Action::Drift | Action::Unmanaged => {
                let e = error("EncryptionKeyDrift", c.reason.clone());
                return report(c, Outcome::Drifted, 0, c.arn.clone(), e);
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
        // Whether a write left for AWS: what a hard stop makes `unknown` rather than `skipped`.
        let sent = AtomicBool::new(false);
        let work = async {
            let Some(clients) = self.env.clients.get(&key) else {
                let e = error("NoCredentials", "no client for this account and Region");
                return report(c, Outcome::Skipped, 0, c.arn.clone(), e);
            };
            let call = Call {
                c,
                key: &key,
                clients,
                on_retry: &on_retry,
                sent: &sent,
            };
            match c.action {
                Action::Create => self.create(&call).await,
                _ => self.update_tags(&call).await,
            }
        };
        let done = tokio::select! {
            r = work => r,
            _ = self.interrupt.reached(Level::Hard) => {
                if sent.load(Ordering::SeqCst) {
                    let e = error(INTERRUPTED, "stopped at once while a write was in flight; run apply again to converge");
                    report(c, Outcome::Unknown, 0, c.arn.clone(), e)
                } else {
                    let e = error(INTERRUPTED, "stopped at once before any write was sent");
                    report(c, Outcome::Skipped, 0, c.arn.clone(), e)
                }
            }
        };
        if done.outcome == Outcome::Failed {
            self.tolerance.record_failure();
            if let Some(e) = done
                .error
                .as_ref()
                .filter(|e| trips_breaker(c.action, &e.code))
            {
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

    /// A write to the call's target through the gate, cut short by an interrupt.
    async fn write<T, F, Fut>(&self, call: &Call<'_>, mut op: F) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CallError>>,
    {
        let op = || {
            call.sent.store(true, Ordering::SeqCst);
            op()
        };
        self.env
            .gate
            .call(call.key, Kind::Write, self.interrupt, op, call.on_retry)
            .await
    }

    /// A read that belongs to work already under way: no soft stop cuts it short.
    async fn read<T, F, Fut>(&self, call: &Call<'_>, op: F) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CallError>>,
    {
        self.env
            .gate
            .call(call.key, Kind::Read, &Interrupt::never(), op, call.on_retry)
            .await
    }

    async fn create(&self, call: &Call<'_>) -> DomainReport {
        let (c, clients) = (call.c, call.clients);
        let tags = sdk_tags(&c.tags);
        let tried = self
            .write(call, || async {
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
        let e = match tried.result {
            Ok(arn) => return report(c, Outcome::Created, attempts, arn, None),
            Err(e) => e,
        };
        let conflict = e.code == "ConflictException";
        let maybe_applied = tried.answer_lost && e.code != INTERRUPTED;
        if !conflict && !maybe_applied {
            return failed(c, attempts, None, &e);
        }
        // Already there (ours from an attempt whose answer was lost, or another run's), or
        // maybe there (the last answers were lost): DescribeDomain says which.
        let (presence, more) = self.present(call).await;
        let attempts = attempts + more;
        let (arn, live_key) = match presence {
            Presence::Present { arn, key } => (arn, key),
            Presence::Absent if !conflict => return failed(c, attempts, None, &e),
            Presence::Absent => {
                let e = error(
                    "ConflictException",
                    "the domain conflicted, then was gone: run apply again",
                );
                return report(c, Outcome::Failed, attempts, None, e);
            }
            Presence::Unconfirmed(d) => {
                let outcome = if conflict {
                    Outcome::Failed
                } else {
                    Outcome::Unknown
                };
                let message = format!("could not confirm whether it exists: {}", d.message);
                return report(c, outcome, attempts, None, error(&d.code, message));
            }
        };
        let wanted = match self.expected_key(call).await {
            Ok(k) => k,
            Err(k) => {
                let message = format!(
                    "present, but its encryption key could not be checked: {}",
                    k.message
                );
                return report(c, Outcome::Failed, attempts, arn, error(&k.code, message));
            }
        };
        if wanted.as_deref() != Some(live_key.as_str()) {
            let message = format!(
                "the domain already exists with encryption key {live_key}, not {}; CodeArtifact cannot change it",
                wanted.as_deref().unwrap_or("the AWS-managed key")
            );
            return report(
                c,
                Outcome::Drifted,
                attempts,
                arn,
                error("EncryptionKeyDrift", message),
            );
        }
        // Ours if an earlier attempt's answer was lost; otherwise someone else's, whose tags
        // need not be the manifest's.
        let outcome = if tried.answer_lost {
            Outcome::Created
        } else {
            Outcome::AlreadyPresent
        };
        let Some(domain_arn) = arn.clone() else {
            return report(c, outcome, attempts, arn, None);
        };
        match self.reconcile_tags(call, &domain_arn).await {
            (n, Ok(false)) => report(c, outcome, attempts + n, arn, None),
            (n, Ok(true)) => report(c, Outcome::TagsUpdated, attempts + n, arn, None),
            (n, Err(e)) => failed(c, attempts + n, arn, &e),
        }
    }

    /// DescribeDomain, and the number of calls it took.
    async fn present(&self, call: &Call<'_>) -> (Presence, u32) {
        let (c, clients) = (call.c, call.clients);
        let described = self
            .read(call, || async {
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
            })
            .await;
        let presence = match described.result {
            Ok((arn, key)) => Presence::Present { arn, key },
            Err(e) if e.code == "ResourceNotFoundException" => Presence::Absent,
            Err(e) => Presence::Unconfirmed(e),
        };
        (presence, described.attempts)
    }

    /// The key a present domain must have: the manifest's, or the AWS-managed key (from the plan,
    /// else looked up now; describing its alias creates it, as CodeArtifact itself would).
    async fn expected_key(&self, call: &Call<'_>) -> Result<Option<String>, CallError> {
        let c = call.c;
        if let Some(k) = c.encryption_key.clone().or_else(|| c.managed_key.clone()) {
            return Ok(Some(k));
        }
        let kms = &call.clients.kms;
        self.read(call, || async {
            let out = kms.describe_key().key_id(MANAGED_KEY_ALIAS).send().await?;
            Ok(out.key_metadata().and_then(|m| m.arn()).map(str::to_string))
        })
        .await
        .result
    }

    /// Make a present domain's tags the manifest's (merge, or exact); whether anything changed.
    async fn reconcile_tags(&self, call: &Call<'_>, arn: &str) -> (u32, Result<bool, CallError>) {
        let c = call.c;
        let codeartifact = &call.clients.codeartifact;
        let listed = self
            .read(call, || async {
                Ok(codeartifact
                    .list_tags_for_resource()
                    .resource_arn(arn)
                    .send()
                    .await?)
            })
            .await;
        let live: BTreeMap<String, String> = match listed.result {
            Ok(out) => out
                .tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect(),
            Err(e) => return (listed.attempts, Err(e)),
        };
        let set: BTreeMap<String, String> = c
            .tags
            .iter()
            .filter(|(k, v)| live.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let remove: Vec<String> = if c.exact_tags {
            live.keys()
                .filter(|k| !c.tags.contains_key(*k) && !k.to_ascii_lowercase().starts_with("aws:"))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let changed = !set.is_empty() || !remove.is_empty();
        let (n, result) = self.apply_tags(call, arn, &set, &remove).await;
        (listed.attempts + n, result.map(|()| changed))
    }

    async fn update_tags(&self, call: &Call<'_>) -> DomainReport {
        let c = call.c;
        let Some(arn) = c.arn.clone() else {
            let e = error("NoArn", "the plan has no ARN for this domain");
            return report(c, Outcome::Failed, 0, None, e);
        };
        match self
            .apply_tags(call, &arn, &c.set_tags, &c.remove_tags)
            .await
        {
            (n, Ok(())) => report(c, Outcome::TagsUpdated, n, Some(arn), None),
            (n, Err(e)) => failed(c, n, Some(arn), &e),
        }
    }

    /// TagResource for `set`, UntagResource for `remove` (each only when non-empty).
    async fn apply_tags(
        &self,
        call: &Call<'_>,
        arn: &str,
        set: &BTreeMap<String, String>,
        remove: &[String],
    ) -> (u32, Result<(), CallError>) {
        let codeartifact = &call.clients.codeartifact;
        let mut attempts = 0;
        if !set.is_empty() {
            let tags = sdk_tags(set);
            let tried = self
                .write(call, || async {
                    let request = codeartifact.tag_resource().resource_arn(arn);
                    request.set_tags(Some(tags.clone())).send().await?;
                    Ok(())
                })
                .await;
            attempts += tried.attempts;
            if let Err(e) = tried.result {
                return (attempts, Err(e));
            }
        }
        if !remove.is_empty() {
            let tried = self
                .write(call, || async {
                    let request = codeartifact.untag_resource().resource_arn(arn);
                    request.set_tag_keys(Some(remove.to_vec())).send().await?;
                    Ok(())
                })
                .await;
            attempts += tried.attempts;
            if let Err(e) = tried.result {
                return (attempts, Err(e));
            }
        }
        (attempts, Ok(()))
    }
}

/// One domain's work: its change, target and clients, and who hears about retries.
struct Call<'a> {
    c: &'a Change,
    key: &'a TargetKey,
    clients: &'a Clients,
    on_retry: &'a OnRetry<'a>,
    sent: &'a AtomicBool,
}

/// What DescribeDomain says of a domain whose create was not plainly answered.
enum Presence {
    Present { arn: Option<String>, key: String },
    Absent,
    Unconfirmed(CallError),
}

/// A domain-count quota or a refusal stops its whole target; a tag-count quota on one domain's
/// TagResource concerns that domain only.
fn trips_breaker(action: Action, code: &str) -> bool {
    opens_breaker(code) && (code != "ServiceQuotaExceededException" || action == Action::Create)
}
