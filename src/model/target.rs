//! A target is one (account, Region) with the credentials that reach it: the unit of rate limits,
//! circuit breakers and observation.

use super::ids::{AccountId, Region};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which (account, Region): the key of every per-target map.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TargetKey {
    pub account: AccountId,
    pub region: Region,
}

impl TargetKey {
    pub fn new(account: impl Into<AccountId>, region: impl Into<Region>) -> Self {
        Self {
            account: account.into(),
            region: region.into(),
        }
    }
}

impl fmt::Display for TargetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.account, self.region)
    }
}

#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub account: AccountId,
    /// The name under `accounts`, when the manifest named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    pub region: Region,
    pub credentials: TargetCredentials,
}

impl Target {
    pub fn key(&self) -> TargetKey {
        TargetKey {
            account: self.account.clone(),
            region: self.region.clone(),
        }
    }
}

/// How the account's credentials are obtained (a copy of the manifest's, so a saved plan stands alone).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
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

impl TargetCredentials {
    /// In a few words, for messages.
    pub fn describe(&self) -> String {
        match self {
            TargetCredentials::Caller => "the caller's credentials".into(),
            TargetCredentials::AssumeRole { role_arn, .. } => format!("role {role_arn}"),
            TargetCredentials::Profile { profile } => format!("profile {profile}"),
        }
    }
}

/// An account a selector reached that is not a target because it is not ACTIVE.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct SkippedAccount {
    pub account: AccountId,
    pub name: String,
    /// As AWS Organizations says: `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED`, …
    pub state: String,
}
