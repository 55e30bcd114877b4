//! What to do next about a failed call, from its kind, the operation and the credentials it was
//! made with: the one place that turns "AccessDenied" into whom to allow what, and a reached
//! quota into which quota to raise.

use super::kind::ErrorKind;
use crate::model::{TargetCredentials, TargetKey};

/// The next step people can take, when there is one better than "try again".
pub fn next_step(
    kind: ErrorKind,
    operation: &str,
    target: &TargetKey,
    credentials: &TargetCredentials,
) -> Option<String> {
    let (account, region) = (&target.account, &target.region);
    match kind {
        ErrorKind::AccessDenied => Some(match credentials {
            TargetCredentials::AssumeRole { role_arn, .. } if operation == "sts:AssumeRole" => {
                format!(
                    "the role {role_arn} must exist in account {account} and its trust policy must let the credentials provision runs with call sts:AssumeRole on it"
                )
            }
            _ => format!(
                // IAM is global: the same words in every Region, so that a denied account's
                // Regions fold into one line.
                "allow `{operation}` to {} (account {account}); a service control policy or permissions boundary may also deny it",
                credentials.describe()
            ),
        }),
        ErrorKind::BadCredentials | ErrorKind::Credentials => Some(format!(
            "check {}: they could not be had or AWS refused them (expired, unknown or mistyped)",
            credentials.describe()
        )),
        ErrorKind::Quota if operation == "codeartifact:CreateDomain" => Some(format!(
            "CodeArtifact's quota \"Domains per account\" is reached in account {account}, {region}: request an increase through Service Quotas, then pass --domain-quota N with the new value so that plan checks it"
        )),
        // Only updates meet it: a create's target is the domain that is not there.
        ErrorKind::NotFound
            if matches!(
                operation,
                "codeartifact:TagResource"
                    | "codeartifact:UntagResource"
                    | "codeartifact:PutDomainPermissionsPolicy"
            ) =>
        {
            Some(
            "the domain is gone since it was observed (deleted meanwhile?): run `provision plan` again; a new plan creates it".to_string(),
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role() -> TargetCredentials {
        TargetCredentials::AssumeRole {
            role_arn: "arn:aws:iam::111122223333:role/Provisioner".into(),
            external_id: None,
            session_name: None,
        }
    }

    #[test]
    fn access_denied_names_the_principal_and_the_action() {
        let t = TargetKey::new("111122223333", "us-east-1");
        let next = next_step(
            ErrorKind::AccessDenied,
            "codeartifact:CreateDomain",
            &t,
            &role(),
        );
        assert_eq!(
            next.as_deref(),
            Some(
                "allow `codeartifact:CreateDomain` to role arn:aws:iam::111122223333:role/Provisioner (account 111122223333); a service control policy or permissions boundary may also deny it"
            )
        );
        let assume = next_step(ErrorKind::AccessDenied, "sts:AssumeRole", &t, &role());
        assert!(assume.is_some_and(|s| s.contains("trust policy")));
        let quota = next_step(ErrorKind::Quota, "codeartifact:CreateDomain", &t, &role());
        assert!(quota.is_some_and(|s| s.contains("\"Domains per account\"")));
        // A tag-count quota is the domain's own: raising the domain quota would not help.
        assert_eq!(
            next_step(ErrorKind::Quota, "codeartifact:TagResource", &t, &role()),
            None
        );
        assert_eq!(
            next_step(
                ErrorKind::Throttling,
                "codeartifact:CreateDomain",
                &t,
                &role()
            ),
            None
        );
    }
}
