//! Semantic validation and resolution of defaults.
//!
//! Runs after the schema pass on the same spanned tree. Values whose type is
//! wrong were already reported by the schema pass and are skipped here, so a
//! mistake is reported once. A domain is only checked for duplicates, and the
//! key's Region only compared, when the parts involved are themselves valid.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::error::{Problem, Source};
use super::node::{Kind, Node, SyntaxError, line_of};
use super::regions;
use super::schema::{self, Cx, Fields};
use super::{AccountRef, AccountSpec, Credentials, DesiredDomain, Manifest, TagsMode};

/// AWS allows 50 user tags per resource.
pub(crate) const MAX_TAGS: usize = 50;

/// The closest candidate by Damerau-Levenshtein distance, if close enough to
/// be a plausible typo (at most a third of the length, at least 1 edit).
pub(crate) fn closest<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (value.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(value, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

pub(crate) fn syntax_problems(
    source: &Source,
    text: &str,
    errors: Vec<SyntaxError>,
) -> Vec<Problem> {
    errors
        .into_iter()
        .map(|e| {
            let problem = Problem::new(
                source,
                "manifest::syntax",
                format!("syntax error: {}", e.message),
            )
            .help("fix the syntax; nothing else is checked until the file parses");
            let span = e.span.unwrap_or(text.len()..text.len());
            problem.label(span, "here")
        })
        .collect()
}

/// A Region that is either valid or already reported.
#[derive(Clone, Copy)]
enum Checked<T> {
    Absent,
    Ok(T),
    Bad,
}

struct KeyArn {
    region: String,
}

struct Defaults<'a> {
    region: Checked<&'a str>,
    account: Checked<AccountRef>,
    key: Option<(&'a str, &'a Node, Option<KeyArn>)>,
    tags: BTreeMap<String, String>,
    tags_mode: Option<TagsMode>,
}

struct Validator<'a> {
    cx: Cx<'a>,
    problems: Vec<Problem>,
    /// Account name → (id if valid, span of the name).
    accounts: BTreeMap<String, Option<String>>,
    account_names: Vec<String>,
}

pub(crate) fn validate(
    root: &Node,
    text: &str,
    source: &Source,
    toml: bool,
) -> Result<Manifest, Vec<Problem>> {
    let cx = Cx { text, source, toml };
    let mut problems = Vec::new();
    schema::check(root, &cx, &mut problems);
    let mut v = Validator {
        cx,
        problems,
        accounts: BTreeMap::new(),
        account_names: Vec::new(),
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
            tags: BTreeMap::new(),
            tags_mode: None,
        },
    };
    let domains = match root_f.get(root, "domains").and_then(|(_, d)| d.as_seq()) {
        Some(items) => v.domains(items, &defaults),
        None => Vec::new(),
    };

    let mut problems = v.problems;
    if problems.is_empty() {
        Ok(Manifest { accounts, domains })
    } else {
        problems.sort_by_key(Problem::offset);
        Err(problems)
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Unicode "Other" (`\p{C}`): controls, format characters and private use.
/// (Unassigned code points are not detected: that needs Unicode tables.)
fn is_other(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{AD}' | '\u{600}'..='\u{605}' | '\u{61C}' | '\u{6DD}' | '\u{70F}' | '\u{8E2}'
            | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}' | '\u{E000}'..='\u{F8FF}' | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}' | '\u{F0000}'..='\u{10FFFF}')
}

/// Why a domain name is invalid, or `None` if it matches
/// `^[a-z][a-z0-9-]{0,48}[a-z0-9]$`.
fn domain_name_error(name: &str) -> Option<String> {
    let len = name.chars().count();
    if len < 2 {
        return Some(format!(
            "is {len} character{} long",
            if len == 1 { "" } else { "s" }
        ));
    }
    if len > 50 {
        return Some(format!("is {len} characters long"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(if c.is_ascii_uppercase() {
            format!("contains the uppercase letter `{c}`")
        } else {
            format!("contains `{}`", c.escape_debug())
        });
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("does not start with a letter".into());
    }
    if name.ends_with('-') {
        return Some("ends with `-`".into());
    }
    None
}

/// Parse an ARN into (partition, service, region, account, resource).
fn split_arn(s: &str) -> Option<[&str; 5]> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    Some([
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ])
}

fn alias_name_error(alias: &str) -> Option<String> {
    let name = alias.strip_prefix("alias/")?;
    if name.is_empty() {
        return Some("has an empty alias name after `alias/`".into());
    }
    if alias.len() > 256 {
        return Some(format!("is {} characters long (at most 256)", alias.len()));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-')))
    {
        return Some(format!(
            "contains `{}` (alias names use letters, digits, `/`, `_` and `-`)",
            c.escape_debug()
        ));
    }
    None
}

fn key_id_ok(id: &str) -> bool {
    if let Some(hex) = id.strip_prefix("mrk-") {
        return is_hex(hex, 32);
    }
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| is_hex(g, n))
}

const KEY_FORMS: &str = "use a key id (`1234abcd-12ab-34cd-56ef-1234567890ab` or `mrk-` + 32 hex digits), \
a key ARN (`arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`), an alias (`alias/NAME`) \
or an alias ARN (`arn:aws:kms:REGION:ACCOUNT:alias/NAME`)";

/// Validate an encryption key reference; `Ok(Some(..))` for ARNs.
fn check_key(s: &str) -> Result<Option<KeyArn>, String> {
    if s.starts_with("arn:") {
        let Some([partition, service, region, account, resource]) = split_arn(s) else {
            return Err("is not a complete ARN".into());
        };
        if !regions::PARTITIONS.contains(&partition) {
            return Err(format!("has unknown partition `{partition}`"));
        }
        if service != "kms" {
            return Err(format!("is an ARN for `{service}`, not `kms`"));
        }
        match regions::partition_of(region) {
            None => {
                return Err(match regions::suggest(region) {
                    Some(s) => format!("has unknown Region `{region}` (did you mean `{s}`?)"),
                    None => format!("has unknown Region `{region}`"),
                });
            }
            Some(p) if p != partition => {
                return Err(format!(
                    "puts Region `{region}` in partition `{partition}`, but it is in `{p}`"
                ));
            }
            Some(_) => {}
        }
        if !is_account_id(account) {
            return Err(format!("has account `{account}`, which is not 12 digits"));
        }
        if let Some(id) = resource.strip_prefix("key/") {
            if !key_id_ok(id) {
                return Err(format!(
                    "has key id `{id}`, which is neither a UUID nor `mrk-` + 32 hex digits"
                ));
            }
        } else if resource.starts_with("alias/") {
            if let Some(e) = alias_name_error(resource) {
                return Err(e);
            }
        } else {
            return Err(format!(
                "has resource `{resource}`; expected `key/KEY-ID` or `alias/NAME`"
            ));
        }
        return Ok(Some(KeyArn {
            region: region.to_string(),
        }));
    }
    if s.starts_with("alias/") {
        return match alias_name_error(s) {
            Some(e) => Err(e),
            None => Ok(None),
        };
    }
    if key_id_ok(s) {
        Ok(None)
    } else {
        Err("is not a key id, key ARN, alias or alias ARN".into())
    }
}

fn role_arn_error(s: &str) -> Result<&str, String> {
    let Some([partition, service, region, account, resource]) = split_arn(s) else {
        return Err("is not an ARN".into());
    };
    if !regions::PARTITIONS.contains(&partition) {
        return Err(format!("has unknown partition `{partition}`"));
    }
    if service != "iam" {
        return Err(format!("is an ARN for `{service}`, not `iam`"));
    }
    if !region.is_empty() {
        return Err("has a Region; IAM ARNs have none (`arn:aws:iam::ACCOUNT:role/NAME`)".into());
    }
    if !is_account_id(account) {
        return Err(format!("has account `{account}`, which is not 12 digits"));
    }
    match resource.strip_prefix("role/") {
        Some(name)
            if !name.is_empty()
                && !name.ends_with('/')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c)) =>
        {
            Ok(account)
        }
        _ => Err(format!("has resource `{resource}`; expected `role/NAME`")),
    }
}

impl<'a> Validator<'a> {
    fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    fn problem(&self, code: &'static str, message: impl Into<String>) -> Problem {
        Problem::new(self.cx.source, code, message)
    }

    fn accounts(&mut self, node: &'a Node) -> Vec<AccountSpec> {
        let f = Fields::of(Some("RawAccount"));
        let mut specs = Vec::new();
        for (key, account) in node.as_map().unwrap_or_default() {
            let Some(name) = key.as_str() else { continue };
            self.account_names.push(name.to_string());
            let id = f.str(account, "id").and_then(|(id, id_node)| {
                if is_account_id(id) {
                    Some(id)
                } else {
                    let p = self
                        .problem("manifest::invalid_account_id", format!("account id `{id}` of account `{name}` is not 12 digits"))
                        .label(id_node.span.clone(), "expected exactly 12 digits")
                        .help("AWS account ids are exactly 12 digits, e.g. \"111122223333\"; keep leading zeros");
                    self.push(p);
                    None
                }
            });
            self.accounts
                .insert(name.to_string(), id.map(str::to_string));

            let role = f.get(account, "role_arn");
            let profile = f.get(account, "profile");
            let mut ok = id.is_some();
            if let (Some((rk, _)), Some((pk, _))) = (role, profile) {
                let p = self
                    .problem("manifest::conflicting_credentials", format!("account `{name}` sets both `role_arn` and `profile`"))
                    .label(pk.span.clone(), "remove this")
                    .also(rk.span.clone(), "or this")
                    .help("use `role_arn` to assume a role with the caller's credentials, or `profile` to use a named AWS profile, not both");
                self.push(p);
                ok = false;
            }
            if let Some((role_arn, role_node)) = f.str(account, "role_arn") {
                match role_arn_error(role_arn) {
                    Err(reason) => {
                        let p = self
                            .problem(
                                "manifest::invalid_role_arn",
                                format!("role ARN of account `{name}` {reason}"),
                            )
                            .label(role_node.span.clone(), "invalid role ARN")
                            .help("write the role as `arn:aws:iam::ACCOUNT-ID:role/ROLE-NAME`");
                        self.push(p);
                        ok = false;
                    }
                    Ok(role_account) => {
                        if let Some((id, id_node)) =
                            f.str(account, "id").filter(|(id, _)| is_account_id(id))
                            && role_account != id
                        {
                            let p = self
                                    .problem(
                                        "manifest::role_account_mismatch",
                                        format!("role ARN of account `{name}` is in account {role_account}, not {id}"),
                                    )
                                    .label(role_node.span.clone(), format!("role in account {role_account}"))
                                    .also(id_node.span.clone(), "account id declared here")
                                    .help("the role to assume must belong to the account it gives access to; fix the id or the role ARN");
                            self.push(p);
                            ok = false;
                        }
                    }
                }
            }
            for field in ["external_id", "session_name"] {
                let Some((value, value_node)) = f.str(account, field) else {
                    continue;
                };
                if role.is_none() {
                    let key_span = f
                        .get(account, field)
                        .map_or(value_node.span.clone(), |(k, _)| k.span.clone());
                    let p = self
                        .problem(
                            "manifest::role_option_without_role",
                            format!("account `{name}` sets `{field}` without `role_arn`"),
                        )
                        .label(key_span, "only used when assuming a role")
                        .help(format!("set `role_arn`, or remove `{field}`"));
                    self.push(p);
                    ok = false;
                    continue;
                }
                let (min, max, extra) = if field == "external_id" {
                    (2, 1224, "+=,.@:/-_")
                } else {
                    (2, 64, "+=,.@-_")
                };
                let len = value.chars().count();
                let bad_char = value
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || extra.contains(*c)));
                if len < min || len > max || bad_char.is_some() {
                    let p = self
                        .problem(
                            "manifest::invalid_value",
                            format!("invalid `{field}` for account `{name}`"),
                        )
                        .label(
                            value_node.span.clone(),
                            match bad_char {
                                Some(c) => format!("`{}` is not allowed", c.escape_debug()),
                                None => format!("{len} characters"),
                            },
                        )
                        .help(format!(
                            "`{field}` is {min}–{max} characters: letters, digits and `{extra}`"
                        ));
                    self.push(p);
                    ok = false;
                }
            }
            if let Some((profile, profile_node)) = f.str(account, "profile")
                && profile.trim().is_empty()
            {
                let p = self
                    .problem(
                        "manifest::invalid_value",
                        format!("empty `profile` for account `{name}`"),
                    )
                    .label(profile_node.span.clone(), "empty")
                    .help("name an AWS profile from your AWS config, or remove `profile`");
                self.push(p);
                ok = false;
            }
            if let (true, Some(id)) = (ok, id) {
                let opt = |field| f.str(account, field).map(|(s, _)| s.to_string());
                let credentials = match (opt("role_arn"), opt("profile")) {
                    (Some(role_arn), _) => Credentials::AssumeRole {
                        role_arn,
                        external_id: opt("external_id"),
                        session_name: opt("session_name"),
                    },
                    (None, Some(profile)) => Credentials::Profile(profile),
                    (None, None) => Credentials::Caller,
                };
                specs.push(AccountSpec {
                    name: name.to_string(),
                    id: id.to_string(),
                    credentials,
                });
            }
        }
        specs
    }

    fn resolve_account(&mut self, value: &str, node: &Node) -> Checked<AccountRef> {
        if let Some(id) = self.accounts.get(value) {
            return match id {
                Some(id) => Checked::Ok(AccountRef::Named {
                    name: value.to_string(),
                    id: id.clone(),
                }),
                None => Checked::Bad, // its id was already reported
            };
        }
        if is_account_id(value) {
            return Checked::Ok(AccountRef::Id(value.to_string()));
        }
        let p = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            self.problem(
                "manifest::invalid_account_id",
                format!("account id `{value}` is not 12 digits"),
            )
            .label(node.span.clone(), format!("{} digits", value.len()))
            .help(
                "AWS account ids are exactly 12 digits, e.g. \"111122223333\"; keep leading zeros",
            )
        } else {
            let help = match closest(value, self.account_names.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None if self.account_names.is_empty() => {
                    "declare the account under `accounts`, or use a quoted 12-digit account id"
                        .to_string()
                }
                None => format!(
                    "known accounts: {}; or use a quoted 12-digit account id",
                    self.account_names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.problem(
                "manifest::unknown_account",
                format!("unknown account `{value}`"),
            )
            .label(node.span.clone(), "not declared under `accounts`")
            .help(help)
        };
        self.push(p);
        Checked::Bad
    }

    fn check_region(&mut self, region: &'a str, node: &Node) -> Checked<&'a str> {
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
                format!("unknown AWS Region `{region}`"),
            )
            .label(node.span.clone(), "unknown Region")
            .help(help);
        self.push(p);
        Checked::Bad
    }

    fn check_key(&mut self, key: &str, node: &Node) -> Result<Option<KeyArn>, ()> {
        check_key(key).map_err(|reason| {
            let p = self
                .problem(
                    "manifest::invalid_encryption_key",
                    format!("encryption key `{key}` {reason}"),
                )
                .label(node.span.clone(), "invalid KMS key reference")
                .help(KEY_FORMS);
            self.push(p);
        })
    }

    /// Check each tag of a `tags` mapping; returns the valid ones.
    fn tags(&mut self, node: &Node) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (key, value) in node.as_map().unwrap_or_default() {
            let (Some(k), Some(val)) = (key.as_str(), value.as_str()) else {
                continue;
            };
            let len = k.chars().count();
            let problem = if len == 0 || len > 128 {
                Some(
                    self.problem(
                        "manifest::invalid_tag_key",
                        format!("tag key is {len} characters long"),
                    )
                    .label(key.span.clone(), "invalid tag key")
                    .help("tag keys are 1–128 characters"),
                )
            } else if k.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
                Some(
                    self.problem("manifest::reserved_tag_prefix", format!("tag key `{k}` uses the reserved prefix `aws:`"))
                        .label(key.span.clone(), "reserved for AWS")
                        .help("keys starting with `aws:` (in any case) are reserved for AWS; choose another key"),
                )
            } else if let Some(c) = k.chars().find(|c| is_other(*c)) {
                Some(
                    self.problem(
                        "manifest::invalid_tag_key",
                        format!(
                            "tag key contains the control character {}",
                            c.escape_unicode()
                        ),
                    )
                    .label(key.span.clone(), "invalid tag key")
                    .help("tag keys and values cannot contain control or format characters"),
                )
            } else if val.chars().count() > 256 {
                Some(
                    self.problem(
                        "manifest::invalid_tag_value",
                        format!(
                            "value of tag `{k}` is {} characters long",
                            val.chars().count()
                        ),
                    )
                    .label(value.span.clone(), "too long")
                    .help("tag values are at most 256 characters"),
                )
            } else {
                val.chars().find(|c| is_other(*c)).map(|c| {
                    self.problem(
                        "manifest::invalid_tag_value",
                        format!(
                            "value of tag `{k}` contains the control character {}",
                            c.escape_unicode()
                        ),
                    )
                    .label(value.span.clone(), "invalid tag value")
                    .help("tag keys and values cannot contain control or format characters")
                })
            };
            match problem {
                Some(p) => self.push(p),
                None => {
                    out.insert(k.to_string(), val.to_string());
                }
            }
        }
        out
    }

    fn tags_mode(node: Option<(&str, &Node)>) -> Option<TagsMode> {
        match node?.0 {
            "merge" => Some(TagsMode::Merge),
            "exact" => Some(TagsMode::Exact),
            _ => None, // reported by the schema pass
        }
    }

    fn defaults(&mut self, node: &'a Node) -> Defaults<'a> {
        let f = Fields::of(Some("RawDefaults"));
        let region = match f.str(node, "region") {
            Some((r, n)) => self.check_region(r, n),
            None if f.get(node, "region").is_some() => Checked::Bad,
            None => Checked::Absent,
        };
        let account = match f.str(node, "account") {
            Some((a, n)) => self.resolve_account(a, n),
            None if f.get(node, "account").is_some() => Checked::Bad,
            None => Checked::Absent,
        };
        let key = f
            .str(node, "encryption_key")
            .and_then(|(k, n)| self.check_key(k, n).ok().map(|arn| (k, n, arn)));
        let tags = match f.get(node, "tags") {
            Some((tags_key, t)) => {
                let tags = self.tags(t);
                if tags.len() > MAX_TAGS {
                    let p = self
                        .problem("manifest::too_many_tags", format!("`defaults.tags` has {} tags", tags.len()))
                        .label(tags_key.span.clone(), format!("{} tags", tags.len()))
                        .help(format!("AWS allows at most {MAX_TAGS} user tags per domain, including the defaults"));
                    self.push(p);
                }
                tags
            }
            None => BTreeMap::new(),
        };
        let tags_mode = Self::tags_mode(f.str(node, "tags_mode"));
        Defaults {
            region,
            account,
            key,
            tags,
            tags_mode,
        }
    }

    fn domains(&mut self, items: &'a [Node], defaults: &Defaults<'a>) -> Vec<DesiredDomain> {
        let f = Fields::of(Some("RawDomain"));
        let mut seen: HashMap<(Option<String>, String, String), Range<usize>> = HashMap::new();
        let mut out = Vec::new();
        for item in items {
            if item.as_map().is_none() {
                continue; // reported by the schema pass
            }
            let head = item.head_span(self.cx.text);
            let name_node = f.str(item, "name");
            let anchor = name_node.map_or(head.clone(), |(_, n)| n.span.clone());
            let who = name_node.map_or("this domain".to_string(), |(n, _)| format!("domain `{n}`"));

            let name = name_node.and_then(|(name, n)| match domain_name_error(name) {
                None => Some(name),
                Some(reason) => {
                    let p = self
                        .problem("manifest::invalid_domain_name", format!("invalid domain name `{name}`: it {reason}"))
                        .label(n.span.clone(), "invalid domain name")
                        .help("domain names are 2–50 characters of lowercase letters, digits and `-`, start with a letter and do not end with `-` (e.g. `acme-prod`)");
                    self.push(p);
                    None
                }
            });

            let account = match f.str(item, "account") {
                Some((a, n)) => self.resolve_account(a, n),
                None if f.get(item, "account").is_some() => Checked::Bad,
                None => match &defaults.account {
                    Checked::Absent => Checked::Ok(AccountRef::Caller),
                    other => other.clone(),
                },
            };

            let region = match f.str(item, "region") {
                Some((r, n)) => self.check_region(r, n),
                None if f.get(item, "region").is_some() => Checked::Bad,
                None => match defaults.region {
                    Checked::Absent => {
                        let p = self
                            .problem("manifest::missing_region", format!("{who} has no Region"))
                            .label(anchor.clone(), "no `region` here and no `defaults.region`")
                            .help("set `region` on the domain, or set `defaults.region` for all domains");
                        self.push(p);
                        Checked::Bad
                    }
                    other => other,
                },
            };

            // Encryption key: the domain's own, else the default.
            let own_key = f.str(item, "encryption_key");
            let key = match own_key {
                Some((k, n)) => match self.check_key(k, n) {
                    Ok(arn) => Checked::Ok((k, n, arn, false)),
                    Err(()) => Checked::Bad,
                },
                None if f.get(item, "encryption_key").is_some() => Checked::Bad,
                None => match &defaults.key {
                    Some((k, n, arn)) => Checked::Ok((
                        *k,
                        *n,
                        arn.as_ref().map(|a| KeyArn {
                            region: a.region.clone(),
                        }),
                        true,
                    )),
                    None => Checked::Absent,
                },
            };
            let mut key_ok = !matches!(key, Checked::Bad);
            if let (Checked::Ok((_, key_node, Some(arn), inherited)), Checked::Ok(region)) =
                (&key, &region)
                && arn.region != *region
            {
                let mut p = self
                        .problem(
                            "manifest::key_region_mismatch",
                            format!("encryption key of {who} is in {}, but the domain is in {region}", arn.region),
                        )
                        .label(key_node.span.clone(), format!("key in {}", arn.region))
                        .help(format!(
                            "KMS keys are regional and CodeArtifact needs the key in the domain's Region: use a key in {region}{}",
                            if *inherited { " (set `encryption_key` on this domain to override the default)" } else { "" }
                        ));
                if *inherited {
                    p = p.also(anchor.clone(), format!("domain in {region}"));
                }
                self.push(p);
                key_ok = false;
            }

            // Tags: defaults merged with the domain's (domain wins).
            let mut tags = defaults.tags.clone();
            let own_tags = f.get(item, "tags");
            if let Some((tags_key, t)) = own_tags {
                let own = self.tags(t);
                let own_count = own.len();
                tags.extend(own);
                if tags.len() > MAX_TAGS {
                    let p = self
                        .problem("manifest::too_many_tags", format!("{who} has {} tags after merging `defaults.tags`", tags.len()))
                        .label(tags_key.span.clone(), format!("{own_count} tags here, {} in total with the defaults", tags.len()))
                        .help(format!(
                            "AWS allows at most {MAX_TAGS} user tags per domain: `defaults.tags` contributes {}, remove {} tag(s)",
                            defaults.tags.len(),
                            tags.len() - MAX_TAGS
                        ));
                    self.push(p);
                }
            }

            let tags_mode = Self::tags_mode(f.str(item, "tags_mode"))
                .or(defaults.tags_mode)
                .unwrap_or_default();

            // Duplicates: (account id or caller, region, name).
            if let (Some(name), Checked::Ok(acct), Checked::Ok(region), Some((_, name_n))) =
                (name, &account, &region, name_node)
            {
                let key = (
                    acct.id().map(str::to_string),
                    region.to_string(),
                    name.to_string(),
                );
                if let Some(first) = seen.get(&key) {
                    let where_ = match acct.id() {
                        Some(id) => format!("account {id}"),
                        None => "the caller's account".to_string(),
                    };
                    let p = self
                        .problem("manifest::duplicate_domain", format!("domain `{name}` is defined twice for {where_} in {region}"))
                        .label(name_n.span.clone(), "defined again here")
                        .also(first.clone(), "first defined here")
                        .help("a domain name is unique per account and Region; remove one entry or change its name, account or region");
                    self.push(p);
                } else {
                    seen.insert(key, name_n.span.clone());
                }
            }

            if let (Some(name), Checked::Ok(account), Checked::Ok(region), true) =
                (name, account, region, key_ok)
            {
                let encryption_key = match key {
                    Checked::Ok((k, ..)) => Some(k.to_string()),
                    _ => None,
                };
                out.push(DesiredDomain {
                    name: name.to_string(),
                    account,
                    region: region.to_string(),
                    encryption_key,
                    tags,
                    tags_mode,
                    line: line_of(self.cx.text, item.span.start),
                });
            }
        }
        out
    }
}
