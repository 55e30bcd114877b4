//! The `provision` binary: parse arguments, run, print the one error, exit with its code.

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: at organisation scale a run is tens of thousands of SDK calls, each a few hundred
/// small allocations; glibc's malloc was a fifth of the client's CPU (BENCHMARKS.md). Built
/// without transparent huge pages, which held the peak RSS 20-30 MB higher.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Before anything can print: the environment's credentials never appear in any output.
    provision::output::register_secrets_from_env();
    let cli = match provision::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version are answers, not errors; anything else clap refuses is invalid input
        // (exit 3), not clap's own 2, which `plan --detailed-exitcode` gives to "changes".
        Err(e) if !e.use_stderr() => {
            provision::output::stdout(&e.render().to_string(), false);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            provision::output::stderr(&e.render().to_string(), false);
            return provision::Exit::InvalidInput.into();
        }
    };
    match provision::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            let code = err.exit_code();
            provision::output::stderr(&provision::error::render(&err), false);
            code.into()
        }
    }
}
