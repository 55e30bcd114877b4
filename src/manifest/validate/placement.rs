//! Where a domain lives: `account` or `accounts` (a list, or a selection from AWS
//! Organizations) × `region` or `regions`; and the placeholders its name and tags may hold.

use std::collections::BTreeMap;
use std::ops::Range;

use super::defaults::Defaults;
use super::{Checked, Validator, Who, closest};
use crate::manifest::echo::echo;
use crate::manifest::node::{Kind, Node};
use crate::manifest::schema::Fields;
use crate::manifest::{AccountRef, Accounts, Excluded, OuRef, OuSelector, Selector};
use crate::model::pattern::{PatternError, Var};
use crate::model::{Pattern, pattern};

const PLACEHOLDERS_HELP: &str =
    "placeholders are `${account.name}`, `${account.id}`, `${region}` and `${account.tags.KEY}`";

impl<'a> Validator<'a> {
    /// An entry's accounts (`f`: the fields of its schema type, a domain's or a key's): its own
    /// `account` or `accounts`, else `defaults.account`, else the caller's.
    pub(super) fn placement_accounts(
        &mut self,
        f: &Fields,
        item: &'a Node<'a>,
        defaults: &Defaults<'a>,
    ) -> Checked<Accounts> {
        if let (Some((one, _)), Some((many, _))) = (f.get(item, "account"), f.get(item, "accounts"))
        {
            let p = self
                .problem(
                    "manifest::conflicting_placement",
                    "an entry sets both `account` and `accounts`",
                )
                .label(many.span.clone(), "remove this")
                .also(one.span.clone(), "or this")
                .help(
                    "`account` places the domain in one account; `accounts` stamps it in several",
                );
            self.push(p);
            return Checked::Bad;
        }
        if let Some((_, node)) = f.get(item, "accounts") {
            return match &node.kind {
                Kind::Seq(items) => self.listed_accounts(node, items),
                Kind::Map(_) => self
                    .selector(node)
                    .map_or(Checked::Bad, |s| Checked::Ok(Accounts::Organization(s))),
                _ => Checked::Bad, // reported by the schema pass
            };
        }
        let one = match f.str(item, "account") {
            Some((a, n)) => self.resolve_account(a, n),
            None if f.get(item, "account").is_some() => Checked::Bad,
            None => match &defaults.account {
                Checked::Absent => Checked::Ok(AccountRef::Caller),
                other => other.clone(),
            },
        };
        match one {
            Checked::Ok(a) => Checked::Ok(Accounts::Listed(vec![a])),
            Checked::Bad => Checked::Bad,
            Checked::Absent => Checked::Absent,
        }
    }

    fn listed_accounts(&mut self, node: &Node, items: &'a [Node<'a>]) -> Checked<Accounts> {
        if items.is_empty() {
            let p = self
                .problem("manifest::empty_list", "`accounts` is empty")
                .label(node.span.clone(), "no account here")
                .help("list account names or ids, or select from the organisation with `accounts: { ou: Root/Workloads }`");
            self.push(p);
            return Checked::Bad;
        }
        let mut out: Vec<AccountRef> = Vec::new();
        let mut ok = true;
        for item in items {
            let Some(value) = item.as_str() else {
                ok = false;
                continue;
            };
            match self.resolve_account(value, item) {
                Checked::Ok(a) if out.iter().any(|o| o.id() == a.id()) => {
                    let p = self
                        .problem(
                            "manifest::duplicate_account",
                            format!("account `{}` is listed twice", echo(value)),
                        )
                        .label(item.span.clone(), "listed again here")
                        .help("list each account once");
                    self.push(p);
                    ok = false;
                }
                Checked::Ok(a) => out.push(a),
                _ => ok = false,
            }
        }
        if ok {
            Checked::Ok(Accounts::Listed(out))
        } else {
            Checked::Bad
        }
    }

    fn selector(&mut self, node: &'a Node<'a>) -> Option<Selector> {
        let f = Fields::of(Some("RawSelect"));
        let mut ok = true;
        let mut ous = Vec::new();
        if let Some((_, ou)) = f.get(node, "ou") {
            let values: Vec<&Node> = match &ou.kind {
                Kind::Str(_) => vec![ou],
                Kind::Seq(items) => items.iter().collect(),
                _ => Vec::new(),
            };
            if values.is_empty() {
                let p = self
                    .problem("manifest::empty_list", "`ou` lists no organizational unit")
                    .label(ou.span.clone(), "empty")
                    .help("name a unit by path (`Root/Workloads`) or id (`ou-ab12-cd34efgh`); `Root` is the whole organisation");
                self.push(p);
                ok = false;
            }
            for v in values {
                let Some(text) = v.as_str() else {
                    ok = false;
                    continue;
                };
                match ou_ref(text) {
                    Ok(unit) => ous.push(OuSelector {
                        unit,
                        span: v.span.clone(),
                    }),
                    Err(help) => {
                        let p = self
                            .problem(
                                "manifest::invalid_ou",
                                format!("`{}` is not an organizational unit reference", echo(text)),
                            )
                            .label(v.span.clone(), "not a path from `Root` nor an id")
                            .help(help);
                        self.push(p);
                        ok = false;
                    }
                }
            }
        }
        let recursive = match f.get(node, "recursive") {
            Some((_, n)) => matches!(n.kind, Kind::Bool(true)),
            None => true,
        };
        let tags = match f.get(node, "tags") {
            Some((_, t)) => self.tags(t),
            None => BTreeMap::new(),
        };
        let mut exclude = Vec::new();
        if let Some((_, list)) = f.get(node, "exclude") {
            for item in list.as_seq().unwrap_or_default() {
                if let Some(text) = item.as_str() {
                    exclude.push(Excluded {
                        account: text.to_string(),
                        span: item.span.clone(),
                    });
                }
            }
        }
        ok.then_some(Selector {
            ous,
            recursive,
            tags,
            exclude,
        })
    }

    /// An entry's Regions: its own `region` or `regions`, else `defaults.region`.
    pub(super) fn placement_regions(
        &mut self,
        f: &Fields,
        item: &'a Node<'a>,
        defaults: &Defaults<'a>,
        anchor: Range<usize>,
        who: Who<'_>,
    ) -> Checked<Vec<&'a str>> {
        if let (Some((one, _)), Some((many, _))) = (f.get(item, "region"), f.get(item, "regions")) {
            let p = self
                .problem(
                    "manifest::conflicting_placement",
                    format!("{who} sets both `region` and `regions`"),
                )
                .label(many.span.clone(), "remove this")
                .also(one.span.clone(), "or this")
                .help("`region` places it in one Region; `regions` stamps it in several");
            self.push(p);
            return Checked::Bad;
        }
        if let Some((_, list)) = f.get(item, "regions") {
            let Some(items) = list.as_seq() else {
                return Checked::Bad;
            };
            if items.is_empty() {
                let p = self
                    .problem("manifest::empty_list", format!("{who} lists no Region"))
                    .label(list.span.clone(), "empty")
                    .help("list Region codes, e.g. `regions: [us-east-1, eu-west-1]`");
                self.push(p);
                return Checked::Bad;
            }
            let mut out: Vec<&'a str> = Vec::new();
            let mut ok = true;
            for r in items {
                let Some(text) = r.as_str() else {
                    ok = false;
                    continue;
                };
                match self.check_region(text, r) {
                    Checked::Ok(region) if out.contains(&region) => {
                        let p = self
                            .problem(
                                "manifest::duplicate_region",
                                format!("Region `{}` is listed twice", echo(region)),
                            )
                            .label(r.span.clone(), "listed again here")
                            .help("list each Region once");
                        self.push(p);
                        ok = false;
                    }
                    Checked::Ok(region) => out.push(region),
                    _ => ok = false,
                }
            }
            return if ok { Checked::Ok(out) } else { Checked::Bad };
        }
        match f.str(item, "region") {
            Some((r, n)) => match self.check_region(r, n) {
                Checked::Ok(r) => Checked::Ok(vec![r]),
                _ => Checked::Bad,
            },
            None if f.get(item, "region").is_some() => Checked::Bad,
            None => match defaults.region {
                Checked::Absent => {
                    let p = self
                        .problem("manifest::missing_region", format!("{who} has no Region"))
                        .label(anchor, "no `region` here and no `defaults.region`")
                        .help("set `region` (or `regions`) here, or set `defaults.region`");
                    self.push(p);
                    Checked::Bad
                }
                Checked::Ok(r) => Checked::Ok(vec![r]),
                Checked::Bad => Checked::Bad,
            },
        }
    }

    /// `text` (at `node`) as a pattern, its placeholders checked against what `accounts` can fill.
    pub(super) fn pattern(
        &mut self,
        text: &str,
        node: &Node,
        accounts: Option<&Accounts>,
    ) -> Option<Pattern> {
        let parsed = match Pattern::parse(text) {
            Ok(p) => p,
            Err(e) => {
                // The value's span covers its quotes, if any: point at the whole value then.
                let exact = self.cx.text.get(node.span.clone()) == Some(text);
                let at = |offset: usize, len: usize| {
                    if exact {
                        node.span.start + offset..node.span.start + offset + len
                    } else {
                        node.span.clone()
                    }
                };
                let p = match e {
                    PatternError::Unclosed { at: offset } => self
                        .problem(
                            "manifest::invalid_placeholder",
                            "a placeholder is not closed",
                        )
                        .label(at(offset, 2), "`${` without `}`")
                        .help(PLACEHOLDERS_HELP),
                    PatternError::Unknown {
                        at: offset,
                        len,
                        name,
                    } => {
                        let help = match closest(&name, Var::KNOWN.iter().copied()) {
                            Some(s) => format!("did you mean `${{{s}}}`? {PLACEHOLDERS_HELP}"),
                            None => PLACEHOLDERS_HELP.to_string(),
                        };
                        self.problem(
                            "manifest::invalid_placeholder",
                            format!("unknown placeholder `${{{}}}`", echo(&name)),
                        )
                        .label(at(offset, len), "unknown placeholder")
                        .help(help)
                    }
                };
                self.push(p);
                return None;
            }
        };
        if let Some(accounts) = accounts
            && !self.fillable(&parsed, accounts, node.span.clone())
        {
            return None;
        }
        Some(parsed)
    }

    /// Whether every placeholder of `pattern` can be filled in for `accounts`; reported at `span` if not.
    pub(super) fn fillable(
        &mut self,
        pattern: &Pattern,
        accounts: &Accounts,
        span: Range<usize>,
    ) -> bool {
        for var in pattern.vars() {
            let problem = match (var, accounts) {
                (Var::AccountTag(_), Accounts::Listed(_)) => Some((
                    "account tags are known only for accounts discovered from the organisation",
                    "select the accounts with `accounts: { ou: … }`, or write the value",
                )),
                (Var::AccountName, Accounts::Listed(list))
                    if list.iter().any(|a| !matches!(a, AccountRef::Named { .. })) =>
                {
                    Some((
                        "an account given by id (or the caller's) has no name here",
                        "declare the account under `accounts` and refer to it by name, or use `${account.id}`",
                    ))
                }
                _ => None,
            };
            if let Some((why, help)) = problem {
                let p = self
                    .problem(
                        "manifest::unfillable_placeholder",
                        format!("`{var}` cannot be filled in: {why}"),
                    )
                    .label(span, "used here")
                    .help(help);
                self.push(p);
                return false;
            }
        }
        true
    }

    /// A domain name that holds placeholders: its written parts must already be valid.
    pub(super) fn name_template(&mut self, name: &Pattern, node: &Node) -> bool {
        let bad = name.segments().iter().find_map(|s| match s {
            pattern::Segment::Text(t) => t
                .chars()
                .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')),
            pattern::Segment::Var(_) => None,
        });
        let Some(c) = bad else { return true };
        let p = self
            .problem(
                "manifest::invalid_domain_name",
                format!(
                    "invalid domain name template `{}`: it contains `{}`",
                    echo(&name.to_string()),
                    c.escape_debug()
                ),
            )
            .label(node.span.clone(), "invalid domain name")
            .help("outside placeholders, domain names are lowercase letters, digits and `-`; the values filled in are made to fit");
        self.push(p);
        false
    }
}

/// An OU reference as written, or the help that says how to write one.
fn ou_ref(text: &str) -> Result<OuRef, String> {
    let id_part = |s: &str, min: usize| {
        s.len() >= min
            && s.len() <= 32
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if let Some(rest) = text.strip_prefix("ou-") {
        return match rest.split_once('-') {
            Some((root, unit)) if id_part(root, 4) && id_part(unit, 8) => {
                Ok(OuRef::Id(text.to_string()))
            }
            _ => Err("an OU id looks like `ou-ab12-cd34efgh`".into()),
        };
    }
    if let Some(rest) = text.strip_prefix("r-") {
        return if id_part(rest, 4) {
            Ok(OuRef::Id(text.to_string()))
        } else {
            Err("a root id looks like `r-ab12`".into())
        };
    }
    let mut parts = text.split('/');
    if parts.next() != Some("Root") {
        return Err(format!(
            "write the path of names from the root, e.g. `Root/{}`, or the unit's id (`ou-…`)",
            echo(text.trim_matches('/'))
        ));
    }
    let names: Vec<String> = parts.map(str::to_string).collect();
    if names.iter().any(|n| n.is_empty() || n.len() > 128) {
        return Err("each name in the path is 1–128 characters, separated by one `/`".into());
    }
    Ok(OuRef::Path(names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ou_references_by_path_or_id() {
        assert_eq!(ou_ref("Root"), Ok(OuRef::Path(vec![])));
        assert_eq!(
            ou_ref("Root/Workloads/Sandbox"),
            Ok(OuRef::Path(vec!["Workloads".into(), "Sandbox".into()]))
        );
        assert_eq!(
            ou_ref("ou-ab12-cd34efgh"),
            Ok(OuRef::Id("ou-ab12-cd34efgh".into()))
        );
        assert_eq!(ou_ref("r-ab12"), Ok(OuRef::Id("r-ab12".into())));
        assert!(ou_ref("Workloads").unwrap_err().contains("Root/Workloads"));
        assert!(ou_ref("Root//x").is_err());
        assert!(ou_ref("ou-x").is_err());
    }
}
