//! An ARN's parts (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`), split in one place for the
//! manifest's key and role rules, the declared-key match and the saved-plan checks.

/// The five parts after `arn:`; the resource keeps any further `:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// `None` when `s` is not `arn:` and five more `:`-separated parts.
    pub fn parse(s: &'a str) -> Option<Self> {
        let mut parts = s.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        Some(Self {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_five_parts_and_keeps_colons_in_the_resource() {
        let a = Arn::parse("arn:aws:kms:us-east-1:111122223333:alias/a:b").unwrap();
        assert_eq!(
            (a.partition, a.service, a.region, a.account, a.resource),
            ("aws", "kms", "us-east-1", "111122223333", "alias/a:b")
        );
        assert_eq!(Arn::parse("arn:aws:kms:us-east-1:1"), None);
        assert_eq!(Arn::parse("nra:aws:kms:r:a:x"), None);
    }
}
