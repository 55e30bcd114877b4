//! One manifest domain at its full address: what the diff compares with what exists.

use crate::model::{DomainAddress, TagSet, TagsMode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    pub address: DomainAddress,
    /// The key reference as written (domain, else defaults); `None` = the AWS-managed key.
    pub encryption_key: Option<String>,
    /// `defaults.tags` merged with the domain's.
    pub tags: TagSet,
    pub tags_mode: TagsMode,
    /// 1-based line of the manifest entry.
    pub line: usize,
}
