//! The settings a domain can take from `defaults` or set itself (Region,
//! encryption key, tags, tags mode), checked the same way in both places.

use std::collections::BTreeMap;

use super::rules::key::{KEY_FORMS, KeyArn, check_key};
use super::rules::tags::{TagError, tag_error};
use super::{Checked, Validator};
use crate::manifest::TagsMode;
use crate::manifest::echo::echo;
use crate::manifest::node::Node;
use crate::manifest::regions;

const CHARS_HELP: &str = "tag keys and values cannot contain control or format characters";

impl<'a> Validator<'a> {
    pub(super) fn check_region(&mut self, region: &'a str, node: &Node) -> Checked<&'a str> {
        if regions::is_known(region) {
            return Checked::Ok(region);
        }
        let help = match regions::suggest(region) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "use an AWS Region code such as `us-east-1` or `eu-west-1`".to_string(),
        };
        let p = self
            .problem(
                "manifest::unknown_region",
                format!("unknown AWS Region `{}`", echo(region)),
            )
            .label(node.span.clone(), "unknown Region")
            .help(help);
        self.push(p);
        Checked::Bad
    }

    pub(super) fn check_key(&mut self, key: &str, node: &Node) -> Result<Option<KeyArn>, ()> {
        check_key(key).map_err(|reason| {
            let p = self
                .problem(
                    "manifest::invalid_encryption_key",
                    format!("encryption key `{}` {reason}", echo(key)),
                )
                .label(node.span.clone(), "invalid KMS key reference")
                .help(KEY_FORMS);
            self.push(p);
        })
    }

    /// The valid tags of a `tags` mapping, their values as patterns (placeholders checked against
    /// what `accounts` can fill; `None`: syntax only).
    pub(super) fn tag_patterns(
        &mut self,
        node: &Node,
        accounts: Option<&crate::manifest::Accounts>,
    ) -> BTreeMap<String, crate::model::Pattern> {
        let valid = self.tags(node);
        let mut out = BTreeMap::new();
        for (key, value) in node.as_map().unwrap_or_default() {
            if let (Some(k), Some(v)) = (key.as_str(), value.as_str())
                && valid.contains_key(k)
                && let Some(pattern) = self.pattern(v, value, accounts)
            {
                out.insert(k.to_string(), pattern);
            }
        }
        out
    }

    /// Check each tag of a `tags` mapping; returns the valid ones.
    pub(super) fn tags(&mut self, node: &Node) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (key, value) in node.as_map().unwrap_or_default() {
            let (Some(k), Some(val)) = (key.as_str(), value.as_str()) else {
                continue;
            };
            let Some(error) = tag_error(k, val) else {
                out.insert(k.to_string(), val.to_string());
                continue;
            };
            let p = match error {
                TagError::KeyLength(len) => self
                    .problem(
                        "manifest::invalid_tag_key",
                        format!("tag key is {len} characters long"),
                    )
                    .label(key.span.clone(), "invalid tag key")
                    .help("tag keys are 1–128 characters"),
                TagError::ReservedPrefix => self
                    .problem("manifest::reserved_tag_prefix", format!("tag key `{}` uses the reserved prefix `aws:`", echo(k)))
                    .label(key.span.clone(), "reserved for AWS")
                    .help("keys starting with `aws:` (in any case) are reserved for AWS; choose another key"),
                TagError::KeyChar(c) => self
                    .problem(
                        "manifest::invalid_tag_key",
                        format!(
                            "tag key contains the control character {}",
                            c.escape_unicode()
                        ),
                    )
                    .label(key.span.clone(), "invalid tag key")
                    .help(CHARS_HELP),
                TagError::ValueLength(len) => self
                    .problem(
                        "manifest::invalid_tag_value",
                        format!("value of tag `{}` is {len} characters long", echo(k)),
                    )
                    .label(value.span.clone(), "too long")
                    .help("tag values are at most 256 characters"),
                TagError::ValueChar(c) => self
                    .problem(
                        "manifest::invalid_tag_value",
                        format!(
                            "value of tag `{}` contains the control character {}",
                            echo(k),
                            c.escape_unicode()
                        ),
                    )
                    .label(value.span.clone(), "invalid tag value")
                    .help(CHARS_HELP),
            };
            self.push(p);
        }
        out
    }

    pub(super) fn tags_mode(node: Option<(&str, &Node)>) -> Option<TagsMode> {
        match node?.0 {
            "merge" => Some(TagsMode::Merge),
            "exact" => Some(TagsMode::Exact),
            _ => None, // reported by the schema pass
        }
    }
}
