//! `contact-batch`: the command line of the contact-batch engine.
//!
//! Two commands (SPEC §5.1, a fixed contract):
//!
//! - `respond` renders the exact HTTP response (`{"status", "body"}`) one of
//!   the five bulk-contacts APIs would send for one request body;
//! - `import` runs the same rules over a CSV, NDJSON or JSON-array file of
//!   any size, streaming, and writes one NDJSON outcome line per row.
//!
//! Exit codes: 0 whenever a response or an import was produced (a 4xx
//! response and invalid rows included); 2 for usage errors, unreadable or
//! unwritable files, a malformed `--existing` file and an engine config that
//! cannot run (unknown profile or region, `--threads 0`, ...).

mod cli;
mod import;
mod input;
mod progress;
mod respond;

use std::fmt;
use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// Everything that ends a run with exit code 2.
#[derive(Debug)]
pub(crate) enum CliError {
    /// A one-line message for stderr.
    Message(String),
    /// Standard output was closed by the reader (`... | head`): stop quietly.
    BrokenPipe,
}

impl CliError {
    pub(crate) fn new(message: impl Into<String>) -> CliError {
        CliError::Message(message.into())
    }

    /// An error writing the output: a closed pipe is not worth a message.
    pub(crate) fn write(what: &str, e: io::Error) -> CliError {
        if e.kind() == io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::new(format!("cannot write {what}: {e}"))
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Message(m) => f.write_str(m),
            CliError::BrokenPipe => f.write_str("broken pipe"),
        }
    }
}

/// The engine allocates and frees many small strings per row; mimalloc does
/// that markedly faster than glibc's malloc under the import's load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with 2; --help/--version exit 0.
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Respond(args) => respond::run(&args),
        Command::Import(args) => import::run(&args),
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
