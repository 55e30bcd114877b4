//! The calls to AWS Organizations, with the caller's credentials, through the gate: the
//! organisation, its root and units (level by level, a level's units at once), the accounts of
//! the units the selectors reach, and the tags of their accounts when a selector or a template
//! needs them.

use super::select;
use super::tree::{OrgAccount, OrgTree, Unit};
use crate::aws::session::ORGANIZATIONS_REGION;
use crate::aws::{CallError, ErrorKind};
use crate::call::{Environment, pool};
use crate::manifest::{Accounts, Manifest, Selector};
use crate::model::TargetKey;
use crate::model::pattern::Var;
use crate::resolve::error::ResolveError;
use aws_sdk_organizations::Client;
use std::collections::BTreeSet;
use std::future::Future;

/// At most this many pages of one listing (20 items each): an endpoint that never stops
/// paginating must not make the run endless.
const MAX_PAGES: usize = 10_000;
/// Organizations' calls at once: its request rates are far below CodeArtifact's.
const CONCURRENCY: usize = 8;
/// The largest page Organizations gives (fewer, larger pages: listing 1 000 accounts of one unit
/// is 50 calls one after another rather than 100).
const PAGE: i32 = 20;

/// The caller's organisation (its id and management account), alone: what
/// `share_with_organization` needs when no account is discovered. `caller` names the caller in
/// messages.
pub async fn describe(env: &Environment, caller: &str) -> Result<OrgTree, ResolveError> {
    let client = env.connection.organizations().await;
    let key = TargetKey::new("organizations", ORGANIZATIONS_REGION);
    let f = Fetch {
        env,
        client: &client,
        key: &key,
        caller,
    };
    f.organization().await
}

/// Fetch what the manifest's selectors need; `caller` is the caller's account (for messages).
pub async fn discover(
    env: &Environment,
    manifest: &Manifest,
    caller: &str,
) -> Result<OrgTree, ResolveError> {
    let client = env.connection.organizations().await;
    let key = TargetKey::new("organizations", ORGANIZATIONS_REGION);
    let f = Fetch {
        env,
        client: &client,
        key: &key,
        caller,
    };
    let mut tree = f.organization().await?;
    tree.root = f.root(&tree).await?;
    f.units(&mut tree).await?;

    let selectors: Vec<&Selector> = manifest
        .placements()
        .filter_map(|p| match &p.accounts {
            Accounts::Organization(s) => Some(s),
            Accounts::Listed(_) => None,
        })
        .collect();
    let mut wanted = BTreeSet::new();
    let mut problems = Vec::new();
    for s in &selectors {
        match select::units(&tree, s, manifest) {
            Ok(units) => wanted.extend(units),
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(ResolveError::Manifest(manifest.invalid(problems)));
    }
    f.accounts(&mut tree, wanted).await?;

    let tags_needed = selectors.iter().any(|s| !s.tags.is_empty())
        || manifest.domains.iter().any(|d| {
            matches!(d.placement.accounts, Accounts::Organization(_))
                && std::iter::once(&d.name)
                    .chain(d.tags.values())
                    .any(|p| p.vars().any(|v| matches!(v, Var::AccountTag(_))))
        });
    if tags_needed {
        f.tags(&mut tree).await?;
    }
    Ok(tree)
}

struct Fetch<'a> {
    env: &'a Environment,
    client: &'a Client,
    key: &'a TargetKey,
    caller: &'a str,
}

impl Fetch<'_> {
    /// One call through the gate; AccessDenied and "no organisation" become their own errors.
    async fn call<T, F, Fut>(
        &self,
        operation: &'static str,
        management: Option<&str>,
        op: F,
    ) -> Result<T, ResolveError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        self.env
            .gate
            .read(self.key, op)
            .await
            .map_err(|error| match error.kind {
                ErrorKind::AccessDenied => ResolveError::OrganizationAccess {
                    caller: self.caller.to_string(),
                    management: management.map(str::to_string),
                    operation,
                },
                ErrorKind::NotFound if operation == "DescribeOrganization" => {
                    ResolveError::NotInOrganization {
                        caller: self.caller.to_string(),
                    }
                }
                _ => ResolveError::Organizations { operation, error },
            })
    }

    /// Every page of a listing. A page token seen twice, or more than [`MAX_PAGES`] pages, is an
    /// error: a listing cut short would silently leave accounts out of the plan.
    async fn pages<T, F, Fut>(
        &self,
        operation: &'static str,
        management: &str,
        mut page: F,
    ) -> Result<Vec<T>, ResolveError>
    where
        F: FnMut(Option<String>) -> Fut,
        Fut: Future<Output = Result<(Vec<T>, Option<String>), CallError>>,
    {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        let mut seen = BTreeSet::new();
        loop {
            let (items, next) = self
                .call(operation, Some(management), || page(token.clone()))
                .await?;
            out.extend(items);
            let Some(t) = next.filter(|t| !t.is_empty()) else {
                return Ok(out);
            };
            if seen.len() >= MAX_PAGES || !seen.insert(t.clone()) {
                return Err(ResolveError::Organizations {
                    operation,
                    error: CallError::new(
                        ErrorKind::Other,
                        format!(
                            "the listing did not end (a page token repeated, or over {MAX_PAGES} pages)"
                        ),
                    ),
                });
            }
            token = Some(t);
        }
    }

    /// Every page of `operation` for each of `keys` (a unit, an account), [`CONCURRENCY`] at once.
    async fn each<T, F, Fut>(
        &self,
        keys: impl IntoIterator<Item = String>,
        operation: &'static str,
        management: &str,
        page: F,
    ) -> Result<Vec<(String, Vec<T>)>, ResolveError>
    where
        F: Fn(String, Option<String>) -> Fut,
        Fut: Future<Output = Result<(Vec<T>, Option<String>), CallError>>,
    {
        let page = &page;
        pool::bounded(keys, CONCURRENCY, |key| async move {
            let items = self
                .pages(operation, management, |token| page(key.clone(), token))
                .await?;
            Ok((key, items))
        })
        .await
        .into_iter()
        .collect()
    }

    async fn organization(&self) -> Result<OrgTree, ResolveError> {
        let out = self
            .call("DescribeOrganization", None, || async {
                Ok(self.client.describe_organization().send().await?)
            })
            .await?;
        let Some(org) = out.organization().filter(|o| o.id().is_some()) else {
            return Err(ResolveError::NotInOrganization {
                caller: self.caller.to_string(),
            });
        };
        let org = Some(org);
        Ok(OrgTree {
            id: org.and_then(|o| o.id()).unwrap_or_default().to_string(),
            management_account: org
                .and_then(|o| o.master_account_id())
                .unwrap_or_default()
                .to_string(),
            ..OrgTree::default()
        })
    }

    async fn root(&self, tree: &OrgTree) -> Result<String, ResolveError> {
        let roots = self
            .pages("ListRoots", &tree.management_account, |token| async move {
                let out = self
                    .client
                    .list_roots()
                    .max_results(PAGE)
                    .set_next_token(token)
                    .send()
                    .await?;
                let ids = out
                    .roots()
                    .iter()
                    .filter_map(|r| r.id().map(str::to_string))
                    .collect();
                Ok((ids, out.next_token().map(str::to_string)))
            })
            .await?;
        roots.into_iter().next().ok_or(ResolveError::NoRoot {
            organization: tree.id.clone(),
        })
    }

    /// The whole tree of units, a level at a time.
    async fn units(&self, tree: &mut OrgTree) -> Result<(), ResolveError> {
        tree.units.insert(
            tree.root.clone(),
            Unit {
                name: "Root".into(),
                ..Unit::default()
            },
        );
        let management = tree.management_account.clone();
        let mut level = vec![tree.root.clone()];
        while !level.is_empty() {
            let listed = self
                .each(
                    level,
                    "ListOrganizationalUnitsForParent",
                    &management,
                    |parent, token| async move {
                        let out = self
                            .client
                            .list_organizational_units_for_parent()
                            .parent_id(parent)
                            .max_results(PAGE)
                            .set_next_token(token)
                            .send()
                            .await?;
                        let units = out
                            .organizational_units()
                            .iter()
                            .filter_map(|u| Some((u.id()?.to_string(), u.name()?.to_string())))
                            .collect();
                        Ok((units, out.next_token().map(str::to_string)))
                    },
                )
                .await?;
            let mut next = Vec::new();
            for (parent, children) in listed {
                for (id, name) in children {
                    // A unit met twice (a malformed answer) is not walked twice.
                    if tree.units.contains_key(&id) {
                        continue;
                    }
                    if let Some(p) = tree.units.get_mut(&parent) {
                        p.children.push(id.clone());
                    }
                    tree.units.insert(
                        id.clone(),
                        Unit {
                            name,
                            parent: Some(parent.clone()),
                            children: Vec::new(),
                        },
                    );
                    next.push(id);
                }
            }
            level = next;
        }
        Ok(())
    }

    async fn accounts(
        &self,
        tree: &mut OrgTree,
        units: BTreeSet<String>,
    ) -> Result<(), ResolveError> {
        let listed = self
            .each(
                units,
                "ListAccountsForParent",
                &tree.management_account,
                |parent, token| async move {
                    let out = self
                        .client
                        .list_accounts_for_parent()
                        .parent_id(parent)
                        .max_results(PAGE)
                        .set_next_token(token)
                        .send()
                        .await?;
                    let accounts = out
                        .accounts()
                        .iter()
                        .filter_map(|a| {
                            Some(OrgAccount {
                                id: a.id()?.to_string(),
                                name: a.name().unwrap_or_default().to_string(),
                                // `State` (not the retired `Status`).
                                state: a.state().map_or("UNKNOWN", |s| s.as_str()).to_string(),
                            })
                        })
                        .collect();
                    Ok((accounts, out.next_token().map(str::to_string)))
                },
            )
            .await?;
        tree.accounts.extend(listed);
        Ok(())
    }

    /// The tags of every account listed (not only ACTIVE ones: an account is reported skipped
    /// only if the selector's tags would have chosen it).
    async fn tags(&self, tree: &mut OrgTree) -> Result<(), ResolveError> {
        let ids: BTreeSet<String> = tree
            .accounts
            .values()
            .flatten()
            .map(|a| a.id.clone())
            .collect();
        let fetched = self
            .each(
                ids,
                "ListTagsForResource",
                &tree.management_account,
                |id, token| async move {
                    let out = self
                        .client
                        .list_tags_for_resource()
                        .resource_id(id)
                        .set_next_token(token)
                        .send()
                        .await?;
                    let tags = out
                        .tags()
                        .iter()
                        .map(|t| (t.key().to_string(), t.value().to_string()))
                        .collect();
                    Ok((tags, out.next_token().map(str::to_string)))
                },
            )
            .await?;
        for (id, tags) in fetched {
            tree.tags.insert(id, tags.into_iter().collect());
        }
        Ok(())
    }
}
