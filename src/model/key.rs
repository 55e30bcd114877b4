//! Encryption-key references: the AWS-managed key's alias, and the one comparison that says a
//! live domain's key is not the one the manifest wants (CodeArtifact cannot change it).

use super::target::TargetKey;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The alias of the key a domain gets when the manifest names none.
pub const MANAGED_KEY_ALIAS: &str = "alias/aws/codeartifact";

/// Whether a key reference names the AWS-managed key (by alias or alias ARN). That key exists
/// only once CodeArtifact first used it in the account and Region, so naming it is the same as
/// naming no key at all.
pub fn is_managed_alias(key_ref: &str) -> bool {
    key_ref == MANAGED_KEY_ALIAS
        || (key_ref.starts_with("arn:") && key_ref.ends_with(":alias/aws/codeartifact"))
}

/// The alias a key reference names in `target`: `alias/NAME` itself, or the alias ARN of this
/// account and Region (an alias elsewhere, a key id or a key ARN name none). How a domain is
/// matched with a key the manifest declares.
pub fn alias_in<'a>(key_ref: &'a str, target: &TargetKey) -> Option<&'a str> {
    if key_ref.starts_with("alias/") {
        return Some(key_ref);
    }
    let arn = super::Arn::parse(key_ref)?;
    (arn.service == "kms"
        && target.region == arn.region
        && target.account == arn.account
        && arn.resource.starts_with("alias/"))
    .then_some(arn.resource)
}

/// A live domain whose key is not the wanted one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyDrift {
    /// The live domain's key ARN.
    pub live: String,
    /// The manifest's key ARN; `None` = the AWS-managed key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wanted: Option<String>,
}

impl KeyDrift {
    /// What converges it: CodeArtifact cannot change a domain's key, and provision never deletes.
    pub fn next_step(&self) -> &'static str {
        "set the domain's encryption_key in the manifest to its live key, or delete and recreate the domain outside provision (deleting it deletes its repositories and packages)"
    }
}

impl fmt::Display for KeyDrift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the domain's encryption key is {}, the manifest wants {}; CodeArtifact cannot change a domain's key\nnext: {}",
            self.live,
            self.wanted
                .as_deref()
                .unwrap_or("the AWS-managed key (aws/codeartifact)"),
            self.next_step()
        )
    }
}

/// Compare a live domain's key (an ARN) with the wanted one: the manifest's key (`named`), else
/// the AWS-managed key of the account and Region (`managed`; `None` when it does not exist
/// yet, which means any live domain uses another key).
pub fn key_drift(named: Option<&str>, managed: Option<&str>, live: &str) -> Option<KeyDrift> {
    (named.or(managed) != Some(live)).then(|| KeyDrift {
        live: live.to_owned(),
        wanted: named.map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_managed_alias_in_both_forms() {
        assert!(is_managed_alias("alias/aws/codeartifact"));
        assert!(is_managed_alias(
            "arn:aws:kms:us-east-1:111122223333:alias/aws/codeartifact"
        ));
        assert!(!is_managed_alias("alias/mine"));
    }

    #[test]
    fn an_alias_is_named_by_itself_or_by_its_arn_in_the_same_target() {
        let t = TargetKey::new("111122223333", "us-east-1");
        assert_eq!(alias_in("alias/ca", &t), Some("alias/ca"));
        assert_eq!(
            alias_in("arn:aws:kms:us-east-1:111122223333:alias/ca", &t),
            Some("alias/ca")
        );
        for other in [
            "arn:aws:kms:eu-west-1:111122223333:alias/ca",
            "arn:aws:kms:us-east-1:444455556666:alias/ca",
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
        ] {
            assert_eq!(alias_in(other, &t), None, "{other}");
        }
    }

    #[test]
    fn drift_only_when_the_keys_differ() {
        assert_eq!(key_drift(Some("k1"), Some("m"), "k1"), None);
        assert_eq!(
            key_drift(Some("k1"), Some("m"), "k2"),
            Some(KeyDrift {
                live: "k2".into(),
                wanted: Some("k1".into())
            })
        );
        assert_eq!(key_drift(None, Some("m"), "m"), None);
        assert_eq!(
            key_drift(None, Some("m"), "k2"),
            Some(KeyDrift {
                live: "k2".into(),
                wanted: None
            })
        );
        assert!(key_drift(None, None, "k2").is_some());
    }
}
