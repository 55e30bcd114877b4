//! `provision emulator`: serve the local endpoint until SIGINT/SIGTERM, URL first on stdout.

use crate::cli::EmulatorArgs;
use crate::{Error, Exit, output};

pub async fn run(args: EmulatorArgs) -> Result<Exit, Error> {
    let running = provision_emulator::start(args.config).await?;
    // The URL is the first line of stdout so that scripts can read it and go.
    output::stdout(&format!("{}\n", running.url()), false);
    output::stderr(
        &format!(
            "provision emulator: serving CodeArtifact, STS, KMS and Organizations at {} (fault seed {}); Ctrl-C stops\n",
            running.url(),
            running.seed()
        ),
        false,
    );
    shutdown_signal().await?;
    output::stderr("provision emulator: shutting down\n", false);
    running.shutdown().await;
    Ok(Exit::Success)
}

async fn shutdown_signal() -> Result<(), Error> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).map_err(Error::Signal)?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.map_err(Error::Signal),
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.map_err(Error::Signal)
    }
}
