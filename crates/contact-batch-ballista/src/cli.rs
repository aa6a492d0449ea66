//! The `contact-batch-cluster` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use contact_batch::Profile;

use crate::import::{self, ImportJob, OutFormat, Target};

/// contact-batch's import on Apache DataFusion, in-process or on a Ballista
/// cluster of contact-batch-scheduler and contact-batch-executor.
#[derive(Debug, Parser)]
#[command(name = "contact-batch-cluster", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Checks and dedupes CSV files of contacts as `contact-batch import`
    /// does (the same NDJSON lines, byte for byte), rows numbered across the
    /// inputs in the order given.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["scheduler", "local"])))]
struct ImportArgs {
    /// The Ballista scheduler, df://HOST:PORT (a contact-batch-scheduler
    /// with contact-batch-executor executors).
    #[arg(long, value_name = "df://HOST:PORT")]
    scheduler: Option<String>,
    /// Run in-process DataFusion, no cluster.
    #[arg(long)]
    local: bool,
    /// The API whose contact fields and rules to use (not rasl-delete).
    #[arg(long, value_name = "P", value_parser = parse_profile)]
    profile: Profile,
    /// ISO 3166-1 alpha-2 region for phones written without a +country
    /// prefix; a row's region column overrides it.
    #[arg(long, value_name = "CC")]
    default_region: Option<String>,
    /// Keys that already exist: a .parquet or .csv table with a `phone`
    /// column of E.164 keys, or contact-batch import's JSON file.
    #[arg(long, value_name = "FILE")]
    existing: Option<PathBuf>,
    /// CSV files of contacts (a header line, then one contact per line).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Where to write the outcome (written beside it, renamed once complete).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The outcome's format.
    #[arg(long, value_enum, default_value = "ndjson")]
    out_format: OutFormat,
    /// With --local: the query's memory budget (e.g. "512MB", "4GiB"); the
    /// sorts of the dedupe and of the final row order spill to disk beside
    /// --out past it. 0 = unbounded. (A cluster's executors take Ballista's
    /// own --memory-pool-size.)
    #[arg(long, value_name = "SIZE", default_value = "2GiB", value_parser = parse_size)]
    memory_limit: u64,
}

fn parse_size(s: &str) -> Result<u64, String> {
    s.parse::<bytesize::ByteSize>()
        .map(|b| b.as_u64())
        .map_err(|e| format!("invalid size `{s}`: {e}"))
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse::<Profile>().map_err(|e| e.to_string())
}

/// What `contact-batch-cluster` does: 0 on success, 2 with a message on
/// stderr otherwise. The summary (counts) goes to stderr as one JSON line.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::Import(args) = cli.command;
    let job = ImportJob {
        target: match args.scheduler {
            Some(url) => Target::Scheduler(url),
            None => Target::Local,
        },
        profile: args.profile,
        default_region: args.default_region,
        existing: args.existing,
        inputs: args.inputs,
        out: args.out,
        out_format: args.out_format,
        memory_limit: usize::try_from(args.memory_limit).unwrap_or(usize::MAX),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("contact-batch-cluster: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(import::run(&job)) {
        Ok(summary) => {
            eprintln!("{}", serde_json::to_string(&summary).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("contact-batch-cluster: {message}");
            ExitCode::from(2)
        }
    }
}
