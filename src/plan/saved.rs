//! Saved plans: read back a plan written by `provision plan --out` (a regular file, size-limited,
//! strictly parsed), refusing other formats and versions with a message that says what to do,
//! and bound to its manifest: the same digest, and nothing the manifest does not produce.

use super::bind::mismatches;
use super::model::{PLAN_FORMAT, Plan};
use crate::files::{ReadError, read_limited};
use crate::manifest::Manifest;
use crate::resolve::Resolved;
use std::path::{Path, PathBuf};

/// A saved plan larger than this is refused unread (a plan of 100 000 domains is about 60 MB).
pub const MAX_PLAN_BYTES: u64 = 256 * 1024 * 1024;

/// How many of a plan's differences from its manifest are listed; the rest are counted.
const SHOWN: usize = 20;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PlanError {
    #[error("{} is not a plan provision can apply: {reason}", path.display())]
    #[diagnostic(
        code(provision::bad_plan),
        help(
            "apply takes a manifest (.yaml, .yml, .toml) or a plan saved by `provision plan --out PLAN.json`"
        )
    )]
    Invalid { path: PathBuf, reason: String },

    #[error("{} was saved as `{found}`; this provision reads `{PLAN_FORMAT}`", path.display())]
    #[diagnostic(
        code(provision::plan_version),
        help("make the plan again with this provision: `provision plan MANIFEST --out PLAN.json`")
    )]
    Version { path: PathBuf, found: String },

    #[error("{} was made from {manifest}, which (or a policy file it names) has changed since", path.display())]
    #[diagnostic(
        code(provision::plan_stale),
        help(
            "a saved plan applies only to the manifest it was made from: make a new plan with `provision plan {manifest} --out PLAN.json`"
        )
    )]
    ManifestChanged { path: PathBuf, manifest: String },

    #[error("{} is not what its manifest {manifest} produces; nothing was changed:\n{}", path.display(), problems.join("\n"))]
    #[diagnostic(
        code(provision::plan_tampered),
        help(
            "the plan was edited after it was made, made by another manifest, or the organisation it was made from has changed since (an account renamed, moved, left, or with other tags): make a new plan with `provision plan {manifest} --out PLAN.json`"
        )
    )]
    NotFromManifest {
        path: PathBuf,
        manifest: String,
        problems: Vec<String>,
    },

    // The cause is in the message and not a `source`, so that miette prints it once.
    #[error("cannot read {}: {cause}", path.display())]
    #[diagnostic(code(provision::read))]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
}

impl PlanError {
    /// Every refusal of the plan itself is invalid input; failing to read it is not.
    /// A path that names no file is the input's fault, as a manifest's is; other read errors are not.
    pub fn is_invalid_input(&self) -> bool {
        match self {
            PlanError::Read { cause, .. } => cause.kind() == std::io::ErrorKind::NotFound,
            _ => true,
        }
    }
}

/// Load the plan at `path`.
pub fn load(path: &Path) -> Result<Plan, PlanError> {
    let invalid = |reason: String| PlanError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = match read_limited(path, MAX_PLAN_BYTES) {
        Ok(b) => b,
        Err(ReadError::Io(cause)) => {
            return Err(PlanError::Read {
                path: path.to_path_buf(),
                cause,
            });
        }
        Err(e) => return Err(invalid(e.to_string())),
    };
    let text = String::from_utf8(bytes).map_err(|_| invalid("it is not UTF-8 text".into()))?;
    parse(path, &text)
}

/// Check that `plan` (loaded from `path`) is bound to `manifest`: the same digest, and every
/// target and change one that the manifest, resolved, produces.
pub fn bind(
    path: &Path,
    plan: &Plan,
    manifest: &Manifest,
    resolved: &Resolved,
) -> Result<(), PlanError> {
    if plan.manifest_digest != manifest.digest {
        return Err(PlanError::ManifestChanged {
            path: path.to_path_buf(),
            manifest: plan.manifest.clone(),
        });
    }
    let mut problems = mismatches(plan, resolved);
    if problems.is_empty() {
        return Ok(());
    }
    if problems.len() > SHOWN {
        let rest = problems.len() - SHOWN;
        problems.truncate(SHOWN);
        problems.push(format!("… and {rest} more"));
    }
    Err(PlanError::NotFromManifest {
        path: path.to_path_buf(),
        manifest: plan.manifest.clone(),
        problems,
    })
}

/// Parse plan text as [`load`] does once the file is read; `path` is only shown in messages.
/// Public for the fuzz target and its regression replay, which feed text and not files.
pub fn parse_str(path: &Path, text: &str) -> Result<Plan, PlanError> {
    parse(path, text)
}

fn parse(path: &Path, text: &str) -> Result<Plan, PlanError> {
    let invalid = |reason: String| PlanError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    // The version first: a plan of another version fails the strict parse below with a
    // message about some field, when the real answer is "make it again".
    #[derive(serde::Deserialize)]
    struct Header {
        format: Option<String>,
    }
    let header: Header = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
    match header.format {
        Some(f) if f == PLAN_FORMAT => {}
        Some(found) => {
            return Err(PlanError::Version {
                path: path.to_path_buf(),
                found,
            });
        }
        None => return Err(invalid("it has no `format` field".into())),
    }
    serde_json::from_str(text).map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_versions_and_shapes_are_refused_with_what_to_do() {
        let p = Path::new("p.json");
        let old = r#"{"format":"provision-plan/1","manifest":"m.yaml","targets":[],"changes":[]}"#;
        let e = parse(p, old).unwrap_err();
        assert!(matches!(&e, PlanError::Version { found, .. } if found == "provision-plan/1"));
        assert!(
            e.to_string()
                .contains("this provision reads `provision-plan/4`")
        );

        assert!(matches!(parse(p, "{}"), Err(PlanError::Invalid { .. })));
        assert!(matches!(parse(p, "[1]"), Err(PlanError::Invalid { .. })));
        let unknown = format!(
            r#"{{"format":"{PLAN_FORMAT}","manifest":"m.yaml","manifest_digest":"sha256:0","targets":[],"entries":[],"extra":1}}"#
        );
        assert!(matches!(parse(p, &unknown), Err(PlanError::Invalid { .. })));
        let ok = format!(
            r#"{{"format":"{PLAN_FORMAT}","manifest":"m.yaml","manifest_digest":"sha256:0","targets":[],"entries":[]}}"#
        );
        assert!(parse(p, &ok).is_ok());
    }
}
