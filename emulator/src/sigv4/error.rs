//! How a request's signature can be wrong ([`AuthError`]), and quoting client input safely in the messages.

/// Error messages quote client input; cap it so a huge header cannot produce a huge message.
const MAX_QUOTED: usize = 80;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization` header and no presigned query parameters at all.
    #[error(
        "request is not signed: no Authorization header and no X-Amz-Signature query parameter"
    )]
    Missing,
    /// Malformed or incomplete signature information; the text says which part.
    #[error("incomplete signature: {0}")]
    Incomplete(String),
    /// Request time outside ±15 minutes of the server clock, or presigned URL past its expiry.
    #[error(
        "signature expired: request time {request_time} is outside the allowed window around server time {server_time}"
    )]
    Expired {
        request_time: String,
        server_time: String,
    },
    /// The signature does not match; carries what the server signed, to debug clients with.
    #[error(
        "the request signature we calculated does not match the signature you provided. \
         The canonical request was\n{canonical_request}\nand the string to sign was\n{string_to_sign}"
    )]
    Mismatch {
        canonical_request: String,
        string_to_sign: String,
    },
    /// The credential scope does not fit the request (date or terminator).
    #[error("credential scope mismatch: {0}")]
    ScopeMismatch(String),
}

pub(super) fn incomplete(message: impl Into<String>) -> AuthError {
    AuthError::Incomplete(message.into())
}

/// Quotes client input for an error message, shortened to [`MAX_QUOTED`] characters.
pub(super) fn quote(s: &str) -> String {
    if s.chars().count() > MAX_QUOTED {
        let short: String = s.chars().take(MAX_QUOTED).collect();
        format!("{short:?}…")
    } else {
        format!("{s:?}")
    }
}
