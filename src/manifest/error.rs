//! Error types: one [`Problem`] per finding, collected in [`ManifestError::Invalid`].

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode};

use super::echo::escape;
use super::source::SourceFile;

/// At most this many problems are rendered; the rest are counted in one
/// last line. 18 000 problems (a 9 MB manifest of bad names) are no more
/// use to a reader than 50, and printing them all multiplied the input.
pub const MAX_SHOWN_PROBLEMS: usize = 50;

/// Everything that can go wrong loading a manifest.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ManifestError {
    /// The file could not be read.
    // The cause is in the message and not a `source`, so that miette prints it once.
    #[error("cannot read manifest {}: {cause}", path.display())]
    #[diagnostic(code(manifest::io))]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },

    /// A FIFO, a device or a directory: reading it could block or never end.
    #[error("manifest {} is {kind}, not a regular file", path.display())]
    #[diagnostic(
        code(manifest::not_a_file),
        help("give the path of the manifest file itself")
    )]
    NotAFile { path: PathBuf, kind: &'static str },

    /// The file name has no `.yaml`, `.yml` or `.toml` extension.
    #[error("unsupported manifest file {}: expected a .yaml, .yml or .toml extension", path.display())]
    #[diagnostic(
        code(manifest::unsupported_extension),
        help("the extension selects the format: rename the file to end in .yaml, .yml or .toml")
    )]
    UnsupportedExtension { path: PathBuf },

    /// The file exceeds [`super::MAX_MANIFEST_BYTES`].
    #[error("manifest {name} is too large: {size} bytes (the limit is {limit} bytes)")]
    #[diagnostic(
        code(manifest::too_large),
        help("a manifest of domains should be far smaller; check that this is the right file")
    )]
    TooLarge { name: String, size: u64, limit: u64 },

    /// The manifest has problems; nothing may be applied. `problems` holds
    /// them all; `shown` is what is rendered (see [`MAX_SHOWN_PROBLEMS`]).
    #[error("{name}: {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
    #[diagnostic(
        code(manifest::invalid),
        help(
            "fix the problems above; an invalid manifest is rejected as a whole and nothing was changed"
        )
    )]
    Invalid {
        name: String,
        problems: Vec<Problem>,
        #[related]
        shown: Shown,
    },
}

impl ManifestError {
    /// An invalid manifest with these problems (in file order).
    pub(crate) fn invalid(name: &str, problems: Vec<Problem>) -> ManifestError {
        let shown = Shown {
            first: problems.iter().take(MAX_SHOWN_PROBLEMS).cloned().collect(),
            omitted: Omitted(problems.len().saturating_sub(MAX_SHOWN_PROBLEMS)),
        };
        ManifestError::Invalid {
            name: name.to_string(),
            problems,
            shown,
        }
    }

    /// A path that names no file is the input's fault too (as a wrong extension is); other I/O
    /// errors (permissions, a failing disk) are not.
    pub fn is_invalid_input(&self) -> bool {
        match self {
            ManifestError::Io { cause, .. } => cause.kind() == std::io::ErrorKind::NotFound,
            _ => true,
        }
    }

    /// The individual problems of an invalid manifest (empty otherwise).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ManifestError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// The problems of an invalid manifest that are rendered: the first
/// [`MAX_SHOWN_PROBLEMS`], then a line counting the others, if any.
#[derive(Debug, Clone)]
pub struct Shown {
    first: Vec<Problem>,
    omitted: Omitted,
}

impl Shown {
    /// What miette's `#[related]` iterates over.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Diagnostic> {
        let omitted = (self.omitted.0 > 0).then_some(&self.omitted as &dyn Diagnostic);
        self.first
            .iter()
            .map(|p| p as &dyn Diagnostic)
            .chain(omitted)
    }
}

/// The line that ends a list of problems cut at [`MAX_SHOWN_PROBLEMS`].
#[derive(Debug, Clone, thiserror::Error)]
#[error("… and {count} more problem{s} not shown: fix the ones above and run again", count = .0, s = if *.0 == 1 { "" } else { "s" })]
struct Omitted(usize);

impl Diagnostic for Omitted {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Advice)
    }
}

/// The source file, shared by all problems of one manifest.
pub(crate) type Source = Arc<SourceFile>;

/// One finding in a manifest, pointing into its source.
#[derive(Debug, Clone)]
pub struct Problem {
    code: &'static str,
    message: String,
    help: Option<String>,
    labels: Vec<(Range<usize>, String, bool)>,
    source: Source,
}

impl Problem {
    pub(crate) fn new(source: &Source, code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            code,
            message: escape(message.into()),
            help: None,
            labels: Vec::new(),
            source: Arc::clone(source),
        }
    }

    /// The primary label: the offending value or key.
    pub(crate) fn label(mut self, span: Range<usize>, text: impl Into<String>) -> Self {
        self.labels.push((span, escape(text.into()), true));
        self
    }

    /// A secondary label (e.g. "first defined here").
    pub(crate) fn also(mut self, span: Range<usize>, text: impl Into<String>) -> Self {
        self.labels.push((span, escape(text.into()), false));
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(escape(help.into()));
        self
    }

    /// The diagnostic code, e.g. `manifest::invalid_domain_name`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The primary label's span (else the first label's).
    fn primary(&self) -> Option<&Range<usize>> {
        self.labels
            .iter()
            .find(|(_, _, primary)| *primary)
            .or(self.labels.first())
            .map(|(span, _, _)| span)
    }

    /// Byte offset of the primary label, used to sort problems in file order.
    pub(crate) fn offset(&self) -> usize {
        self.primary().map_or(0, |span| span.start)
    }
}

impl fmt::Display for Problem {
    /// The message; when the primary label cannot be drawn (see
    /// [`SourceFile::drawable`]), followed by where it would have pointed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match self.primary() {
            Some(span) if !self.source.drawable(span) => {
                let (line, column) = self.source.line_col(span.start);
                write!(
                    f,
                    " (at {}:{line}:{column}; the line is too long to show)",
                    self.source.name()
                )
            }
            _ => Ok(()),
        }
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source.as_ref())
    }

    /// Only the labels miette can draw; the message says where the primary
    /// one would have been.
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let mut labels = self
            .labels
            .iter()
            .filter(|(span, _, _)| self.source.drawable(span))
            .peekable();
        labels.peek()?;
        Some(Box::new(labels.map(|(span, text, primary)| {
            let span = (span.start, span.end.saturating_sub(span.start));
            if *primary {
                LabeledSpan::new_primary_with_span(Some(text.clone()), span)
            } else {
                LabeledSpan::new_with_span(Some(text.clone()), span)
            }
        })))
    }
}
