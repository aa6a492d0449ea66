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

use std::process::ExitCode;

/// The engine allocates and frees many small strings per row; mimalloc does
/// that markedly faster than glibc's malloc under the import's load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    contact_batch_cli::main()
}
