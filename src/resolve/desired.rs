//! One manifest domain at its full address: what the diff compares with what exists.

use crate::manifest::{DesiredDomain, PolicySpec};
use crate::model::policy::canonical;
use crate::model::{DomainAddress, TagSet, TagsMode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    pub address: DomainAddress,
    /// The key reference as written (domain, else defaults); `None` = the AWS-managed key.
    pub encryption_key: Option<String>,
    /// `defaults.tags` merged with the domain's.
    pub tags: TagSet,
    pub tags_mode: TagsMode,
    /// The permission policy the manifest declares (`None`: the domain's policy is left alone).
    pub policy: Option<DesiredPolicy>,
    /// 1-based line of the manifest entry.
    pub line: usize,
}

/// A domain's policy, made concrete (the organisation shorthand filled in with its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredPolicy {
    /// The document in canonical form (pretty JSON, keys sorted): what a plan carries.
    pub document: String,
}

impl DesiredPolicy {
    pub fn new(document: &serde_json::Value) -> Self {
        Self {
            document: canonical(document),
        }
    }
}

impl DesiredPolicy {
    /// `d`'s policy, the organisation shorthand filled in with `organization` (`None`: such a
    /// policy is left out, which `resolve_with` refuses beforehand).
    pub fn of(d: &DesiredDomain, organization: Option<&str>) -> Option<Self> {
        d.policy.as_ref().and_then(|p| match p {
            PolicySpec::Document(v) => Some(DesiredPolicy::new(v)),
            PolicySpec::ShareWithOrganization(share) => {
                organization.map(|id| DesiredPolicy::new(&share.document(id)))
            }
        })
    }
}
