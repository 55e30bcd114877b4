//! Load and validate the manifest (YAML or TOML) into a resolved [`Manifest`].
//!
//! Pipeline, all before any network call:
//!
//! 1. [`load`] checks the extension (`.yaml`/`.yml`/`.toml`, case-insensitive;
//!    anything else is an error) and the size (at most [`MAX_MANIFEST_BYTES`],
//!    checked on the metadata *and* on the bytes read), then reads UTF-8 text.
//! 2. [`node`] parses the text into a spanned, format-neutral tree. YAML goes
//!    through serde-saphyr with budgets sized for the largest manifest
//!    ([`budget`]: alias bombs, depth, node and event counts) so hostile input
//!    fails fast with a syntax problem; plain YAML, the usual manifest, takes a
//!    faster path to the same tree ([`plain`]).
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
mod budget;
mod error;
mod model;
mod node;
mod plain;
mod quota;
pub mod regions;
mod schema;
mod source;
mod tag_patterns;
mod validate;

use crate::files::ReadError;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub use crate::model::TagsMode;
pub use error::{MAX_SHOWN_PROBLEMS, ManifestError, Problem, Shown};
pub use model::{
    RawAccount, RawAccounts, RawDefaults, RawDomain, RawKey, RawManifest, RawOneOrMany,
    RawOrganization, RawPolicy, RawSelect, RawShare, RawTagsMode,
};
pub(crate) use validate::rules;

use crate::model::Pattern;
pub use quota::check_domain_quota;
pub use schema::schema_json;
use std::ops::Range;
pub use tag_patterns::TagPatterns;
pub(crate) use validate::closest;

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
    /// The `organization` section: how discovered accounts (and, when it is present, accounts
    /// given by bare id) are reached. Absent: discovered accounts use its defaults.
    pub organization: Option<OrganizationSpec>,
    /// `ownership`: the tag that marks the manifest's domains (key, value).
    pub ownership: Option<(String, String)>,
    /// Keys under `keys`, in file order.
    pub keys: Vec<DeclaredKey>,
    /// Domains (and templates of domains) in file order.
    pub domains: Vec<DesiredDomain>,
    /// The text, for problems found after loading (a stamped domain that is invalid).
    #[serde(skip)]
    pub(crate) source: SourceRef,
}

/// The manifest's text kept for later diagnostics; never compared or serialised.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceRef(Option<Arc<source::SourceFile>>);

impl PartialEq for SourceRef {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for SourceRef {}

/// The `organization` section.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrganizationSpec {
    /// Role name (maybe with a path) assumed in each discovered account.
    pub role_name: String,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
}

/// The role AWS Organizations creates in the accounts it creates.
pub const DEFAULT_ORGANIZATION_ROLE: &str = "OrganizationAccountAccessRole";

impl Default for OrganizationSpec {
    fn default() -> Self {
        Self {
            role_name: DEFAULT_ORGANIZATION_ROLE.to_string(),
            external_id: None,
            session_name: None,
        }
    }
}

impl Manifest {
    /// A problem found after loading, in the manifest's text (give it a `label`).
    pub(crate) fn problem(&self, code: &'static str, message: String) -> Problem {
        match &self.source.0 {
            Some(source) => Problem::new(source, code, message),
            None => Problem::new(
                &Arc::new(source::SourceFile::new("manifest", "", "yaml")),
                code,
                message,
            ),
        }
    }

    /// Problems found after loading, as the manifest's own error (exit 3).
    pub fn invalid(&self, mut problems: Vec<Problem>) -> ManifestError {
        problems.sort_by_key(Problem::offset);
        let name = self.source.0.as_ref().map_or("manifest", |s| s.name());
        ManifestError::invalid(name, problems)
    }

    /// Whether some domain selects accounts from AWS Organizations.
    pub fn uses_organization(&self) -> bool {
        self.domains
            .iter()
            .any(|d| matches!(d.placement.accounts, Accounts::Organization(_)))
            || self
                .keys
                .iter()
                .any(|k| matches!(k.placement.accounts, Accounts::Organization(_)))
    }

    /// Every placement: the domains', then the keys'.
    pub fn placements(&self) -> impl Iterator<Item = &Placement> {
        let domains = self.domains.iter().map(|d| &d.placement);
        domains.chain(self.keys.iter().map(|k| &k.placement))
    }
}

/// A customer managed key from `keys`, with `defaults.account` and `defaults.region` applied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeclaredKey {
    /// `alias/NAME`.
    pub alias: String,
    /// Each account × Region it is declared in.
    pub placement: Placement,
    /// May hold placeholders, filled per account and Region.
    pub description: Option<Pattern>,
    /// Values may hold placeholders, filled per account and Region.
    pub tags: BTreeMap<String, Pattern>,
    /// 1-based line of the key entry.
    pub line: usize,
    /// Where its alias is written: what a problem with a stamped key points at.
    #[serde(skip)]
    pub alias_span: Range<usize>,
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

/// One domain as it should exist, or a template stamped over `placement`'s accounts and Regions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DesiredDomain {
    pub name: Pattern,
    pub placement: Placement,
    /// As written (domain, else defaults); `None` = the AWS-managed key.
    pub encryption_key: Option<String>,
    /// `defaults.tags` merged with the domain's (the domain wins); values may hold placeholders.
    pub tags: TagPatterns,
    pub tags_mode: TagsMode,
    /// The domain's permission policy, if it declares one.
    pub policy: Option<PolicySpec>,
    /// 1-based line of the domain entry.
    pub line: usize,
    /// Where its name is written: what a problem with a stamped domain points at.
    #[serde(skip)]
    pub name_span: Range<usize>,
}

/// Where a domain (or a template's stamps) lives: each account × each Region.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Placement {
    pub accounts: Accounts,
    /// At least one.
    pub regions: Vec<String>,
}

impl Placement {
    /// One account and one Region: a plain domain.
    pub fn single(account: AccountRef, region: &str) -> Self {
        Self {
            accounts: Accounts::Listed(vec![account]),
            regions: vec![region.to_string()],
        }
    }
}

/// The accounts of a placement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Accounts {
    /// `account`, or `accounts: [..]`: named or by id.
    Listed(Vec<AccountRef>),
    /// `accounts: { ou: .. }`: discovered from AWS Organizations.
    Organization(Selector),
}

/// Which accounts of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Selector {
    pub ous: Vec<OuSelector>,
    pub recursive: bool,
    /// Every one must be on the account.
    pub tags: BTreeMap<String, String>,
    pub exclude: Vec<Excluded>,
}

/// An account left out, by name or id, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Excluded {
    pub account: String,
    #[serde(skip)]
    pub span: Range<usize>,
}

/// One organizational unit, with where it is written (for "not found" problems).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OuSelector {
    pub unit: OuRef,
    #[serde(skip)]
    pub span: Range<usize>,
}

/// An organizational unit by id or by its path of names below the root.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub enum OuRef {
    /// `ou-…` or the root's `r-…`.
    Id(String),
    /// `Root/Workloads/Sandbox` as `["Workloads", "Sandbox"]`; `Root` alone is empty.
    Path(Vec<String>),
}

impl std::fmt::Display for OuRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OuRef::Id(id) => f.write_str(id),
            OuRef::Path(names) => {
                f.write_str("Root")?;
                for n in names {
                    write!(f, "/{n}")?;
                }
                Ok(())
            }
        }
    }
}

/// A domain's policy as the manifest gives it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum PolicySpec {
    /// A JSON object: read from `file`, or written inline as `document`.
    Document(serde_json::Value),
    /// `share_with_organization`: the document is made once the organisation's id is known.
    ShareWithOrganization(crate::model::policy::OrganizationShare),
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
        Ok(text) => parse_str_in(&text, &name, format, Some(validate::base_dir(path))),
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

/// Parse and validate manifest text; `display_name` is used in messages. Text that is not a
/// file has no directory to read policy files from: a `policy: { file: ... }` is refused (with
/// a located problem), so that parsing text never reads the file system.
pub fn parse_str(
    source: &str,
    display_name: &str,
    format: Format,
) -> Result<Manifest, ManifestError> {
    parse_str_in(source, display_name, format, None)
}

/// [`parse_str`], reading policy files relative to `dir` (what [`load`] passes: the manifest's
/// own directory).
pub fn parse_str_in(
    source: &str,
    display_name: &str,
    format: Format,
    dir: Option<&Path>,
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
        validate::validate(&root, source, &named, format == Format::Toml, dir).map_err(invalid)?;
    manifest.digest = digest(source, &manifest.domains);
    manifest.source = SourceRef(Some(named));
    Ok(manifest)
}

/// The digest a saved plan records of its manifest.
/// Of the text and of every policy document (a policy `file` is part of the manifest: a plan
/// made before it was edited is stale, as one made before the manifest was).
pub fn digest(source: &str, domains: &[DesiredDomain]) -> String {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    hash.update(source.as_bytes());
    for d in domains {
        if let Some(PolicySpec::Document(document)) = &d.policy {
            hash.update(b"\0");
            hash.update(document.to_string().as_bytes());
        }
    }
    format!("sha256:{}", hex::encode(hash.finalize()))
}

#[cfg(test)]
mod tests;
