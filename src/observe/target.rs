//! Observe one target: its identity, ListDomains (all pages), the tags of the manifest's domains
//! and the KMS keys the manifest names or declares, each call through the gate, independent
//! calls at once.

use super::error::TargetProblem;
use super::identity::Identities;
use super::keys::describe_key;
use super::live::{LiveDomain, LiveTarget};
use super::policy::get_policy;
use crate::aws::{CallError, Clients};
use crate::call::Environment;
use crate::model::{
    MANAGED_KEY_ALIAS, TagSet, Target, TargetCredentials, TargetKey, is_managed_alias,
};
use crate::resolve::{Desired, DesiredKey};
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

/// One target's observation. Reads that do not depend on each other are asked at once (the
/// gate bounds what is in flight and paces the target): at organisation scale a run is bound by
/// round trips, so a target costs a few of them (a role's credentials; identity, domains and
/// keys; then the tags and policies of the manifest's domains), not one per call.
pub async fn observe_target(
    env: &Environment,
    identities: &Identities,
    clients: &Clients,
    t: &Target,
    wanted: &[&Desired],
    declared: &[&DesiredKey],
    ownership: Option<&(String, String)>,
) -> Result<LiveTarget, Vec<TargetProblem>> {
    let key = t.key();
    let call_problem = |operation: &'static str| {
        let target = key.clone();
        move |error: CallError| TargetProblem::Call {
            target,
            operation,
            error,
        }
    };
    // The declared aliases (missing is a state: the plan creates them), then every other
    // reference the domains make, each asked once.
    let mut refs: Vec<&str> = declared.iter().map(|k| k.alias.as_str()).collect();
    let named: BTreeSet<&str> = wanted
        .iter()
        .filter_map(|d| d.encryption_key.as_deref())
        .filter(|r| !is_managed_alias(r) && !refs.contains(r))
        .collect();
    refs.extend(named);
    // A role's credentials come first: every read waits for them anyway, and a refused
    // AssumeRole is then asked once, not once by each read.
    let role = matches!(t.credentials, TargetCredentials::AssumeRole { .. });
    if role {
        identities
            .verify(env, clients, t)
            .await
            .map_err(|p| vec![p])?;
    }
    let (identity, listed, described) = tokio::join!(
        async {
            match role {
                true => Ok(()),
                false => identities.verify(env, clients, t).await,
            }
        },
        list_domains(env, clients, &key),
        join_all(refs.iter().map(|r| describe_key(env, clients, &key, r))),
    );
    // An identity that is not the target's wins over whatever the other reads found.
    identity.map_err(|p| vec![p])?;
    let mut live = LiveTarget {
        domains: listed.map_err(|e| vec![call_problem("codeartifact:ListDomains")(e)])?,
        ..LiveTarget::default()
    };
    // A key that is missing or not symmetric is a state like any other: the plan holds back the
    // domains that name it, not the whole organisation.
    for (r, state) in refs.iter().zip(described) {
        let state = state.map_err(|e| vec![call_problem("kms:DescribeKey")(e)])?;
        live.keys.insert(r.to_string(), state);
    }

    // The AWS-managed key is what a live domain that names no key should use: read only when
    // such a domain exists (a create without a key learns it at apply, if it needs to).
    let present: Vec<(&Desired, &str)> = wanted
        .iter()
        .filter_map(|d| {
            live.domains
                .get(&d.address.name)
                .map(|l| (*d, l.arn.as_str()))
        })
        .collect();
    let needs_managed = present
        .iter()
        .any(|(d, _)| d.encryption_key.as_deref().is_none_or(is_managed_alias));
    // Only a domain that declares a policy has its policy read: at organisation scale the
    // others would cost one read each for nothing.
    let details = join_all(present.into_iter().map(|(d, arn)| async move {
        let (tags, policy) = tokio::join!(list_tags(env, clients, t, arn), async {
            match &d.policy {
                Some(_) => get_policy(env, clients, t, &d.address.name).await,
                None => Ok(None),
            }
        });
        (d.address.name.as_str(), tags, policy)
    }));
    let managed = async {
        match needs_managed {
            true => describe_key(env, clients, &key, MANAGED_KEY_ALIAS)
                .await
                .map(|k| k.arn().map(str::to_owned)),
            false => Ok(None),
        }
    };
    // With an ownership tag, the tags of live domains the manifest does not name tell which
    // of them are its own, retired (to delete with --prune); without one they are not read.
    let named: BTreeSet<&str> = wanted.iter().map(|d| d.address.name.as_str()).collect();
    let others: Vec<(String, String)> = match ownership {
        Some(_) => live
            .domains
            .iter()
            .filter(|(name, _)| !named.contains(name.as_str()))
            .map(|(name, d)| (name.clone(), d.arn.clone()))
            .collect(),
        None => Vec::new(),
    };
    let others =
        join_all(others.iter().map(|(name, arn)| async move {
            (name.as_str(), list_tags(env, clients, t, arn).await)
        }));
    let (details, managed, others) = tokio::join!(details, managed, others);
    for (name, tags) in others {
        let tags = tags.map_err(|e| vec![call_problem("codeartifact:ListTagsForResource")(e)])?;
        if let Some(domain) = live.domains.get_mut(name) {
            domain.tags = tags;
        }
    }
    live.managed_key = managed.map_err(|e| vec![call_problem("kms:DescribeKey")(e)])?;
    for (name, tags, policy) in details {
        let tags = tags.map_err(|e| vec![call_problem("codeartifact:ListTagsForResource")(e)])?;
        let policy =
            policy.map_err(|e| vec![call_problem("codeartifact:GetDomainPermissionsPolicy")(e)])?;
        if let Some(domain) = live.domains.get_mut(name) {
            domain.tags = tags;
            domain.policy = policy;
        }
    }
    Ok(live)
}

/// ListDomains, every page (each page names the next, so they are asked one after another).
pub(super) async fn list_domains(
    env: &Environment,
    clients: &Clients,
    key: &TargetKey,
) -> Result<BTreeMap<String, LiveDomain>, CallError> {
    let mut domains = BTreeMap::new();
    let mut token: Option<String> = None;
    loop {
        let page = env
            .gate
            .read(key, || async {
                Ok(clients
                    .codeartifact()
                    .list_domains()
                    .max_results(1000)
                    .set_next_token(token.clone())
                    .send()
                    .await?)
            })
            .await?;
        for d in page.domains() {
            if let (Some(name), Some(arn)) = (d.name(), d.arn()) {
                domains.insert(
                    name.to_string(),
                    LiveDomain {
                        arn: arn.to_string(),
                        encryption_key: d.encryption_key().unwrap_or_default().to_string(),
                        tags: BTreeMap::new(),
                        policy: None,
                    },
                );
            }
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(domains);
        }
    }
}

/// ListTagsForResource of one domain through the gate (observe's reads).
pub(super) async fn list_tags(
    env: &Environment,
    clients: &Clients,
    t: &Target,
    arn: &str,
) -> Result<TagSet, CallError> {
    env.gate
        .read(&t.key(), || list_tags_once(clients, arn))
        .await
}

/// One ListTagsForResource call, as a tag set (observe's reads and apply's reconciliation).
pub async fn list_tags_once(clients: &Clients, arn: &str) -> Result<TagSet, CallError> {
    let out = clients
        .codeartifact()
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await?;
    Ok(out
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect())
}
