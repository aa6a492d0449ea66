//! The library behind the `contact-batch` command line: `src/main.rs` is a
//! thin wrapper around [`main`].
//!
//! It exists so that the fuzz targets (`fuzz/fuzz_targets/import_reader.rs`)
//! can drive the import readers ([`import::open_source`] and the
//! [`import::Source`] it returns) on bytes in memory, without a process or a
//! file. Only that much is public; it is not a stable API.

mod cli;
pub mod import;
pub mod input;
mod progress;
mod respond;

use std::fmt;
use std::io;
use std::process::ExitCode;

use clap::Parser;

pub use crate::cli::Format;
use crate::cli::{Cli, Command};

/// Everything that ends a run with exit code 2.
#[derive(Debug)]
pub enum CliError {
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

/// Parses the command line and runs it: what `contact-batch` does.
pub fn main() -> ExitCode {
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
