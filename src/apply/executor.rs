//! Turn a plan into outcomes: each entry's steps run in order, entries concurrently (bounded),
//! every call through the gate. The create's outcome is decided by `create::decide`; this file
//! only makes the calls it asks for. A target that cannot succeed is skipped, as is everything
//! once the failure tolerance is exceeded or the run is interrupted.

use super::create::{self, Decision, Facts, Presence, Question, Verdict};
use super::events::Events;
use super::keys::{self, Keys};
use super::outcome::{Cause, DomainReport, ErrorInfo, KeyOutcome, KeyReport, Outcome};
use super::schedule;
use crate::aws::{CallError, Clients, ErrorKind};
use crate::call::breaker::{Breakers, MaxFailures, Tolerance, opens_breaker};
use crate::call::interrupt::{Interrupt, Level};
use crate::call::{Environment, Kind, Tried, pool};
use crate::model::policy::same_policy;
use crate::model::{MANAGED_KEY_ALIAS, TagDelta, TagSet, TagsMode, TargetKey};
use crate::observe::{describe_key_once, list_tags_once};
use crate::plan::diff::tag_steps;
use crate::plan::{Entry, Finding, KeyEntry, Plan, Step, StepKind};
use crate::text::plural;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

mod delete;

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub max_failures: Option<MaxFailures>,
    /// `--prune`: delete the domains the plan retires (else they are kept, and said so).
    pub prune: bool,
}

/// Everything apply says of a run.
#[derive(Debug, Clone)]
pub struct Applied {
    pub domains: Vec<DomainReport>,
    /// The keys the manifest declares, in plan order.
    pub keys: Vec<KeyReport>,
    pub elapsed_seconds: f64,
    /// SIGINT/SIGTERM stopped the run early.
    pub interrupted: bool,
    /// Throttling answers met and waited out, over all calls.
    pub throttles: u64,
}

/// One piece of work of the pool: keys are queued first, so that the domains waiting for them
/// find them made or under way. A domain carries its place in the plan.
enum Work<'a> {
    Key(&'a KeyEntry),
    Domain(usize, &'a Entry),
}

enum Finished {
    Key(KeyReport),
    Domain(usize, DomainReport),
}

/// Apply every entry of `plan`; never fails as a whole: each key and domain gets its outcome.
pub async fn apply(
    plan: &Plan,
    env: &Environment,
    settings: &Settings,
    events: &dyn Events,
    interrupt: &Interrupt,
) -> Applied {
    let started = Instant::now();
    // What the tolerance is a share of: the domains this run changes (retired ones only with --prune).
    let changing = plan
        .reported()
        .filter(|e| e.changed_by(settings.prune))
        .count();
    let run = Run {
        env,
        events,
        interrupt,
        breakers: Breakers::default(),
        tolerance: Tolerance::new(settings.max_failures, changing),
        keys: Keys::new(&plan.keys),
        prune: settings.prune,
    };
    let entries: Vec<&Entry> = plan.reported().collect();
    let order = schedule::round_robin(&entries, |e| e.address.target());
    let work = (plan.keys.iter().map(Work::Key))
        .chain(order.into_iter().map(|i| Work::Domain(i, entries[i])));
    let done = pool::bounded(work, env.concurrency, |w| {
        let run = &run;
        async move {
            match w {
                Work::Key(k) => Finished::Key(run.key(k).await),
                Work::Domain(i, e) => Finished::Domain(i, run.domain(e).await),
            }
        }
    })
    .await;
    let (mut keys, mut domains) = (Vec::new(), Vec::new());
    for d in done {
        match d {
            Finished::Key(k) => keys.push(k),
            Finished::Domain(i, d) => domains.push((i, d)),
        }
    }
    // Reported in plan order, whatever order the work ran in.
    domains.sort_unstable_by_key(|(i, _)| *i);
    let mut domains: Vec<DomainReport> = domains.into_iter().map(|(_, d)| d).collect();
    super::advice::advise(plan, &entries, &mut domains);
    Applied {
        domains,
        keys,
        elapsed_seconds: started.elapsed().as_secs_f64(),
        interrupted: interrupt.level() != Level::Running,
        throttles: env.gate.throttles(),
    }
}

/// What every domain's work shares during one run.
struct Run<'a> {
    env: &'a Environment,
    events: &'a dyn Events,
    interrupt: &'a Interrupt,
    breakers: Breakers,
    tolerance: Tolerance,
    keys: Keys<'a>,
    prune: bool,
}

/// One domain's work: its entry, target and clients, and whether a write has left.
struct Call<'a> {
    entry: &'a Entry,
    key: &'a TargetKey,
    clients: &'a Clients,
    /// Whether a write left for AWS: what a hard stop makes `unknown` rather than `skipped`.
    sent: &'a AtomicBool,
    /// Why the domain's first write was not sent after all, when it was held back at its slot.
    held_back: &'a Mutex<Option<ErrorInfo>>,
}

/// What a create step wants, from the plan.
struct Wanted<'a> {
    encryption_key: &'a Option<String>,
    managed_key: &'a Option<String>,
    tags: &'a TagSet,
    tags_mode: TagsMode,
}

/// A domain's report, and the error that proves its target cannot succeed, if any.
struct Done {
    report: DomainReport,
    trip: Option<CallError>,
}

impl Done {
    fn of(report: DomainReport) -> Self {
        Self { report, trip: None }
    }
}

fn with_error(mut r: DomainReport, outcome: Outcome, error: ErrorInfo) -> DomainReport {
    r.outcome = outcome;
    r.error = Some(error);
    r
}

impl Run<'_> {
    /// A declared key's report: made by this task, or by a domain that needed it first.
    async fn key(&self, k: &KeyEntry) -> KeyReport {
        let made = self
            .keys
            .get(&k.target(), &k.alias, |k| self.make_key(k))
            .await;
        made.cloned()
            .unwrap_or_else(|| keys::report(k, KeyOutcome::Skipped))
    }

    /// Create a missing key (or say why not); a present one is reported as is.
    async fn make_key(&self, k: &KeyEntry) -> KeyReport {
        let skipped = |error: ErrorInfo| KeyReport {
            error: Some(error),
            ..keys::report(k, KeyOutcome::Skipped)
        };
        if let Some(blocked) = &k.blocked {
            let why = match blocked.kind {
                // The quota pre-check: nothing would use the key.
                ErrorKind::Quota => "",
                _ => "could not be observed: ",
            };
            return skipped(ErrorInfo {
                kind: Cause::Call(blocked.kind),
                code: blocked.code.clone(),
                message: format!("not attempted: {why}{}", blocked.message),
            });
        }
        let Some(create) = &k.create else {
            return keys::report(k, KeyOutcome::Present);
        };
        let target = k.target();
        if let Some(skip) = self.reason_to_skip(&target) {
            return skipped(skip);
        }
        match self.env.clients(&target) {
            Ok(clients) => keys::make(self.env, self.interrupt, clients, k, create).await,
            Err(err) => skipped((&err).into()),
        }
    }

    /// The ARN of the declared key a domain is to be created with, or why it cannot be.
    async fn declared_arn(&self, target: &TargetKey, alias: &str) -> Result<String, ErrorInfo> {
        let made = self.keys.get(target, alias, |k| self.make_key(k)).await;
        match made {
            Some(KeyReport {
                outcome: KeyOutcome::Created | KeyOutcome::Present,
                arn: Some(arn),
                ..
            }) => Ok(arn.clone()),
            Some(r) => {
                let why = r.error.as_ref().map_or("", |e| e.message.as_str());
                let error = r.error.clone().unwrap_or(ErrorInfo {
                    kind: Cause::Call(ErrorKind::Other),
                    code: None,
                    message: String::new(),
                });
                Err(ErrorInfo {
                    message: format!(
                        "not attempted: its key {alias} is {}: {why}",
                        r.outcome.key()
                    ),
                    ..error
                })
            }
            None => Err(ErrorInfo {
                kind: Cause::Call(ErrorKind::Other),
                code: None,
                message: format!("not attempted: the plan does not declare its key {alias}"),
            }),
        }
    }

    async fn domain(&self, e: &Entry) -> DomainReport {
        let report = self.domain_work(e).await;
        self.events.finished(&report);
        report
    }

    async fn domain_work(&self, e: &Entry) -> DomainReport {
        let mut base = DomainReport::new(&e.address, Outcome::Unchanged);
        base.arn = e.arn.clone();
        match &e.finding {
            Some(Finding::Unreachable { blocked }) => {
                let error = ErrorInfo {
                    kind: Cause::Call(blocked.kind),
                    code: blocked.code.clone(),
                    message: match &blocked.next {
                        Some(next) => format!(
                            "not attempted: could not be observed: {}\nnext: {next}",
                            blocked.message
                        ),
                        None => {
                            format!("not attempted: could not be observed: {}", blocked.message)
                        }
                    },
                };
                base.arn = None;
                return with_error(base, Outcome::Skipped, error);
            }
            Some(f @ Finding::UnusableKey { .. }) => {
                let error = ErrorInfo {
                    kind: Cause::UnusableKey,
                    code: None,
                    message: format!("not attempted: {}", f.key_problem().unwrap_or_default()),
                };
                return with_error(base, Outcome::Skipped, error);
            }
            Some(Finding::Drift { drift }) => {
                return with_error(base, Outcome::Drifted, drift.into());
            }
            Some(Finding::OverQuota {
                existing,
                planned,
                quota,
            }) => {
                let error = ErrorInfo {
                    kind: Cause::Call(ErrorKind::Quota),
                    code: None,
                    message: format!(
                        "not attempted: {} there and {planned} to create would exceed the domain quota of {quota}; request an increase of \"Domains per account\" through Service Quotas, then pass --domain-quota",
                        plural(*existing, "domain", "domains")
                    ),
                };
                return with_error(base, Outcome::Skipped, error);
            }
            // Only informational: `Plan::reported` leaves them out.
            Some(Finding::Unmanaged { .. }) => return base,
            None if e.steps.is_empty() => return base,
            // Retired, but deleting needs --prune: nothing is asked of AWS.
            None if !e.changed_by(self.prune) => {
                base.outcome = Outcome::Kept;
                return base;
            }
            None => {}
        }
        let key = e.address.target();
        if let Some(skip) = self.reason_to_skip(&key) {
            return with_error(base, Outcome::Skipped, skip);
        }
        self.events.started(&e.address);
        let sent = AtomicBool::new(false);
        let held_back = Mutex::new(None);
        let skipped = base.clone();
        let work = async {
            let clients = match self.env.clients(&key) {
                Ok(c) => c,
                Err(err) => {
                    return Done::of(with_error(base.clone(), Outcome::Skipped, (&err).into()));
                }
            };
            let call = Call {
                entry: e,
                key: &key,
                clients,
                sent: &sent,
                held_back: &held_back,
            };
            self.steps(&call, base.clone()).await
        };
        let done = tokio::select! {
            d = work => d,
            _ = self.interrupt.reached(Level::Hard) => {
                let (outcome, message) = if sent.load(Ordering::SeqCst) {
                    (Outcome::Unknown, "stopped at once while a write was in flight; run `provision apply` again: done work is found present and skipped")
                } else {
                    (Outcome::Skipped, "stopped at once before any write was sent")
                };
                let err = CallError::new(ErrorKind::Interrupted, message);
                Done::of(with_error(base, outcome, (&err).into()))
            }
        };
        // Held back at its slot: the domain was never started, as if skipped at the start.
        let held_back = held_back.lock().unwrap_or_else(|p| p.into_inner()).take();
        let done = match held_back {
            Some(why) => Done::of(with_error(skipped, Outcome::Skipped, why)),
            None => done,
        };
        if done.report.outcome == Outcome::Failed {
            self.tolerance.record_failure();
            if let Some(e) = &done.trip {
                self.breakers.trip(&key, e);
            }
        }
        done.report
    }

    /// Why a domain's work should not start at all.
    fn reason_to_skip(&self, key: &TargetKey) -> Option<ErrorInfo> {
        if self.interrupt.level() != Level::Running {
            let e = CallError::new(
                ErrorKind::Interrupted,
                "not started: the run was interrupted",
            );
            return Some((&e).into());
        }
        if let Some(x) = self.tolerance.exceeded() {
            return Some(ErrorInfo {
                kind: Cause::ToleranceExceeded,
                code: None,
                message: format!(
                    "not started: {} failed, more than the {} that --max-failures tolerates",
                    plural(x.failed, "domain", "domains"),
                    x.allowed
                ),
            });
        }
        self.breakers.reason(key).map(|e| {
            let message = format!(
                "not attempted: {key} already answered {}: {}",
                e.label(),
                e.message
            );
            ErrorInfo::call(&e, message)
        })
    }

    /// The entry's steps in order; the first that fails ends the domain's work.
    async fn steps(&self, call: &Call<'_>, mut report: DomainReport) -> Done {
        report.outcome = Outcome::TagsUpdated;
        for step in &call.entry.steps {
            let (attempts, result) = match step {
                Step::Create {
                    encryption_key,
                    declared_key,
                    managed_key,
                    tags,
                    tags_mode,
                } => {
                    // A key declared in the manifest is made first (or waited for).
                    let encryption_key = match declared_key {
                        None => encryption_key.clone(),
                        Some(alias) => match self.declared_arn(call.key, alias).await {
                            Ok(arn) => Some(arn),
                            Err(why) => {
                                return Done::of(with_error(report, Outcome::Skipped, why));
                            }
                        },
                    };
                    let wanted = Wanted {
                        encryption_key: &encryption_key,
                        managed_key,
                        tags,
                        tags_mode: *tags_mode,
                    };
                    let done = self.create(call, &wanted, report).await;
                    // The steps after a create (its policy) need the domain to be there.
                    if done.trip.is_some() || done.report.error.is_some() {
                        return done;
                    }
                    report = done.report;
                    continue;
                }
                Step::PutPolicy {
                    document, revision, ..
                } => {
                    let (attempts, result) =
                        self.put_policy(call, document, revision.as_deref()).await;
                    report.attempts += attempts;
                    match result {
                        Ok(()) => {}
                        Err(PutFailed::Changed(code)) => {
                            let info = ErrorInfo {
                                kind: Cause::PolicyChanged,
                                code,
                                message: "the domain's policy was changed after the plan was made (its revision is not the one observed); it was not overwritten: run plan again to see the change".into(),
                            };
                            return Done::of(with_error(report, Outcome::Failed, info));
                        }
                        Err(PutFailed::Call(e)) => return failed(report, e),
                    }
                    report.steps.push(step.kind());
                    continue;
                }
                Step::Delete { tag, value } => {
                    return self.delete(call, tag, value, report).await;
                }
                Step::SetTags { .. } | Step::RemoveTags { .. } => {
                    let Some(arn) = report.arn.clone() else {
                        let e =
                            CallError::new(ErrorKind::Other, "the plan has no ARN for this domain");
                        return Done::of(with_error(report, Outcome::Failed, (&e).into()));
                    };
                    self.tag_step(call, &arn, step).await
                }
            };
            report.attempts += attempts;
            if let Err(e) = result {
                return failed(report, e);
            }
            report.steps.push(step.kind());
        }
        // A domain whose only change was its policy says so.
        if report.outcome == Outcome::TagsUpdated
            && report.steps.iter().all(|s| *s == StepKind::PutPolicy)
        {
            report.outcome = Outcome::PolicyUpdated;
        }
        Done::of(report)
    }
}

/// Why a PutDomainPermissionsPolicy did not happen.
enum PutFailed {
    /// The revision observed is no longer the policy's (or a policy appeared where the plan saw
    /// none): someone changed it since the plan. AWS's error code, when it answered one.
    Changed(Option<String>),
    Call(CallError),
}

/// A tag call that ended in error: the domain's verdict, and whether it opens the breaker (a
/// tag-count quota concerns this domain only; a refusal, the whole target).
fn failed(report: DomainReport, e: CallError) -> Done {
    let trip = opens_breaker(e.kind, false).then(|| e.clone());
    let verdict = create::ended(&e, false);
    Done {
        report: conclude(report, verdict),
        trip,
    }
}

impl Run<'_> {
    async fn create(&self, call: &Call<'_>, wanted: &Wanted<'_>, mut report: DomainReport) -> Done {
        let name = &call.entry.address.name;
        let codeartifact = call.clients.codeartifact();
        let sdk = sdk_tags(wanted.tags);
        let tried = self
            .write(call, || async {
                let out = codeartifact
                    .create_domain()
                    .domain(name)
                    .set_encryption_key(wanted.encryption_key.clone())
                    .set_tags((!sdk.is_empty()).then(|| sdk.clone()))
                    .send()
                    .await?;
                Ok(out.domain().and_then(|d| d.arn()).map(str::to_string))
            })
            .await;
        report.attempts += tried.attempts;
        let mut facts = Facts {
            create: tried.result,
            answer_lost: tried.answer_lost,
            described: None,
            named_key: wanted.encryption_key.clone(),
            managed_key: wanted.managed_key.clone().map(|m| Ok(Some(m))),
        };
        let verdict = loop {
            match create::decide(&facts) {
                Decision::Done(v) => break v,
                Decision::Ask(Question::DescribeDomain) => {
                    let (presence, n) = self.describe(call).await;
                    report.attempts += n;
                    facts.described = Some(presence);
                }
                Decision::Ask(Question::ManagedKey) => {
                    let tried = self
                        .read(call, || describe_key_once(call.clients, MANAGED_KEY_ALIAS))
                        .await;
                    report.attempts += tried.attempts;
                    facts.managed_key = Some(tried.result.map(|k| k.arn().map(str::to_owned)));
                }
            }
        };
        let (present, trip) = match &verdict {
            Verdict::Present { arn, .. } => (arn.clone(), None),
            // A domain-count quota on CreateDomain, or a refusal of any call, stops the target.
            Verdict::Ended { error, .. } => {
                (None, opens_breaker(error.kind, true).then(|| error.clone()))
            }
            Verdict::Created { .. } | Verdict::Drifted { .. } => (None, None),
        };
        let report = conclude(report, verdict);
        let Some(arn) = present else {
            return Done { report, trip };
        };
        // Another run's domain (or one created out of band) gets the manifest's tags too; the
        // correction is recorded in the steps, the outcome stays what the create found.
        self.correct_tags(call, wanted, &arn, report).await
    }

    /// ListTagsForResource, then the tag steps that make it the manifest's.
    async fn correct_tags(
        &self,
        call: &Call<'_>,
        wanted: &Wanted<'_>,
        arn: &str,
        mut report: DomainReport,
    ) -> Done {
        let listed = self.read(call, || list_tags_once(call.clients, arn)).await;
        report.attempts += listed.attempts;
        let live = match listed.result {
            Ok(t) => t,
            Err(e) => return failed(report, e),
        };
        for step in tag_steps(TagDelta::between(wanted.tags, &live, wanted.tags_mode)) {
            let (n, result) = self.tag_step(call, arn, &step).await;
            report.attempts += n;
            if let Err(e) = result {
                return failed(report, e);
            }
            report.steps.push(step.kind());
        }
        Done::of(report)
    }

    /// DescribeDomain, and the number of calls it took.
    async fn describe(&self, call: &Call<'_>) -> (Presence, u32) {
        let name = &call.entry.address.name;
        let codeartifact = call.clients.codeartifact();
        let described = self
            .read(call, || async {
                let out = codeartifact.describe_domain().domain(name).send().await?;
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
            Err(e) if e.kind == ErrorKind::NotFound => Presence::Absent,
            Err(e) => Presence::Unconfirmed(e),
        };
        (presence, described.attempts)
    }

    /// PutDomainPermissionsPolicy with the revision observed (`None`: the domain had no policy).
    /// ConflictException here is not "already done" (as it is for CreateDomain): the policy
    /// was changed by someone else, unless it is now the manifest's (our own write, whose
    /// answer was lost and whose retry then met the revision it had made).
    async fn put_policy(
        &self,
        call: &Call<'_>,
        document: &str,
        revision: Option<&str>,
    ) -> (u32, Result<(), PutFailed>) {
        let codeartifact = call.clients.codeartifact();
        let address = &call.entry.address;
        let mut attempts = 0;
        // Without a revision AWS overwrites whatever is there: a policy someone put since the
        // plan (which saw none) is looked for first, and reported rather than overwritten.
        if revision.is_none() {
            let (n, live) = self.live_policy(call).await;
            attempts += n;
            match live {
                Ok(Some(now)) if same_policy(&now, document) => return (attempts, Ok(())),
                Ok(Some(_)) => return (attempts, Err(PutFailed::Changed(None))),
                Ok(None) => {}
                Err(e) => return (attempts, Err(PutFailed::Call(e))),
            }
        }
        // Sent compact: the canonical pretty form is for people, and AWS counts characters.
        let body = serde_json::from_str::<serde_json::Value>(document)
            .map_or_else(|_| document.to_string(), |v| v.to_string());
        let tried = self
            .write(call, || async {
                codeartifact
                    .put_domain_permissions_policy()
                    .domain(&address.name)
                    .domain_owner(address.account.as_str())
                    .set_policy_revision(revision.map(str::to_string))
                    .policy_document(&body)
                    .send()
                    .await?;
                Ok(())
            })
            .await;
        attempts += tried.attempts;
        let e = match tried.result {
            Ok(()) => return (attempts, Ok(())),
            Err(e) if e.kind == ErrorKind::Conflict => e,
            Err(e) => return (attempts, Err(PutFailed::Call(e))),
        };
        // A conflict after our own write whose answer was lost is ours: the policy is the manifest's.
        let (n, live) = self.live_policy(call).await;
        attempts += n;
        match live {
            Ok(Some(now)) if same_policy(&now, document) => (attempts, Ok(())),
            _ => (attempts, Err(PutFailed::Changed(e.code))),
        }
    }

    /// The domain's policy document now (`None`: it has none).
    async fn live_policy(&self, call: &Call<'_>) -> (u32, Result<Option<String>, CallError>) {
        let codeartifact = call.clients.codeartifact();
        let address = &call.entry.address;
        let live = self
            .read(call, || async {
                let out = codeartifact
                    .get_domain_permissions_policy()
                    .domain(&address.name)
                    .domain_owner(address.account.as_str())
                    .send()
                    .await?;
                Ok(out.policy().and_then(|p| p.document()).map(str::to_string))
            })
            .await;
        let result = match live.result {
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            other => other,
        };
        (live.attempts, result)
    }

    /// TagResource or UntagResource for one step.
    async fn tag_step(
        &self,
        call: &Call<'_>,
        arn: &str,
        step: &Step,
    ) -> (u32, Result<(), CallError>) {
        let codeartifact = call.clients.codeartifact();
        let tried = match step {
            Step::SetTags { tags } => {
                let set: TagSet = tags
                    .iter()
                    .map(|t| (t.key.clone(), t.new.clone()))
                    .collect();
                let sdk = sdk_tags(&set);
                self.write(call, || async {
                    let request = codeartifact.tag_resource().resource_arn(arn);
                    request.set_tags(Some(sdk.clone())).send().await?;
                    Ok(())
                })
                .await
            }
            Step::RemoveTags { tags } => {
                let keys: Vec<String> = tags.iter().map(|t| t.key.clone()).collect();
                self.write(call, || async {
                    let request = codeartifact.untag_resource().resource_arn(arn);
                    request.set_tag_keys(Some(keys.clone())).send().await?;
                    Ok(())
                })
                .await
            }
            Step::Create { .. } | Step::PutPolicy { .. } | Step::Delete { .. } => {
                return (0, Ok(()));
            }
        };
        (tried.attempts, tried.result)
    }

    /// A write to the call's target through the gate, cut short by an interrupt.
    async fn write<T, F, Fut>(&self, call: &Call<'_>, mut op: F) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CallError>>,
    {
        let op = || {
            call.sent.store(true, Ordering::SeqCst);
            self.events.sending(&call.entry.address);
            op()
        };
        let on_retry = self.on_retry(call);
        // The reasons not to start a domain are asked again when its first write has its slot:
        // the wait for it may be long, and many domains wait at once (--concurrency), so without
        // this the failure tolerance and the breakers would stop nothing of what already waits.
        let admit = || {
            if call.sent.load(Ordering::SeqCst) {
                return Ok(());
            }
            match self.reason_to_skip(call.key) {
                None => Ok(()),
                Some(why) => {
                    let e = CallError::new(ErrorKind::Interrupted, why.message.clone());
                    *call.held_back.lock().unwrap_or_else(|p| p.into_inner()) = Some(why);
                    Err(e)
                }
            }
        };
        self.env
            .gate
            .call_admitted(call.key, Kind::Write, self.interrupt, op, &on_retry, &admit)
            .await
    }

    /// A read that belongs to work already under way: no soft stop cuts it short.
    async fn read<T, F, Fut>(&self, call: &Call<'_>, mut op: F) -> Tried<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CallError>>,
    {
        let op = || {
            self.events.sending(&call.entry.address);
            op()
        };
        let on_retry = self.on_retry(call);
        self.env
            .gate
            .call(call.key, Kind::Read, &Interrupt::never(), op, &on_retry)
            .await
    }

    fn on_retry<'a>(&'a self, call: &'a Call<'_>) -> impl Fn(&CallError, Duration) + Sync + 'a {
        move |e: &CallError, wait: Duration| self.events.retrying(&call.entry.address, e, wait)
    }
}

/// A finished create's verdict on the report. The create counts as a step performed when the
/// domain exists afterwards (made by us, or found there).
fn conclude(mut report: DomainReport, verdict: Verdict) -> DomainReport {
    match verdict {
        Verdict::Created { arn } => {
            report.steps.push(StepKind::Create);
            report.outcome = Outcome::Created;
            report.arn = arn;
            report
        }
        Verdict::Present { arn, conflict } => {
            report.steps.push(StepKind::Create);
            report.outcome = if conflict {
                Outcome::AlreadyPresent
            } else {
                Outcome::Created
            };
            report.arn = arn;
            report
        }
        Verdict::Drifted { arn, drift } => {
            report.steps.push(StepKind::Create);
            report.arn = arn;
            with_error(report, Outcome::Drifted, (&drift).into())
        }
        Verdict::Ended { outcome, error } => with_error(report, outcome, (&error).into()),
    }
}

/// Tags as the SDK takes them.
fn sdk_tags(tags: &TagSet) -> Vec<aws_sdk_codeartifact::types::Tag> {
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
