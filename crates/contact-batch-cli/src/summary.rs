//! How a command that prints a summary ends on stderr: the report for a
//! person (unless `--summary json`), then the error that stopped the run
//! (if one did), and last, always, the one-line JSON summary that scripts
//! read (SPEC §5.1: "the last line of stderr is always this JSON line").
//!
//! A run that never started (a usage error, an unreadable input, a header
//! that maps to nothing) has no summary: its last stderr line is the
//! `contact-batch: error:` message, and the exit code is 2 all the same.

use std::io::Write;
use std::process::ExitCode;

use crate::CliError;

/// Prints the end of a run and gives its exit code: 0 when `error` is
/// `None`, else 2.
///
/// `human` is the person's report (already ending in a line break), `json`
/// the summary line (without one). All of it goes out in one write, so
/// that nothing another thread prints can come between its lines.
pub(crate) fn finish(human: Option<&str>, error: Option<&str>, json: &str) -> ExitCode {
    let mut text = String::new();
    if let Some(human) = human {
        text.push_str(human);
        if !human.is_empty() && !human.ends_with('\n') {
            text.push('\n');
        }
    }
    if let Some(error) = error {
        text.push_str(&error_line(error));
    }
    text.push_str(json);
    text.push('\n');
    // stderr is unbuffered; a closed stderr leaves nobody to tell.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
    match error {
        None => ExitCode::SUCCESS,
        Some(_) => ExitCode::from(2),
    }
}

/// The line every error is printed as.
pub(crate) fn error_line(message: &str) -> String {
    format!("contact-batch: error: {message}\n")
}

/// The message of an error that stopped a run (a closed output pipe
/// included: `what_closed` names the output that was being written).
pub(crate) fn message_of(e: &CliError, what_closed: &str) -> String {
    match e {
        CliError::BrokenPipe => format!(
            "{what_closed} was closed by its reader (broken pipe); the run stopped before \
             the end of the input"
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(error_line("x"), "contact-batch: error: x\n");
        assert!(message_of(&CliError::BrokenPipe, "standard output")
            .starts_with("standard output was closed by its reader (broken pipe)"));
        assert_eq!(message_of(&CliError::new("m"), "standard output"), "m");
    }
}
