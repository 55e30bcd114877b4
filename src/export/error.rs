//! Why an export could not be written whole.

use crate::text::plural;

impl ExportError {
    /// A flag's value that is wrong: nothing was asked of AWS.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, ExportError::Flag { .. })
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ExportError {
    #[error("{flag} {value}: {why}")]
    #[diagnostic(code(provision::export_flag))]
    Flag {
        flag: &'static str,
        value: String,
        why: String,
    },

    #[error("cannot write the manifest: {message}")]
    #[diagnostic(code(provision::export_render))]
    Render { message: String },

    /// What was exported does not load back: a defect of export, reported rather than written.
    #[error("the exported manifest does not load back (a defect in provision export)")]
    #[diagnostic(code(provision::export_invalid))]
    Invalid {
        #[diagnostic_source]
        cause: Box<dyn miette::Diagnostic + Send + Sync>,
    },

    #[error(
        "{} could not be read; the manifest holds the other {}",
        plural(*targets, "account and Region", "accounts and Regions"),
        plural(*written, "domain", "domains")
    )]
    #[diagnostic(
        code(provision::export_incomplete),
        help("the reasons are above: fix the credentials or the role, then export again")
    )]
    Incomplete { targets: usize, written: usize },
}
