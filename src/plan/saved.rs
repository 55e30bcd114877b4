//! Saved plans: read back a plan written by `provision plan --out`, refusing other formats and
//! versions with a message that says what to do.

use super::model::{PLAN_FORMAT, Plan};
use std::path::{Path, PathBuf};

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

    // The cause is in the message and not a `source`, so that miette prints it once.
    #[error("cannot read {}: {cause}", path.display())]
    #[diagnostic(code(provision::read))]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
}

/// Load the plan at `path`.
pub fn load(path: &Path) -> Result<Plan, PlanError> {
    let text = std::fs::read_to_string(path).map_err(|cause| PlanError::Read {
        path: path.to_path_buf(),
        cause,
    })?;
    parse(path, &text)
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
                .contains("this provision reads `provision-plan/2`")
        );

        assert!(matches!(parse(p, "{}"), Err(PlanError::Invalid { .. })));
        assert!(matches!(parse(p, "[1]"), Err(PlanError::Invalid { .. })));
        let unknown = format!(
            r#"{{"format":"{PLAN_FORMAT}","manifest":"m.yaml","targets":[],"entries":[],"extra":1}}"#
        );
        assert!(matches!(parse(p, &unknown), Err(PlanError::Invalid { .. })));
        let ok = format!(
            r#"{{"format":"{PLAN_FORMAT}","manifest":"m.yaml","targets":[],"entries":[]}}"#
        );
        assert!(parse(p, &ok).is_ok());
    }
}
