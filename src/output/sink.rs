//! The only places text leaves the process: standard output and error, and files (reports,
//! plans, the step summary), each through `clean`.

use super::clean::clean;
use std::io::Write;
use std::path::Path;

/// Print to standard output; `colour` keeps provision's own colour codes.
pub fn stdout(text: &str, colour: bool) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`provision plan | head`) is not an error worth a panic.
    let _ = out.write_all(clean(text, colour).as_bytes());
    let _ = out.flush();
}

/// Print to standard error; `colour` keeps provision's own colour codes.
pub fn stderr(text: &str, colour: bool) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(clean(text, colour).as_bytes());
    let _ = err.flush();
}

/// Write a file for machines and CI (never coloured).
pub fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, clean(text, false))
}

/// Whether `path` can be written: it is opened for writing (created, then removed again, when
/// it did not exist), so that a report's path is found wrong before anything is changed.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    if !existed {
        std::fs::remove_file(path)?;
    }
    Ok(())
}

/// Append to a file (the step summary), creating it when missing.
pub fn append_file(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(clean(text, false).as_bytes())
}
