//! Adoption: a manifest written from what exists. The live domains of some targets become a
//! manifest whose plan shows no changes, with the values every domain shares lifted into
//! `defaults` and a domain that is alike in several Regions written once with `regions`.

mod build;
mod error;

pub use build::{Exported, build};
pub use error::ExportError;

use crate::manifest::{self, Format, RawManifest};

/// The manifest as text of `format`, checked by the manifest's own loader: what export writes
/// is what `plan` will read.
pub fn render(raw: &RawManifest, format: Format, header: &str) -> Result<String, ExportError> {
    let body = match format {
        Format::Yaml => serde_saphyr::to_string(raw).map_err(|e| ExportError::Render {
            message: e.to_string(),
        })?,
        Format::Toml => toml::to_string(raw).map_err(|e| ExportError::Render {
            message: e.to_string(),
        })?,
    };
    let comment: String = header.lines().map(|l| format!("# {l}\n")).collect();
    let text = format!("{comment}{body}");
    manifest::parse_str(&text, "exported manifest", format)
        .map_err(|e| ExportError::Invalid { cause: Box::new(e) })?;
    Ok(text)
}
