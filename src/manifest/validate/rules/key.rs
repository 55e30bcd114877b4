//! The four forms of a KMS key reference: key id, key ARN, alias, alias ARN.
//!
//! Checked offline so that a typo fails before any domain is created; whether
//! the key exists is left to AWS.

use super::{check_service, is_account_id, split_arn};
use crate::manifest::echo::echo;
use crate::manifest::regions;

/// The parts of a key or alias ARN the rest of validation needs: KMS keys are
/// regional, so the domain's Region is compared with this one.
pub(crate) struct KeyArn {
    pub(crate) region: String,
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
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

/// Why an alias the manifest declares (under `keys`) cannot be created: CreateAlias takes
/// `alias/` and 1–250 of `[a-zA-Z0-9/_-]`, and refuses `alias/aws/…` (AWS-managed keys' names).
pub(crate) fn declared_alias_error(alias: &str) -> Option<String> {
    let Some(name) = alias.strip_prefix("alias/") else {
        return Some("does not start with `alias/`".into());
    };
    if name.is_empty() {
        return Some("has an empty name after `alias/`".into());
    }
    let len = name.chars().count();
    if len > 250 {
        return Some(format!(
            "has a name of {len} characters after `alias/` (at most 250)"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-')))
    {
        return Some(format!(
            "contains `{}` (alias names use letters, digits, `/`, `_` and `-`)",
            echo(c.encode_utf8(&mut [0; 4]))
        ));
    }
    if name.starts_with("aws/") {
        return Some("is under `alias/aws/`, which AWS reserves for its managed keys".into());
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

pub(crate) const KEY_FORMS: &str = "use a key id (`1234abcd-12ab-34cd-56ef-1234567890ab` or `mrk-` + 32 hex digits), \
a key ARN (`arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`), an alias (`alias/NAME`) \
or an alias ARN (`arn:aws:kms:REGION:ACCOUNT:alias/NAME`)";

/// Validate an encryption key reference; `Ok(Some(..))` for ARNs.
pub(crate) fn check_key(s: &str) -> Result<Option<KeyArn>, String> {
    if s.starts_with("arn:") {
        let Some([partition, service, region, account, resource]) = split_arn(s) else {
            return Err("is not a complete ARN".into());
        };
        check_service(partition, service, "kms")?;
        match regions::partition_of(region) {
            None => {
                return Err(match regions::suggest(region) {
                    Some(s) => format!(
                        "has unknown Region `{}` (did you mean `{s}`?)",
                        echo(region)
                    ),
                    None => format!("has unknown Region `{}`", echo(region)),
                });
            }
            Some(p) if p != partition => {
                return Err(format!(
                    "puts Region `{region}` in partition `{}`, but it is in `{p}`",
                    echo(partition)
                ));
            }
            Some(_) => {}
        }
        if !is_account_id(account) {
            return Err(format!(
                "has account `{}`, which is not 12 digits",
                echo(account)
            ));
        }
        if let Some(id) = resource.strip_prefix("key/") {
            if !key_id_ok(id) {
                return Err(format!(
                    "has key id `{}`, which is neither a UUID nor `mrk-` + 32 hex digits",
                    echo(id)
                ));
            }
        } else if resource.starts_with("alias/") {
            if let Some(e) = alias_name_error(resource) {
                return Err(e);
            }
        } else {
            return Err(format!(
                "has resource `{}`; expected `key/KEY-ID` or `alias/NAME`",
                echo(resource)
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

#[cfg(test)]
mod tests {
    use super::declared_alias_error;

    #[test]
    fn declared_aliases_follow_create_alias() {
        assert_eq!(declared_alias_error("alias/codeartifact"), None);
        assert_eq!(declared_alias_error("alias/team-a/ca_1"), None);
        assert_eq!(
            declared_alias_error(&format!("alias/{}", "a".repeat(250))),
            None
        );
        for bad in [
            "codeartifact",
            "alias/",
            "alias/aws/codeartifact",
            "alias/with space",
            "alias/é",
        ] {
            assert!(declared_alias_error(bad).is_some(), "{bad}");
        }
        assert!(declared_alias_error(&format!("alias/{}", "a".repeat(251))).is_some());
    }
}
