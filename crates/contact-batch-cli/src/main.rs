//! `contact-batch`: the command line of the contact-batch engine.
//!
//! Two commands (a fixed contract: scripts drive their flags):
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

use std::alloc::{GlobalAlloc, Layout};
use std::process::ExitCode;

/// The engine allocates and frees many small strings per row; mimalloc does
/// that markedly faster than glibc's malloc under the import's load.
#[global_allocator]
static GLOBAL: Allocator = Allocator;

/// mimalloc, asked the plain way for the alignments every block has.
///
/// The `mimalloc` crate's allocator passes every request to
/// `mi_malloc_aligned`, whose checks sent about a third of the import's
/// allocations down mimalloc's generic aligned path (callgrind). Every
/// mimalloc block is aligned to at least a machine word, so requests with an
/// alignment of a word or less (strings, vectors, nearly every struct) go to
/// `mi_malloc`/`mi_realloc`; larger alignments keep the aligned calls.
struct Allocator;

/// The alignment every mimalloc block has.
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: every call forwards to mimalloc, which returns blocks of at least
// the requested size, aligned to a word (the plain calls, used only when the
// layout asks for no more) or to the layout's alignment (the aligned calls);
// frees go to mi_free, which takes blocks of either kind.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            // SAFETY: see the impl.
            unsafe { libmimalloc_sys::mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: see the impl; GlobalAlloc's contract is the caller's.
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            // SAFETY: see the impl.
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: see the impl.
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, hence from mimalloc.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= WORD {
            // SAFETY: `ptr` came from mimalloc; the block keeps word alignment.
            unsafe { libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            // SAFETY: see the impl.
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

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

/// Turns transparent huge pages off for this process.
///
/// mimalloc asks for huge pages (`MADV_HUGEPAGE`) on the memory it maps, and
/// with the kernel's usual `defrag=madvise` a fault in such memory compacts
/// memory on the spot to find a free 2 MiB page. Right after other
/// processes have run, that is slow: in the baseline script's order (the C++
/// loop, then our 1-thread import, then the 2-thread one) the 100k-row
/// import spent a median 115 ms (1 thread) and 130 ms (2 threads) in the
/// kernel, against 10 and 30 ms with huge pages off; wall time 445 -> 340 ms
/// and 350 -> 265 ms, and peak RSS 58 -> 42 MiB and 103 -> 77 MiB, since
/// memory is no longer taken 2 MiB at a time. (Back to back, with memory
/// unfragmented, huge pages were up to ~12% faster on one thread; the
/// command line takes the steady figure.) mimalloc's own `allow_thp` option
/// is read before `main` runs, so the process-wide switch is used instead.
///
/// True when the kernel took the setting; a kernel without it (before 3.15)
/// or a sandbox that refuses `prctl` leaves the process as it was, which
/// costs only speed, so `main` goes on either way.
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() -> bool {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and sets a
    // flag of this process.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn disable_transparent_huge_pages() -> bool {
    false
}

fn main() -> ExitCode {
    tune_allocator();
    let _ = disable_transparent_huge_pages();
    contact_batch_cli::main()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_the_alignment_asked_for() {
        let mut blocks = Vec::new();
        for size in [1usize, 3, 8, 12, 24, 40, 100, 1000, 5000, 100_000] {
            for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
                let layout = Layout::from_size_align(size, align).expect("layout");
                // SAFETY: non-zero sizes; every block is freed below with its layout.
                let p = unsafe { GLOBAL.alloc(layout) };
                assert!(
                    !p.is_null() && (p as usize).is_multiple_of(align),
                    "{size} {align}"
                );
                // SAFETY: `p` holds `size` bytes.
                unsafe { p.write_bytes(0xA5, size) };
                // SAFETY: as above; growing keeps the alignment and the bytes.
                let q = unsafe { GLOBAL.realloc(p, layout, size * 3) };
                assert!(
                    !q.is_null() && (q as usize).is_multiple_of(align),
                    "{size} {align} realloc"
                );
                // SAFETY: the first `size` bytes were copied over.
                assert!(unsafe { std::slice::from_raw_parts(q, size) }
                    .iter()
                    .all(|b| *b == 0xA5));
                blocks.push((q, Layout::from_size_align(size * 3, align).expect("layout")));
                // SAFETY: as above.
                let z = unsafe { GLOBAL.alloc_zeroed(layout) };
                assert!(
                    !z.is_null() && (z as usize).is_multiple_of(align),
                    "{size} {align} zeroed"
                );
                // SAFETY: `z` holds `size` zeroed bytes.
                assert!(unsafe { std::slice::from_raw_parts(z, size) }
                    .iter()
                    .all(|b| *b == 0));
                blocks.push((z, layout));
            }
        }
        for (p, layout) in blocks {
            // SAFETY: each block came from GLOBAL with this layout.
            unsafe { GLOBAL.dealloc(p, layout) };
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_turned_off() {
        let taken = disable_transparent_huge_pages();
        // SAFETY: PR_GET_THP_DISABLE takes no pointers and returns the flag.
        let flag = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        // Every kernel this project runs on (3.15 and later) takes it.
        assert!(taken, "prctl(PR_SET_THP_DISABLE) refused");
        assert_eq!(flag, 1);
    }

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
