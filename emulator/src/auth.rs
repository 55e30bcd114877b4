//! Who a request's credentials are: static keys (12 digits = that account) or AssumeRole sessions, and auth errors per protocol.

use crate::error::ApiError;
use crate::protocol::Protocol;
use crate::service::Ctx;
use crate::sigv4::{AuthError, Claim};

/// The account used for an access key id that is not 12 digits (the convention of other emulators).
pub const DEFAULT_ACCOUNT: &str = "000000000000";

/// The caller as the endpoint sees it once its key is known.
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
    pub secret: String,
}

/// Look up the secret and account for the claimed access key.
pub fn identify(
    ctx: &Ctx,
    claim: &Claim,
    protocol: Protocol,
    now: i64,
) -> Result<Identity, ApiError> {
    let session = ctx
        .store
        .read(|s| s.sessions.get(&claim.access_key_id).cloned());
    if let Some(session) = session {
        if claim.session_token.as_deref() != Some(session.session_token.as_str()) {
            return Err(invalid_token(protocol));
        }
        if session.expires < now {
            return Err(match protocol {
                Protocol::Query => ApiError::new(
                    400,
                    "ExpiredToken",
                    "The security token included in the request is expired",
                ),
                _ => ApiError::new(
                    403,
                    "ExpiredTokenException",
                    "The security token included in the request is expired",
                ),
            });
        }
        return Ok(Identity {
            account: session.account,
            arn: session.arn,
            user_id: session.user_id,
            secret: session.secret_access_key,
        });
    }
    if claim.session_token.is_some() {
        // Temporary credentials this endpoint never issued (or issued before a restart without --state).
        return Err(invalid_token(protocol));
    }
    let id = &claim.access_key_id;
    let account = if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        id.clone()
    } else {
        DEFAULT_ACCOUNT.to_string()
    };
    Ok(Identity {
        arn: format!("arn:aws:iam::{account}:user/emulator"),
        user_id: format!(
            "AIDA{}",
            &id.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_uppercase()
        ),
        account,
        secret: ctx.config.secret.clone(),
    })
}

fn invalid_token(protocol: Protocol) -> ApiError {
    match protocol {
        Protocol::Query => ApiError::new(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        ),
        _ => ApiError::new(
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ),
    }
}

/// A signature problem, with the code each protocol's real service uses.
pub fn auth_error(protocol: Protocol, err: &AuthError) -> ApiError {
    let query = protocol == Protocol::Query;
    match err {
        AuthError::Missing => {
            if query {
                ApiError::new(
                    403,
                    "MissingAuthenticationToken",
                    "Request is missing Authentication Token",
                )
            } else {
                ApiError::new(
                    403,
                    "MissingAuthenticationTokenException",
                    "Missing Authentication Token",
                )
            }
        }
        AuthError::Incomplete(why) | AuthError::ScopeMismatch(why) => {
            if query {
                ApiError::new(400, "IncompleteSignature", why.clone())
            } else {
                ApiError::new(403, "IncompleteSignatureException", why.clone())
            }
        }
        AuthError::Expired {
            request_time,
            server_time,
        } => {
            let message = format!(
                "Signature expired: {request_time} is now earlier than {server_time} (15 minutes of clock skew allowed)"
            );
            if query {
                ApiError::new(403, "SignatureDoesNotMatch", message)
            } else {
                ApiError::new(403, "InvalidSignatureException", message)
            }
        }
        AuthError::Mismatch {
            canonical_request,
            string_to_sign,
        } => {
            let message = format!(
                "The request signature we calculated does not match the signature you provided. \
                 Check your AWS Secret Access Key and signing method.\n\
                 The Canonical String for this request should have been\n'{canonical_request}'\n\
                 The String-to-Sign should have been\n'{string_to_sign}'"
            );
            if query {
                ApiError::new(403, "SignatureDoesNotMatch", message)
            } else {
                ApiError::new(403, "InvalidSignatureException", message)
            }
        }
    }
}
