//! The observed state as plain data, the diff's second input.

use std::collections::BTreeMap;

/// Keyed by (account, Region).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveState {
    pub targets: BTreeMap<(String, String), LiveTarget>,
    /// Targets that could not be observed (access denied, no credentials, AWS failing past
    /// every retry): their domains are planned as unreachable, the other targets go on.
    pub unreachable: BTreeMap<(String, String), Blocked>,
}

/// Why a target could not be observed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Blocked {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveTarget {
    pub domains: BTreeMap<String, LiveDomain>,
    /// Each key reference the manifest uses in this target, as KMS resolves it.
    pub keys: BTreeMap<String, KeyState>,
    /// ARN of the AWS-managed `aws/codeartifact` key, if it exists yet.
    pub managed_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveDomain {
    pub arn: String,
    pub encryption_key: String,
    /// Fetched only for domains the manifest names.
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    Symmetric { arn: String },
    Unusable { arn: String, spec: String },
    NotFound,
}
