//! The id of the caller's AWS organisation (DescribeOrganization, with the caller's own
//! credentials): what `share_with_organization` puts in its `aws:PrincipalOrgID` condition.

use super::error::ResolveError;
use crate::aws::ErrorKind;
use crate::aws::session::ORGANIZATIONS_REGION;
use crate::call::Environment;
use crate::model::TargetKey;

/// The caller's organisation id (`o-…`), asked through the gate.
pub async fn organization_id(env: &Environment) -> Result<String, ResolveError> {
    let organizations = env.connection.organizations().await;
    // The caller is not a target; its calls are paced under a key of their own.
    let key = TargetKey::new("caller", ORGANIZATIONS_REGION);
    let id = env
        .gate
        .read(&key, || async {
            let out = organizations.describe_organization().send().await?;
            Ok(out
                .organization()
                .and_then(|o| o.id())
                .unwrap_or_default()
                .to_string())
        })
        .await
        .map_err(|error| match error.kind {
            ErrorKind::NotFound => ResolveError::NoOrganizationToShare,
            _ => ResolveError::Organization { error },
        })?;
    if id.is_empty() {
        return Err(ResolveError::NoOrganizationToShare);
    }
    Ok(id)
}
