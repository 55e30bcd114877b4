//! A format-neutral, spanned document tree.
//!
//! Both YAML and TOML are first parsed into [`Node`]s that remember the byte
//! range they came from. The validator then walks this tree by hand, which is
//! what lets us report *every* problem at once (a derived `Deserialize` stops at
//! the first type error or unknown key) and put a label under the exact
//! offending value or key.
//!
//! * YAML: we deserialize through `serde_saphyr` into our own visitor, wrapping
//!   every value (keys included) in [`serde_saphyr::Spanned`]. We never use
//!   `#[serde(flatten)]` or untagged enums, which would lose spans. This keeps
//!   serde-saphyr's budgets (alias-bomb, depth and event limits, sized in
//!   [`super::budget`]) and its merge key / alias handling, instead of
//!   re-implementing them on raw parser events. Plain documents (no anchors,
//!   aliases, tags, merge keys, nor scalars of doubtful type: most manifests)
//!   are built from the parser's events directly ([`super::plain`]), into the
//!   very tree serde-saphyr would give, several times faster.
//! * TOML: `toml::de::DeTable::parse_recoverable` gives a spanned tree and
//!   *all* syntax errors, which we convert as-is.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A value with the byte range of its source text; its strings borrow that text when they
/// are written in it as they are (most are: a copy of each was much of the parse's time).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node<'s> {
    pub kind: Kind<'s>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind<'s> {
    Null,
    Bool(bool),
    /// Integers keep their textual form: we only ever compare or print them.
    Int(String),
    Float(f64),
    Str(Cow<'s, str>),
    /// TOML date-times (and any other scalar we do not model).
    Other(&'static str),
    Seq(Vec<Node<'s>>),
    /// Entries in source order; keys are nodes too so they carry spans.
    Map(Vec<(Node<'s>, Node<'s>)>),
}

impl Kind<'_> {
    /// Human name of the kind, as used in "expected a string, found a list".
    pub fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Other(what) => what,
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

impl<'s> Node<'s> {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node<'s>, Node<'s>)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node<'s>]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The entry `(key, value)` for `name` in a mapping node.
    pub fn entry(&self, name: &str) -> Option<&(Node<'s>, Node<'s>)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(name))
    }

    /// Span suitable for a label pointing at a whole container: only its
    /// first line, so the label does not cover a whole block.
    pub fn head_span(&self, source: &str) -> Range<usize> {
        let start = self.span.start.min(source.len());
        let end = self.span.end.clamp(start, source.len());
        let text = source.get(start..end).unwrap_or_default();
        let first_line = text.split('\n').next().unwrap_or_default();
        start..start + first_line.trim_end().len()
    }
}

// ---------------------------------------------------------------------------
// YAML

/// A syntax (or budget) error with an optional byte offset.
#[derive(Debug, Clone)]
pub(crate) struct SyntaxError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

/// Parse YAML into a [`Node`] tree. Only the first syntax error is available
/// from the YAML parser.
pub(crate) fn parse_yaml(source: &str) -> Result<Node<'_>, Vec<SyntaxError>> {
    parse_yaml_with(source, super::budget::options())
}

/// [`parse_yaml`] with the parser's `options` (its limits): plain YAML on the fast path
/// ([`super::plain`]), the rest through serde-saphyr.
pub(crate) fn parse_yaml_with(
    source: &str,
    options: serde_saphyr::Options,
) -> Result<Node<'_>, Vec<SyntaxError>> {
    let plain = options
        .budget
        .as_ref()
        .and_then(|budget| super::plain::parse(source, budget));
    let Some(mut node) = plain else {
        return parse_yaml_serde(source, options);
    };
    fix_nodes(&mut node, source);
    // The fast path must build serde-saphyr's tree exactly: every test that parses YAML
    // checks it.
    #[cfg(test)]
    assert_eq!(
        Ok(&node),
        parse_yaml_serde(source, options)
            .as_ref()
            .map_err(|e| e.len()),
        "the fast path's tree differs from serde-saphyr's for {source:?}"
    );
    Ok(node)
}

/// [`parse_yaml_with`] through serde-saphyr, whatever the text.
fn parse_yaml_serde(
    source: &str,
    options: serde_saphyr::Options,
) -> Result<Node<'_>, Vec<SyntaxError>> {
    match serde_saphyr::from_str_with_options::<Option<YNode>>(source, options) {
        Ok(Some(YNode(mut node))) => {
            fix_nodes(&mut node, source);
            Ok(node)
        }
        // An empty document: treat as an empty mapping at the start of file so
        // that the validator reports the missing fields.
        Ok(None) => Ok(Node {
            kind: Kind::Null,
            span: 0..0,
        }),
        Err(err) => {
            let span = err
                .location()
                .and_then(|loc| location_to_range(source, &loc));
            let message = super::budget::limit_message(&err)
                .unwrap_or_else(|| clean_yaml_message(&err.to_string()));
            Err(vec![SyntaxError { message, span }])
        }
    }
}

/// Post-process the YAML tree:
/// * serde-saphyr only gives the position of a collection's first token;
///   extend mappings and lists to cover their children (and a flow
///   collection's closing bracket) so labels can show the whole value;
/// * YAML 1.1 booleans become strings (YAML 1.2 core schema).
fn fix_nodes<'s>(node: &mut Node<'s>, source: &'s str) {
    let start = node.span.start;
    let children_end = match &mut node.kind {
        Kind::Seq(items) => {
            for item in items.iter_mut() {
                fix_nodes(item, source);
            }
            items
                .iter()
                .filter(|i| i.span.start >= start)
                .map(|i| i.span.end)
                .max()
        }
        Kind::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                fix_nodes(k, source);
                fix_nodes(v, source);
            }
            entries
                .iter()
                .flat_map(|(k, v)| [k, v])
                .filter(|n| n.span.start >= start)
                .map(|n| n.span.end)
                .max()
        }
        Kind::Bool(_) => {
            // YAML 1.1 booleans (`y`, `yes`, `on`, …) are strings in YAML 1.2;
            // serde-saphyr still infers them as booleans for untyped values.
            if let Some(text) = source.get(node.span.clone()) {
                let yaml12 = ["true", "True", "TRUE", "false", "False", "FALSE"];
                if !yaml12.contains(&text) && !text.starts_with('*') && !text.is_empty() {
                    node.kind = Kind::Str(Cow::Borrowed(text));
                }
            }
            return;
        }
        _ => return,
    };
    let bytes = source.as_bytes();
    let mut end = node.span.end.max(children_end.unwrap_or(0));
    let close = match bytes.get(start) {
        Some(b'[') => Some(b']'),
        Some(b'{') => Some(b'}'),
        _ => None,
    };
    if let Some(close) = close {
        end = end.max(start + 1);
        let rest = bytes.get(end..).unwrap_or_default();
        if let Some(pos) = rest.iter().position(|b| !b" \t\r\n,".contains(b))
            && rest[pos] == close
        {
            end += pos + 1;
        }
    }
    node.span.end = end.min(source.len());
}

/// serde-saphyr appends " at line X column Y" to messages; miette shows the
/// position itself, so strip it.
fn clean_yaml_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    match first.rfind(" at line ") {
        Some(idx) if first[idx..].contains("column") => first[..idx].to_string(),
        _ => first.to_string(),
    }
}

fn location_to_range(source: &str, loc: &serde_saphyr::Location) -> Option<Range<usize>> {
    if loc.line() == 0 {
        return None;
    }
    let span = loc.span();
    let (start, len) = match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => (start as usize, len as usize),
        _ => {
            // Character offsets: convert to bytes.
            let start = char_to_byte(source, span.offset() as usize);
            let end = char_to_byte(source, (span.offset() + span.len()) as usize);
            (start, end.saturating_sub(start))
        }
    };
    let start = start.min(source.len());
    let end = (start + len).min(source.len());
    Some(start..end)
}

fn char_to_byte(source: &str, chars: usize) -> usize {
    source
        .char_indices()
        .nth(chars)
        .map_or(source.len(), |(i, _)| i)
}

/// Wrapper so that we can implement `Deserialize` with spans.
struct YNode<'de>(Node<'de>);

impl<'de> Deserialize<'de> for YNode<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<YKind>::deserialize(deserializer)?;
        // `referenced` is where the value is used (the alias site for aliases),
        // which is where a user expects the label.
        let span = span_of(&spanned.referenced);
        Ok(YNode(Node {
            kind: spanned.value.0,
            span,
        }))
    }
}

fn span_of(loc: &serde_saphyr::Location) -> Range<usize> {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => start as usize..(start + len) as usize,
        _ => 0..0,
    }
}

struct YKind<'de>(Kind<'de>);

impl<'de> Deserialize<'de> for YKind<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KindVisitor).map(YKind)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Kind<'de>, E> {
        Ok(Kind::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Kind<'de>, E> {
        Ok(Kind::Int(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Kind<'de>, E> {
        Ok(Kind::Int(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Kind<'de>, E> {
        Ok(Kind::Int(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Kind<'de>, E> {
        Ok(Kind::Int(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Kind<'de>, E> {
        Ok(Kind::Float(v))
    }
    fn visit_char<E: de::Error>(self, v: char) -> Result<Kind<'de>, E> {
        Ok(Kind::Str(Cow::Owned(v.to_string())))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Kind<'de>, E> {
        Ok(Kind::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Kind<'de>, E> {
        Ok(Kind::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Kind<'de>, E> {
        Ok(Kind::Str(Cow::Owned(v)))
    }
    fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<Kind<'de>, E> {
        Ok(Kind::Other("binary data"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Kind<'de>, E> {
        Ok(Kind::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Kind<'de>, E> {
        Ok(Kind::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Kind<'de>, D::Error> {
        YKind::deserialize(d).map(|k| k.0)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Kind<'de>, D::Error> {
        YKind::deserialize(d).map(|k| k.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(YNode(node)) = seq.next_element()? {
            items.push(node);
        }
        Ok(Kind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind<'de>, A::Error> {
        let mut entries = Vec::new();
        while let Some((YNode(k), YNode(v))) = map.next_entry()? {
            entries.push((k, v));
        }
        Ok(Kind::Map(entries))
    }
}

// ---------------------------------------------------------------------------
// TOML

/// Parse TOML into a [`Node`] tree, returning every syntax error found.
pub(crate) fn parse_toml(source: &str) -> Result<Node<'_>, Vec<SyntaxError>> {
    let (table, errors) = toml::de::DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| SyntaxError {
                message: e.message().trim().to_string(),
                span: e.span(),
            })
            .collect());
    }
    let span = table.span();
    Ok(Node {
        kind: toml_table(table.into_inner()),
        span,
    })
}

fn toml_table(table: toml::de::DeTable<'_>) -> Kind<'_> {
    let mut entries: Vec<(Node, Node)> = table
        .into_iter()
        .map(|(k, v)| {
            let key = Node {
                span: k.span(),
                kind: Kind::Str(k.into_inner()),
            };
            (key, toml_value(v))
        })
        .collect();
    // The map type is ordered by key; restore source order.
    entries.sort_by_key(|(k, _)| k.span.start);
    Kind::Map(entries)
}

fn toml_value(value: toml::Spanned<toml::de::DeValue<'_>>) -> Node<'_> {
    use toml::de::DeValue;
    let span = value.span();
    let kind = match value.into_inner() {
        DeValue::String(s) => Kind::Str(s),
        DeValue::Integer(i) => Kind::Int(
            i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .map_or_else(|_| i.as_str().to_string(), |n| n.to_string()),
        ),
        DeValue::Float(f) => Kind::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Kind::Bool(b),
        DeValue::Datetime(_) => Kind::Other("a date-time"),
        DeValue::Array(items) => Kind::Seq(items.into_iter().map(toml_value).collect()),
        DeValue::Table(t) => toml_table(t),
    };
    Node { kind, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_spans_are_byte_ranges() {
        let src = "a: héllo\nb:\n  - 1\n  - x: \"q\"\n";
        let node = parse_yaml(src).unwrap();
        let (k, v) = node.entry("a").unwrap();
        assert_eq!(&src[k.span.clone()], "a");
        assert_eq!(&src[v.span.clone()], "héllo");
        let (_, b) = node.entry("b").unwrap();
        let items = b.as_seq().unwrap();
        assert_eq!(items[0].kind, Kind::Int("1".into()));
        let (xk, xv) = items[1].entry("x").unwrap();
        assert_eq!(&src[xk.span.clone()], "x");
        assert_eq!(&src[xv.span.clone()], "\"q\"");
        assert_eq!(&src[items[1].span.start..][..1], "x");
    }

    #[test]
    fn toml_spans_are_byte_ranges() {
        let src = "z = 1\na = \"héllo\"\n[[d]]\nname = \"x\"\n";
        let node = parse_toml(src).unwrap();
        let map = node.as_map().unwrap();
        assert_eq!(map[0].0.as_str(), Some("z"));
        let (_, v) = node.entry("a").unwrap();
        assert_eq!(&src[v.span.clone()], "\"héllo\"");
        let (_, d) = node.entry("d").unwrap();
        let first = &d.as_seq().unwrap()[0];
        let (_, name) = first.entry("name").unwrap();
        assert_eq!(&src[name.span.clone()], "\"x\"");
    }

    #[test]
    fn yaml_1_1_booleans_are_strings() {
        let node = parse_yaml("a: y\nb: on\nc: true\nd: False\n").unwrap();
        let kind = |k: &str| node.entry(k).map(|(_, v)| v.kind.clone());
        assert_eq!(kind("a"), Some(Kind::Str("y".into())));
        assert_eq!(kind("b"), Some(Kind::Str("on".into())));
        assert_eq!(kind("c"), Some(Kind::Bool(true)));
        assert_eq!(kind("d"), Some(Kind::Bool(false)));
    }

    #[test]
    fn yaml_syntax_error_has_location() {
        let errs = parse_yaml("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(errs[0].span.is_some(), "{errs:?}");
    }

    #[test]
    fn yaml_alias_bomb_is_rejected() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let errors = parse_yaml(&src).unwrap_err();
        assert!(errors[0].message.contains("alias bomb"), "{errors:?}");
    }
}
