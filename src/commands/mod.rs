//! One function per subcommand, wiring the library modules together.

mod apply;
mod docs;
mod emulator;
mod engine;
mod export;
mod log;
mod plan;
mod show;
mod validate;

use crate::cli::{Cli, Command};
use crate::{Error, Exit};

pub async fn run(cli: Cli) -> Result<Exit, Error> {
    match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Emulator(args) => emulator::run(args).await,
        Command::Plan(args) => plan::run(args).await,
        Command::Apply(args) => apply::run(args).await,
        Command::Export(args) => export::run(args).await,
        Command::Completions(args) => docs::completions(&args),
        Command::Man(args) => docs::man(&args),
        Command::Show(args) => show::run(args),
    }
}
