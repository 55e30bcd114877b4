//! Replays the fuzz seeds (`fuzz/corpus/*`) and every input the fuzzers found
//! (`fuzz/regressions/*`) through the fuzz targets' own code, so that `cargo test` on stable
//! keeps each finding fixed without nightly or cargo-fuzz.

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The files of `fuzz/corpus/<target>` and `fuzz/regressions/<target>`, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        // A target may have no regressions yet (git keeps no empty directory).
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Run `check` on every input of `target`; report every input that panics, not only the first.
fn replay(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    // The seeds are committed: none found means the directories moved, not that all is well.
    assert!(
        files.len() >= 5,
        "fuzz inputs of {target} not found: {files:?}"
    );
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).unwrap();
            catch_unwind(AssertUnwindSafe(|| check(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{target}: these inputs panic: {failed:#?}"
    );
}

#[test]
fn manifest_inputs_parse_or_render_their_diagnostics() {
    replay("manifest", harness::manifest);
}

#[test]
fn plan_inputs_parse_and_round_trip_or_render_their_errors() {
    replay("plan", harness::plan);
}
