//! One declared key at its full place (account, Region, alias): what observe describes, the
//! diff plans and apply creates when missing.

use crate::manifest::DeclaredKey;
use crate::model::{AccountId, Region, TagSet, TargetKey};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredKey {
    pub target: TargetKey,
    /// `alias/NAME`.
    pub alias: String,
    pub description: Option<String>,
    pub tags: TagSet,
    /// 1-based line of the manifest entry.
    pub line: usize,
}

impl DesiredKey {
    /// The key an entry of `keys` asks for in one account and Region: the one way a resolved
    /// key is made, whether the entry names its account and Region or is stamped over many.
    pub fn stamp(
        k: &DeclaredKey,
        account: impl Into<AccountId>,
        region: impl Into<Region>,
    ) -> Self {
        Self {
            target: TargetKey::new(account, region),
            alias: k.alias.clone(),
            description: k.description.clone(),
            tags: k.tags.clone(),
            line: k.line,
        }
    }
}
