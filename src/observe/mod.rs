//! Observe: what exists in each (account, Region) — no state file, the cloud is the truth.
//! Targets are observed concurrently through the call layer's pool; a target AWS will not let
//! us read is marked unreachable and the others go on.

mod error;
mod identity;
mod inventory;
mod keys;
mod live;
mod policy;
mod target;
mod watch;

pub use error::{ObserveError, TargetProblem};
pub use inventory::inventory;
pub use keys::{describe_key, describe_key_once};
pub use live::{Blocked, KeyState, LiveDomain, LivePolicy, LiveState, LiveTarget};
pub use target::list_tags_once;
pub use watch::Watch;

use crate::call::{Environment, pool};
use crate::model::{Target, TargetKey};
use crate::resolve::Resolved;
use identity::Identities;
use std::collections::BTreeMap;

/// Observe every target. Credentials that answer for another account fail the whole observation
/// (all such targets reported at once): the manifest's map of accounts to credentials is wrong,
/// and acting on the rest of it would trust that map. Everything else is one target's state.
/// `watch` hears how the observation goes.
pub async fn observe(
    env: &Environment,
    resolved: &Resolved,
    watch: &dyn Watch,
) -> Result<LiveState, ObserveError> {
    watch.begin(resolved.targets.len());
    let wanted = resolved.by_target();
    let declared = resolved.keys_by_target();
    let (none, no_keys) = (Vec::new(), Vec::new());
    let identities = Identities::default();
    let results = pool::bounded(&resolved.targets, env.concurrency, |t| async {
        let wanted = wanted.get(&t.key()).unwrap_or(&none);
        let declared = declared.get(&t.key()).unwrap_or(&no_keys);
        let result = match env.clients(&t.key()) {
            Ok(clients) => {
                let ownership = resolved.ownership.as_ref();
                target::observe_target(env, &identities, clients, t, wanted, declared, ownership)
                    .await
            }
            Err(error) => Err(vec![no_client(t, error)]),
        };
        watch.observed(&t.key());
        result
    })
    .await;
    gather(&resolved.targets, results)
}

/// Each target's observation (in `targets`' order, as the pool keeps it) into the live state.
/// A target AWS would not let us read is unreachable, not fatal: one broken account must not
/// hold up an organisation. A wrong account is the manifest's error, reported with the others.
fn gather(
    targets: &[Target],
    results: Vec<Result<LiveTarget, Vec<TargetProblem>>>,
) -> Result<LiveState, ObserveError> {
    let mut live = LiveState::default();
    let mut problems = Vec::new();
    for (t, result) in targets.iter().zip(results) {
        match result {
            Ok(target) => {
                live.targets.insert(t.key(), target);
            }
            Err(p) => match unreachable(&p, t) {
                Some(blocked) => {
                    live.unreachable.insert(t.key(), blocked);
                }
                None => problems.extend(p),
            },
        }
    }
    if problems.is_empty() {
        Ok(live)
    } else {
        Err(ObserveError { problems })
    }
}

/// Before a saved plan is applied, check every target's identity again (the credentials of
/// today may not be those of the plan). Returns the targets that could not be asked; an
/// account that answers as another one fails the whole run.
pub async fn verify(
    env: &Environment,
    targets: &[Target],
    watch: &dyn Watch,
) -> Result<BTreeMap<TargetKey, Blocked>, ObserveError> {
    watch.begin(targets.len());
    let identities = &Identities::default();
    let results = pool::bounded(targets, env.concurrency, |t| async move {
        let result = match env.clients(&t.key()) {
            Ok(clients) => identities.verify(env, clients, t).await,
            Err(error) => Err(no_client(t, error)),
        };
        watch.observed(&t.key());
        result
    })
    .await;
    let mut blocked = BTreeMap::new();
    let mut problems = Vec::new();
    // The pool keeps the input order.
    for (t, result) in targets.iter().zip(results) {
        if let Err(p) = result {
            match unreachable(std::slice::from_ref(&p), t) {
                Some(b) => {
                    blocked.insert(t.key(), b);
                }
                None => problems.push(p),
            }
        }
    }
    if problems.is_empty() {
        Ok(blocked)
    } else {
        Err(ObserveError { problems })
    }
}

fn no_client(t: &Target, error: crate::aws::CallError) -> TargetProblem {
    TargetProblem::Call {
        target: t.key(),
        operation: "connect",
        error,
    }
}

/// The reason target `t` is unreachable, when its only problems are failed calls.
fn unreachable(problems: &[TargetProblem], t: &Target) -> Option<Blocked> {
    let mut first = None;
    for p in problems {
        match p {
            TargetProblem::Call {
                operation, error, ..
            } => {
                first.get_or_insert_with(|| Blocked::of_call(operation, error, t));
            }
            _ => return None,
        }
    }
    first
}
