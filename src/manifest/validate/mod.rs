//! Semantic validation and resolution of defaults.
//!
//! Runs after the schema pass on the same spanned tree. Values whose type is
//! wrong were already reported by the schema pass and are skipped here, so a
//! mistake is reported once. A domain is only checked for duplicates, and the
//! key's Region only compared, when the parts involved are themselves valid.
//!
//! The walk is split by section (`accounts`, `defaults`, `keys`, `domains`, and the
//! [`settings`] the last two share); the rules it applies to single values are
//! pure functions in [`rules`], so the walk only decides *where* to report.

mod accounts;
mod defaults;
mod domains;
mod keys;
mod names;
mod organization;
mod ownership;
mod placement;
mod policy;
pub(crate) mod rules;
mod settings;
mod syntax;

use std::collections::BTreeMap;
use std::path::Path;

use super::Manifest;
use super::echo::echo;
use super::error::{Problem, Source};
use super::node::{Kind, Node};
use super::schema::{self, Cx, Fields};
use defaults::Defaults;

pub(crate) use names::closest;
pub(crate) use policy::base_dir;
pub(crate) use syntax::syntax_problems;

/// How a problem names the entry it is about: "domain `acme`", or "this domain" when the entry
/// has no name. Written out only for a problem: formatted for every entry, it was a good part
/// of validating a large manifest.
#[derive(Clone, Copy)]
struct Who<'a> {
    what: &'static str,
    name: Option<&'a str>,
}

impl std::fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name {
            Some(name) => write!(f, "{} `{}`", self.what, echo(name)),
            None => write!(f, "this {}", self.what),
        }
    }
}

/// A value that is absent, valid, or invalid and already reported (so whatever
/// depends on it is skipped rather than reported again).
#[derive(Clone, Copy)]
enum Checked<T> {
    Absent,
    Ok(T),
    Bad,
}

struct Validator<'a> {
    cx: Cx<'a>,
    problems: Vec<Problem>,
    /// Account name → its id, if the id is valid (`None`: already reported,
    /// so references to the account are not reported again).
    accounts: BTreeMap<String, Option<String>>,
    /// Every declared account name, for did-you-mean on unknown references.
    account_names: Vec<String>,
    /// Where policy files are read from: the manifest's directory (`None`: the manifest is not
    /// a file, and policy files are refused).
    base_dir: Option<&'a Path>,
}

pub(crate) fn validate(
    root: &Node,
    text: &str,
    source: &Source,
    toml: bool,
    base_dir: Option<&Path>,
) -> Result<Manifest, Vec<Problem>> {
    let cx = Cx { text, source, toml };
    let mut problems = Vec::new();
    schema::check(root, &cx, &mut problems);
    let mut v = Validator {
        cx,
        problems,
        accounts: BTreeMap::new(),
        account_names: Vec::new(),
        base_dir,
    };
    let root_f = Fields::of(None);

    if let Some((_, version)) = root_f.get(root, "version")
        && let Kind::Int(n) = &version.kind
        && n != "1"
    {
        v.push(
            Problem::new(
                v.cx.source,
                "manifest::unsupported_version",
                format!("unsupported manifest version {n}"),
            )
            .label(version.span.clone(), "expected 1")
            .help("this version of provision understands manifest version 1 only"),
        );
    }

    // Accounts first: `defaults` and domains refer to them by name.
    let accounts = match root_f.get(root, "accounts") {
        Some((_, node)) => v.accounts(node),
        None => Vec::new(),
    };
    let defaults = match root_f.get(root, "defaults") {
        Some((_, node)) => v.defaults(node),
        None => Defaults {
            region: Checked::Absent,
            account: Checked::Absent,
            key: None,
            tags: Default::default(),
            tags_mode: None,
        },
    };
    let organization = root_f
        .get(root, "organization")
        .map(|(_, node)| v.organization(node));
    let ownership = root_f
        .get(root, "ownership")
        .and_then(|(key, node)| v.ownership(key, node));
    let keys = match root_f.get(root, "keys").and_then(|(_, k)| k.as_seq()) {
        Some(items) => v.keys(items, &defaults),
        None => Vec::new(),
    };
    let domains = match root_f.get(root, "domains").and_then(|(_, d)| d.as_seq()) {
        Some(items) => v.domains(items, &defaults),
        None => Vec::new(),
    };

    let mut problems = v.problems;
    if problems.is_empty() {
        // The digest is the loader's: it alone has the file's text.
        Ok(Manifest {
            digest: String::new(),
            accounts,
            organization,
            ownership,
            keys,
            domains,
            source: Default::default(),
        })
    } else {
        // Each section reports as it walks; the user reads them in file order.
        problems.sort_by_key(Problem::offset);
        Err(problems)
    }
}

impl Validator<'_> {
    fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    fn problem(&self, code: &'static str, message: impl Into<String>) -> Problem {
        Problem::new(self.cx.source, code, message)
    }

    /// Report a `what` name (`"domain"`, `"account"`) that breaks its rule
    /// (`error`, from [`rules`]) as `code`; whether it is valid.
    fn check_name(
        &mut self,
        (code, what): (&'static str, &str),
        name: &str,
        error: Option<String>,
        node: &Node,
        help: &str,
    ) -> bool {
        let Some(reason) = error else { return true };
        let p = self
            .problem(
                code,
                format!("invalid {what} name `{}`: it {reason}", echo(name)),
            )
            .label(node.span.clone(), format!("invalid {what} name"))
            .help(help);
        self.push(p);
        false
    }
}
