//! The `provision` binary: parse arguments, run, print the one error, exit with its code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Before anything can print: the environment's credentials never appear in any output.
    provision::output::register_secrets_from_env();
    let cli = provision::cli::Cli::parse();
    match provision::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            let code = err.exit_code();
            provision::output::stderr(&provision::error::render(&err), false);
            code.into()
        }
    }
}
