//! A domain's `policy`: exactly one of a JSON file next to the manifest, an inline document, or
//! the `share_with_organization` shorthand. Files are read here, at load time, so that a missing
//! or broken file is reported with the manifest's other problems, under the `file` value.

use std::path::Path;

use serde_json::{Map, Number, Value};

use super::{Checked, Validator, Who};
use crate::files::ReadError;
use crate::manifest::PolicySpec;
use crate::manifest::echo::echo;
use crate::manifest::node::{Kind, Node};
use crate::manifest::schema::Fields;
use crate::model::policy::{MAX_POLICY_BYTES, OrganizationShare};

/// A policy file larger than this is refused unread: even pretty-printed, a document AWS accepts
/// (7 168 characters compact) is far smaller.
const MAX_POLICY_FILE_BYTES: u64 = 64 * 1024;

/// The ways to give a policy, as the schema names them.
const FORMS: [&str; 3] = ["file", "document", "share_with_organization"];

const FORMS_HELP: &str = "give exactly one of `file: policies/NAME.json`, `document: { Version: \"2012-10-17\", Statement: [...] }` or `share_with_organization: read`";

impl Validator<'_> {
    /// `policy` of `who` (`domain \`x\``); `key` is the `policy` key, `node` its value.
    pub(super) fn policy(&mut self, who: Who<'_>, key: &Node, node: &Node) -> Checked<PolicySpec> {
        let Some(entries) = node.as_map() else {
            return Checked::Bad; // reported by the schema pass
        };
        if entries
            .iter()
            .any(|(k, _)| k.as_str().is_none_or(|k| !FORMS.contains(&k)))
        {
            return Checked::Bad; // an unknown key, reported by the schema pass
        }
        let f = Fields::of(Some("RawPolicy"));
        let mut given: Vec<&(Node, Node)> = FORMS.iter().filter_map(|n| f.get(node, n)).collect();
        given.sort_by_key(|(k, _)| k.span.start);
        match given.as_slice() {
            [] => {
                let p = self
                    .problem(
                        "manifest::empty_policy",
                        format!("the policy of {who} is empty"),
                    )
                    .label(key.span.clone(), "no policy given")
                    .help(FORMS_HELP);
                self.push(p);
                Checked::Bad
            }
            [(k, v)] => match k.as_str() {
                Some("file") => self.policy_file(v),
                Some("document") => self.policy_document(k, v),
                _ => match v.as_str() {
                    Some("read") => {
                        Checked::Ok(PolicySpec::ShareWithOrganization(OrganizationShare::Read))
                    }
                    _ => Checked::Bad, // reported by the schema pass
                },
            },
            [(first, _), (again, _), ..] => {
                let p = self
                    .problem(
                        "manifest::policy_forms",
                        format!("the policy of {who} is given more than one way"),
                    )
                    .label(again.span.clone(), "a second policy")
                    .also(first.span.clone(), "first given here")
                    .help(FORMS_HELP);
                self.push(p);
                Checked::Bad
            }
        }
    }

    fn policy_file(&mut self, node: &Node) -> Checked<PolicySpec> {
        let Some(file) = node.as_str() else {
            return Checked::Bad; // reported by the schema pass
        };
        let shown = echo(file).to_string();
        let problem = |v: &Self, message: String, label: &str, help: &str| {
            v.problem("manifest::policy_file", message)
                .label(node.span.clone(), label.to_string())
                .help(help.to_string())
        };
        let Some(dir) = self.base_dir else {
            let p = problem(
                self,
                format!("policy file `{shown}` cannot be read: this manifest is not a file"),
                "a file next to the manifest",
                "policy files are read relative to the manifest's directory; write the document inline with `document:`",
            );
            self.push(p);
            return Checked::Bad;
        };
        let path = dir.join(file);
        // A pretty-printed file may be larger than the compact document AWS counts: read up to
        // a bound well above it, and measure the compact form below.
        let bytes = match crate::files::read_limited(&path, MAX_POLICY_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(e) => {
                let (message, label, help) = match e {
                    ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => (
                        format!("policy file `{shown}` does not exist"),
                        "no such file".to_string(),
                        format!(
                            "the path is relative to the manifest's directory (looked for {})",
                            echo(&path.display().to_string())
                        ),
                    ),
                    ReadError::Io(e) => (
                        format!("cannot read policy file `{shown}`: {e}"),
                        "unreadable".to_string(),
                        "check the file's permissions".to_string(),
                    ),
                    ReadError::TooLarge { size, .. } => (
                        format!("policy file `{shown}` is {size} bytes"),
                        "too large".to_string(),
                        format!(
                            "CodeArtifact allows a policy of at most {MAX_POLICY_BYTES} characters (as compact JSON)"
                        ),
                    ),
                    ReadError::NotAFile(kind) => (
                        format!("policy file `{shown}` is {kind}, not a regular file"),
                        "not a regular file".to_string(),
                        "name a JSON file holding the policy document".to_string(),
                    ),
                };
                let p = problem(self, message, &label, &help);
                self.push(p);
                return Checked::Bad;
            }
        };
        let value = match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => v,
            Err(e) => {
                let p = problem(
                    self,
                    format!("policy file `{shown}` is not JSON: {e}"),
                    "not a JSON document",
                    "a policy file holds one JSON object: `{ \"Version\": \"2012-10-17\", \"Statement\": [...] }`",
                );
                self.push(p);
                return Checked::Bad;
            }
        };
        if !value.is_object() {
            let p = problem(
                self,
                format!(
                    "policy file `{shown}` holds {}, not a JSON object",
                    json_kind(&value)
                ),
                "not a JSON object",
                "a policy document is a JSON object: `{ \"Version\": \"2012-10-17\", \"Statement\": [...] }`",
            );
            self.push(p);
            return Checked::Bad;
        }
        let size = value.to_string().len();
        if size > MAX_POLICY_BYTES {
            let p = problem(
                self,
                format!("policy file `{shown}` holds a document of {size} bytes as compact JSON"),
                "too large",
                &format!("CodeArtifact allows a policy of at most {MAX_POLICY_BYTES} characters"),
            );
            self.push(p);
            return Checked::Bad;
        }
        Checked::Ok(PolicySpec::Document(value))
    }

    fn policy_document(&mut self, key: &Node, node: &Node) -> Checked<PolicySpec> {
        if node.as_map().is_none() {
            return Checked::Bad; // reported by the schema pass
        }
        let mut bad = false;
        let value = self.json_of(node, 0, &mut bad);
        if bad {
            return Checked::Bad;
        }
        let size = serde_json::to_string(&value).map_or(0, |s| s.len());
        if size > MAX_POLICY_BYTES {
            let p = self
                .problem(
                    "manifest::policy_too_large",
                    format!("the policy document is {size} bytes as JSON"),
                )
                .label(key.span.clone(), "too large")
                .help(format!(
                    "CodeArtifact allows a policy of at most {MAX_POLICY_BYTES} characters"
                ));
            self.push(p);
            return Checked::Bad;
        }
        Checked::Ok(PolicySpec::Document(value))
    }

    /// The inline document as JSON; what JSON cannot hold is reported and sets `bad`.
    fn json_of(&mut self, node: &Node, depth: usize, bad: &mut bool) -> Value {
        match &node.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Str(s) => Value::String(s.to_string()),
            Kind::Int(text) => match (text.parse::<i64>(), text.parse::<u64>()) {
                (Ok(n), _) => Value::from(n),
                (_, Ok(n)) => Value::from(n),
                _ => Value::String(text.clone()),
            },
            Kind::Float(x) => match Number::from_f64(*x) {
                Some(n) => Value::Number(n),
                None => {
                    *bad = true;
                    self.refuse(node, "a non-finite number", "write the value as a string")
                }
            },
            Kind::Other(what) => {
                *bad = true;
                self.refuse(
                    node,
                    what,
                    "quote it to make it a string (e.g. `Version = \"2012-10-17\"`)",
                )
            }
            Kind::Seq(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.json_of(i, depth + 1, bad))
                    .collect(),
            ),
            Kind::Map(entries) => {
                let mut out = Map::new();
                for (k, v) in entries {
                    let Some(name) = k.as_str() else {
                        // The schema pass reports the document's own keys.
                        if depth > 0 {
                            let p = self
                                .problem(
                                    "manifest::invalid_key",
                                    "keys in a policy document must be strings",
                                )
                                .label(k.span.clone(), format!("{} key", k.kind.describe()))
                                .help("quote the key");
                            self.push(p);
                        }
                        *bad = true;
                        continue;
                    };
                    let value = self.json_of(v, depth + 1, bad);
                    out.insert(name.to_string(), value);
                }
                Value::Object(out)
            }
        }
    }

    fn refuse(&mut self, node: &Node, what: &str, help: &str) -> Value {
        let p = self
            .problem(
                "manifest::policy_value",
                format!("{what} cannot be part of a policy document"),
            )
            .label(node.span.clone(), "not JSON")
            .help(help.to_string());
        self.push(p);
        Value::Null
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The directory a manifest's relative paths start from.
pub(crate) fn base_dir(manifest: &Path) -> &Path {
    match manifest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}
