//! Everything that leaves the process passes here: the terminal, reports, plans, the step
//! summary and errors. Secrets and signing material are removed, control characters escaped
//! (only the colours provision itself paints survive), and single values shortened.

mod clean;
pub mod echo;
mod lines;
mod secrets;
mod sink;

pub use clean::{clean, value};
pub use lines::{LineFile, StderrLog};
pub use secrets::{register_secret, register_secrets_from_env, scrub};
pub use sink::{append_file, check_writable, stderr, stdout, write_file};
