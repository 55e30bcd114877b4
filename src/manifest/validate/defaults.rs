//! The `defaults` section: what every domain inherits unless it sets its own.

use std::collections::BTreeMap;

use super::rules::key::KeyArn;
use super::rules::tags::MAX_TAGS;
use super::{Checked, Validator};
use crate::manifest::node::Node;
use crate::manifest::schema::Fields;
use crate::manifest::{AccountRef, TagPatterns, TagsMode};

/// `defaults` as checked: invalid values are already reported, and the key
/// keeps its node so that a mismatch can point at where it was written.
pub(super) struct Defaults<'a> {
    pub(super) region: Checked<&'a str>,
    pub(super) account: Checked<AccountRef>,
    pub(super) key: Option<(&'a str, &'a Node<'a>, Option<KeyArn>)>,
    /// One map, shared by every domain that adds no tags of its own.
    pub(super) tags: TagPatterns,
    pub(super) tags_mode: Option<TagsMode>,
}

impl<'a> Validator<'a> {
    pub(super) fn defaults(&mut self, node: &'a Node<'a>) -> Defaults<'a> {
        let f = Fields::of(Some("RawDefaults"));
        let region = match f.str(node, "region") {
            Some((r, n)) => self.check_region(r, n),
            None if f.get(node, "region").is_some() => Checked::Bad,
            None => Checked::Absent,
        };
        let account = match f.str(node, "account") {
            Some((a, n)) => self.resolve_account(a, n),
            None if f.get(node, "account").is_some() => Checked::Bad,
            None => Checked::Absent,
        };
        let key = f
            .str(node, "encryption_key")
            .and_then(|(k, n)| self.check_key(k, n).ok().map(|arn| (k, n, arn)));
        let tags = match f.get(node, "tags") {
            Some((tags_key, t)) => {
                let tags = self.tag_patterns(t, None);
                if tags.len() > MAX_TAGS {
                    let p = self
                        .problem("manifest::too_many_tags", format!("`defaults.tags` has {} tags", tags.len()))
                        .label(tags_key.span.clone(), format!("{} tags", tags.len()))
                        .help(format!("AWS allows at most {MAX_TAGS} user tags per domain, including the defaults"));
                    self.push(p);
                }
                tags
            }
            None => BTreeMap::new(),
        };
        let tags_mode = Self::tags_mode(f.str(node, "tags_mode"));
        Defaults {
            region,
            account,
            key,
            tags: tags.into(),
            tags_mode,
        }
    }
}
