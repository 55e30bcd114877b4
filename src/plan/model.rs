//! The plan as plain data: what would change for each domain, saved and re-applied as JSON.

pub use crate::observe::Blocked;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Marks a file as a saved plan of this version.
pub const PLAN_FORMAT: &str = "provision-plan/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub format: String,
    /// The manifest the plan was made from, as given on the command line.
    pub manifest: String,
    /// Every (account, Region) observed, with how to reach it again at apply time.
    pub targets: Vec<Target>,
    /// One entry per manifest domain and per unmanaged live domain, sorted by address.
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Target {
    pub account: String,
    /// The name under `accounts`, when the manifest named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    pub region: String,
    pub credentials: TargetCredentials,
}

/// How the account's credentials are obtained (a copy of the manifest's, so a saved plan stands alone).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetCredentials {
    Caller,
    AssumeRole {
        role_arn: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        external_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session_name: Option<String>,
    },
    Profile {
        profile: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub account: String,
    pub region: String,
    pub name: String,
    pub action: Action,
    /// For people only: apply never decides anything from it.
    pub reason: String,
    /// The key the domain should have, as the ARN KMS reports; `None` = the AWS-managed key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_key: Option<String>,
    /// The AWS-managed key's ARN when `encryption_key` is `None` and the key exists: what a
    /// domain found already present must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_key: Option<String>,
    /// The key the live domain has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_encryption_key: Option<String>,
    /// The live domain's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Tags a created domain gets.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// The live domain's tags (what `set_tags` corrects and `remove_tags` removes).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub live_tags: BTreeMap<String, String>,
    /// `tags_mode: exact`: tags the manifest does not name are removed (never `aws:` ones).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exact_tags: bool,
    /// Tags to add or correct on a live domain.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_tags: BTreeMap<String, String>,
    /// Tags to remove from a live domain (`tags_mode: exact`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_tags: Vec<String>,
    /// Why the domain's target could not be observed (`Unreachable` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocked>,
}

impl Change {
    /// A change with nothing but its address and action; the rest is filled in by the diff.
    pub fn new(account: &str, region: &str, name: &str, action: Action) -> Self {
        Self {
            account: account.into(),
            region: region.into(),
            name: name.into(),
            action,
            reason: String::new(),
            encryption_key: None,
            managed_key: None,
            live_encryption_key: None,
            arn: None,
            tags: BTreeMap::new(),
            exact_tags: false,
            live_tags: BTreeMap::new(),
            set_tags: BTreeMap::new(),
            remove_tags: Vec::new(),
            blocked: None,
        }
    }

    /// `account/region/name`, how people and sorting refer to a domain.
    pub fn address(&self) -> String {
        format!("{}/{}/{}", self.account, self.region, self.name)
    }
}

/// What happens to one domain, each with its own symbol (as Terraform's plan actions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    UpdateTags,
    Unchanged,
    /// The live domain's encryption key differs; CodeArtifact cannot change it, so it is only reported.
    Drift,
    /// A live domain the manifest does not name; informational.
    Unmanaged,
    /// Its (account, Region) could not be observed; apply skips it with the reason.
    Unreachable,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Create,
        Action::UpdateTags,
        Action::Unchanged,
        Action::Drift,
        Action::Unmanaged,
        Action::Unreachable,
    ];

    pub fn symbol(self) -> char {
        match self {
            Action::Create => '+',
            Action::UpdateTags => '~',
            Action::Unchanged => '=',
            Action::Drift => '!',
            Action::Unmanaged => '?',
            Action::Unreachable => '×',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::UpdateTags => "update tags",
            Action::Unchanged => "unchanged",
            Action::Drift => "drift (encryption key differs; reported, never changed)",
            Action::Unmanaged => "unmanaged (live, not in the manifest)",
            Action::Unreachable => {
                "unreachable (its account and Region could not be read; skipped)"
            }
        }
    }

    /// Whether apply makes a call for it.
    pub fn is_change(self) -> bool {
        matches!(self, Action::Create | Action::UpdateTags)
    }
}

impl Plan {
    pub fn count(&self, action: Action) -> usize {
        self.changes.iter().filter(|c| c.action == action).count()
    }

    /// The changes apply reports an outcome for: every manifest domain (unmanaged live domains
    /// are only informational).
    pub fn reported(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.action != Action::Unmanaged)
    }

    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| c.action.is_change())
    }

    /// Mark the changes of targets that cannot be reached now as unreachable (saved plans).
    pub fn block(&mut self, blocked: &std::collections::BTreeMap<(String, String), Blocked>) {
        for c in self.changes.iter_mut().filter(|c| c.action.is_change()) {
            if let Some(b) = blocked.get(&(c.account.clone(), c.region.clone())) {
                c.action = Action::Unreachable;
                c.reason = format!("{}: {}", b.code, b.message);
                c.blocked = Some(b.clone());
            }
        }
    }

    pub fn target(&self, account: &str, region: &str) -> Option<&Target> {
        self.targets
            .iter()
            .find(|t| t.account == account && t.region == region)
    }
}
