//! AWS Organizations over JSON 1.1 (`X-Amz-Target: AWSOrganizationsV20161128.<Op>`): the calls
//! that discover an organisation's roots, OUs and accounts, read from the organisation file.
//!
//! Only the management account may list (as without delegated administrators); any account
//! of the organisation may call DescribeOrganization, as in AWS. Without an organisation file
//! every call answers AWSOrganizationsNotInUseException.

mod file;
#[cfg(test)]
mod tests;

pub use file::Organization;

use crate::error::ApiError;
use crate::json11::{self, Input};
use crate::operation::OrganizationsOp;
use crate::protocol::{ORGANIZATIONS_TARGET_PREFIX, Reply};
use crate::service::{Call, Ctx};
use file::{Account, Parent};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Small pages (AWS's largest is 20), so that clients' pagination is exercised by small organisations.
const DEFAULT_PAGE: usize = 10;
const MAX_RESULTS: i64 = 20;

/// An organisation file that cannot be read or is invalid.
#[derive(Debug, thiserror::Error)]
#[error("invalid organization file {}: {message}", path.display())]
pub struct OrganizationFileError {
    pub path: PathBuf,
    pub message: String,
}

/// Read the organisation file, if one is given.
pub fn load(path: Option<&Path>) -> Result<Option<Organization>, OrganizationFileError> {
    let Some(path) = path else {
        return Ok(None);
    };
    let fail = |message: String| OrganizationFileError {
        path: path.to_path_buf(),
        message,
    };
    let source = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    Organization::from_yaml(&source).map(Some).map_err(fail)
}

/// The organisation being served; replaced whole by a reload, so a request sees one version.
#[derive(Default)]
pub struct Current(RwLock<Option<Arc<Organization>>>);

impl Current {
    pub fn get(&self) -> Option<Arc<Organization>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set(&self, org: Option<Organization>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = org.map(Arc::new);
    }
}

/// The operation `X-Amz-Target` names, or the answer to one not served.
pub fn operation(headers: &hyper::http::HeaderMap) -> Result<OrganizationsOp, ApiError> {
    json11::operation(headers, ORGANIZATIONS_TARGET_PREFIX, OrganizationsOp::named)
}

pub fn handle(ctx: &Ctx, call: &Call, op: OrganizationsOp) -> Result<Reply, ApiError> {
    let input = Input::parse(call.body)?;
    let org = ctx.organization.get().ok_or_else(|| {
        ApiError::new(
            400,
            "AWSOrganizationsNotInUseException",
            "Your account is not a member of an organization.",
        )
    })?;
    authorize(&org, &call.account, op)?;
    let out = match op {
        OrganizationsOp::DescribeOrganization => describe_organization(&org),
        OrganizationsOp::ListRoots => {
            let (roots, next) = paginate(std::slice::from_ref(&org.root), |r| &r.id, &input)?;
            paged("Roots", roots.iter().map(root_json).collect(), next)
        }
        OrganizationsOp::ListOrganizationalUnitsForParent => {
            let parent = parent(&org, &input)?;
            let (ous, next) = paginate(&parent.ous, |&i| &org.ous[i].id, &input)?;
            paged(
                "OrganizationalUnits",
                ous.iter().map(|&i| ou_json(&org.ous[i])).collect(),
                next,
            )
        }
        OrganizationsOp::ListAccountsForParent => {
            let parent = parent(&org, &input)?;
            let (accounts, next) = paginate(&parent.accounts, |&i| &org.accounts[i].id, &input)?;
            paged(
                "Accounts",
                accounts
                    .iter()
                    .map(|&i| account_json(&org.accounts[i]))
                    .collect(),
                next,
            )
        }
        OrganizationsOp::ListAccounts => {
            let (accounts, next) = paginate(&org.accounts, |a| &a.id, &input)?;
            paged(
                "Accounts",
                accounts.iter().map(account_json).collect(),
                next,
            )
        }
        OrganizationsOp::DescribeAccount => {
            let id = required(&input, "AccountId")?;
            check_pattern(id, "AccountId", is_account_id(id))?;
            let account = org.account(id).ok_or_else(|| {
                ApiError::new(
                    400,
                    "AccountNotFoundException",
                    "You specified an account that doesn't exist.",
                )
            })?;
            json!({ "Account": account_json(account) })
        }
        OrganizationsOp::ListTagsForResource => list_tags(&org, &input)?,
    };
    Ok(Reply::json11(&out))
}

/// The management account may call everything; other accounts of the organisation only
/// DescribeOrganization; accounts outside it nothing (AWS would say they are in no organisation
/// at all; denying them keeps a stray account's mistakes visible as access errors).
fn authorize(org: &Organization, caller: &str, op: OrganizationsOp) -> Result<(), ApiError> {
    let member = || org.account(caller).is_some();
    if caller == org.management || (op == OrganizationsOp::DescribeOrganization && member()) {
        return Ok(());
    }
    Err(ApiError::new(
        400,
        "AccessDeniedException",
        "You don't have permissions to access this resource.",
    ))
}

fn invalid_input(reason: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(400, "InvalidInputException", message).with("Reason", reason)
}

fn required<'a>(input: &'a Input, member: &str) -> Result<&'a str, ApiError> {
    input.str(member)?.ok_or_else(|| {
        invalid_input(
            "INPUT_REQUIRED",
            format!("You must specify a value for {member}."),
        )
    })
}

fn check_pattern(value: &str, member: &str, ok: bool) -> Result<(), ApiError> {
    if ok {
        Ok(())
    } else {
        Err(invalid_input(
            "INVALID_PATTERN",
            format!(
                "You specified a value for {member} that doesn't match the required pattern: `{value}`."
            ),
        ))
    }
}

/// `prefix` then `min..=max` characters satisfying `allowed`.
fn shaped(value: &str, prefix: &str, min: usize, max: usize, allowed: fn(u8) -> bool) -> bool {
    value
        .strip_prefix(prefix)
        .is_some_and(|rest| (min..=max).contains(&rest.len()) && rest.bytes().all(allowed))
}

fn lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn is_account_id(id: &str) -> bool {
    shaped(id, "", 12, 12, |b| b.is_ascii_digit())
}

/// `r-[0-9a-z]{4,32}`.
fn is_root_id(id: &str) -> bool {
    shaped(id, "r-", 4, 32, lower_alnum)
}

/// `ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}`.
fn is_ou_id(id: &str) -> bool {
    id.strip_prefix("ou-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(root, own)| {
            shaped(root, "", 4, 32, lower_alnum) && shaped(own, "", 8, 32, lower_alnum)
        })
}

/// Policy ids (`p-`, `rp-`, `rt-`) are valid targets of ListTagsForResource; none exist here.
fn is_policy_id(id: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    shaped(id, "p-", 8, 128, word)
        || shaped(id, "rp-", 4, 128, word)
        || shaped(id, "rt-", 8, 32, word)
}

/// The root or OU `ParentId` names.
fn parent<'a>(org: &'a Organization, input: &Input) -> Result<&'a Parent, ApiError> {
    let id = required(input, "ParentId")?;
    check_pattern(id, "ParentId", is_root_id(id) || is_ou_id(id))?;
    org.parent(id).ok_or_else(|| {
        ApiError::new(
            400,
            "ParentNotFoundException",
            "We can't find a root or OU with the ParentId that you specified.",
        )
    })
}

/// The page of `items` (sorted by `key`) after `NextToken`, at most `MaxResults` long, and the
/// token of the next page. A binary search, so paging through thousands of accounts is cheap.
fn paginate<'a, T>(
    items: &'a [T],
    key: impl Fn(&'a T) -> &'a str,
    input: &Input,
) -> Result<(&'a [T], Option<String>), ApiError> {
    let limit = match input.int("MaxResults")? {
        None => DEFAULT_PAGE,
        Some(n) if n < 1 => {
            return Err(invalid_input(
                "MIN_VALUE_EXCEEDED",
                format!("MaxResults must be at least 1, not {n}."),
            ));
        }
        Some(n) if n > MAX_RESULTS => {
            return Err(invalid_input(
                "MAX_VALUE_EXCEEDED",
                format!("MaxResults must be at most {MAX_RESULTS}, not {n}."),
            ));
        }
        Some(n) => n as usize,
    };
    let start = match input.str("NextToken")? {
        None => 0,
        Some(token) => {
            let last = json11::decode_token(token).ok_or_else(|| {
                invalid_input(
                    "INVALID_NEXT_TOKEN",
                    "The specified NextToken is not valid.",
                )
            })?;
            // The first item after `last` (`partition_point`, with `key`'s lifetime).
            let (mut low, mut high) = (0, items.len());
            while low < high {
                let mid = low + (high - low) / 2;
                if key(&items[mid]) <= last.as_str() {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            low
        }
    };
    let end = (start + limit).min(items.len());
    let next = (end < items.len()).then(|| json11::encode_token(key(&items[end - 1])));
    Ok((&items[start..end], next))
}

fn paged(member: &str, items: Vec<Value>, next: Option<String>) -> Value {
    let mut out = json!({ member: items });
    if let Some(token) = next {
        out["NextToken"] = json!(token);
    }
    out
}

fn describe_organization(org: &Organization) -> Value {
    let management = org.management_account();
    json!({
        "Organization": {
            "Id": org.id,
            "Arn": org.arn,
            "FeatureSet": org.feature_set.as_str(),
            "MasterAccountArn": management.arn,
            "MasterAccountId": management.id,
            "MasterAccountEmail": management.email,
            // Deprecated in the model; AWS answers an empty list (ListRoots has the policy types).
            "AvailablePolicyTypes": [],
        }
    })
}

fn root_json(root: &Parent) -> Value {
    json!({ "Id": root.id, "Arn": root.arn, "Name": root.name, "PolicyTypes": [] })
}

fn ou_json(ou: &Parent) -> Value {
    json!({ "Id": ou.id, "Arn": ou.arn, "Name": ou.name, "Path": ou.path })
}

fn account_json(a: &Account) -> Value {
    json!({
        "Id": a.id,
        "Arn": a.arn,
        "Email": a.email,
        "Name": a.name,
        "Status": a.state.status(),
        "State": a.state.as_str(),
        "JoinedMethod": a.joined_method.as_str(),
        "JoinedTimestamp": a.joined,
    })
}

fn list_tags(org: &Organization, input: &Input) -> Result<Value, ApiError> {
    let id = required(input, "ResourceId")?;
    let valid = is_account_id(id) || is_root_id(id) || is_ou_id(id) || is_policy_id(id);
    check_pattern(id, "ResourceId", valid)?;
    let tags = if is_account_id(id) {
        org.account(id).map(|a| &a.tags)
    } else {
        org.parent(id).map(|p| &p.tags)
    }
    .ok_or_else(|| {
        ApiError::new(
            400,
            "TargetNotFoundException",
            "You specified a target that doesn't exist.",
        )
    })?;
    let tags: Vec<(&String, &String)> = tags.iter().collect();
    let (page, next) = paginate(&tags, |(k, _)| k.as_str(), input)?;
    let items = page
        .iter()
        .map(|(k, v)| json!({ "Key": k, "Value": v }))
        .collect();
    Ok(paged("Tags", items, next))
}
