//! The canonical URI: the path normalised as each client family does it, then encoded once more.

use super::query::STRICT;
use percent_encoding::{AsciiSet, percent_encode};

/// [`STRICT`], but `/` separates path segments and stays literal.
const PATH: &AsciiSet = &STRICT.remove(b'/');

/// Canonical URI for non-S3 services: the SDKs encode the already-encoded path once more, so
/// every byte but the unreserved ones and `/` is escaped (`%` becomes `%25`).
pub(super) fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    percent_encode(path.as_bytes(), PATH).to_string()
}

/// The path's segments with empty and `.` segments dropped and `..` applied (RFC 3986 §5.2.4);
/// both normalisations below start from these and differ only in the slashes around them.
fn remove_dot_segments(path: &str) -> Vec<&str> {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    segments
}

/// Path normalisation as the AWS Rust SDK signer does it: dot segments and empty segments
/// removed, trailing slash kept.
pub(super) fn normalize_path_sdk(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if !(path.contains('.') || path.contains("//")) {
        return path;
    }
    let segments = remove_dot_segments(&path);
    let mut result = format!("/{}", segments.join("/"));
    let ends_with_slash = ["/", "/.", "/./", "/..", "/../"]
        .iter()
        .any(|s| path.ends_with(s));
    if ends_with_slash && !result.ends_with('/') {
        result.push('/');
    }
    result
}

/// Path normalisation as botocore (boto3, aws CLI) does it: like the SDK's, but a trailing
/// slash survives only when the path literally ends with `/` and something is left.
pub(super) fn normalize_path_botocore(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let segments = remove_dot_segments(path);
    let first = if path.starts_with('/') { "/" } else { "" };
    let last = if path.ends_with('/') && !segments.is_empty() {
        "/"
    } else {
        ""
    };
    format!("{first}{}{last}", segments.join("/"))
}
