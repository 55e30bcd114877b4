//! The documented exit codes (see README): one place decides what each outcome returns.

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything is as the manifest says (or `plan --detailed-exitcode`: no changes).
    Success = 0,
    /// A runtime failure: a domain failed, AWS refused credentials, an I/O error.
    Failure = 1,
    /// `plan --detailed-exitcode`: the plan has changes.
    Changes = 2,
    /// The input was invalid (flags, a profile name, manifest, saved plan); nothing was called or written.
    InvalidInput = 3,
    /// Interrupted by SIGINT/SIGTERM.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}
