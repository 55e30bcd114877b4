//! Text that leaves in pieces as it is made: a log on stderr, an event stream in a file that CI
//! tails. Each piece is cleaned like everything else and flushed at once.

use super::clean::clean;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

/// Standard error as an `io::Write` (what a logger wants): every write cleaned and flushed.
/// A logger writes one record per call, so a secret is never split between two writes.
#[derive(Debug, Default, Clone, Copy)]
pub struct StderrLog;

impl Write for StderrLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        super::sink::stderr(&String::from_utf8_lossy(buf), false);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A file of lines (JSON Lines), each written and flushed as it comes.
#[derive(Debug)]
pub struct LineFile(Mutex<File>);

impl LineFile {
    /// Create (or truncate) the file.
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(Self(Mutex::new(File::create(path)?)))
    }

    /// Append one line (a newline is added), cleaned.
    pub fn line(&self, text: &str) -> io::Result<()> {
        let mut line = clean(text, false);
        line.push('\n');
        let mut f = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f.write_all(line.as_bytes())?;
        f.flush()
    }
}
