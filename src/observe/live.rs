//! The observed state as plain data, the diff's second input.

use crate::aws::advice::next_step;
use crate::aws::{CallError, ErrorKind};
use crate::model::{TagSet, Target, TargetKey};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveState {
    pub targets: BTreeMap<TargetKey, LiveTarget>,
    /// Targets that could not be observed (access denied, no credentials, AWS failing past
    /// every retry): their domains are planned as unreachable, the other targets go on.
    pub unreachable: BTreeMap<TargetKey, Blocked>,
}

/// Why a target could not be observed.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Blocked {
    pub kind: ErrorKind,
    /// AWS's error code, when AWS answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub message: String,
    /// What to do about it, when there is more to do than try again (whom to allow what).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl Blocked {
    /// The failed call that made target `t` unreachable.
    pub fn of_call(operation: &str, error: &CallError, t: &Target) -> Self {
        Self {
            kind: error.kind,
            code: error.code.clone(),
            message: format!("{operation}: {}", error.message),
            next: next_step(error.kind, operation, &t.key(), &t.credentials),
        }
    }

    /// What people read first: AWS's code, else the kind.
    pub fn label(&self) -> &str {
        self.code.as_deref().unwrap_or(self.kind.as_str())
    }
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
    /// Fetched only for domains the manifest names (and, with an ownership tag, for the others).
    pub tags: TagSet,
    /// Fetched only for domains whose manifest entry declares a policy (`None` otherwise, and
    /// when the domain has none).
    pub policy: Option<LivePolicy>,
}

/// A domain's permission policy as GetDomainPermissionsPolicy answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivePolicy {
    /// What PutDomainPermissionsPolicy must name so that a policy changed since is not
    /// overwritten.
    pub revision: Option<String>,
    /// The document as AWS holds it.
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    Symmetric { arn: String },
    Unusable { arn: String, spec: String },
    NotFound,
}

impl KeyState {
    /// The key's ARN, when it exists.
    pub fn arn(&self) -> Option<&str> {
        match self {
            KeyState::Symmetric { arn } | KeyState::Unusable { arn, .. } => Some(arn),
            KeyState::NotFound => None,
        }
    }
}
