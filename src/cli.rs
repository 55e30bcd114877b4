//! Command-line definitions only (clap): what the user can type, nothing that runs.

use crate::paint::ColorChoice;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Provision AWS CodeArtifact domains declaratively and in batch.
#[derive(Debug, Parser)]
#[command(name = "provision", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where AWS calls go, and how the plan and report are shown: the flags of the commands that
/// call AWS (plan, apply), and only theirs.
#[derive(Debug, Clone, Args)]
pub struct SessionArgs {
    /// Run against the built-in local endpoint (state under .provision/local/): no AWS account needed.
    #[arg(long, conflicts_with = "endpoint_url")]
    pub local: bool,
    /// Send every AWS call to this endpoint (as AWS_ENDPOINT_URL does).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Allow an endpoint over plain HTTP on another machine (signed requests in clear text).
    #[arg(long)]
    pub allow_insecure_endpoint: bool,
    /// Colour in the plan and report: `auto` colours a terminal unless NO_COLOR is set or
    /// TERM=dumb; `always` and `never` decide regardless.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// With --local: serve this organisation (AWS Organizations) from a YAML file, and act as its
    /// management account (see `provision emulator --help`).
    #[arg(long, value_name = "FILE", requires = "local")]
    pub organization: Option<PathBuf>,
}

/// How much is said: `-v` shows everything in the plan and report (unchanged domains, every
/// reason unfolded), `-q` only problems and the summary, `--debug` also logs every AWS call.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Verbosity {
    /// Show more: every domain, unchanged ones included, and every reason unfolded (repeatable).
    #[arg(short, long, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Show less: problems and the summary only; no progress.
    #[arg(short, long)]
    pub quiet: bool,
    /// Log every AWS call (service, operation, account, Region, status, request id, latency) to
    /// stderr; RUST_LOG=provision=debug does the same.
    #[arg(long)]
    pub debug: bool,
}

impl Verbosity {
    /// How much the plan and report say.
    pub fn detail(&self) -> crate::text::Detail {
        use crate::text::Detail;
        match (self.quiet, self.verbose) {
            (true, _) => Detail::Quiet,
            (false, 0) => Detail::Normal,
            (false, _) => Detail::Verbose,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a manifest without calling AWS; every problem is reported at once.
    Validate(ValidateArgs),
    /// Observe what exists and show what apply would change (read-only).
    Plan(PlanArgs),
    /// Create missing domains and correct tags, concurrently, then report.
    Apply(ApplyArgs),
    /// Show a plan saved by `provision plan --out`, calling nothing.
    Show(ShowArgs),
    /// Run a local AWS endpoint (CodeArtifact domains, STS, KMS) until interrupted.
    Emulator(EmulatorArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The manifest (.yaml, .yml or .toml).
    pub manifest: PathBuf,
}

/// Requests in flight by default. At organisation scale a run is bound by round trips: about
/// 14 000 calls for 10 000 domains over 1 000 accounts, at 50-150 ms each, take 5-6 s at 256 in
/// flight and 3-5 s at 512, and no faster at 1 024 on a 2-core runner (the client's CPU binds
/// there) while memory grows with what is in flight (BENCHMARKS.md). Each target's own rates
/// (`--rate`, `--read-rate`) stay far below AWS's quotas whatever this is.
pub const DEFAULT_CONCURRENCY: u32 = 512;

/// How hard to push AWS; shared by plan (reads) and apply (writes).
#[derive(Debug, Clone, Args)]
pub struct EngineArgs {
    /// Requests in flight at once, over all accounts and Regions (each target is also held to
    /// its own rates).
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub concurrency: u32,
    /// Write requests per second per (account, Region); AWS allows about 100 per account.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub rate: u32,
    /// Read requests per second per (account, Region); AWS allows about 800 per account.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub read_rate: u32,
    /// Domains allowed per (account, Region): CodeArtifact's quota is 10 unless raised through
    /// Service Quotas. A target whose existing plus planned domains exceed it creates none.
    #[arg(long, value_name = "N", default_value_t = crate::plan::quota::DEFAULT_DOMAIN_QUOTA, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub domain_quota: u32,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The manifest (.yaml, .yml or .toml).
    pub manifest: PathBuf,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Save the plan as JSON, to apply it exactly later (`provision apply PLAN`).
    #[arg(long, value_name = "PLAN")]
    pub out: Option<PathBuf>,
    /// Exit 0 when there is nothing to change, 2 when there are changes, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
    #[command(flatten)]
    pub verbosity: Verbosity,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A manifest (.yaml, .yml, .toml) or a plan saved by `provision plan --out` (.json).
    pub input: PathBuf,
    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long)]
    pub auto_approve: bool,
    /// Write the report as JSON.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Write the report as Markdown (also appended to $GITHUB_STEP_SUMMARY when set).
    #[arg(long, value_name = "PATH")]
    pub report_md: Option<PathBuf>,
    #[command(flatten)]
    pub verbosity: Verbosity,
    /// Stop starting new work once more than N (or N% of the) domains have failed; the rest are skipped.
    #[arg(long, value_name = "N|N%")]
    pub max_failures: Option<crate::call::breaker::MaxFailures>,
    /// After the first Ctrl-C/SIGTERM, how long in-flight calls may take before the run stops at once.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub grace: u64,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A plan saved by `provision plan --out PLAN.json`.
    pub plan: PathBuf,
    /// Output format on stdout (`json` is the saved plan as `plan --format json` prints it).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Colour in the plan: `auto` colours a terminal unless NO_COLOR is set or TERM=dumb;
    /// `always` and `never` decide regardless.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub verbosity: Verbosity,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    #[command(flatten)]
    pub config: provision_emulator::Config,
}

/// How a plan or report is written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}
