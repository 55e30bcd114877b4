//! The plan as plain data: one entry per domain, an address and the typed steps that make it as
//! the manifest says, saved and re-applied as JSON.

use crate::model::{
    AccountId, DomainAddress, Filter, KeyDrift, Region, RemovedTag, SkippedAccount, TagChange,
    TagSet, TagsMode, Target, TargetKey,
};
use crate::observe::Blocked;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Marks a file as a saved plan of this version.
pub const PLAN_FORMAT: &str = "provision-plan/4";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "provision plan")]
pub struct Plan {
    /// `provision-plan/4`: a plan of another version is refused, and must be made again.
    #[schemars(extend("const" = PLAN_FORMAT))]
    pub format: String,
    /// The manifest the plan was made from, as given on the command line.
    pub manifest: String,
    /// Its digest (`sha256:` and 64 hex digits): applying the plan checks the manifest still has it.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub manifest_digest: String,
    /// Every (account, Region) observed, with how to reach it again at apply time.
    pub targets: Vec<Target>,
    /// One entry per manifest domain and per unmanaged live domain, sorted by address.
    pub entries: Vec<Entry>,
    /// Accounts the organisation selectors reached that are not ACTIVE (not targets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedAccount>,
    /// One entry per key the manifest declares, sorted by (account, Region, alias); apply makes
    /// the missing ones before the domains that name them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyEntry>,
    /// What `--account`, `--region` and `--domain` limited the plan to (empty: everything).
    #[serde(default, skip_serializing_if = "Filter::is_empty")]
    pub filter: Filter,
    /// How many of the manifest's domains the filter left out.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub left_out: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A key the manifest declares: where, under which alias, and whether apply creates it. An
/// existing key is used as is, never changed (not even its tags).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    pub account: AccountId,
    pub region: Region,
    /// `alias/NAME`.
    pub alias: String,
    /// The key's ARN, when the alias exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// CreateKey and CreateAlias, when the alias does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<CreateKey>,
    /// Its (account, Region) could not be observed: apply skips it with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocked>,
}

/// What a key is created with (a symmetric encryption key, then its alias).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "TagSet::is_empty")]
    pub tags: TagSet,
}

impl KeyEntry {
    pub fn target(&self) -> TargetKey {
        TargetKey::new(self.account.clone(), self.region.clone())
    }

    /// As a domain's action: create, unchanged (present, used as is) or unreachable.
    pub fn action(&self) -> Action {
        match (&self.blocked, &self.create) {
            (Some(b), _) if b.kind == crate::aws::ErrorKind::Quota => Action::OverQuota,
            (Some(_), _) => Action::Unreachable,
            (None, Some(_)) => Action::Create,
            (None, None) => Action::Unchanged,
        }
    }
}

/// One domain: where it is, what apply does to it, and what it will not change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub address: DomainAddress,
    /// The live domain's ARN, when it exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// What apply does, in order; empty when nothing is to change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Something apply will not change but people must know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<Finding>,
}

/// One call's worth of change, with exactly the data it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// CreateDomain, with the manifest's key and tags.
    Create {
        /// The key's ARN as KMS reports it; `None` = the AWS-managed key, or `declared_key`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        encryption_key: Option<String>,
        /// A key the manifest declares in this account and Region (its alias) that does not
        /// exist yet: apply creates it first and creates the domain with its ARN.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        declared_key: Option<String>,
        /// The AWS-managed key's ARN when `encryption_key` is `None` and the key exists: what
        /// a domain found already present must have.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        managed_key: Option<String>,
        #[serde(default, skip_serializing_if = "TagSet::is_empty")]
        tags: TagSet,
        /// How a domain found already present gets the manifest's tags.
        #[serde(default)]
        tags_mode: TagsMode,
    },
    /// TagResource: add tags (`old` absent) or correct them.
    SetTags { tags: Vec<TagChange> },
    /// UntagResource (`tags_mode: exact`).
    RemoveTags { tags: Vec<RemovedTag> },
    /// DeleteDomain: a live domain the manifest no longer names that carries its ownership tag.
    /// Only `apply --prune` takes it; the tag is read again first, and a domain without it is
    /// never deleted.
    Delete {
        /// The ownership tag's key and value.
        tag: String,
        value: String,
    },
    /// PutDomainPermissionsPolicy, naming the revision observed so that a policy changed since
    /// the plan was made is reported rather than overwritten.
    PutPolicy {
        /// The manifest's document in canonical form (pretty JSON, keys sorted).
        document: String,
        /// The revision observed; `None` when the domain had no policy or is being created.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        revision: Option<String>,
        /// The live document in canonical form, for the diff people read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous: Option<String>,
    },
}

/// Which kind of step: what a report lists as performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Create,
    SetTags,
    RemoveTags,
    PutPolicy,
    Delete,
}

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Create { .. } => StepKind::Create,
            Step::SetTags { .. } => StepKind::SetTags,
            Step::RemoveTags { .. } => StepKind::RemoveTags,
            Step::PutPolicy { .. } => StepKind::PutPolicy,
            Step::Delete { .. } => StepKind::Delete,
        }
    }
}

/// What the plan found and apply leaves as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "finding", rename_all = "snake_case", deny_unknown_fields)]
pub enum Finding {
    /// The live domain's encryption key differs; CodeArtifact cannot change it.
    Drift { drift: KeyDrift },
    /// A live domain the manifest does not name.
    Unmanaged { encryption_key: String },
    /// Its (account, Region) could not be observed: apply skips it with the reason.
    Unreachable { blocked: Blocked },
    /// The encryption key it names does not exist there (and the manifest does not declare it)
    /// or cannot encrypt a domain: apply skips it with the reason, the others go on.
    UnusableKey {
        /// The reference as the manifest gives it.
        key: String,
        /// What KMS answered; `None` when the key does not exist.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        found: Option<FoundKey>,
    },
    /// Creating it would take its (account, Region) over the domain quota: none of that target's
    /// creates start.
    OverQuota {
        /// Domains already there (the manifest's and others).
        existing: usize,
        /// Domains the plan would create there.
        planned: usize,
        quota: u32,
    },
}

/// A key that exists but is not a symmetric encryption key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FoundKey {
    pub arn: String,
    /// `KEY_SPEC/KEY_USAGE`, e.g. `RSA_2048/SIGN_VERIFY`.
    pub spec: String,
}

impl Finding {
    /// Why a domain's key cannot be used, in a few words (`None` for other findings).
    pub fn key_problem(&self) -> Option<String> {
        match self {
            Finding::UnusableKey { key, found: None } => Some(format!(
                "its encryption key `{key}` does not exist in its account and Region"
            )),
            Finding::UnusableKey {
                key,
                found: Some(f),
            } => {
                // An alias is shown with the key it names; an ARN is not shown twice.
                let arn = match &f.arn == key {
                    true => String::new(),
                    false => format!(" ({})", f.arn),
                };
                Some(format!(
                    "its encryption key `{key}`{arn} is {}, not a symmetric encryption key",
                    f.spec
                ))
            }
            _ => None,
        }
    }
}

/// What happens to one domain as people read it, each with its own symbol (as Terraform's plan
/// actions); derived from an entry's steps and finding, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Create,
    UpdateTags,
    UpdatePolicy,
    Delete,
    Unchanged,
    Drift,
    Unmanaged,
    Unreachable,
    UnusableKey,
    OverQuota,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Create,
        Action::UpdateTags,
        Action::UpdatePolicy,
        Action::Delete,
        Action::Unchanged,
        Action::Drift,
        Action::Unmanaged,
        Action::Unreachable,
        Action::UnusableKey,
        Action::OverQuota,
    ];

    pub fn symbol(self) -> char {
        match self {
            Action::Create => '+',
            Action::UpdateTags | Action::UpdatePolicy => '~',
            Action::Delete => '-',
            Action::Unchanged => '=',
            Action::Drift => '!',
            Action::Unmanaged => '?',
            Action::Unreachable => '×',
            Action::UnusableKey => '⊘',
            Action::OverQuota => '#',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::UpdateTags => "update tags",
            Action::UpdatePolicy => "update policy",
            Action::Delete => {
                "delete (carries the ownership tag, not in this manifest; only apply --prune deletes)"
            }
            Action::Unchanged => "unchanged",
            Action::Drift => "drift (encryption key differs; reported, never changed)",
            Action::Unmanaged => "unmanaged (live, not in the manifest)",
            Action::Unreachable => {
                "unreachable (its account and Region could not be read; skipped)"
            }
            Action::UnusableKey => {
                "unusable key (its encryption key is missing or not symmetric; skipped)"
            }
            Action::OverQuota => {
                "over quota (its account and Region would exceed the domain quota; not created)"
            }
        }
    }
}

impl Entry {
    pub fn new(address: DomainAddress) -> Self {
        Self {
            address,
            arn: None,
            steps: Vec::new(),
            finding: None,
        }
    }

    pub fn action(&self) -> Action {
        match &self.finding {
            Some(Finding::Unreachable { .. }) => Action::Unreachable,
            Some(Finding::OverQuota { .. }) => Action::OverQuota,
            Some(Finding::UnusableKey { .. }) => Action::UnusableKey,
            Some(Finding::Unmanaged { .. }) => Action::Unmanaged,
            Some(Finding::Drift { .. }) => Action::Drift,
            None if self.steps.iter().any(|s| s.kind() == StepKind::Create) => Action::Create,
            None if self.steps.iter().any(|s| s.kind() == StepKind::Delete) => Action::Delete,
            None if self.steps.is_empty() => Action::Unchanged,
            // Tags and a policy together read as a tag update; the policy's diff is shown under it.
            None if self.steps.iter().all(|s| s.kind() == StepKind::PutPolicy) => {
                Action::UpdatePolicy
            }
            None => Action::UpdateTags,
        }
    }

    /// Whether apply makes a call for it.
    pub fn has_changes(&self) -> bool {
        self.finding.is_none() && !self.steps.is_empty()
    }

    /// Whether a run changes it: a retired domain only with `--prune` (`prune`), else it is kept.
    pub fn changed_by(&self, prune: bool) -> bool {
        self.has_changes() && (prune || self.action() != Action::Delete)
    }
}

impl Plan {
    pub fn count(&self, action: Action) -> usize {
        self.entries.iter().filter(|e| e.action() == action).count()
    }

    /// The entries apply reports an outcome for: every manifest domain (unmanaged live domains
    /// are only informational).
    pub fn reported(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| e.action() != Action::Unmanaged)
    }

    pub fn has_changes(&self) -> bool {
        self.entries.iter().any(Entry::has_changes)
            || self.keys.iter().any(|k| k.action() == Action::Create)
    }

    /// Whether apply changes anything: deletions count only with `--prune`.
    pub fn changes_anything(&self, prune: bool) -> bool {
        self.entries.iter().any(|e| e.changed_by(prune))
            || self.keys.iter().any(|k| k.action() == Action::Create)
    }

    /// How many declared keys are planned with this action.
    pub fn count_keys(&self, action: Action) -> usize {
        self.keys.iter().filter(|k| k.action() == action).count()
    }

    /// Mark the changes of targets that cannot be reached now as unreachable (saved plans).
    pub fn block(&mut self, blocked: &BTreeMap<TargetKey, Blocked>) {
        for e in self.entries.iter_mut().filter(|e| e.has_changes()) {
            if let Some(b) = blocked.get(&e.address.target()) {
                e.steps.clear();
                e.finding = Some(Finding::Unreachable { blocked: b.clone() });
            }
        }
        for k in self.keys.iter_mut().filter(|k| k.create.is_some()) {
            if let Some(b) = blocked.get(&k.target()) {
                k.create = None;
                k.blocked = Some(b.clone());
            }
        }
    }

    /// Record the filter the plan was made under. A live domain the manifest does not name is
    /// listed only if the domain filter selects it (a manifest domain it left out is not one).
    pub fn limit_to(&mut self, filter: &Filter, left_out: usize) {
        // A live domain outside the manifest is shown (or deleted) only when the filter selects
        // its name: a manifest domain the filter left out is not unmanaged, and must never be
        // taken for a retired one.
        self.entries.retain(|e| {
            !matches!(e.action(), Action::Unmanaged | Action::Delete)
                || filter.domain(&e.address.name)
        });
        self.filter = filter.clone();
        self.left_out = left_out;
    }

    pub fn target(&self, key: &TargetKey) -> Option<&Target> {
        self.targets
            .iter()
            .find(|t| t.account == key.account && t.region == key.region)
    }
}
