//! The `ownership` section: the one tag that marks the manifest's domains (what prune trusts).

use super::Validator;
use crate::manifest::node::Node;

impl Validator<'_> {
    /// The tag, when `ownership` holds exactly one valid tag.
    pub(super) fn ownership(&mut self, key: &Node, node: &Node) -> Option<(String, String)> {
        let written = node.as_map().map_or(0, |m| m.len());
        let tags = self.tags(node);
        if written != 1 {
            let p = self
                .problem(
                    "manifest::ownership",
                    format!("`ownership` holds {written} tags; it names exactly one"),
                )
                .label(key.span.clone(), "one `KEY: VALUE`")
                .help("e.g. `ownership: { managed-by: provision }`: the tag that marks a domain as this manifest's, which prune trusts");
            self.push(p);
            return None;
        }
        let (tag, value) = tags.into_iter().next()?;
        // The tag is written as is on every domain and compared as is: a value AWS would refuse
        // in a tag (`$`, `{`, `}`) or an empty one cannot mark anything.
        if value.is_empty() || value.contains("${") {
            let p = self
                .problem(
                    "manifest::ownership",
                    format!("the ownership tag `{tag}` needs a plain, non-empty value"),
                )
                .label(key.span.clone(), "a plain value")
                .help("no placeholders here: one value for the whole manifest, unique to it, e.g. `provision/manifest: platform-domains`");
            self.push(p);
            return None;
        }
        Some((tag, value))
    }
}
