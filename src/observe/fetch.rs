//! Read each target's live state: STS identity check, ListDomains (all pages), tags of the
//! manifest's domains, and the KMS keys the manifest names — through the rate limiter and retries.

use super::live::{Blocked, KeyState, LiveDomain, LiveState, LiveTarget};
use crate::apply::{Gate, pool};
use crate::aws::{CallError, Clients, Connection};
use crate::manifest::{DesiredDomain, Manifest};
use crate::plan::Target;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The alias of the key a domain gets when the manifest names none.
pub const MANAGED_KEY_ALIAS: &str = "alias/aws/codeartifact";

/// Whether a key reference names the AWS-managed key (by alias or alias ARN). That key exists
/// only once CodeArtifact first used it in the account and Region, so naming it is the same as
/// naming no key at all.
pub fn is_managed_alias(key_ref: &str) -> bool {
    key_ref == MANAGED_KEY_ALIAS
        || (key_ref.starts_with("arn:") && key_ref.ends_with(":alias/aws/codeartifact"))
}

/// What reaching AWS takes: where to send requests, the gate every call passes, and the
/// clients of each target (built once, shared by observe and apply).
pub struct Environment {
    pub connection: Connection,
    pub gate: Gate,
    pub concurrency: usize,
    pub clients: HashMap<(String, String), Clients>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot observe every account and Region ({} problems); nothing was changed", problems.len())]
#[diagnostic(code(provision::observe))]
pub struct ObserveError {
    #[related]
    pub problems: Vec<TargetProblem>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum TargetProblem {
    #[error("account {account} in {region}: the credentials are for account {actual}")]
    #[diagnostic(
        code(provision::wrong_account),
        help(
            "check the role_arn or profile given for this account in the manifest; provision refuses to act in an account it was not told about"
        )
    )]
    WrongAccount {
        account: String,
        region: String,
        actual: String,
    },
    #[error("account {account} in {region}: {operation} failed: {error}")]
    #[diagnostic(code(provision::observe_failed))]
    Call {
        account: String,
        region: String,
        operation: &'static str,
        error: CallError,
    },
    #[error("account {account} in {region}: encryption key `{key}` (domain {domain}) {why}")]
    #[diagnostic(
        code(provision::unusable_key),
        help(
            "CodeArtifact needs an existing symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) in the domain's Region"
        )
    )]
    Key {
        account: String,
        region: String,
        domain: String,
        key: String,
        why: String,
    },
}

impl Environment {
    /// The caller's account, from STS.
    pub async fn caller_account(&self, region: &str) -> Result<String, TargetProblem> {
        let sts = aws_sdk_sts::Client::new(&self.connection.caller(region).await);
        let key = ("caller".to_string(), region.to_string());
        self.gate
            .read(&key, || async {
                let out = sts.get_caller_identity().send().await?;
                Ok(out.account().unwrap_or_default().to_string())
            })
            .await
            .map_err(|error| TargetProblem::Call {
                account: "(caller)".into(),
                region: region.into(),
                operation: "sts:GetCallerIdentity",
                error,
            })
    }

    /// Build the clients of every target (credentials resolve lazily, on first call).
    pub async fn connect(&mut self, targets: &[Target]) {
        for t in targets {
            let config = self
                .connection
                .target(&t.credentials, &t.account, &t.region)
                .await;
            self.clients
                .insert((t.account.clone(), t.region.clone()), Clients::new(&config));
        }
    }
}

/// Observe every target; all problems are collected, and any problem fails the whole observation.
pub async fn observe(
    env: &Environment,
    manifest_domains: &[(String, &DesiredDomain)],
    targets: &[Target],
) -> Result<LiveState, ObserveError> {
    let results = pool::bounded(targets, env.concurrency, |t| async move {
        let key = (t.account.clone(), t.region.clone());
        let wanted: Vec<&DesiredDomain> = manifest_domains
            .iter()
            .filter(|(account, d)| *account == t.account && d.region == t.region)
            .map(|(_, d)| *d)
            .collect();
        let result = match env.clients.get(&key) {
            Some(clients) => observe_target(env, clients, t, &wanted).await,
            None => Err(vec![no_client(t)]),
        };
        (key, result)
    })
    .await;
    let mut live = LiveState::default();
    let mut problems = Vec::new();
    for (key, result) in results {
        match result {
            Ok(target) => {
                live.targets.insert(key, target);
            }
            // A target AWS would not let us read is skipped, not fatal: one broken account must
            // not hold up an organisation. Wrong accounts and unusable keys are manifest errors.
            Err(p) => match unreachable(&p) {
                Some(blocked) => {
                    live.unreachable.insert(key, blocked);
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

/// Ask STS who the target's credentials are; anything but the target's own account is refused.
async fn verify_identity(
    env: &Environment,
    clients: &Clients,
    t: &Target,
) -> Result<(), TargetProblem> {
    let key = (t.account.clone(), t.region.clone());
    let actual = env
        .gate
        .read(&key, || async {
            let out = clients.sts.get_caller_identity().send().await?;
            Ok(out.account().unwrap_or_default().to_string())
        })
        .await
        .map_err(|error| TargetProblem::Call {
            account: t.account.clone(),
            region: t.region.clone(),
            operation: "sts:GetCallerIdentity",
            error,
        })?;
    if actual == t.account {
        Ok(())
    } else {
        Err(TargetProblem::WrongAccount {
            account: t.account.clone(),
            region: t.region.clone(),
            actual,
        })
    }
}

/// Before a saved plan is applied, check every target's identity again (the credentials of
/// today may not be those of the plan). Returns the targets that could not be asked; an
/// account that answers as another one fails the whole run.
pub async fn verify(
    env: &Environment,
    targets: &[Target],
) -> Result<BTreeMap<(String, String), Blocked>, ObserveError> {
    let results = pool::bounded(targets, env.concurrency, |t| async move {
        let key = (t.account.clone(), t.region.clone());
        let result = match env.clients.get(&key) {
            Some(clients) => verify_identity(env, clients, t).await,
            None => Err(no_client(t)),
        };
        (key, result)
    })
    .await;
    let mut blocked = BTreeMap::new();
    let mut problems = Vec::new();
    for (key, result) in results {
        if let Err(p) = result {
            match unreachable(std::slice::from_ref(&p)) {
                Some(b) => {
                    blocked.insert(key, b);
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

/// `connect` builds a client for every target first; missing one is a bug, reported not panicked.
fn no_client(t: &Target) -> TargetProblem {
    TargetProblem::Call {
        account: t.account.clone(),
        region: t.region.clone(),
        operation: "connect",
        error: CallError::new("NoClient", "no client was built for this target"),
    }
}

/// The reason a target is unreachable, when its only problems are failed calls.
fn unreachable(problems: &[TargetProblem]) -> Option<Blocked> {
    let mut first = None;
    for p in problems {
        match p {
            TargetProblem::Call {
                operation, error, ..
            } => {
                first.get_or_insert_with(|| Blocked {
                    code: error.code.clone(),
                    message: format!("{operation}: {}", error.message),
                });
            }
            _ => return None,
        }
    }
    first
}

async fn observe_target(
    env: &Environment,
    clients: &Clients,
    t: &Target,
    wanted: &[&DesiredDomain],
) -> Result<LiveTarget, Vec<TargetProblem>> {
    let key = (t.account.clone(), t.region.clone());
    let call_problem = |operation: &'static str| {
        move |error: CallError| {
            vec![TargetProblem::Call {
                account: t.account.clone(),
                region: t.region.clone(),
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
        let Some(domain) = live.domains.get_mut(&d.name) else {
            continue;
        };
        let arn = domain.arn.clone();
        let tags = env
            .gate
            .read(&key, || async {
                Ok(clients
                    .codeartifact
                    .list_tags_for_resource()
                    .resource_arn(&arn)
                    .send()
                    .await?)
            })
            .await
            .map_err(call_problem("codeartifact:ListTagsForResource"))?;
        domain.tags = tags
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
    }

    let refs: BTreeSet<&str> = wanted
        .iter()
        .filter_map(|d| d.encryption_key.as_deref())
        .filter(|r| !is_managed_alias(r))
        .collect();
    let mut problems = Vec::new();
    for r in refs {
        let state = describe_key(env, clients, &key, r)
            .await
            .map_err(call_problem("kms:DescribeKey"))?;
        let why = match &state {
            KeyState::Symmetric { .. } => None,
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
                    account: t.account.clone(),
                    region: t.region.clone(),
                    domain: d.name.clone(),
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
    live.managed_key = match describe_key(env, clients, &key, MANAGED_KEY_ALIAS)
        .await
        .map_err(call_problem("kms:DescribeKey"))?
    {
        KeyState::Symmetric { arn } | KeyState::Unusable { arn, .. } => Some(arn),
        KeyState::NotFound => None,
    };
    Ok(live)
}

async fn describe_key(
    env: &Environment,
    clients: &Clients,
    key: &(String, String),
    key_ref: &str,
) -> Result<KeyState, CallError> {
    let result = env
        .gate
        .read(key, || async {
            Ok(clients.kms.describe_key().key_id(key_ref).send().await?)
        })
        .await;
    match result {
        Ok(out) => {
            let Some(meta) = out.key_metadata() else {
                return Ok(KeyState::NotFound);
            };
            let arn = meta.arn().unwrap_or_default().to_string();
            let spec = meta
                .key_spec()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into());
            let usage = meta
                .key_usage()
                .map(|u| u.as_str())
                .unwrap_or("ENCRYPT_DECRYPT");
            if spec == "SYMMETRIC_DEFAULT" && usage == "ENCRYPT_DECRYPT" {
                Ok(KeyState::Symmetric { arn })
            } else {
                Ok(KeyState::Unusable {
                    arn,
                    spec: format!("{spec}/{usage}"),
                })
            }
        }
        Err(e) if e.code == "NotFoundException" => Ok(KeyState::NotFound),
        Err(e) => Err(e),
    }
}

/// Pair each manifest domain with its account id (the caller's for `Caller`).
pub fn with_accounts<'m>(
    manifest: &'m Manifest,
    caller: Option<&str>,
) -> Vec<(String, &'m DesiredDomain)> {
    manifest
        .domains
        .iter()
        .map(|d| (super::targets::account_id(&d.account, caller), d))
        .collect()
}
