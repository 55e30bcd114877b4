//! Error types: one [`Problem`] per finding, collected in [`ManifestError::Invalid`].

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

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

    /// The manifest has problems; nothing may be applied.
    #[error("{name}: {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
    #[diagnostic(
        code(manifest::invalid),
        help(
            "fix the problems above; an invalid manifest is rejected as a whole and nothing was changed"
        )
    )]
    Invalid {
        name: String,
        #[related]
        problems: Vec<Problem>,
    },
}

impl ManifestError {
    /// `true` when the user's input is at fault (everything but I/O errors).
    pub fn is_invalid_input(&self) -> bool {
        !matches!(self, ManifestError::Io { .. })
    }

    /// The individual problems of an invalid manifest (empty otherwise).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ManifestError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// The source file, shared by all problems of one manifest.
pub(crate) type Source = Arc<NamedSource<String>>;

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
            message: message.into(),
            help: None,
            labels: Vec::new(),
            source: Arc::clone(source),
        }
    }

    /// The primary label: the offending value or key.
    pub(crate) fn label(mut self, span: Range<usize>, text: impl Into<String>) -> Self {
        self.labels.push((span, text.into(), true));
        self
    }

    /// A secondary label (e.g. "first defined here").
    pub(crate) fn also(mut self, span: Range<usize>, text: impl Into<String>) -> Self {
        self.labels.push((span, text.into(), false));
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The diagnostic code, e.g. `manifest::invalid_domain_name`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset of the primary label, used to sort problems in file order.
    pub(crate) fn offset(&self) -> usize {
        self.labels
            .iter()
            .find(|(_, _, primary)| *primary)
            .or(self.labels.first())
            .map_or(0, |(span, _, _)| span.start)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().map(|(span, text, primary)| {
            let span = (span.start, span.end.saturating_sub(span.start));
            if *primary {
                LabeledSpan::new_primary_with_span(Some(text.clone()), span)
            } else {
                LabeledSpan::new_with_span(Some(text.clone()), span)
            }
        })))
    }
}
