//! The YAML parser's limits: room for every legitimate manifest up to the size limit, and
//! no more, so that a small text cannot make a large tree through aliases.
//!
//! serde-saphyr counts what the parser produces, aliases expanded: nodes (scalars, lists,
//! mappings) and events (a node, a list's or mapping's end, an alias). Its defaults
//! (250 000 nodes) refused a 4.9 MB manifest of 100 000 domains; they are sized here from
//! [`MAX_MANIFEST_BYTES`] instead.
//!
//! **Text.** A legitimate manifest has at most one node per two bytes: each of its values
//! is a scalar of at least one character (a name, an id, a Region, a tag) followed by at
//! least one byte that ends it (`,`, `]`, `}`, a line break, `: `), or a list or mapping
//! that holds such scalars and has its own brackets, `- ` or key. The densest is a flow
//! list of one-character names, `exclude: [a,b,c,…]`: two bytes a node. (Denser YAML exists,
//! `[:,:,:]` makes three nodes in two bytes, but no manifest is written so.) Events are at
//! most two a node (a list or mapping also ends) plus the stream's and document's four.
//!
//! **Aliases.** An alias (`*name`) replays its anchor's events, which are counted again, and
//! an anchor records the events it holds (aliases inside it replayed). What aliases may add
//! is a fixed [`ALIAS_EVENTS`], not a share of the size: it is what ends an alias bomb,
//! however small its text, after a bounded amount of work. It is the 250 000 that bounded
//! everything before, so aliases can make about what they could, and a bomb costs about what
//! it did (serde-saphyr's own replay and recording limits are four times that: refusing the
//! bomb of the tests then took four times the time and three times the memory). The other
//! alias limits (50 000 aliases, at most 10 per anchor once there are 100) stay at
//! serde-saphyr's defaults.
//!
//! **Comments.** The parser holds back the comments before an entry it cannot place yet (a
//! block of commented-out domains before the next one, say), and serde-saphyr let it hold
//! 32: a 33-line comment there refused the manifest. [`BYTES_PER_HELD_COMMENT`] admits any
//! such block of lines of its length or more (a commented-out domain is about 50 bytes),
//! up to the whole manifest, while what is held (about 150 bytes a comment) stays within a
//! few bytes for each byte of text.

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Budget, Error, Options};

use super::MAX_MANIFEST_BYTES;

/// Bytes of text per node in the densest legitimate manifest (see the module's comment).
const BYTES_PER_NODE: usize = 2;

/// Events aliases may replay, and anchors record, in all (see the module's comment).
pub(crate) const ALIAS_EVENTS: usize = 250_000;

/// Bytes of text for each comment the parser may hold back (see the module's comment).
const BYTES_PER_HELD_COMMENT: usize = 32;

/// The limits for a manifest of at most `max_bytes` bytes.
pub(crate) fn budget_for(max_bytes: usize) -> Budget {
    let mut budget = Budget::default();
    let text_nodes = max_bytes / BYTES_PER_NODE;
    budget.max_nodes = text_nodes + ALIAS_EVENTS;
    // Each replayed event may be a node; each alias is one event more.
    budget.max_events = 2 * text_nodes + 4 + ALIAS_EVENTS + budget.max_aliases;
    budget.max_recorded_anchor_events = ALIAS_EVENTS;
    budget.max_buffered_comment_events = max_bytes / BYTES_PER_HELD_COMMENT;
    budget
}

/// The parser's options for a manifest of at most `max_bytes` bytes.
pub(crate) fn options_for(max_bytes: usize) -> Options {
    let mut options = Options::default();
    // The snippet is miette's to draw, under the label.
    options.with_snippet = false;
    options.budget = Some(budget_for(max_bytes));
    options.alias_limits.max_total_replayed_events = ALIAS_EVENTS;
    options
}

/// The parser's options for any manifest [`load`](super::load) accepts.
pub(crate) fn options() -> Options {
    // The limit is 10 MiB: it fits in a `usize` on every target Rust supports with `std`.
    options_for(usize::try_from(MAX_MANIFEST_BYTES).unwrap_or(usize::MAX))
}

/// What a limit that stopped the parser means, in words (serde-saphyr prints its Debug form,
/// `budget breached: Nodes { nodes: 250001 }`); `None` for every other error.
pub(crate) fn limit_message(error: &Error) -> Option<String> {
    // An error met while replaying an alias comes wrapped with the alias's locations.
    let mut error = error;
    while let Error::AliasError { error: inner, .. } | Error::WithSnippet { error: inner, .. } =
        error
    {
        error = inner;
    }
    let defaults = Budget::default();
    let message = match error {
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => format!(
                "the manifest holds more values than a {} MiB manifest can, once its YAML aliases (`*name`) are expanded",
                MAX_MANIFEST_BYTES >> 20
            ),
            BudgetBreach::Aliases { .. } => format!(
                "the manifest uses more than {} YAML aliases (`*name`)",
                defaults.max_aliases
            ),
            BudgetBreach::Anchors { .. } => format!(
                "the manifest defines more than {} YAML anchors (`&name`)",
                defaults.max_anchors
            ),
            BudgetBreach::AliasAnchorRatio { aliases, anchors } => format!(
                "the manifest uses {aliases} YAML aliases (`*name`) of {} (`&name`): more than {} uses per anchor are refused, as that is how alias bombs grow",
                crate::text::plural(*anchors, "anchor", "anchors"),
                defaults.alias_anchor_ratio_multiplier
            ),
            BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => format!(
                "the YAML anchors (`&name`) hold more than {ALIAS_EVENTS} values once the aliases (`*name`) inside them are expanded (is this an alias bomb?)"
            ),
            BudgetBreach::Depth { .. } => format!(
                "the manifest is nested more than {} levels deep",
                defaults.max_depth
            ),
            _ => return None,
        },
        Error::AliasReplayLimitExceeded { .. } | Error::AliasExpansionLimitExceeded { .. } => {
            format!(
                "the YAML aliases (`*name`) expand to more than {ALIAS_EVENTS} values (is this an alias bomb?)"
            )
        }
        Error::AliasReplayStackDepthExceeded { .. } => {
            "the YAML aliases (`*name`) are nested too deep inside one another".to_string()
        }
        _ => return None,
    };
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::node::parse_yaml_with;
    use crate::manifest::{Format, parse_str};

    /// The densest legitimate manifest (see the module's comment) of about `bytes` bytes: one
    /// template whose selector excludes `a`, `a`, … (two bytes a node).
    fn densest(bytes: usize) -> String {
        let head = "version: 1\ndefaults: { region: us-east-1 }\ndomains:\n  - name: \"d-${account.id}\"\n    accounts: { ou: Root, exclude: [a";
        let mut text = String::with_capacity(bytes + 8);
        text.push_str(head);
        while text.len() + 4 < bytes {
            text.push_str(",a");
        }
        text.push_str("] }\n");
        text
    }

    #[test]
    fn the_densest_legitimate_manifest_fits_the_budget_of_its_size() {
        // 512 KiB, about 262 000 nodes: more than serde-saphyr's default 250 000.
        let text = densest(1 << 19);
        assert!(text.len() / BYTES_PER_NODE > Budget::default().max_nodes);
        assert!(parse_yaml_with(&text, options_for(text.len())).is_ok());
        // And it is a manifest: it validates, within the limits of the largest manifest.
        let manifest = parse_str(&text, "dense.yaml", Format::Yaml);
        assert!(
            manifest.is_ok(),
            "{:?}",
            manifest.err().map(|e| e.to_string())
        );
    }

    #[test]
    fn a_long_comment_before_an_entry_is_admitted() {
        // serde-saphyr's default let the parser hold back 32 comments there.
        let block: String = (0..200)
            .map(|i| format!("#  - {{ name: old-{i}, region: us-east-1 }}\n"))
            .collect();
        for text in [
            format!(
                "version: 1\ndefaults: {{ region: us-east-1 }}\ndomains:\n{block}  - name: ab\n"
            ),
            format!(
                "version: 1\ndefaults:\n{block}  region: us-east-1\ndomains: [{{ name: ab }}]\n"
            ),
        ] {
            let manifest = parse_str(&text, "comments.yaml", Format::Yaml);
            assert!(
                manifest.is_ok(),
                "{:?}",
                manifest.err().map(|e| e.to_string())
            );
        }
    }

    #[test]
    fn the_budget_grows_with_the_size_it_admits() {
        // Linear in the size, so that the 1 MiB case above stands for the 10 MiB limit.
        let small = budget_for(1 << 20);
        let large = budget_for(10 << 20);
        assert_eq!(large.max_nodes - small.max_nodes, 9 << 19);
        assert_eq!(large.max_events - small.max_events, 9 << 20);
        let limit = budget_for(usize::try_from(MAX_MANIFEST_BYTES).unwrap_or(usize::MAX));
        assert_eq!(limit.max_nodes, (5 << 20) + ALIAS_EVENTS);
    }
}
