//! AWS's tag rules (CodeArtifact's `TagKey`/`TagValue`: `\P{C}`, 1–128 / 0–256
//! characters, `aws:` reserved), one verdict per tag.
//!
//! The JSON schema can only approximate `\P{C}` portably (see `tags_schema` in
//! the model); this is the precise check, with a reason a user can act on.

/// AWS allows 50 user tags per resource.
pub(crate) const MAX_TAGS: usize = 50;

/// The first rule a tag breaks, checked in this order (key, then value).
pub(crate) enum TagError {
    /// The key is not 1–128 characters long (its length).
    KeyLength(usize),
    /// The key starts with `aws:` in any case.
    ReservedPrefix,
    /// The key contains this control or format character.
    KeyChar(char),
    /// The value is longer than 256 characters (its length).
    ValueLength(usize),
    /// The value contains this control or format character.
    ValueChar(char),
}

use crate::manifest::echo::is_other;

pub(crate) fn tag_error(key: &str, value: &str) -> Option<TagError> {
    let len = key.chars().count();
    if len == 0 || len > 128 {
        Some(TagError::KeyLength(len))
    } else if crate::model::is_reserved_tag(key) {
        Some(TagError::ReservedPrefix)
    } else if let Some(c) = key.chars().find(|c| is_other(*c)) {
        Some(TagError::KeyChar(c))
    } else if value.chars().count() > 256 {
        Some(TagError::ValueLength(value.chars().count()))
    } else {
        value
            .chars()
            .find(|c| is_other(*c))
            .map(TagError::ValueChar)
    }
}
