//! The `accounts` section, and references to its accounts by name or id.

use super::rules::role::{role_arn_error, role_option_rule};
use super::rules::{account_name_error, is_account_id, profile_error};
use super::{Checked, Validator, closest};
use crate::manifest::echo::echo;
use crate::manifest::node::Node;
use crate::manifest::schema::Fields;
use crate::manifest::{AccountRef, AccountSpec, Credentials};

impl<'a> Validator<'a> {
    pub(super) fn accounts(&mut self, node: &'a Node<'a>) -> Vec<AccountSpec> {
        let f = Fields::of(Some("RawAccount"));
        let mut specs = Vec::new();
        for (key, account) in node.as_map().unwrap_or_default() {
            let Some(name) = key.as_str() else { continue };
            let name_ok = self.check_name(
                ("manifest::invalid_account_name", "account"),
                name,
                account_name_error(name),
                key,
                "account names are 1–64 characters: letters, digits, `.`, `_` and `-`, starting with a letter or digit",
            );
            if name_ok {
                // Only valid names are offered as did-you-mean.
                self.account_names.push(name.to_string());
            }
            let id = f.str(account, "id").and_then(|(id, id_node)| {
                if is_account_id(id) {
                    Some(id)
                } else {
                    let p = self
                        .problem("manifest::invalid_account_id", format!("account id `{}` of account `{}` is not 12 digits", echo(id), echo(name)))
                        .label(id_node.span.clone(), "expected exactly 12 digits")
                        .help("AWS account ids are exactly 12 digits, e.g. \"111122223333\"; keep leading zeros");
                    self.push(p);
                    None
                }
            });
            // An account with an invalid name or id is reported once: references
            // to it are not reported again.
            self.accounts
                .insert(name.to_string(), id.filter(|_| name_ok).map(str::to_string));

            let role = f.get(account, "role_arn");
            let profile = f.get(account, "profile");
            let mut ok = id.is_some() && name_ok;
            if let (Some((rk, _)), Some((pk, _))) = (role, profile) {
                let p = self
                    .problem("manifest::conflicting_credentials", format!("account `{}` sets both `role_arn` and `profile`", echo(name)))
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
                                format!("role ARN of account `{}` {reason}", echo(name)),
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
                                        format!("role ARN of account `{}` is in account {role_account}, not {id}", echo(name)),
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
                            format!("account `{}` sets `{field}` without `role_arn`", echo(name)),
                        )
                        .label(key_span, "only used when assuming a role")
                        .help(format!("set `role_arn`, or remove `{field}`"));
                    self.push(p);
                    ok = false;
                    continue;
                }
                let (min, max, extra) = role_option_rule(field);
                let len = value.chars().count();
                let bad_char = value
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || extra.contains(*c)));
                if len < min || len > max || bad_char.is_some() {
                    let p = self
                        .problem(
                            "manifest::invalid_value",
                            format!("invalid `{field}` for account `{}`", echo(name)),
                        )
                        .label(
                            value_node.span.clone(),
                            match bad_char {
                                Some(c) => format!("`{}` is not allowed", c.escape_debug()),
                                None => crate::text::plural(len, "character", "characters"),
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
                && let Some(reason) = profile_error(profile)
            {
                let p = self
                    .problem(
                        "manifest::invalid_value",
                        format!("`profile` of account `{}` {reason}", echo(name)),
                    )
                    .label(profile_node.span.clone(), "invalid profile name")
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

    pub(super) fn resolve_account(&mut self, value: &str, node: &Node) -> Checked<AccountRef> {
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
                format!("account id `{}` is not 12 digits", echo(value)),
            )
            .label(node.span.clone(), format!("{} digits", value.len()))
            .help(
                "AWS account ids are exactly 12 digits, e.g. \"111122223333\"; keep leading zeros",
            )
        } else {
            let help = match closest(value, self.account_names.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{}`?", echo(s)),
                None if self.account_names.is_empty() => {
                    "declare the account under `accounts`, or use a quoted 12-digit account id"
                        .to_string()
                }
                None => format!(
                    "known accounts: {}; or use a quoted 12-digit account id",
                    known_list(&self.account_names)
                ),
            };
            self.problem(
                "manifest::unknown_account",
                format!("unknown account `{}`", echo(value)),
            )
            .label(node.span.clone(), "not declared under `accounts`")
            .help(help)
        };
        self.push(p);
        Checked::Bad
    }
}

/// At most this many known account names are listed in a hint.
const MAX_LISTED_ACCOUNTS: usize = 10;

/// "`a`, `b`, … (N more)": a hint stays short however many accounts there are.
fn known_list(names: &[String]) -> String {
    let mut list: Vec<String> = names
        .iter()
        .take(MAX_LISTED_ACCOUNTS)
        .map(|n| format!("`{}`", echo(n)))
        .collect();
    if names.len() > MAX_LISTED_ACCOUNTS {
        list.push(format!("… ({} more)", names.len() - MAX_LISTED_ACCOUNTS));
    }
    list.join(", ")
}
