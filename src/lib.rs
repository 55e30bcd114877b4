//! `provision`: load a manifest of CodeArtifact domains, observe what exists, plan the difference,
//! apply it concurrently and report. Data flows manifest → plan → apply → report.

pub mod apply;
pub mod aws;
pub mod cli;
pub mod commands;
pub mod error;
pub mod exit;
pub mod manifest;
pub mod observe;
pub mod paint;
pub mod plan;
pub mod report;

pub use error::Error;
pub use exit::Exit;

/// Run one command to completion on a fresh tokio runtime.
pub fn run(cli: cli::Cli) -> Result<Exit, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    runtime.block_on(commands::run(cli))
}
