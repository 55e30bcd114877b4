//! Secrets kept out of every output: the credentials this process holds (registered as they are
//! obtained) and signing material that services echo back (a SignatureDoesNotMatch answer
//! quotes the canonical request, session token included).

use std::borrow::Cow;
use std::sync::RwLock;

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// Values shorter than this are not treated as secrets: replacing them would mangle ordinary
/// text (the local endpoint's secret is the word `test`).
const MIN_SECRET: usize = 8;

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Keep `secret` out of every output from now on.
pub fn register_secret(secret: &str) {
    if secret.len() < MIN_SECRET {
        return;
    }
    let mut secrets = SECRETS.write().unwrap_or_else(|p| p.into_inner());
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_owned());
    }
}

/// The caller's credentials as the environment gives them.
pub fn register_secrets_from_env() {
    for var in [
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
    ] {
        if let Ok(v) = std::env::var(var) {
            register_secret(&v);
        }
    }
}

/// Names after which the value is signing material, wherever they appear (headers, query
/// strings, canonical requests quoted in error messages, JSON-escaped or not).
const MARKERS: &[&str] = &[
    "x-amz-security-token",
    "x-amz-signature",
    "signature=",
    "authorization:",
    "aws_secret_access_key",
    "aws_session_token",
    "secretaccesskey",
    "sessiontoken",
];

/// `text` without registered secrets and without the values that follow the markers.
pub fn scrub(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    {
        let secrets = SECRETS.read().unwrap_or_else(|p| p.into_inner());
        for s in secrets.iter() {
            if out.contains(s.as_str()) {
                out = Cow::Owned(out.replace(s.as_str(), REDACTED));
            }
        }
    }
    let lower = out.to_ascii_lowercase();
    if !MARKERS.iter().any(|m| lower.contains(m)) {
        return out;
    }
    Cow::Owned(scrub_markers(&out, &lower))
}

/// Replace the value after each marker: skip separators (`:`, `=`, spaces, quotes), then the
/// value runs to the end of the line, a quote, a comma, an ampersand or a backslash (a JSON
/// escape such as `\n` ends it too).
fn scrub_markers(text: &str, lower: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let hit = MARKERS
            .iter()
            .filter_map(|m| lower[i..].find(m).map(|at| (i + at, m.len())))
            .min();
        let Some((at, len)) = hit else {
            out.push_str(&text[i..]);
            break;
        };
        let mut j = at + len;
        out.push_str(&text[i..j]);
        while j < bytes.len() && matches!(bytes[j], b':' | b'=' | b' ' | b'"' | b'\'') {
            out.push(bytes[j] as char);
            j += 1;
        }
        let start = j;
        while j < bytes.len()
            && !matches!(
                bytes[j],
                b'\n' | b'\r' | b'"' | b'\'' | b',' | b'&' | b'\\' | b'<'
            )
        {
            j += 1;
        }
        if j > start {
            out.push_str(REDACTED);
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_secrets_and_signing_material_are_removed() {
        register_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        register_secret("test");
        let text = "key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and test stay?";
        assert_eq!(scrub(text), "key <redacted> and test stay?");

        let canonical = "SignatureDoesNotMatch: The canonical request was\nPOST\n/v1/domain\n\nhost:localhost\nx-amz-security-token:IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==\nx-amz-date:20261129T000000Z\n";
        let clean = scrub(canonical);
        assert!(!clean.contains("IQoJb3JpZ2lu"), "{clean}");
        assert!(
            clean.contains("x-amz-security-token:<redacted>\nx-amz-date"),
            "{clean}"
        );

        let json = r#"{"message":"...\nx-amz-security-token:FwoGZXIvYXdzEJr+abc=\nhost:x","q":"X-Amz-Signature=abcdef0123&X-Amz-Date=1"}"#;
        let clean = scrub(json);
        assert!(
            !clean.contains("FwoGZXIvYXdz") && !clean.contains("abcdef0123"),
            "{clean}"
        );
        assert!(
            clean.contains(r"x-amz-security-token:<redacted>\nhost"),
            "{clean}"
        );

        let header = "Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/codeartifact/aws4_request, SignedHeaders=host, Signature=0123abcd\nnext";
        let clean = scrub(header);
        assert!(
            !clean.contains("0123abcd") && clean.ends_with("\nnext"),
            "{clean}"
        );
        assert_eq!(scrub("nothing here"), "nothing here");
    }
}
