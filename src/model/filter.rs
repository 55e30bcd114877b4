//! What a run is limited to, as Terraform's `-target`: accounts (by id or manifest name),
//! Regions and domain-name globs (`*` any run of characters, `?` one). Empty = everything.

use super::target::Target;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Account ids or the names the manifest (or the organisation) gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Domain-name globs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.regions.is_empty() && self.domains.is_empty()
    }

    /// Whether `value` (an account filter) names target `t`'s account.
    pub fn names_account(value: &str, t: &Target) -> bool {
        t.account == value || t.account_name.as_deref() == Some(value)
    }

    /// Whether the account and Region filters let target `t` through.
    pub fn target(&self, t: &Target) -> bool {
        (self.accounts.is_empty() || self.accounts.iter().any(|a| Self::names_account(a, t)))
            && (self.regions.is_empty() || self.regions.iter().any(|r| t.region == r.as_str()))
    }

    /// Whether the domain filter lets a domain of this name through.
    pub fn domain(&self, name: &str) -> bool {
        self.domains.is_empty() || self.domains.iter().any(|g| glob(g, name))
    }

    /// The filter as it was typed (for people: "outside --account a --domain 'x*'").
    pub fn flags(&self) -> String {
        let quoted = |s: &str| match s.contains(['*', '?']) {
            true => format!("'{s}'"),
            false => s.to_string(),
        };
        let flags = [
            ("--account", &self.accounts),
            ("--region", &self.regions),
            ("--domain", &self.domains),
        ];
        flags
            .iter()
            .flat_map(|(flag, values)| values.iter().map(move |v| format!("{flag} {}", quoted(v))))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `*` matches any run of characters (none included), `?` exactly one; the rest literally.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Iterative match with one backtrack point (the last `*`): linear in practice, never
    // exponential whatever the pattern.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_names() {
        for (pattern, text, want) in [
            ("acme-*", "acme-prod", true),
            ("acme-*", "acme-", true),
            ("acme-*", "tools", false),
            ("*-prod", "acme-prod", true),
            ("a?me", "acme", true),
            ("a?me", "ame", false),
            ("acme", "acme-prod", false),
            ("*a*b*", "xxaxxbxx", true),
            ("*a*b", "xxaxxbxxc", false),
            ("*", "", true),
            ("", "", true),
        ] {
            assert_eq!(glob(pattern, text), want, "{pattern} {text}");
        }
    }

    #[test]
    fn flags_read_as_typed() {
        let f = Filter {
            accounts: vec!["platform".into()],
            regions: vec![],
            domains: vec!["acme-*".into(), "tools".into()],
        };
        assert_eq!(
            f.flags(),
            "--account platform --domain 'acme-*' --domain tools"
        );
    }
}
