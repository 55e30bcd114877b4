//! The keys a plan declares: each made at most once per run (CreateKey, then CreateAlias), by
//! whichever of its key entry or the domains that name it gets there first; the others wait for
//! it. Every call goes through the gate.

use super::outcome::{ErrorInfo, KeyOutcome, KeyReport};
use crate::aws::{CallError, Clients, ErrorKind};
use crate::call::interrupt::Interrupt;
use crate::call::{Environment, Kind, Tried};
use crate::model::{TagSet, TargetKey};
use crate::observe::{KeyState, describe_key_once};
use crate::plan::{CreateKey, KeyEntry};
use std::collections::HashMap;
use tokio::sync::OnceCell;

/// One cell per declared key of the plan, filled once with its report.
pub(super) struct Keys<'a> {
    cells: HashMap<(TargetKey, String), (&'a KeyEntry, OnceCell<KeyReport>)>,
}

impl<'a> Keys<'a> {
    pub(super) fn new(entries: &'a [KeyEntry]) -> Self {
        let cells = entries
            .iter()
            .map(|k| ((k.target(), k.alias.clone()), (k, OnceCell::new())))
            .collect();
        Self { cells }
    }

    /// The key's report, made by `make` the first time it is asked for.
    pub(super) async fn get<F, Fut>(
        &self,
        target: &TargetKey,
        alias: &str,
        make: F,
    ) -> Option<&KeyReport>
    where
        F: FnOnce(&'a KeyEntry) -> Fut,
        Fut: Future<Output = KeyReport>,
    {
        let (entry, cell) = self.cells.get(&(target.clone(), alias.to_owned()))?;
        Some(cell.get_or_init(|| make(entry)).await)
    }
}

/// A report with no calls made yet.
pub(super) fn report(k: &KeyEntry, outcome: KeyOutcome) -> KeyReport {
    KeyReport {
        account: k.account.clone(),
        region: k.region.clone(),
        alias: k.alias.clone(),
        outcome,
        arn: k.arn.clone(),
        attempts: 0,
        error: None,
    }
}

fn with_error(mut r: KeyReport, outcome: KeyOutcome, error: ErrorInfo) -> KeyReport {
    r.outcome = outcome;
    r.error = Some(error);
    r
}

/// Make one missing key: the alias once more (a saved plan may be old, or another run quicker),
/// CreateKey for a symmetric encryption key with the manifest's description and tags, then
/// CreateAlias. When the alias appeared in between, that key is used and ours is left orphaned
/// (said in the report; a key is never deleted).
pub(super) async fn make(
    env: &Environment,
    interrupt: &Interrupt,
    clients: &Clients,
    k: &KeyEntry,
    create: &CreateKey,
) -> KeyReport {
    let target = k.target();
    let mut r = report(k, KeyOutcome::Created);
    let read = |tried: Tried<KeyState>, r: &mut KeyReport| {
        r.attempts += tried.attempts;
        tried.result
    };
    // The alias, as KMS describes it now.
    let never = Interrupt::never();
    let describe = || {
        env.gate.call(
            &target,
            Kind::Read,
            &never,
            || describe_key_once(clients, &k.alias),
            &|_, _| {},
        )
    };
    let first = describe().await;
    match read(first, &mut r) {
        Ok(KeyState::NotFound) => {}
        Ok(state) => {
            r.outcome = KeyOutcome::Present;
            r.arn = state.arn().map(str::to_owned);
            return r;
        }
        Err(e) => return with_error(r, KeyOutcome::Failed, (&e).into()),
    }

    let tags = kms_tags(&create.tags);
    let created = env
        .gate
        .call(
            &target,
            Kind::Write,
            interrupt,
            || async {
                let out = clients
                    .kms()
                    .create_key()
                    .key_spec(aws_sdk_kms::types::KeySpec::SymmetricDefault)
                    .key_usage(aws_sdk_kms::types::KeyUsageType::EncryptDecrypt)
                    .set_description(create.description.clone())
                    .set_tags((!tags.is_empty()).then(|| tags.clone()))
                    .send()
                    .await?;
                let meta = out.key_metadata();
                Ok((
                    meta.map(|m| m.key_id().to_owned()).unwrap_or_default(),
                    meta.and_then(|m| m.arn()).map(str::to_owned),
                ))
            },
            &|_, _| {},
        )
        .await;
    r.attempts += created.attempts;
    let (key_id, arn) = match created.result {
        Ok(made) => made,
        Err(e) => {
            let outcome = if e.kind == ErrorKind::Interrupted {
                KeyOutcome::Skipped
            } else {
                KeyOutcome::Failed
            };
            return with_error(r, outcome, (&e).into());
        }
    };
    let ours = arn.clone().unwrap_or_else(|| key_id.clone());

    let aliased = env
        .gate
        .call(
            &target,
            Kind::Write,
            &Interrupt::never(),
            || async {
                clients
                    .kms()
                    .create_alias()
                    .alias_name(&k.alias)
                    .target_key_id(&key_id)
                    .send()
                    .await?;
                Ok(())
            },
            &|_, _| {},
        )
        .await;
    r.attempts += aliased.attempts;
    match aliased.result {
        Ok(()) => {
            r.arn = arn;
            r
        }
        Err(e) if e.kind == ErrorKind::Conflict => {
            // Another run won the race: its key is the alias's, ours stays without one.
            let again = describe().await;
            match read(again, &mut r) {
                Ok(state) if state.arn().is_some() => {
                    r.arn = state.arn().map(str::to_owned);
                    let note = ErrorInfo::call(
                        &e,
                        format!(
                            "{} was created meanwhile by someone else and is used; the key this run created ({ours}) has no alias and is left unused (never deleted: schedule its deletion if it is not wanted)",
                            k.alias
                        ),
                    );
                    with_error(r, KeyOutcome::Present, note)
                }
                Ok(_) => {
                    let why = CallError::new(ErrorKind::Conflict, "");
                    let message = format!(
                        "CreateAlias said {} exists, then DescribeKey did not find it; the key this run created ({ours}) is left without an alias: run apply again",
                        k.alias
                    );
                    with_error(r, KeyOutcome::Failed, ErrorInfo::call(&why, message))
                }
                Err(d) => with_error(r, KeyOutcome::Failed, (&d).into()),
            }
        }
        Err(e) => {
            let message = format!(
                "the key {ours} was created, but not its alias: {}; it is left without an alias (never deleted)",
                e.message
            );
            with_error(r, KeyOutcome::Failed, ErrorInfo::call(&e, message))
        }
    }
}

/// Tags as KMS takes them (`TagKey`/`TagValue`).
fn kms_tags(tags: &TagSet) -> Vec<aws_sdk_kms::types::Tag> {
    tags.iter()
        .filter_map(|(k, v)| {
            aws_sdk_kms::types::Tag::builder()
                .tag_key(k)
                .tag_value(v)
                .build()
                .ok()
        })
        .collect()
}
