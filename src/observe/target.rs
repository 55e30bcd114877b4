//! Observe one target: its identity, ListDomains (all pages), the tags of the manifest's domains
//! and the KMS keys the manifest names or declares, each call through the gate.

use super::error::TargetProblem;
use super::identity::verify_identity;
use super::keys::describe_key;
use super::live::{KeyState, LiveDomain, LiveTarget};
use super::policy::get_policy;
use crate::aws::{CallError, Clients};
use crate::call::Environment;
use crate::model::{MANAGED_KEY_ALIAS, TagSet, Target, alias_in, is_managed_alias};
use crate::resolve::{Desired, DesiredKey};
use std::collections::{BTreeMap, BTreeSet};

pub async fn observe_target(
    env: &Environment,
    clients: &Clients,
    t: &Target,
    wanted: &[&Desired],
    declared: &[&DesiredKey],
) -> Result<LiveTarget, Vec<TargetProblem>> {
    let key = t.key();
    let call_problem = |operation: &'static str| {
        let target = key.clone();
        move |error: CallError| {
            vec![TargetProblem::Call {
                target,
                operation,
                error,
            }]
        }
    };
    verify_identity(env, clients, t)
        .await
        .map_err(|p| vec![p])?;

    let mut live = LiveTarget::default();
    let mut token: Option<String> = None;
    loop {
        let page = env
            .gate
            .read(&key, || async {
                Ok(clients
                    .codeartifact
                    .list_domains()
                    .max_results(1000)
                    .set_next_token(token.clone())
                    .send()
                    .await?)
            })
            .await
            .map_err(call_problem("codeartifact:ListDomains"))?;
        for d in page.domains() {
            if let (Some(name), Some(arn)) = (d.name(), d.arn()) {
                live.domains.insert(
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
            break;
        }
    }

    for d in wanted {
        let Some(domain) = live.domains.get_mut(&d.address.name) else {
            continue;
        };
        domain.tags = list_tags(env, clients, t, &domain.arn)
            .await
            .map_err(call_problem("codeartifact:ListTagsForResource"))?;
        // Only a domain that declares a policy has its policy read: at organisation scale the
        // others would cost one read each for nothing.
        if d.policy.is_some() {
            domain.policy = get_policy(env, clients, t, &d.address.name)
                .await
                .map_err(call_problem("codeartifact:GetDomainPermissionsPolicy"))?;
        }
    }

    // The declared aliases first (missing is a state: the plan creates them), then every other
    // reference the domains make.
    for k in declared {
        let state = describe_key(env, clients, &key, &k.alias)
            .await
            .map_err(call_problem("kms:DescribeKey"))?;
        live.keys.insert(k.alias.clone(), state);
    }
    let is_declared =
        |r: &str| alias_in(r, &key).is_some_and(|alias| declared.iter().any(|k| k.alias == alias));
    let refs: BTreeSet<&str> = wanted
        .iter()
        .filter_map(|d| d.encryption_key.as_deref())
        .filter(|r| !is_managed_alias(r))
        .collect();
    let mut problems = Vec::new();
    for r in refs {
        let state = match live.keys.get(r) {
            Some(state) => state.clone(),
            None => describe_key(env, clients, &key, r)
                .await
                .map_err(call_problem("kms:DescribeKey"))?,
        };
        let why = match &state {
            KeyState::Symmetric { .. } => None,
            // A key the manifest declares here is created before the domains that name it.
            KeyState::NotFound if is_declared(r) => None,
            KeyState::NotFound => Some("does not exist".to_string()),
            KeyState::Unusable { arn, spec } => {
                Some(format!("({arn}) is {spec}, not a symmetric encryption key"))
            }
        };
        if let Some(why) = why {
            for d in wanted
                .iter()
                .filter(|d| d.encryption_key.as_deref() == Some(r))
            {
                problems.push(TargetProblem::Key {
                    target: key.clone(),
                    domain: d.address.name.clone(),
                    key: r.to_string(),
                    why: why.clone(),
                });
            }
        }
        live.keys.insert(r.to_string(), state);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    live.managed_key = describe_key(env, clients, &key, MANAGED_KEY_ALIAS)
        .await
        .map_err(call_problem("kms:DescribeKey"))?
        .arn()
        .map(str::to_owned);
    Ok(live)
}

/// ListTagsForResource of one domain through the gate (observe's reads).
async fn list_tags(
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
        .codeartifact
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
