//! What the fuzz targets do with one input. `tests/fuzz_regressions.rs` includes this file as a
//! module, so that a saved input is replayed in `cargo test` through exactly the code that found it.

use std::path::Path;

use provision::manifest::{self, Format};
use provision::plan::{render, saved};

/// Render a diagnostic as a terminal shows it, without colours, so the renderer is fuzzed too:
/// a diagnostic that cannot be shown is as bad as a crash for the person reading it.
pub fn render_diagnostic(diagnostic: &dyn miette::Diagnostic) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false);
    let mut out = String::new();
    handler
        .render_report(&mut out, diagnostic)
        .expect("a diagnostic renders");
    assert!(!out.trim().is_empty(), "a diagnostic renders to nothing");
    out
}

/// Manifest loading: the same text as YAML and as TOML, parsed and validated; an error must
/// render. Invalid UTF-8 is converted lossily rather than skipped (`manifest::load` refuses it
/// before parsing), so that the fuzzer's byte-level mutations still reach the parsers.
pub fn manifest(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for (format, name) in [(Format::Yaml, "fuzz.yaml"), (Format::Toml, "fuzz.toml")] {
        match manifest::parse_str(&text, name, format) {
            Ok(m) => assert!(m.digest.starts_with("sha256:"), "digest {}", m.digest),
            Err(e) => {
                render_diagnostic(&e);
            }
        }
    }
}

/// Saved-plan loading: parse the text; a plan that loads must be written and read back
/// unchanged (what `plan --out` writes, `apply` must read), and an error must render.
pub fn plan(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("fuzz.json");
    match saved::parse_str(path, &text) {
        Ok(plan) => {
            let written = render::json(&plan);
            let back = saved::parse_str(path, &written).expect("a written plan reads back");
            assert_eq!(back, plan, "a plan changes when written and read back");
        }
        Err(e) => {
            render_diagnostic(&e);
        }
    }
}
