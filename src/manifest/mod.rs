//! Load and validate the manifest (YAML or TOML) into a resolved [`Manifest`].
//!
//! Pipeline, all before any network call:
//!
//! 1. [`load`] checks the extension (`.yaml`/`.yml`/`.toml`, case-insensitive;
//!    anything else is an error) and the size (at most [`MAX_MANIFEST_BYTES`],
//!    checked on the metadata *and* on the bytes read), then reads UTF-8 text.
//! 2. [`node`] parses the text into a spanned, format-neutral tree. YAML goes
//!    through serde-saphyr with its default budgets (alias bombs, depth, event
//!    counts) so hostile input fails fast with a syntax problem.
//! 3. [`schema`] checks the tree's shape against the JSON schema generated from
//!    the serde/schemars types in [`model`] (types, required fields, unknown keys
//!    with did-you-mean) — the model is the one source of truth for field names.
//! 4. [`validate`] applies the semantic rules and resolves defaults.
//!
//! Every problem found in steps 2–4 becomes one [`Problem`] (a miette diagnostic
//! with a code, a label under the offending value or key, and a help text);
//! they are all returned at once, in file order, in [`ManifestError::Invalid`].
//! Syntax errors stop the pipeline (the tree would be incomplete).

use crate::output::echo;
mod error;
mod model;
mod node;
pub mod regions;
mod schema;
mod source;
mod validate;

use crate::files::ReadError;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub use crate::model::TagsMode;
pub use error::{MAX_SHOWN_PROBLEMS, ManifestError, Problem, Shown};
pub use model::{RawAccount, RawDefaults, RawDomain, RawKey, RawManifest, RawTagsMode};
pub use schema::schema_json;

/// Manifests larger than this are rejected before parsing (10 MiB).
pub const MAX_MANIFEST_BYTES: u64 = 10 * 1024 * 1024;

/// The manifest's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

impl Format {
    /// The format selected by a file's extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }

    /// The language name miette is given for the source.
    fn language(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Toml => "toml",
        }
    }
}

/// A validated manifest with all defaults resolved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Manifest {
    /// `sha256:` and the hex digest of the manifest's text: what a saved plan is bound to.
    pub digest: String,
    /// Accounts declared under `accounts`, in file order.
    pub accounts: Vec<AccountSpec>,
    /// Keys under `keys`, in file order.
    pub keys: Vec<DeclaredKey>,
    /// Domains in file order.
    pub domains: Vec<DesiredDomain>,
}

/// A customer managed key from `keys`, with `defaults.account` and `defaults.region` applied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeclaredKey {
    /// `alias/NAME`.
    pub alias: String,
    pub account: AccountRef,
    pub region: String,
    pub description: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// 1-based line of the key entry.
    pub line: usize,
}

/// A named account from `accounts`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountSpec {
    pub name: String,
    pub id: String,
    pub credentials: Credentials,
}

/// How to obtain credentials for an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Credentials {
    /// The caller's own credentials (neither `role_arn` nor `profile`).
    Caller,
    AssumeRole {
        role_arn: String,
        external_id: Option<String>,
        session_name: Option<String>,
    },
    Profile(String),
}

/// One domain as it should exist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DesiredDomain {
    pub name: String,
    pub account: AccountRef,
    pub region: String,
    /// As written (domain, else defaults); `None` = the AWS-managed key.
    pub encryption_key: Option<String>,
    /// `defaults.tags` merged with the domain's (the domain wins).
    pub tags: BTreeMap<String, String>,
    pub tags_mode: TagsMode,
    /// 1-based line of the domain entry.
    pub line: usize,
}

/// The account a domain lives in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum AccountRef {
    /// No account given: whatever account the caller's credentials belong to.
    Caller,
    /// An entry of `accounts`.
    Named { name: String, id: String },
    /// A bare 12-digit account id (reached with the caller's credentials).
    Id(String),
}

impl AccountRef {
    /// The account id, when known before any network call.
    pub fn id(&self) -> Option<&str> {
        match self {
            AccountRef::Caller => None,
            AccountRef::Named { id, .. } | AccountRef::Id(id) => Some(id),
        }
    }
}

/// Read, parse and validate the manifest at `path`. The path is shown in
/// messages as given.
pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
    let Some(format) = Format::from_path(path) else {
        return Err(ManifestError::UnsupportedExtension {
            path: path.to_path_buf(),
        });
    };
    let name = path.display().to_string();
    let io = |cause| ManifestError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let bytes = match crate::files::read_limited(path, MAX_MANIFEST_BYTES) {
        Ok(b) => b,
        Err(ReadError::Io(cause)) => return Err(io(cause)),
        Err(ReadError::TooLarge { size, limit }) => {
            return Err(ManifestError::TooLarge { name, size, limit });
        }
        Err(ReadError::NotAFile(kind)) => {
            return Err(ManifestError::NotAFile {
                path: path.to_path_buf(),
                kind,
            });
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => parse_str(&text, &name, format),
        Err(e) => Err(not_utf8(&name, format, &e)),
    }
}

/// A manifest that is not UTF-8, as a problem at its first invalid byte: it
/// is the input's fault (exit 3), and the user needs to know where.
fn not_utf8(name: &str, format: Format, e: &std::string::FromUtf8Error) -> ManifestError {
    let at = e.utf8_error().valid_up_to();
    let byte = e.as_bytes()[at];
    // Up to `at` the lossy text has the same bytes, so the span is right; the
    // invalid bytes become one U+FFFD (3 bytes) to put the label under.
    let text = String::from_utf8_lossy(e.as_bytes());
    let source = Arc::new(source::SourceFile::new(name, &text, format.language()));
    let problem = Problem::new(
        &source,
        "manifest::invalid_utf8",
        format!("the manifest is not valid UTF-8: byte 0x{byte:02X} here is not part of a UTF-8 character"),
    )
    .label(at..at + char::REPLACEMENT_CHARACTER.len_utf8(), "not UTF-8")
    .help("save the manifest as UTF-8 (YAML and TOML files are UTF-8 text)");
    ManifestError::invalid(name, vec![problem])
}

/// Parse and validate manifest text; `display_name` is used in messages.
pub fn parse_str(
    source: &str,
    display_name: &str,
    format: Format,
) -> Result<Manifest, ManifestError> {
    let size = source.len() as u64;
    if size > MAX_MANIFEST_BYTES {
        return Err(ManifestError::TooLarge {
            name: display_name.to_string(),
            size,
            limit: MAX_MANIFEST_BYTES,
        });
    }
    let named = Arc::new(source::SourceFile::new(
        display_name,
        source,
        format.language(),
    ));
    let invalid = |problems| ManifestError::invalid(display_name, problems);
    let parsed = match format {
        Format::Yaml => node::parse_yaml(source),
        Format::Toml => node::parse_toml(source),
    };
    let root =
        parsed.map_err(|errors| invalid(validate::syntax_problems(&named, source, errors)))?;
    let mut manifest =
        validate::validate(&root, source, &named, format == Format::Toml).map_err(invalid)?;
    manifest.digest = digest(source);
    Ok(manifest)
}

/// The digest a saved plan records of its manifest.
pub fn digest(source: &str) -> String {
    use sha2::Digest;
    format!(
        "sha256:{}",
        hex::encode(sha2::Sha256::digest(source.as_bytes()))
    )
}

#[cfg(test)]
mod tests;
