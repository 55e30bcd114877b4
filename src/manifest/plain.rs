//! A fast path for plain YAML: the [`Node`] tree built straight from the parser's events.
//!
//! serde-saphyr turns each value into a `Spanned<T>` through several layers of serde
//! (a synthetic four-field struct a node, its locations deserialized as structs, every
//! key recorded and replayed): most of the time `validate` spent on a large manifest.
//! The events themselves cost a third of that.
//!
//! This path takes only what it can build exactly as serde-saphyr would: one document
//! whose root is a mapping, without anchors, aliases, tags, `%YAML` directives, merge
//! keys, repeated keys, non-string keys, or plain scalars whose type is in any doubt (see
//! [`scalar`]). On anything else, any syntax error, or past the budget, it gives up
//! (`None`) and serde-saphyr parses the text from the start, as before: its tree, its
//! budgets against alias bombs and its messages stay the reference. The parser is the
//! one serde-saphyr drives, with its options, so both read the same events and spans.
//! In tests every tree of this path is compared with serde-saphyr's.

use std::collections::HashSet;
use std::ops::Range;

use serde_saphyr::Budget;
use serde_saphyr::granit_parser::{self, Event, Parser, ScalarStyle, Span};

use super::node::{Kind, Node};

/// A mapping with more keys than this looks repeated keys up in a set, not by a scan.
const SCANNED_KEYS: usize = 8;

/// The tree of `source` when it is plain YAML within `budget`; `None` otherwise.
pub(crate) fn parse<'s>(source: &'s str, budget: &Budget) -> Option<Node<'s>> {
    let mut builder = Builder {
        budget,
        stack: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        root: None,
        documents: 0,
        nodes: 0,
        events: 0,
    };
    for item in Parser::new_from_str_with_options(source, parser_options(budget)) {
        let (event, span) = item.ok()?;
        builder.event(event, &span)?;
    }
    builder.root.filter(|_| builder.stack.is_empty())
}

/// The parser's options as serde-saphyr sets them for `budget` (`Budget::parser_options`,
/// which is private). Comments too: they make no node, but the parser holds back those
/// before an entry it cannot place yet, up to a limit, and fails past it.
fn parser_options(budget: &Budget) -> granit_parser::Options {
    let mut options = granit_parser::Options::default();
    options.simple_key_max_lookahead = budget.simple_key_max_lookahead;
    options.flow_nesting_limit = budget.flow_nesting_limit;
    options.block_nesting_limit = options
        .block_nesting_limit
        .max(budget.max_depth.saturating_add(1));
    options.emit_comments = true;
    options.max_buffered_comment_events = budget.max_buffered_comment_events;
    options
}

/// A list or mapping being built; its children so far are at the end of the builder's
/// `items` or `entries`, from `first` on.
enum Open<'s> {
    Seq {
        span: Range<usize>,
        first: usize,
    },
    Map {
        span: Range<usize>,
        first: usize,
        /// The key read, waiting for its value.
        key: Option<Node<'s>>,
        /// The keys, once there are more than [`SCANNED_KEYS`].
        keys: HashSet<String>,
    },
}

struct Builder<'b, 's> {
    budget: &'b Budget,
    stack: Vec<Open<'s>>,
    /// The children of the open lists and mappings, innermost last: a finished one takes
    /// its own in a vector of their exact number (grown item by item, each list and mapping
    /// had room for up to twice its children, and was copied as it grew).
    items: Vec<Node<'s>>,
    entries: Vec<(Node<'s>, Node<'s>)>,
    root: Option<Node<'s>>,
    documents: usize,
    /// Counted as serde-saphyr counts them (events: every one, so never fewer than it).
    nodes: usize,
    events: usize,
}

impl<'s> Builder<'_, 's> {
    /// Take one event; `None` to give up.
    fn event(&mut self, event: Event<'s>, span: &Span) -> Option<()> {
        self.events += 1;
        if self.events > self.budget.max_events {
            return None;
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Some(()),
            Event::DocumentStart(_, version) => {
                self.documents += 1;
                (self.documents == 1 && version.is_none()).then_some(())
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                self.count_node()?;
                let kind = match scalar(value.as_ref(), style)? {
                    Scalar::Text => Kind::Str(value),
                    Scalar::Other(kind) => kind,
                };
                self.add(Node {
                    kind,
                    span: bytes(span)?,
                })
            }
            Event::SequenceStart(_, anchor, tag) => {
                self.open(anchor, tag.is_some())?;
                let open = Open::Seq {
                    span: bytes(span)?,
                    first: self.items.len(),
                };
                self.stack.push(open);
                Some(())
            }
            Event::MappingStart(_, anchor, tag) => {
                self.open(anchor, tag.is_some())?;
                let open = Open::Map {
                    span: bytes(span)?,
                    first: self.entries.len(),
                    key: None,
                    keys: HashSet::new(),
                };
                self.stack.push(open);
                Some(())
            }
            Event::SequenceEnd => match self.stack.pop()? {
                Open::Seq { span, first } => {
                    let items = self.items.split_off(first);
                    self.add(Node {
                        kind: Kind::Seq(items),
                        span,
                    })
                }
                Open::Map { .. } => None,
            },
            Event::MappingEnd => match self.stack.pop()? {
                Open::Map {
                    span,
                    first,
                    key: None,
                    ..
                } => {
                    let entries = self.entries.split_off(first);
                    self.add(Node {
                        kind: Kind::Map(entries),
                        span,
                    })
                }
                _ => None,
            },
            Event::Comment(..) => Some(()),
            // Aliases and anchors: serde-saphyr's to handle.
            _ => None,
        }
    }

    fn count_node(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.budget.max_nodes).then_some(())
    }

    /// A list or mapping starts: plain, and within the budget's node count and depth.
    fn open(&mut self, anchor: usize, tagged: bool) -> Option<()> {
        if anchor != 0 || tagged {
            return None;
        }
        self.count_node()?;
        (self.stack.len() < self.budget.max_depth).then_some(())
    }

    /// A finished node: an item, a key, a value, or the root.
    fn add(&mut self, node: Node<'s>) -> Option<()> {
        match self.stack.last_mut() {
            None => {
                // The root is a mapping, and there is one.
                if self.root.is_some() || !matches!(node.kind, Kind::Map(_)) {
                    return None;
                }
                self.root = Some(node);
            }
            Some(Open::Seq { .. }) => self.items.push(node),
            Some(Open::Map {
                first, key, keys, ..
            }) => match key.take() {
                Some(k) => self.entries.push((k, node)),
                None => {
                    // String keys only, each once, and no merge key (`<<`).
                    let Kind::Str(name) = &node.kind else {
                        return None;
                    };
                    if name == "<<" {
                        return None;
                    }
                    let siblings = self.entries.get(*first..).unwrap_or_default();
                    if siblings.len() < SCANNED_KEYS {
                        if siblings.iter().any(|(k, _)| k.as_str() == Some(name)) {
                            return None;
                        }
                    } else {
                        if keys.is_empty() {
                            let written = siblings.iter().filter_map(|(k, _)| k.as_str());
                            keys.extend(written.map(str::to_string));
                        }
                        if !keys.insert(name.to_string()) {
                            return None;
                        }
                    }
                    *key = Some(node);
                }
            },
        }
        Some(())
    }
}

/// What a scalar is, when that is beyond doubt.
enum Scalar {
    /// A string: the value as it is.
    Text,
    Other(Kind<'static>),
}

/// The kind serde-saphyr gives an untagged scalar (`deserialize_any`: null, then YAML 1.1
/// booleans, then integers, then floats, else a string), for the scalars whose kind is
/// plain to see; `None` for the rest (numbers other than small decimal integers, the
/// YAML 1.1 booleans, `nan`, `inf`, `~`, `null`, and anything else that starts like one).
fn scalar(value: &str, style: ScalarStyle) -> Option<Scalar> {
    if style != ScalarStyle::Plain {
        // Quoted and block scalars are strings.
        return Some(Scalar::Text);
    }
    let first = value.chars().next()?;
    if first.is_ascii_digit() {
        // A decimal integer without a leading zero, within `u64`: `visit_u64` then
        // `to_string` gives back the same text.
        let digits = value.bytes().all(|b| b.is_ascii_digit());
        let canonical = value == "0" || !value.starts_with('0');
        return (digits && canonical && value.len() < 20)
            .then(|| Scalar::Other(Kind::Int(value.to_string())));
    }
    if first.is_ascii_alphabetic() {
        return match value {
            "true" | "True" | "TRUE" => Some(Scalar::Other(Kind::Bool(true))),
            "false" | "False" | "FALSE" => Some(Scalar::Other(Kind::Bool(false))),
            // YAML 1.1 booleans, null, and the words Rust reads as floats.
            _ if [
                "y", "yes", "on", "n", "no", "off", "null", "nan", "inf", "infinity",
            ]
            .iter()
            .any(|w| value.eq_ignore_ascii_case(w)) =>
            {
                None
            }
            _ => Some(Scalar::Text),
        };
    }
    // `$` (a placeholder) and `/` start no number, boolean or null; nor does a character
    // beyond ASCII. `+`, `-`, `.`, `_`, `~` and the indicators may.
    (matches!(first, '$' | '/') || !first.is_ascii()).then_some(Scalar::Text)
}

/// The byte range of a span (the parser gives byte offsets for text).
fn bytes(span: &Span) -> Option<Range<usize>> {
    Some(span.start.byte_offset()?..span.end.byte_offset()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::budget::budget_for;
    use crate::manifest::node::parse_yaml;

    fn fast(source: &str) -> Option<Node<'_>> {
        parse(source, &budget_for(1 << 20))
    }

    /// Both paths, compared by `parse_yaml` itself in tests; whether the fast one was taken.
    #[track_caller]
    fn alike(source: &str) -> bool {
        let _ = parse_yaml(source);
        fast(source).is_some()
    }

    #[test]
    fn manifests_as_written_take_the_fast_path_to_the_same_tree() {
        let cases = [
            "version: 1\ndefaults: { region: us-east-1, tags: { team: \"a b\" } }\ndomains:\n  - name: acme\n    tags: { cost-centre: '12', owner: ops }\n  - { name: \"${account.name}-x\", accounts: [prod, \"111122223333\"], regions: [us-east-1, eu-west-1] }\n",
            "---\nversion: 1\ndomains: []\n...\n",
            "\u{feff}version: 1\r\ndomains:\r\n- name: ab\r\n  policy:\r\n    document: {\"Version\": \"2012-10-17\", \"Statement\": []}\r\n",
            "version: 1 # a comment\ndomains:\n  - name: bêta\n    tags:\n      long: this plain scalar\n        goes on\n      block: |\n        two\n        lines\n      folded: >-\n        one\n        line\n      escaped: \"tab\\there \\u00e9\"\n",
            "version: 0\nrecursive: false\nx: True\np: /path\nz: 9999999999999999999\nnested: [[a, [b]], {c: [d]}]\n",
        ];
        for source in cases {
            assert!(alike(source), "{source:?} was left to serde-saphyr");
        }
        let org = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/domains.yaml"
        ))
        .unwrap_or_default();
        assert!(alike(&org));
    }

    #[test]
    fn what_is_in_doubt_is_left_to_serde_saphyr() {
        let cases = [
            // Anchors, aliases, merge keys, tags, directives, more than one document.
            "a: &x 1\nb: *x\n",
            "a: {b: 1}\nc: {<<: {b: 2}}\n",
            "a: {\"<<\": 1}\n",
            "a: !!str 1\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            // Repeated keys, a few and many.
            "a: 1\na: 2\n",
            "{k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, k3: 3}",
            // Keys that are not strings; a root that is not a mapping; an empty document.
            "1: a\n",
            "[a, b]\n",
            "",
            // Scalars whose type takes serde-saphyr's rules.
            "a: yes\n",
            "a: Off\n",
            "a: ~\n",
            "a:\n",
            "a: NULL\n",
            "a: .inf\n",
            "a: NaN\n",
            "a: 012\n",
            "a: 1.5\n",
            "a: 0x1F\n",
            "a: -1\n",
            "a: 1_000\n",
            "a: _1\n",
            "a: 123456789012345678901\n",
            // A syntax error.
            "a: [1, 2\n",
        ];
        for source in cases {
            assert!(!alike(source), "{source:?} took the fast path");
        }
    }

    #[test]
    fn the_fast_path_keeps_to_the_budget() {
        let deep = format!("a: {}1{}\n", "[".repeat(70), "]".repeat(70));
        assert!(fast(&deep).is_none());
        let mut small = budget_for(1 << 20);
        small.max_nodes = 3;
        assert!(parse("a: 1\nb: 2\n", &small).is_none());
        assert!(parse("a: 1\n", &small).is_some());
    }

    #[test]
    fn every_yaml_file_of_the_repository_parses_alike() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dirs = [
            "examples",
            "fuzz/corpus/manifest",
            "fuzz/regressions/manifest",
            "tests/fixtures/manifest",
        ];
        let mut seen = 0;
        for dir in dirs {
            for entry in std::fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = entry.path();
                if let Ok(text) = std::fs::read_to_string(&path) {
                    let _ = parse_yaml(&text);
                    seen += 1;
                }
            }
        }
        assert!(seen >= 10, "{seen} files");
    }
}

#[cfg(test)]
mod random {
    use super::*;
    use crate::manifest::budget::budget_for;
    use crate::manifest::node::parse_yaml;
    use rand::rngs::SmallRng;
    use rand::{Rng, SeedableRng};

    /// Scalars the fast path reads, and (below) those it leaves to serde-saphyr.
    const PLAIN: &[&str] = &[
        "a",
        "acme-prod",
        "us-east-1",
        "1",
        "0",
        "12",
        "$x",
        "${account.id}-x",
        "/p",
        "é",
        "bêta",
        "'q'",
        "'it''s'",
        "\"d\"",
        "\"t\\tq\"",
        "\"\\u00e9\"",
        "a b",
        "true",
        "False",
        "'1'",
        "\"true\"",
        "x\n    y",
        "|\n    l\n",
        ">-\n    f\n    g\n",
        "9999999999999999999",
        "\"\"",
        "''",
        "[]",
        "{}",
        "[a, b]",
        "{a: 1}",
        "a #c",
        "\"a: b\"",
    ];
    const DOUBTFUL: &[&str] = &[
        "012",
        "-1",
        "+1",
        "1.5",
        ".5",
        "1e3",
        "0x1F",
        "1_000",
        "_x",
        "~",
        "null",
        "Null",
        "",
        "yes",
        "No",
        "on",
        "y",
        "n",
        "nan",
        ".inf",
        "inf",
        "a: b",
        "\"<<\"",
        "<<",
        "*a",
        "&a x",
        "!!str 1",
        "!x y",
        "18446744073709551616",
        "-",
        "- a",
        "? a",
        "a:",
        ":",
        "{a: 1, a: 2}",
        "#c",
    ];

    fn scalar(rng: &mut SmallRng) -> &'static str {
        if rng.random_range(0..20) == 0 {
            DOUBTFUL[rng.random_range(0..DOUBTFUL.len())]
        } else {
            PLAIN[rng.random_range(0..PLAIN.len())]
        }
    }

    fn value(rng: &mut SmallRng, depth: usize, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match rng.random_range(0..10) {
            0 if depth < 4 => {
                out.push('[');
                for i in 0..rng.random_range(0..4) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    value(rng, depth + 1, indent, out);
                }
                out.push(']');
            }
            1 if depth < 4 => {
                out.push('{');
                for i in 0..rng.random_range(0..4) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(scalar(rng));
                    out.push_str(": ");
                    value(rng, depth + 1, indent, out);
                }
                out.push('}');
            }
            2 if depth < 4 => {
                for _ in 0..rng.random_range(1..4) {
                    out.push('\n');
                    out.push_str(&pad);
                    out.push_str("- ");
                    value(rng, depth + 1, indent + 2, out);
                }
            }
            3 if depth < 4 => {
                for _ in 0..rng.random_range(1..4) {
                    out.push('\n');
                    out.push_str(&pad);
                    out.push_str(
                        ["k", "k2", "\"k\"", "y", "1", "<<", "k3", "'k4'"][rng.random_range(0..8)],
                    );
                    out.push_str(": ");
                    value(rng, depth + 1, indent + 2, out);
                }
            }
            _ => out.push_str(scalar(rng)),
        }
    }

    #[test]
    fn random_documents_parse_alike() {
        let count: usize = std::env::var("PLAIN_RANDOM")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2_000);
        let seed = std::env::var("PLAIN_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(9);
        let mut rng = SmallRng::seed_from_u64(seed);
        let mut taken = 0;
        for _ in 0..count {
            let mut doc = String::new();
            for key in ["version", "domains", "x"] {
                doc.push_str(key);
                doc.push_str(": ");
                value(&mut rng, 0, 2, &mut doc);
                doc.push('\n');
            }
            let _ = parse_yaml(&doc);
            taken += usize::from(parse(&doc, &budget_for(1 << 20)).is_some());
        }
        eprintln!("{taken} of {count} on the fast path");
        assert!(taken * 5 > count, "{taken} of {count} on the fast path");
    }
}
