//! Observe everything in some targets, not only what a manifest names: every domain with its
//! tags and policy, and the AWS-managed key (what `provision export` writes a manifest from).

use super::identity::Identities;
use super::keys::describe_key;
use super::live::{LiveState, LiveTarget};
use super::policy::get_policy;
use super::target::{list_domains, list_tags};
use super::{TargetProblem, Watch, no_client};
use crate::aws::Clients;
use crate::call::{Environment, pool};
use crate::model::{MANAGED_KEY_ALIAS, Target};
use futures::future::join_all;

/// Every domain of every target. A target that cannot be read is `unreachable`, as in a plan;
/// credentials that answer for another account are an error for that target too.
/// `watch` hears how it goes.
pub async fn inventory(
    env: &Environment,
    targets: &[Target],
    watch: &dyn Watch,
) -> Result<LiveState, super::ObserveError> {
    watch.begin(targets.len());
    let identities = Identities::default();
    let results = pool::bounded(targets, env.concurrency, |t| async {
        let result = match env.clients(&t.key()) {
            Ok(clients) => whole_target(env, &identities, clients, t)
                .await
                .map_err(|p| vec![p]),
            Err(error) => Err(vec![no_client(t, error)]),
        };
        watch.observed(&t.key());
        result
    })
    .await;
    super::gather(targets, results)
}

/// One target: identity, every page of domains and the managed key at once, then each domain's
/// tags and policy at once (the gate bounds and paces them).
async fn whole_target(
    env: &Environment,
    identities: &Identities,
    clients: &Clients,
    t: &Target,
) -> Result<LiveTarget, TargetProblem> {
    let key = t.key();
    let failed = |operation: &'static str| {
        let target = key.clone();
        move |error| TargetProblem::Call {
            target,
            operation,
            error,
        }
    };
    identities.verify(env, clients, t).await?;
    let (listed, managed) = tokio::join!(
        list_domains(env, clients, &key),
        describe_key(env, clients, &key, MANAGED_KEY_ALIAS),
    );
    let mut live = LiveTarget {
        domains: listed.map_err(failed("codeartifact:ListDomains"))?,
        managed_key: managed
            .map_err(failed("kms:DescribeKey"))?
            .arn()
            .map(str::to_owned),
        ..LiveTarget::default()
    };
    let details = join_all(live.domains.iter().map(|(name, d)| async move {
        let (tags, policy) = tokio::join!(
            list_tags(env, clients, t, &d.arn),
            get_policy(env, clients, t, name)
        );
        (name.clone(), tags, policy)
    }))
    .await;
    for (name, tags, policy) in details {
        let tags = tags.map_err(failed("codeartifact:ListTagsForResource"))?;
        let policy = policy.map_err(failed("codeartifact:GetDomainPermissionsPolicy"))?;
        if let Some(domain) = live.domains.get_mut(&name) {
            domain.tags = tags;
            domain.policy = policy;
        }
    }
    Ok(live)
}
