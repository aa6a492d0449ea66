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

/// `mi_option_purge_delay`: its index in `mi_option_e` of the mimalloc v3
/// header that libmimalloc-sys 0.1.49 builds (the crate's own constants
/// still follow v2's numbering). The test below checks it against the
/// option's documented default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc never to hand freed memory back to the OS. By default it
/// purges freed spans after a delay, and an import frees a chunk's buffers
/// every few milliseconds and allocates the next chunk's right after: each
/// purge came back as a fresh 2 MiB transparent-huge-page fault that the
/// kernel zeroes. Measured on a 100k-row import: 1088 page faults and 24% of
/// the time in the kernel's `clear_page_erms` before, 266 faults after, and
/// peak RSS unchanged (the process reuses what it keeps). The command line
/// is a short-lived process, so keeping freed memory costs nothing.
fn tune_allocator() {
    // SAFETY: mi_option_set stores an integer in mimalloc's option table; it
    // is thread-safe and takes no pointers.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

fn main() -> ExitCode {
    tune_allocator();
    contact_batch_cli::main()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_delay_option_index() {
        // SAFETY: reads and writes of integer options only.
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(
                default, 1000,
                "index 15 is not purge_delay (default 1000 ms)"
            );
        }
        tune_allocator();
        // SAFETY: as above.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            -1
        );
    }
}
