//! `provision completions SHELL` and `provision man`: generated from the clap definitions, so
//! they cannot drift from what the binary accepts.

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::{Error, Exit, output};
use clap::CommandFactory;

pub fn completions(args: &CompletionsArgs) -> Result<Exit, Error> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "provision", &mut script);
    output::stdout(&String::from_utf8_lossy(&script), false);
    Ok(Exit::Success)
}

pub fn man(args: &ManArgs) -> Result<Exit, Error> {
    let command = Cli::command();
    match &args.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .and_then(|()| clap_mangen::generate_to(command, dir))
                .map_err(|cause| Error::Write {
                    path: dir.clone(),
                    cause,
                })?;
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(|cause| Error::Write {
                    path: "<stdout>".into(),
                    cause,
                })?;
            output::stdout(&String::from_utf8_lossy(&page), false);
        }
    }
    Ok(Exit::Success)
}
