//! The top-level error: each module's typed error, with the exit code it maps to.

use crate::exit::Exit;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] crate::manifest::ManifestError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Resolve(#[from] crate::resolve::ResolveError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Filter(#[from] crate::resolve::FilterError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Observe(#[from] crate::observe::ObserveError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Plan(#[from] crate::plan::PlanError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Export(#[from] crate::export::ExportError),

    // The cause is in the message and not a `source`, so that miette prints it once.
    #[error("cannot read {}: {cause}", path.display())]
    #[diagnostic(code(provision::read))]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },

    #[error("cannot write {}: {cause}", path.display())]
    #[diagnostic(code(provision::write))]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },

    #[error("cannot write a report to {}: {cause}", path.display())]
    #[diagnostic(
        code(provision::report_path),
        help("nothing was changed: give a path in an existing, writable directory")
    )]
    ReportPath {
        path: PathBuf,
        cause: std::io::Error,
    },

    #[error("cannot write the event stream to {}: {cause}", path.display())]
    #[diagnostic(
        code(provision::events_path),
        help("nothing was called: give a path in an existing, writable directory")
    )]
    EventsPath {
        path: PathBuf,
        cause: std::io::Error,
    },

    #[error("refusing to apply without approval: stdin is not a terminal")]
    #[diagnostic(
        code(provision::needs_approval),
        help("review the plan above, then re-run with --auto-approve (as CI jobs do)")
    )]
    NeedsApproval,

    #[error("--account, --region and --domain apply to a manifest, not to a saved plan")]
    #[diagnostic(
        code(provision::filter_on_plan),
        help(
            "a saved plan keeps the filter it was made with: make the plan with them (`provision plan MANIFEST --account … --out PLAN.json`)"
        )
    )]
    FilterOnSavedPlan,

    #[error("apply cancelled: the answer was not 'yes'; nothing was changed")]
    #[diagnostic(code(provision::declined))]
    Declined,

    #[error(
        "the plan is incomplete: {} in accounts or Regions that could not be read",
        if *domains == 1 { "1 domain is".to_string() } else { format!("{domains} domains are") }
    )]
    #[diagnostic(
        code(provision::unreachable),
        help(
            "the reasons are in the plan above (×); apply would skip those domains and carry on with the rest"
        )
    )]
    Unreachable { domains: usize },

    #[error(
        "the plan is incomplete: {} an encryption key that is missing or not symmetric",
        if *domains == 1 { "1 domain names".to_string() } else { format!("{domains} domains name") }
    )]
    #[diagnostic(
        code(provision::unusable_key),
        help(
            "the keys are in the plan above (⊘): create the key (or declare it under `keys:` so that provision creates it), or name another in the manifest; apply would skip those domains and carry on with the rest"
        )
    )]
    UnusableKey { domains: usize },

    #[error(
        "{} would take {} over the domain quota; none of {} creates start",
        if *domains == 1 { "1 domain".to_string() } else { format!("{domains} domains") },
        if *targets == 1 { "1 account and Region".to_string() } else { format!("{targets} accounts and Regions") },
        if *targets == 1 { "its" } else { "their" }
    )]
    #[diagnostic(
        code(provision::over_quota),
        help(
            "the counts are in the plan above (#): remove domains there, or request an increase of CodeArtifact's \"Domains per account\" through Service Quotas and pass --domain-quota N"
        )
    )]
    OverQuota { domains: usize, targets: usize },

    #[error(transparent)]
    #[diagnostic(transparent)]
    InsecureEndpoint(#[from] crate::aws::endpoint::InsecureEndpoint),

    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),

    #[error("cannot start the local endpoint")]
    #[diagnostic(code(provision::emulator))]
    Emulator(#[from] provision_emulator::StartError),

    #[error("cannot wait for a shutdown signal: {0}")]
    Signal(std::io::Error),
}

impl Error {
    pub fn exit_code(&self) -> Exit {
        match self {
            Error::Manifest(e) if e.is_invalid_input() => Exit::InvalidInput,
            Error::Resolve(e) if e.is_invalid_input() => Exit::InvalidInput,
            Error::Plan(e) if e.is_invalid_input() => Exit::InvalidInput,
            Error::Export(e) if e.is_invalid_input() => Exit::InvalidInput,
            Error::NeedsApproval
            | Error::InsecureEndpoint(_)
            | Error::ReportPath { .. }
            | Error::EventsPath { .. }
            | Error::FilterOnSavedPlan
            | Error::Filter(_) => Exit::InvalidInput,
            Error::Emulator(
                provision_emulator::StartError::NonLoopback(_)
                | provision_emulator::StartError::Faults(_)
                | provision_emulator::StartError::Organization(_),
            ) => Exit::InvalidInput,
            _ => Exit::Failure,
        }
    }
}

/// The error as people read it: miette's graphical report (no colour: only provision's own
/// colours pass the output's escaping), or, should the renderer fail or panic on some input,
/// a plain rendering of the same diagnostic, so that an error never becomes a crash.
pub fn render(err: &Error) -> String {
    let graphical = miette::MietteHandlerOpts::new().color(false).build();
    if let Some(text) = quietly(|| format!("{:?}", Rendered(err, &graphical))) {
        return text;
    }
    let plain = miette::NarratableReportHandler::new();
    quietly(|| format!("{:?}", Rendered(err, &plain))).unwrap_or_else(|| format!("Error: {err}\n"))
}

/// `f()`, or `None` if it panics (without the panic message on stderr).
fn quietly(f: impl FnOnce() -> String) -> Option<String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    std::panic::set_hook(hook);
    out
}

/// A diagnostic formatted by a given miette handler.
struct Rendered<'a, H>(&'a Error, &'a H);

impl<H: miette::ReportHandler> std::fmt::Debug for Rendered<'_, H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.1.debug(self.0, f)
    }
}
