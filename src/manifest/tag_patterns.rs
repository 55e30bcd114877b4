//! A domain's tags as the manifest gives them, shared between the domains that hold the same.

use std::collections::BTreeMap;
use std::collections::btree_map;
use std::ops::Deref;
use std::sync::Arc;

use crate::model::Pattern;

/// `defaults.tags` merged with a domain's own (the domain wins); values may hold placeholders.
/// Read like the map it holds. Shared: the domains that add no tags of their own hold the
/// defaults' one map (a map each was a quarter of the memory of a large manifest).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagPatterns(Arc<BTreeMap<String, Pattern>>);

impl Deref for TagPatterns {
    type Target = BTreeMap<String, Pattern>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<BTreeMap<String, Pattern>> for TagPatterns {
    fn from(tags: BTreeMap<String, Pattern>) -> Self {
        TagPatterns(Arc::new(tags))
    }
}

impl<'a> IntoIterator for &'a TagPatterns {
    type Item = (&'a String, &'a Pattern);
    type IntoIter = btree_map::Iter<'a, String, Pattern>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl serde::Serialize for TagPatterns {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}
