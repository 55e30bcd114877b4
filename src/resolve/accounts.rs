//! The accounts a domain's placement names, made concrete: id, the name people know it by,
//! the credentials that reach it and (discovered accounts only) its tags.

use super::caller::Caller;
use super::organization::{OrgAccount, OrgTree};
use crate::manifest::{AccountRef, AccountSpec, Credentials, Manifest, OrganizationSpec};
use crate::model::TargetCredentials;
use std::collections::{BTreeMap, HashMap};

/// One account a domain is placed in.
#[derive(Debug, Clone)]
pub struct Account<'a> {
    pub id: String,
    pub name: Option<String>,
    pub credentials: TargetCredentials,
    /// `Some` for accounts discovered from the organisation.
    pub tags: Option<&'a BTreeMap<String, String>>,
}

/// The manifest's `accounts`, indexed once (looking each up per domain cost accounts × domains).
pub struct Book<'a> {
    by_name: HashMap<&'a str, &'a AccountSpec>,
    by_id: HashMap<&'a str, &'a AccountSpec>,
    organization: OrganizationSpec,
    /// Whether the manifest has an `organization` section: then an account given by bare id
    /// is reached through the organisation's role too.
    by_role: bool,
    caller: Option<&'a Caller>,
}

impl<'a> Book<'a> {
    pub fn new(manifest: &'a Manifest, caller: Option<&'a Caller>) -> Self {
        let mut by_id = HashMap::new();
        for a in &manifest.accounts {
            by_id.entry(a.id.as_str()).or_insert(a);
        }
        Self {
            by_name: manifest
                .accounts
                .iter()
                .map(|a| (a.name.as_str(), a))
                .collect(),
            by_id,
            organization: manifest.organization.clone().unwrap_or_default(),
            by_role: manifest.organization.is_some(),
            caller,
        }
    }

    /// An account the manifest names (by name, id, or not at all: the caller's).
    pub fn listed(&self, account: &AccountRef) -> Account<'a> {
        match account {
            AccountRef::Named { name, id } => Account {
                id: id.clone(),
                name: Some(name.clone()),
                credentials: self
                    .by_name
                    .get(name.as_str())
                    .map_or(TargetCredentials::Caller, |a| convert(&a.credentials)),
                tags: None,
            },
            AccountRef::Id(id) => Account {
                id: id.clone(),
                name: None,
                credentials: if self.by_role {
                    self.through_role(id)
                } else {
                    TargetCredentials::Caller
                },
                tags: None,
            },
            AccountRef::Caller => Account {
                id: self
                    .caller
                    .map_or("caller".to_string(), |c| c.account.clone()),
                name: None,
                credentials: TargetCredentials::Caller,
                tags: None,
            },
        }
    }

    /// An account discovered from the organisation. An account also listed under `accounts`
    /// (by id) keeps its name there and its credentials; the caller's own account is reached
    /// with the caller's credentials (a management account has no organisation role in itself);
    /// any other through the organisation's role.
    pub fn discovered(&self, a: &OrgAccount, tree: &'a OrgTree) -> Account<'a> {
        static NO_TAGS: BTreeMap<String, String> = BTreeMap::new();
        let tags = Some(tree.tags.get(&a.id).unwrap_or(&NO_TAGS));
        if let Some(spec) = self.by_id.get(a.id.as_str()) {
            return Account {
                id: a.id.clone(),
                name: Some(spec.name.clone()),
                credentials: convert(&spec.credentials),
                tags,
            };
        }
        Account {
            id: a.id.clone(),
            name: Some(a.name.clone()),
            credentials: self.through_role(&a.id),
            tags,
        }
    }

    /// The organisation's role in `account`; the caller's own account is reached with the
    /// caller's credentials (a management account has no organisation role in itself).
    fn through_role(&self, account: &str) -> TargetCredentials {
        match self.caller {
            Some(c) if c.account == account => TargetCredentials::Caller,
            _ => {
                let partition = self.caller.map_or("aws", |c| c.partition.as_str());
                let o = &self.organization;
                TargetCredentials::AssumeRole {
                    role_arn: format!("arn:{partition}:iam::{account}:role/{}", o.role_name),
                    external_id: o.external_id.clone(),
                    session_name: o.session_name.clone(),
                }
            }
        }
    }
}

fn convert(c: &Credentials) -> TargetCredentials {
    match c {
        Credentials::Caller => TargetCredentials::Caller,
        Credentials::AssumeRole {
            role_arn,
            external_id,
            session_name,
        } => TargetCredentials::AssumeRole {
            role_arn: role_arn.clone(),
            external_id: external_id.clone(),
            session_name: session_name.clone(),
        },
        Credentials::Profile(p) => TargetCredentials::Profile { profile: p.clone() },
    }
}
