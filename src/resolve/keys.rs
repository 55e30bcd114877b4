//! One declared key at its full place (account, Region, alias): what observe describes, the
//! diff plans and apply creates when missing.

use crate::manifest::DeclaredKey;
use crate::model::pattern::Missing;
use crate::model::{TagSet, TargetKey, Vars};

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
    /// Its description and tag values filled in as they are for `vars` (a placeholder the
    /// account cannot fill is `Missing`).
    pub fn stamp(k: &DeclaredKey, vars: &Vars<'_>) -> Result<Self, Missing> {
        let fill = |p: &crate::model::Pattern| p.fill(vars, str::to_string);
        let description = k.description.as_ref().map(fill).transpose()?;
        let tags = k
            .tags
            .iter()
            .map(|(key, value)| Ok((key.clone(), fill(value)?)))
            .collect::<Result<TagSet, Missing>>()?;
        Ok(Self {
            target: TargetKey::new(vars.account_id, vars.region),
            alias: k.alias.clone(),
            description,
            tags,
            line: k.line,
        })
    }
}
