//! The library behind the `contact-batch` command line: `src/main.rs` is a
//! thin wrapper around [`main`] (and sets the allocator).
//!
//! The command line is an argument layer: `respond` over the engine
//! (`contact-batch`), `import` over the `contact-batch-import` library, which
//! holds the readers, the column mapping, the pipeline and the outputs (the
//! fuzz targets drive that library directly). Only [`main`] is public.

mod cli;
mod import;
mod input;
mod matching;
mod progress;
mod respond;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// Everything that ends a run with exit code 2 (the import library's
/// error: a one-line message, or a closed standard output).
pub(crate) use contact_batch_import::Error as CliError;

/// Parses the command line and runs it: what `contact-batch` does.
pub fn main() -> ExitCode {
    // clap prints usage errors itself and exits with 2; --help/--version exit 0.
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Respond(args) => respond::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Match(args) => matching::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away; nothing more to say to anyone.
        Err(CliError::BrokenPipe) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("contact-batch: error: {e}");
            ExitCode::from(2)
        }
    }
}
