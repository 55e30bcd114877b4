//! The `provision` binary: parse arguments, run, print the one error, exit with its code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = provision::cli::Cli::parse();
    match provision::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            let code = err.exit_code();
            eprintln!("{:?}", miette::Report::new(err));
            code.into()
        }
    }
}
