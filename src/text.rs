//! Words for people: counts with the noun in the right number ("1 tag", "2 tags"), how much the
//! human forms say (`-q`, the default, `-v`), and how a target is named in them.

/// `n thing` or `n things`.
pub fn plural(n: impl TryInto<u64>, one: &str, many: &str) -> String {
    let n: u64 = n.try_into().unwrap_or(u64::MAX);
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How much the human plan and report say: `-q` only problems and the summary, the default
/// problems and changes (identical reasons folded, unchanged counted), `-v` everything unfolded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Detail {
    Quiet,
    #[default]
    Normal,
    Verbose,
}

/// Lines that would say the same thing (the same outcome for the same reason in one place) are
/// folded into one line with their count from this many on, unless `-v`: ten domains of an
/// unreachable account read as one line, two still read as two.
pub const FOLD_AT: usize = 3;

/// Targets with nothing to show (every domain unchanged, or as the manifest says after apply)
/// take one line each up to this many; more are counted in a single line, unless `-v`.
pub const LIST_AT_MOST: usize = 20;

/// `account 111122223333 (platform) · us-east-1`: how both the plan and the report name a target.
pub fn target_label(account: &str, name: Option<&str>, region: &str) -> String {
    match name {
        Some(n) => format!("account {account} ({n}) · {region}"),
        None => format!("account {account} · {region}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_and_many() {
        assert_eq!(super::plural(1usize, "tag", "tags"), "1 tag");
        assert_eq!(super::plural(0u32, "tag", "tags"), "0 tags");
        assert_eq!(super::plural(2u64, "problem", "problems"), "2 problems");
    }

    #[test]
    fn targets_are_named_with_their_account_name_when_known() {
        assert_eq!(
            super::target_label("111122223333", Some("platform"), "us-east-1"),
            "account 111122223333 (platform) · us-east-1"
        );
        assert_eq!(
            super::target_label("111122223333", None, "eu-west-1"),
            "account 111122223333 · eu-west-1"
        );
    }
}
