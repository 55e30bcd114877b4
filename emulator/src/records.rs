//! The plain records the state is built from and the journal holds: domains, KMS keys and aliases,
//! STS sessions, and the changes made to them. Data only, so that both sides can depend on it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub name: String,
    pub owner: String,
    pub region: String,
    pub created_time: f64,
    /// ARN of the KMS key, as the service reports it.
    pub encryption_key: String,
    pub repository_count: u32,
    pub asset_size_bytes: u64,
    /// In the order they were first set, as CodeArtifact lists them.
    pub tags: Vec<(String, String)>,
    pub policy: Option<Policy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub revision: String,
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Key {
    pub id: String,
    pub account: String,
    pub region: String,
    pub key_spec: String,
    pub key_usage: String,
    pub description: String,
    /// AWS-managed (`aws/...` aliases) rather than customer-managed.
    pub aws_managed: bool,
    pub created: f64,
    /// `(TagKey, TagValue)` in the order given to CreateKey (journals written before tags
    /// were kept read back with none).
    #[serde(default)]
    pub tags: Vec<(String, String)>,
}

impl Key {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:kms:{}:{}:key/{}",
            self.region, self.account, self.id
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alias {
    /// Full name, `alias/...`.
    pub name: String,
    pub target_key_id: String,
    pub created: f64,
}

/// Temporary credentials handed out by AssumeRole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    pub account: String,
    pub arn: String,
    pub user_id: String,
    pub expires: i64,
}

/// One change, as journaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op")]
pub enum Record {
    PutDomain(Domain),
    DeleteDomain {
        owner: String,
        region: String,
        name: String,
    },
    PutKey(Key),
    PutAlias {
        account: String,
        region: String,
        alias: Alias,
    },
    PutSession(Session),
}
