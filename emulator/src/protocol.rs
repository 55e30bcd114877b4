//! The three AWS wire protocols the endpoint speaks: how replies are encoded in each, and how each spells the errors all services share.

use crate::error::ApiError;
use serde::Serialize;
use serde_json::{Map, Value};

/// How a service encodes requests and responses (botocore's `metadata.protocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// CodeArtifact: REST paths, JSON bodies, errors named by `x-amzn-errortype`.
    RestJson,
    /// KMS and Organizations: `X-Amz-Target: <prefix>.Op`, JSON 1.1 bodies, errors named by
    /// `__type`. The service is part of the protocol because the two spell the shared errors
    /// (throttling, server faults, the message member) differently.
    Json(JsonService),
    /// STS: form-encoded `Action=...` requests, XML responses.
    Query,
}

impl Protocol {
    /// The protocol a signed request's service speaks.
    pub fn for_service(service: &str) -> Option<Self> {
        match service {
            "codeartifact" => Some(Self::RestJson),
            "kms" => Some(Self::Json(JsonService::Kms)),
            "organizations" => Some(Self::Json(JsonService::Organizations)),
            "sts" => Some(Self::Query),
            _ => None,
        }
    }

    /// A best guess for requests whose signature cannot be read, so that even
    /// the authentication error is in a form the client can parse.
    pub fn guess(headers: &hyper::http::HeaderMap) -> Self {
        let content_type = headers
            .get(hyper::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if let Some(target) = headers.get("x-amz-target") {
            let organizations = target
                .as_bytes()
                .starts_with(ORGANIZATIONS_TARGET_PREFIX.as_bytes());
            Self::Json(if organizations {
                JsonService::Organizations
            } else {
                JsonService::Kms
            })
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            Self::Query
        } else {
            Self::RestJson
        }
    }

    /// Throttling as this protocol's clients recognise it: CodeArtifact answers
    /// 429 with `Retry-After`; KMS, Organizations and STS answer 400 with their own codes.
    pub fn throttled(self, retry_after: u32) -> ApiError {
        let mut e = match self {
            Self::RestJson => ApiError::new(429, "ThrottlingException", "Rate exceeded"),
            Self::Json(JsonService::Kms) => {
                ApiError::new(400, "ThrottlingException", "Rate exceeded")
            }
            Self::Json(JsonService::Organizations) => {
                ApiError::new(400, "TooManyRequestsException", "Rate exceeded")
            }
            Self::Query => ApiError::new(400, "Throttling", "Rate exceeded"),
        };
        e.retry_after = Some(retry_after);
        e
    }

    /// A server-side failure, spelled as each service spells it.
    pub fn server_fault(self) -> ApiError {
        let code = match self {
            Self::RestJson => "InternalServerException",
            Self::Json(JsonService::Kms) => "KMSInternalException",
            Self::Json(JsonService::Organizations) => "ServiceException",
            Self::Query => "InternalFailure",
        };
        ApiError::new(500, code, "An internal error occurred (injected fault)")
    }

    pub fn access_denied(self, message: impl Into<String>) -> ApiError {
        let code = match self {
            Self::RestJson | Self::Json(_) => "AccessDeniedException",
            Self::Query => "AccessDenied",
        };
        ApiError::new(403, code, message)
    }
}

/// The services speaking JSON 1.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonService {
    Kms,
    Organizations,
}

/// Organizations' `X-Amz-Target` prefix (its API version).
pub const ORGANIZATIONS_TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";

/// A successful or failed answer, before it becomes an HTTP response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(value: &impl Serialize) -> Self {
        Self::json_with(value, "application/json")
    }

    /// KMS and Organizations answer with the JSON 1.1 content type.
    pub fn json11(value: &impl Serialize) -> Self {
        Self::json_with(value, "application/x-amz-json-1.1")
    }

    fn json_with(value: &impl Serialize, content_type: &'static str) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self {
                status: 200,
                content_type,
                headers: Vec::new(),
                body,
            },
            // Only a map with keys that are not strings fails; answers have none. Should one
            // appear, the client gets a server error rather than the endpoint a panic.
            Err(e) => {
                let mut message = Map::new();
                message.insert(
                    "message".into(),
                    Value::String(format!("the endpoint could not encode its answer: {e}")),
                );
                Self {
                    status: 500,
                    content_type,
                    headers: Vec::new(),
                    body: Value::Object(message).to_string().into_bytes(),
                }
            }
        }
    }

    pub fn xml(body: String) -> Self {
        Self {
            status: 200,
            content_type: "text/xml",
            headers: Vec::new(),
            body: body.into_bytes(),
        }
    }

    /// Encode an error the way `protocol`'s clients parse it.
    pub fn error(protocol: Protocol, err: &ApiError, request_id: &str) -> Self {
        let mut headers = vec![("x-amzn-errortype", err.code.to_string())];
        if let Some(seconds) = err.retry_after {
            headers.push(("retry-after", seconds.to_string()));
        }
        let (content_type, body) = match protocol {
            Protocol::RestJson | Protocol::Json(_) => {
                let mut map = Map::new();
                if let Protocol::Json(_) = protocol {
                    map.insert("__type".into(), Value::String(err.code.into()));
                }
                // Each model names the member; Organizations' errors capitalise it.
                let message = match protocol {
                    Protocol::Json(JsonService::Organizations) => "Message",
                    _ => "message",
                };
                map.insert(message.into(), Value::String(err.message.clone()));
                for (name, value) in &err.fields {
                    map.insert((*name).into(), Value::String(value.clone()));
                }
                let content_type = if let Protocol::Json(_) = protocol {
                    "application/x-amz-json-1.1"
                } else {
                    "application/json"
                };
                (content_type, Value::Object(map).to_string())
            }
            Protocol::Query => (
                "text/xml",
                format!(
                    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                     <Error><Type>{}</Type><Code>{}</Code><Message>{}</Message></Error>\
                     <RequestId>{}</RequestId></ErrorResponse>",
                    if err.fault_is_server {
                        "Receiver"
                    } else {
                        "Sender"
                    },
                    err.code,
                    xml_escape(&err.message),
                    request_id
                ),
            ),
        };
        Self {
            status: err.status,
            content_type,
            headers,
            body: body.into_bytes(),
        }
    }
}

/// Escape text for an XML element.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}
