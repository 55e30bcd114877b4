//! STS over the query protocol: GetCallerIdentity, and AssumeRole handing out temporary credentials.
//!
//! There is no IAM here: any caller may assume any well-formed role ARN. What matters to the
//! clients under test is the shape of the answers and that the temporary credentials then act
//! as the role's account (the server's authentication looks them up in `State::sessions`).

use crate::clock;
use crate::error::ApiError;
use crate::operation::StsOp;
use crate::protocol::{Reply, xml_escape};
use crate::records::{Record, Session};
use crate::service::{Call, Ctx};
use sha2::{Digest, Sha256};

const XMLNS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// Access key ids and role ids use base32's alphabet, as AWS's do.
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const MIN_DURATION: i64 = 900;
const MAX_DURATION: i64 = 43_200;
const DEFAULT_DURATION: i64 = 3_600;

/// Real session tokens are a few hundred base64 characters; clients must not assume less.
const SESSION_TOKEN_LEN: usize = 356;

/// The operation a form-encoded request names.
pub fn operation(form: &[(String, String)]) -> Result<StsOp, ApiError> {
    match param(form, "Action") {
        Some(action) => StsOp::named(action).ok_or_else(|| {
            ApiError::new(
                400,
                "InvalidAction",
                format!("Could not find operation {action} for version 2011-06-15"),
            )
        }),
        None => Err(ApiError::new(
            400,
            "InvalidAction",
            "The request must name an Action",
        )),
    }
}

pub fn handle(ctx: &Ctx, call: &Call, op: StsOp) -> Result<Reply, ApiError> {
    let form = call.form();
    let result = match op {
        StsOp::GetCallerIdentity => get_caller_identity(call),
        StsOp::AssumeRole => assume_role(ctx, call, &form)?,
    };
    Ok(Reply::xml(format!(
        "<{name}Response xmlns=\"{XMLNS}\"><{name}Result>{result}</{name}Result>\
         <ResponseMetadata><RequestId>{rid}</RequestId></ResponseMetadata></{name}Response>",
        name = op.name(),
        rid = xml_escape(call.request_id),
    )))
}

fn get_caller_identity(call: &Call) -> String {
    format!(
        "<Arn>{}</Arn><UserId>{}</UserId><Account>{}</Account>",
        xml_escape(&call.caller_arn),
        xml_escape(&call.caller_user_id),
        xml_escape(&call.account)
    )
}

fn param<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// STS's spelling of a constraint violation (the query protocol's `ValidationError`).
fn validation(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "ValidationError", message)
}

fn constraint(value: &str, member: &str, rule: &str) -> ApiError {
    validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"
    ))
}

fn required<'a>(
    form: &'a [(String, String)],
    name: &str,
    member: &str,
) -> Result<&'a str, ApiError> {
    param(form, name).ok_or_else(|| {
        validation(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ))
    })
}

/// `[\w+=,.@-]` (and the extra characters some members allow).
fn name_chars(s: &str, extra: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) || extra.contains(c))
}

/// A role ARN's account and role name (the last path segment: assumed-role ARNs drop the path).
fn parse_role_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let partition_ok = matches!(partition, "aws" | "aws-cn" | "aws-us-gov");
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    if prefix != "arn" || !partition_ok || service != "iam" || !region.is_empty() || !account_ok {
        return None;
    }
    let path_and_name = resource.strip_prefix("role/")?;
    let name = path_and_name.rsplit('/').next()?;
    let path_ok = path_and_name
        .split('/')
        .all(|seg| !seg.is_empty() && name_chars(seg, ""));
    (path_ok && (1..=64).contains(&name.len())).then_some((account, name))
}

fn assume_role(ctx: &Ctx, call: &Call, form: &[(String, String)]) -> Result<String, ApiError> {
    let role_arn = required(form, "RoleArn", "roleArn")?;
    let session_name = required(form, "RoleSessionName", "roleSessionName")?;
    if role_arn.len() < 20 {
        return Err(constraint(
            role_arn,
            "roleArn",
            "Member must have length greater than or equal to 20",
        ));
    }
    if role_arn.len() > 2048 {
        return Err(constraint(
            role_arn,
            "roleArn",
            "Member must have length less than or equal to 2048",
        ));
    }
    // What STS answers for anything that is not an IAM role ARN.
    let (account, role_name) =
        parse_role_arn(role_arn).ok_or_else(|| validation("Request ARN is invalid"))?;
    check_session_name(session_name)?;
    // An account of the organisation file may say which roles exist in it.
    if let Some(org) = ctx.organization.get()
        && let Some(roles) = org.account(account).and_then(|a| a.roles.as_ref())
        && !roles.iter().any(|r| r == role_name)
    {
        return Err(ApiError::new(
            403,
            "AccessDenied",
            format!(
                "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
                call.caller_arn
            ),
        ));
    }

    let duration = match param(form, "DurationSeconds") {
        None => DEFAULT_DURATION,
        Some(raw) => {
            let seconds: i64 = raw
                .parse()
                .map_err(|_| constraint(raw, "durationSeconds", "Member must be an integer"))?;
            if seconds < MIN_DURATION {
                return Err(constraint(
                    raw,
                    "durationSeconds",
                    "Member must have value greater than or equal to 900",
                ));
            }
            if seconds > MAX_DURATION {
                return Err(constraint(
                    raw,
                    "durationSeconds",
                    "Member must have value less than or equal to 43200",
                ));
            }
            seconds
        }
    };
    if let Some(external_id) = param(form, "ExternalId")
        && (!(2..=1224).contains(&external_id.len()) || !name_chars(external_id, ":/"))
    {
        return Err(constraint(
            external_id,
            "externalId",
            "Member must have length between 2 and 1224 and satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
        ));
    }

    let session = Session {
        access_key_id: format!("ASIA{}", ctx.random_string(BASE32, 16)),
        secret_access_key: ctx.random_string(BASE64, 40),
        session_token: format!(
            "IQoJb3JpZ2luX2Vj{}",
            ctx.random_string(BASE64, SESSION_TOKEN_LEN)
        ),
        account: account.to_string(),
        arn: format!("arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}"),
        user_id: format!("{}:{session_name}", role_id(role_arn)),
        expires: call.now as i64 + duration,
    };
    let xml = format!(
        "<Credentials><AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey>\
         <SessionToken>{}</SessionToken><Expiration>{}</Expiration></Credentials>\
         <AssumedRoleUser><AssumedRoleId>{}</AssumedRoleId><Arn>{}</Arn></AssumedRoleUser>\
         <PackedPolicySize>0</PackedPolicySize>",
        session.access_key_id,
        xml_escape(&session.secret_access_key),
        xml_escape(&session.session_token),
        clock::iso8601(session.expires),
        xml_escape(&session.user_id),
        xml_escape(&session.arn),
    );
    ctx.store
        .write(|_| Ok((xml, vec![Record::PutSession(session)])))
}

fn check_session_name(name: &str) -> Result<(), ApiError> {
    if name.len() < 2 {
        return Err(constraint(
            name,
            "roleSessionName",
            "Member must have length greater than or equal to 2",
        ));
    }
    if name.len() > 64 {
        return Err(constraint(
            name,
            "roleSessionName",
            "Member must have length less than or equal to 64",
        ));
    }
    if !name_chars(name, "") {
        return Err(constraint(
            name,
            "roleSessionName",
            "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        ));
    }
    Ok(())
}

/// A role's unique id (`AROA...`): derived from its ARN so that every session of one
/// role reports the same id, as a real role's does.
fn role_id(role_arn: &str) -> String {
    let digest = Sha256::digest(role_arn.as_bytes());
    let tail: String = digest
        .iter()
        .take(17)
        .map(|b| BASE32[usize::from(b % 32)] as char)
        .collect();
    format!("AROA{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::state::Store;
    use hyper::http::{HeaderMap, Method};

    fn call<'a>(body: &'a [u8], headers: &'a HeaderMap, method: &'a Method) -> Call<'a> {
        Call {
            account: "111122223333".into(),
            caller_arn: "arn:aws:iam::111122223333:root".into(),
            caller_user_id: "111122223333".into(),
            region: "us-east-1".into(),
            method,
            path: "/".into(),
            query: Vec::new(),
            headers,
            body,
            request_id: "rid-1",
            now: 1_700_000_000.0,
        }
    }

    fn run(ctx: &Ctx, body: &str) -> Result<String, ApiError> {
        let (headers, method) = (HeaderMap::new(), Method::POST);
        let call = call(body.as_bytes(), &headers, &method);
        let op = operation(&call.form())?;
        let reply = handle(ctx, &call, op)?;
        Ok(String::from_utf8_lossy(&reply.body).into_owned())
    }

    fn ctx() -> Ctx {
        Ctx::new(Config::default(), Store::in_memory(), 1)
    }

    #[test]
    fn caller_identity() {
        let xml = run(&ctx(), "Action=GetCallerIdentity&Version=2011-06-15").unwrap();
        assert!(xml.contains("<Account>111122223333</Account>"), "{xml}");
        assert!(xml.contains("<RequestId>rid-1</RequestId>"), "{xml}");
        assert!(
            xml.starts_with("<GetCallerIdentityResponse xmlns="),
            "{xml}"
        );
    }

    #[test]
    fn unknown_action() {
        let err = run(&ctx(), "Action=GetSessionToken&Version=2011-06-15").unwrap_err();
        assert_eq!((err.status, err.code), (400, "InvalidAction"));
        let err = run(&ctx(), "Version=2011-06-15").unwrap_err();
        assert_eq!(err.code, "InvalidAction");
    }

    #[test]
    fn assume_role_records_a_session() {
        let ctx = ctx();
        let xml = run(
            &ctx,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2Fops%2Fdeployer&RoleSessionName=ci%40run-1&DurationSeconds=900&ExternalId=ext-1",
        )
        .unwrap();
        let sessions: Vec<Session> = ctx.store.read(|s| s.sessions.values().cloned().collect());
        assert_eq!(sessions.len(), 1);
        let s = &sessions[0];
        assert_eq!(s.account, "444455556666");
        assert_eq!(
            s.arn,
            "arn:aws:sts::444455556666:assumed-role/deployer/ci@run-1"
        );
        assert!(s.access_key_id.starts_with("ASIA") && s.access_key_id.len() == 20);
        assert_eq!(s.secret_access_key.len(), 40);
        assert!(s.session_token.len() > 300);
        assert!(s.user_id.starts_with("AROA") && s.user_id.ends_with(":ci@run-1"));
        assert_eq!(s.user_id.len(), 4 + 17 + 1 + "ci@run-1".len());
        assert_eq!(s.expires, 1_700_000_900);
        assert!(xml.contains(&format!("<AccessKeyId>{}</AccessKeyId>", s.access_key_id)));
        assert!(xml.contains(&format!(
            "<Expiration>{}</Expiration>",
            clock::iso8601(1_700_000_900)
        )));
        assert!(xml.contains("<PackedPolicySize>0</PackedPolicySize>"));
        // The same role keeps its id across sessions.
        assert_eq!(
            role_id("arn:aws:iam::444455556666:role/ops/deployer"),
            s.user_id.split(':').next().unwrap()
        );
    }

    #[test]
    fn assume_role_validation() {
        let ctx = ctx();
        let base = "Action=AssumeRole&Version=2011-06-15";
        let good_arn = "RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2Fdeployer";
        for body in [
            format!("{base}&RoleSessionName=abc"),
            format!("{base}&{good_arn}"),
            format!("{base}&RoleArn=not-an-arn-at-all-really&RoleSessionName=abc"),
            format!("{base}&RoleArn=short&RoleSessionName=abc"),
            format!(
                "{base}&RoleArn=arn%3Aaws%3Aiam%3A%3A4444%3Arole%2Fdeployer&RoleSessionName=abc"
            ),
            format!(
                "{base}&RoleArn=arn%3Aaws%3As3%3A%3A444455556666%3Arole%2Fdeployer&RoleSessionName=abc"
            ),
            format!(
                "{base}&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Auser%2Fdeployer&RoleSessionName=abc"
            ),
            format!("{base}&{good_arn}&RoleSessionName=a"),
            format!("{base}&{good_arn}&RoleSessionName=has%20space"),
            format!("{base}&{good_arn}&RoleSessionName=abc&DurationSeconds=899"),
            format!("{base}&{good_arn}&RoleSessionName=abc&DurationSeconds=43201"),
            format!("{base}&{good_arn}&RoleSessionName=abc&DurationSeconds=lots"),
            format!("{base}&{good_arn}&RoleSessionName=abc&ExternalId=x"),
        ] {
            let err = run(&ctx, &body).unwrap_err();
            assert_eq!((err.status, err.code), (400, "ValidationError"), "{body}");
        }
        assert!(ctx.store.read(|s| s.sessions.is_empty()));
        run(
            &ctx,
            &format!("{base}&{good_arn}&RoleSessionName=abc&DurationSeconds=43200"),
        )
        .unwrap();
    }
}
