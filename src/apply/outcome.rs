//! What apply says of each domain: its outcome, the steps it performed, the calls it took and,
//! when it is not as the manifest says, why (a typed cause, AWS's code, a message).

use crate::aws::{CallError, ErrorKind};
use crate::model::{AccountId, DomainAddress, KeyDrift, Region};
use crate::plan::StepKind;
use serde::{Deserialize, Serialize};

/// What apply says of one domain: where it is, its outcome, and why when it is not as the
/// manifest says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DomainReport {
    #[serde(flatten)]
    pub address: DomainAddress,
    pub outcome: Outcome,
    /// The steps carried out, in order (a domain found already present may have had its tags
    /// corrected: `["create", "set_tags"]` with outcome `already_present`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepKind>,
    /// Calls made for this domain, retries included.
    pub attempts: u32,
    #[serde(default)]
    pub arn: Option<String>,
    #[serde(default)]
    pub error: Option<ErrorInfo>,
}

impl DomainReport {
    pub fn new(address: &DomainAddress, outcome: Outcome) -> Self {
        Self {
            address: address.clone(),
            outcome,
            steps: Vec::new(),
            attempts: 0,
            arn: None,
            error: None,
        }
    }
}

/// What apply says of a key the manifest declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KeyReport {
    pub account: AccountId,
    pub region: Region,
    pub alias: String,
    pub outcome: KeyOutcome,
    /// The key the alias names after the run.
    #[serde(default)]
    pub arn: Option<String>,
    /// Calls made for this key, retries included.
    pub attempts: u32,
    /// Why it is not there (failed, skipped), or what people must know (a key left orphaned).
    #[serde(default)]
    pub error: Option<ErrorInfo>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KeyOutcome {
    /// CreateKey and CreateAlias by this run.
    Created,
    /// The alias was there (before the run, or another run made it first): used as is.
    Present,
    Failed,
    /// Not attempted: its target could not be reached, or the run stopped.
    Skipped,
}

impl KeyOutcome {
    pub fn key(self) -> &'static str {
        match self {
            KeyOutcome::Created => "created",
            KeyOutcome::Present => "present",
            KeyOutcome::Failed => "failed",
            KeyOutcome::Skipped => "skipped",
        }
    }

    pub fn is_success(self) -> bool {
        matches!(self, KeyOutcome::Created | KeyOutcome::Present)
    }
}

/// Why a domain or key is not as the manifest says (or what people must know of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErrorInfo {
    pub kind: Cause,
    /// AWS's error code, when AWS answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub message: String,
}

impl ErrorInfo {
    /// A failed call, with a message that may say more than the service did.
    pub fn call(e: &CallError, message: impl Into<String>) -> Self {
        Self {
            kind: Cause::Call(e.kind),
            code: e.code.clone(),
            message: message.into(),
        }
    }

    /// What people read first: AWS's code, else the cause.
    pub fn label(&self) -> &str {
        self.code.as_deref().unwrap_or(self.kind.as_str())
    }
}

impl From<&CallError> for ErrorInfo {
    fn from(e: &CallError) -> Self {
        Self::call(e, e.message.clone())
    }
}

impl From<&KeyDrift> for ErrorInfo {
    fn from(d: &KeyDrift) -> Self {
        Self {
            kind: Cause::KeyDrift,
            code: None,
            message: d.to_string(),
        }
    }
}

/// Why a domain is not as the manifest says: a call's error kind, or one of provision's own
/// decisions. Serialised flat: `"access_denied"`, `"key_drift"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The domain's encryption key is not the manifest's; CodeArtifact cannot change it.
    KeyDrift,
    /// Not started: more domains failed than `--max-failures` tolerates.
    ToleranceExceeded,
    /// The domain's policy was changed after the plan was made (its revision is not the one
    /// observed): it was not overwritten.
    PolicyChanged,
    /// A domain planned for deletion no longer carries the ownership tag: it was not deleted.
    NotOwned,
    /// Not started: the encryption key it names is missing or not a symmetric encryption key.
    UnusableKey,
    #[serde(untagged)]
    Call(ErrorKind),
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::KeyDrift => "key_drift",
            Cause::ToleranceExceeded => "tolerance_exceeded",
            Cause::PolicyChanged => "policy_changed",
            Cause::NotOwned => "not_owned",
            Cause::UnusableKey => "unusable_key",
            Cause::Call(k) => k.as_str(),
        }
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    AlreadyPresent,
    Unchanged,
    TagsUpdated,
    /// Only the domain's permission policy was put.
    PolicyUpdated,
    /// DeleteDomain by this run (`apply --prune`), or found already gone.
    Deleted,
    /// Planned for deletion, kept: the run was not given `--prune`.
    Kept,
    Drifted,
    Failed,
    Skipped,
    /// May or may not exist now: a write was in flight when a second interrupt stopped the run,
    /// or its answer was lost and DescribeDomain could not tell.
    Unknown,
}

impl Outcome {
    pub const ALL: [Outcome; 11] = [
        Outcome::Created,
        Outcome::AlreadyPresent,
        Outcome::Unchanged,
        Outcome::TagsUpdated,
        Outcome::PolicyUpdated,
        Outcome::Deleted,
        Outcome::Kept,
        Outcome::Drifted,
        Outcome::Failed,
        Outcome::Skipped,
        Outcome::Unknown,
    ];

    /// The summary key, spelled as in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::AlreadyPresent => "already_present",
            Outcome::Unchanged => "unchanged",
            Outcome::TagsUpdated => "tags_updated",
            Outcome::PolicyUpdated => "policy_updated",
            Outcome::Deleted => "deleted",
            Outcome::Kept => "kept",
            Outcome::Drifted => "drifted",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
            Outcome::Unknown => "unknown",
        }
    }

    /// Whether the domain is as the manifest says after the run.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            Outcome::Created
                | Outcome::AlreadyPresent
                | Outcome::Unchanged
                | Outcome::TagsUpdated
                | Outcome::PolicyUpdated
                | Outcome::Deleted
                | Outcome::Kept
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_serialise_flat_and_read_back() {
        for (cause, text) in [
            (Cause::KeyDrift, "\"key_drift\""),
            (Cause::ToleranceExceeded, "\"tolerance_exceeded\""),
            (Cause::PolicyChanged, "\"policy_changed\""),
            (Cause::NotOwned, "\"not_owned\""),
            (Cause::UnusableKey, "\"unusable_key\""),
            (Cause::Call(ErrorKind::AccessDenied), "\"access_denied\""),
            (Cause::Call(ErrorKind::Interrupted), "\"interrupted\""),
        ] {
            assert_eq!(serde_json::to_string(&cause).unwrap(), text);
            assert_eq!(serde_json::from_str::<Cause>(text).unwrap(), cause);
            assert_eq!(format!("\"{}\"", cause.as_str()), text);
        }
    }
}
