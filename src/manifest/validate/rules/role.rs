//! IAM role ARNs and the options for assuming a role, as STS accepts them.

use super::{check_service, is_account_id, split_arn};
use crate::manifest::echo::echo;

/// Why `s` is not an IAM role ARN; on success, the account the role is in, so
/// that it can be compared with the account's declared id.
pub(crate) fn role_arn_error(s: &str) -> Result<&str, String> {
    let Some([partition, service, region, account, resource]) = split_arn(s) else {
        return Err("is not an ARN".into());
    };
    check_service(partition, service, "iam")?;
    if !region.is_empty() {
        return Err("has a Region; IAM ARNs have none (`arn:aws:iam::ACCOUNT:role/NAME`)".into());
    }
    if !is_account_id(account) {
        return Err(format!(
            "has account `{}`, which is not 12 digits",
            echo(account)
        ));
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
        _ => Err(format!(
            "has resource `{}`; expected `role/NAME`",
            echo(resource)
        )),
    }
}

/// Length bounds and the punctuation allowed besides ASCII letters and digits
/// for `external_id` (STS `ExternalId`) and `session_name` (`RoleSessionName`).
pub(crate) fn role_option_rule(field: &str) -> (usize, usize, &'static str) {
    if field == "external_id" {
        (2, 1224, "+=,.@:/-_")
    } else {
        (2, 64, "+=,.@-_")
    }
}
