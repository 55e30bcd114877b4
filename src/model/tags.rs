//! Tags: a set, how the manifest's tags meet a domain's (merge or exact), and the one rule that
//! turns a wanted and a live set into the changes to make.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Tag key → value, ordered so that plans and reports read the same on every run.
pub type TagSet = BTreeMap<String, String>;

/// How tags that are not in the manifest are treated.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TagsMode {
    /// Add and correct the manifest's tags; leave others alone.
    #[default]
    Merge,
    /// Also remove tags the manifest does not name (never `aws:` ones).
    Exact,
}

/// A tag to add (`old` is `None`) or correct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TagChange {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    pub new: String,
}

/// A tag to remove, with the value it has now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemovedTag {
    pub key: String,
    pub old: String,
}

/// What makes a live domain's tags the manifest's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagDelta {
    /// Sorted by key.
    pub set: Vec<TagChange>,
    /// Sorted by key.
    pub remove: Vec<RemovedTag>,
}

/// `aws:` tags belong to AWS; no mode ever removes them (and the manifest cannot name them).
pub fn is_reserved_tag(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

impl TagDelta {
    /// The changes that make `live` what `wanted` says under `mode`.
    pub fn between(wanted: &TagSet, live: &TagSet, mode: TagsMode) -> Self {
        let set = wanted
            .iter()
            .filter(|(k, v)| live.get(*k) != Some(*v))
            .map(|(k, v)| TagChange {
                key: k.clone(),
                old: live.get(k).cloned(),
                new: v.clone(),
            })
            .collect();
        let remove = match mode {
            TagsMode::Merge => Vec::new(),
            TagsMode::Exact => live
                .iter()
                .filter(|(k, _)| !wanted.contains_key(*k) && !is_reserved_tag(k))
                .map(|(k, v)| RemovedTag {
                    key: k.clone(),
                    old: v.clone(),
                })
                .collect(),
        };
        Self { set, remove }
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> TagSet {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn merge_adds_and_corrects_with_the_old_value() {
        let d = TagDelta::between(
            &tags(&[("env", "prod"), ("team", "a")]),
            &tags(&[("env", "dev"), ("other", "x")]),
            TagsMode::Merge,
        );
        assert_eq!(
            d.set,
            [
                TagChange {
                    key: "env".into(),
                    old: Some("dev".into()),
                    new: "prod".into()
                },
                TagChange {
                    key: "team".into(),
                    old: None,
                    new: "a".into()
                },
            ]
        );
        assert!(d.remove.is_empty());
    }

    #[test]
    fn exact_removes_foreign_tags_but_never_aws_ones() {
        let d = TagDelta::between(
            &tags(&[("env", "prod")]),
            &tags(&[
                ("env", "prod"),
                ("old", "x"),
                ("AWS:cloudformation:stack", "s"),
            ]),
            TagsMode::Exact,
        );
        assert!(d.set.is_empty());
        assert_eq!(
            d.remove,
            [RemovedTag {
                key: "old".into(),
                old: "x".into()
            }]
        );
        assert!(
            TagDelta::between(&tags(&[("a", "1")]), &tags(&[("a", "1")]), TagsMode::Exact)
                .is_empty()
        );
    }
}
