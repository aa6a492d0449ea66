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
mod staged;
mod summary;

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
        Command::Respond(args) => respond::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Import(args) => import::run(&args),
        Command::Match(args) => matching::run(&args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let message = summary::message_of(&e, "standard output");
            eprint!("{}", summary::error_line(&message));
            ExitCode::from(2)
        }
    }
}

/// The README's Rust blocks, compiled and run as doctests of this crate
/// (`cargo test -p contact-batch-cli --doc`), so the README cannot drift
/// from the API. Here rather than in the core crate because the core is
/// also packaged alone, without the README. `scripts/readme-snippets.py`
/// checks every other block of every README.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

/// The core crate's README (its crates.io page), as doctests too.
#[cfg(doctest)]
#[doc = include_str!("../../contact-batch/README.md")]
pub struct CoreReadmeDoctests;
