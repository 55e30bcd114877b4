//! Structural checks driven by the generated JSON schema.
//!
//! The schema generated from [`super::model`] is interpreted (a small subset:
//! `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
//! `anyOf`/`oneOf`, `$ref`) against the spanned [`Node`] tree. This yields the
//! type errors, missing fields and unknown keys (with did-you-mean), all at
//! once, without listing any field name a second time. Semantic rules (name
//! format, Regions, keys, tags, references, duplicates) live in
//! [`super::validate`] and access fields through [`Fields`], which checks in
//! debug builds that every name it is asked for exists in the schema.

use std::sync::LazyLock;

use serde_json::Value;

use super::echo::echo;
use super::error::{Problem, Source};
use super::model::RawManifest;
use super::node::{Kind, Node};
use super::validate::closest;

/// The generated schema, as JSON.
pub(crate) static SCHEMA: LazyLock<Value> =
    LazyLock::new(|| schemars::schema_for!(RawManifest).to_value());

/// Pretty JSON schema of the raw manifest (with a trailing newline).
pub fn schema_json() -> String {
    let mut out = serde_json::to_string_pretty(&*SCHEMA).unwrap_or_default();
    out.push('\n');
    out
}

/// The properties of one object type of the schema.
pub(crate) struct Fields {
    names: Vec<String>,
}

impl Fields {
    /// Fields of the root (`None`) or of a `$defs` entry.
    pub(crate) fn of(def: Option<&str>) -> Fields {
        let schema = match def {
            None => Some(&*SCHEMA),
            Some(name) => SCHEMA.get("$defs").and_then(|d| d.get(name)),
        };
        let names = schema
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        Fields { names }
    }

    /// The `(key, value)` entry for `name`, ignoring explicit nulls.
    pub(crate) fn get<'a>(
        &self,
        node: &'a Node<'a>,
        name: &str,
    ) -> Option<&'a (Node<'a>, Node<'a>)> {
        debug_assert!(
            self.names.iter().any(|n| n == name),
            "validator reads `{name}`, which the schema does not define"
        );
        node.entry(name).filter(|(_, v)| v.kind != Kind::Null)
    }

    /// The string value of `name`, if present and a string.
    pub(crate) fn str<'a>(
        &self,
        node: &'a Node<'a>,
        name: &str,
    ) -> Option<(&'a str, &'a Node<'a>)> {
        let (_, v) = self.get(node, name)?;
        Some((v.as_str()?, v))
    }
}

/// Check `node` against the root schema, appending problems.
pub(crate) fn check(node: &Node, cx: &Cx<'_>, problems: &mut Vec<Problem>) {
    if node.kind == Kind::Null {
        let help = if cx.toml {
            "start with `version = 1` and one `[[domains]]` table per domain"
        } else {
            "start with `version: 1` and a `domains:` list"
        };
        problems.push(
            Problem::new(cx.source, "manifest::empty", "the manifest is empty")
                .label(0..0, "empty file")
                .help(help),
        );
        return;
    }
    let mut path = Vec::new();
    check_node(node, &SCHEMA, &mut path, cx, problems, None);
}

pub(crate) struct Cx<'a> {
    pub text: &'a str,
    pub source: &'a Source,
    pub toml: bool,
}

fn resolve(schema: &Value) -> &Value {
    let mut current = schema;
    for _ in 0..8 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(name) = reference.strip_prefix("#/$defs/") else {
            break;
        };
        match SCHEMA.get("$defs").and_then(|d| d.get(name)) {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

fn json_type(kind: &Kind) -> &'static str {
    match kind {
        Kind::Null => "null",
        Kind::Bool(_) => "boolean",
        Kind::Int(_) => "integer",
        Kind::Float(_) => "number",
        Kind::Str(_) => "string",
        Kind::Other(_) => "other",
        Kind::Seq(_) => "array",
        Kind::Map(_) => "object",
    }
}

/// The JSON types a schema allows (none: any). An iterator, not a list: it is asked of
/// every node, and a list is only needed to report a mismatch.
fn types_of(schema: &Value) -> impl Iterator<Item = &str> + Clone {
    let (one, many) = match schema.get("type") {
        Some(Value::String(t)) => (Some(t.as_str()), None),
        Some(Value::Array(ts)) => (None, Some(ts.iter().filter_map(Value::as_str))),
        _ => (None, None),
    };
    one.into_iter().chain(many.into_iter().flatten())
}

/// Whether `kind` is one of `types`, or `types` allows anything.
fn type_allowed<'s>(mut types: impl Iterator<Item = &'s str> + Clone, kind: &Kind) -> bool {
    let t = json_type(kind);
    types.clone().next().is_none() || types.any(|s| s == t || (s == "number" && t == "integer"))
}

fn type_phrase(t: &str) -> &'static str {
    match t {
        "null" => "nothing",
        "boolean" => "a boolean",
        "integer" => "an integer",
        "number" => "a number",
        "string" => "a string",
        "array" => "a list",
        "object" => "a mapping",
        _ => "a value",
    }
}

/// Where a node is: the keys and list positions from the root. Written out only for a
/// problem, so that checking a large manifest allocates nothing per node.
#[derive(Clone, Copy, PartialEq)]
enum Step<'n> {
    Key(&'n str),
    Index(usize),
}

type Path<'n> = Vec<Step<'n>>;

fn path_text(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Index(i) => out.push_str(&format!("[{i}]")),
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&echo(key).to_string());
            }
        }
    }
    if out.is_empty() {
        "the manifest".to_string()
    } else {
        format!("`{out}`")
    }
}

fn label_span(node: &Node, cx: &Cx<'_>) -> std::ops::Range<usize> {
    match node.kind {
        Kind::Map(_) | Kind::Seq(_) => node.head_span(cx.text),
        _ => node.span.clone(),
    }
}

/// `key_span` is the span of the key holding this node, used to point at a
/// container that is missing a field.
fn check_node<'n>(
    node: &'n Node,
    schema: &Value,
    path: &mut Path<'n>,
    cx: &Cx<'_>,
    problems: &mut Vec<Problem>,
    key_span: Option<std::ops::Range<usize>>,
) {
    let schema = resolve(schema);

    // Unions (`Option<Struct>` is `anyOf: [{$ref}, {type: null}]`).
    if let Some(branches) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        let mut expected = Vec::new();
        for branch in branches {
            let branch = resolve(branch);
            if type_allowed(types_of(branch), &node.kind) {
                check_node(node, branch, path, cx, problems, key_span);
                return;
            }
            expected.extend(types_of(branch));
        }
        wrong_type(node, &expected, path, cx, problems);
        return;
    }

    if !type_allowed(types_of(schema), &node.kind) {
        let types: Vec<&str> = types_of(schema).collect();
        wrong_type(node, &types, path, cx, problems);
        return;
    }

    match &node.kind {
        Kind::Map(entries) => check_map(node, entries, schema, path, cx, problems, key_span),
        Kind::Seq(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    check_node(item, item_schema, path, cx, problems, None);
                    path.pop();
                }
            }
        }
        Kind::Str(value) => {
            if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
                let allowed: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
                if !allowed.contains(&value.as_ref()) {
                    let list = allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let help = match closest(value, allowed.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? allowed values: {list}"),
                        None => format!("allowed values: {list}"),
                    };
                    problems.push(
                        Problem::new(
                            cx.source,
                            "manifest::invalid_value",
                            format!("invalid value `{}` for {}", echo(value), path_text(path)),
                        )
                        .label(node.span.clone(), format!("expected one of {list}"))
                        .help(help),
                    );
                }
            }
        }
        _ => {}
    }
}

fn check_map<'n>(
    node: &Node,
    entries: &'n [(Node, Node)],
    schema: &Value,
    path: &mut Path<'n>,
    cx: &Cx<'_>,
    problems: &mut Vec<Problem>,
    key_span: Option<std::ops::Range<usize>>,
) {
    let properties = schema.get("properties").and_then(Value::as_object);
    let additional = schema.get("additionalProperties").filter(|a| a.is_object());
    for (key, value) in entries {
        let Some(name) = key.as_str() else {
            problems.push(
                Problem::new(
                    cx.source,
                    "manifest::invalid_key",
                    format!("keys in {} must be strings", path_text(path)),
                )
                .label(key.span.clone(), format!("{} key", key.kind.describe()))
                .help("quote the key"),
            );
            continue;
        };
        path.push(Step::Key(name));
        if let Some(prop) = properties.and_then(|p| p.get(name)) {
            check_node(value, prop, path, cx, problems, Some(key.span.clone()));
        } else if let Some(additional) = additional {
            check_node(
                value,
                additional,
                path,
                cx,
                problems,
                Some(key.span.clone()),
            );
        } else if let Some(properties) = properties {
            path.pop();
            let known: Vec<&str> = properties.keys().map(String::as_str).collect();
            let list = known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let help = match closest(name, known.iter().copied()) {
                _ if name == "policy" && path.as_slice() == [Step::Key("defaults")] => {
                    "a policy is declared on the domain it protects, never in `defaults` (one policy for every domain is not what anyone means): move it under that domain".to_string()
                }
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys here: {list}"),
            };
            let place = if path.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in {}", path_text(path))
            };
            problems.push(
                Problem::new(
                    cx.source,
                    "manifest::unknown_key",
                    format!("unknown key `{}` {place}", echo(name)),
                )
                .label(key.span.clone(), "unknown key")
                .help(help),
            );
            continue;
        }
        path.pop();
    }

    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for field in required.iter().filter_map(Value::as_str) {
            if node.entry(field).is_none() {
                let span = match &key_span {
                    Some(k) if matches!(path.last(), Some(Step::Key(_))) => k.clone(),
                    _ => node.head_span(cx.text),
                };
                let what = if path.is_empty() {
                    "the manifest".to_string()
                } else {
                    path_text(path)
                };
                problems.push(
                    Problem::new(
                        cx.source,
                        "manifest::missing_field",
                        format!("missing required field `{field}` in {what}"),
                    )
                    .label(span, format!("`{field}` is missing here"))
                    .help(missing_help(field, cx.toml)),
                );
            }
        }
    }
}

fn missing_help(field: &str, toml: bool) -> String {
    match (field, toml) {
        ("version", false) => "add `version: 1` at the top of the file".into(),
        ("version", true) => "add `version = 1` at the top of the file".into(),
        ("domains", false) => {
            "list the domains under `domains:`, e.g. `domains: [{ name: my-domain }]`".into()
        }
        ("domains", true) => "list the domains as `[[domains]]` tables with a `name`".into(),
        ("name", _) => "every domain needs a `name`".into(),
        ("id", _) => "every account needs its 12-digit `id`".into(),
        (other, _) => format!("add `{other}`"),
    }
}

fn wrong_type(
    node: &Node,
    expected: &[&str],
    path: &[Step<'_>],
    cx: &Cx<'_>,
    problems: &mut Vec<Problem>,
) {
    let mut expected: Vec<&str> = expected.iter().copied().filter(|t| *t != "null").collect();
    expected.dedup();
    let expected_text = expected
        .iter()
        .map(|t| type_phrase(t))
        .collect::<Vec<_>>()
        .join(" or ");
    let found = node.kind.describe();
    let field = match path.last() {
        Some(Step::Key(key)) => key,
        _ => "",
    };
    let span = label_span(node, cx);

    if let (Kind::Int(_), true) = (&node.kind, expected.contains(&"string"))
        && (field == "id" || field == "account")
    {
        let quoted = format!("\"{}\"", echo(&scalar_text(node, cx)));
        problems.push(
                Problem::new(
                    cx.source,
                    "manifest::unquoted_account_id",
                    format!("account id in {} must be a quoted string", path_text(path)),
                )
                .label(span, "this is a number, not a string")
                .help(format!(
                    "write {quoted}: as a number, an account id with leading zeros would silently lose them"
                )),
            );
        return;
    }

    let help = match (&node.kind, expected.first().copied()) {
        (Kind::Int(_) | Kind::Float(_) | Kind::Bool(_), Some("string")) => {
            format!(
                "quote the value to make it a string: \"{}\"",
                echo(&scalar_text(node, cx))
            )
        }
        (Kind::Str(s), Some("integer")) if s.trim().parse::<i64>().is_ok() => {
            format!("remove the quotes: {}", echo(s.trim()))
        }
        (Kind::Seq(_), Some("object")) if field == "tags" => {
            if cx.toml {
                "write tags as a table: `tags = { env = \"prod\" }`".into()
            } else {
                "write tags as a mapping: `tags: { env: prod }`".into()
            }
        }
        (Kind::Map(_), Some("array")) if field == "domains" => {
            if cx.toml {
                "each domain is a `[[domains]]` table".into()
            } else {
                "`domains` is a list: start each domain with `- `".into()
            }
        }
        _ => format!("{} must be {expected_text}", path_text(path)),
    };
    problems.push(
        Problem::new(
            cx.source,
            "manifest::wrong_type",
            format!(
                "wrong type for {}: expected {expected_text}, found {found}",
                path_text(path)
            ),
        )
        .label(span, format!("expected {expected_text}"))
        .help(help),
    );
}

fn scalar_text(node: &Node, cx: &Cx<'_>) -> String {
    cx.text
        .get(node.span.clone())
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_from_the_schema() {
        let domain = Fields::of(Some("RawDomain"));
        for f in [
            "name",
            "account",
            "region",
            "encryption_key",
            "tags",
            "tags_mode",
        ] {
            assert!(domain.names.iter().any(|n| n == f), "{f}");
        }
        assert!(Fields::of(Some("RawAccount")).names.len() == 5);
        assert!(Fields::of(None).names.len() == 7);
    }
}
