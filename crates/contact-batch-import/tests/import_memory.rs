//! Memory of an import is bounded by the record limit times the pipeline
//! depth, whatever the input (issue 14: one 1 MiB cell in a 100k-row CSV
//! took 4.2-4.6 GB of RSS). Measured with a counting global allocator, never
//! with wall-clock assertions; one test per process section, serialized.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use contact_batch::{Config, Engine, Existing, Importer, Profile};
use contact_batch_import::input::ByteInput;
use contact_batch_import::Format;
use contact_batch_import::{convert, open_source};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters are only statistics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const MB: usize = 1 << 20;

/// Counts what it is given, keeps nothing.
struct Discard(usize);

impl Write for Discard {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A rasl-create CSV of `rows` rows; every `every`-th row's first name is
/// `long` bytes of `A` (0: no long cells).
fn csv(rows: usize, every: usize, long: usize) -> Vec<u8> {
    let mut out = b"firstname,lastname,phone,email\n".to_vec();
    let long_cell = "A".repeat(long);
    for i in 0..rows {
        let first = if every > 0 && i % every == every / 2 {
            long_cell.as_str()
        } else {
            "Jane"
        };
        writeln!(
            out,
            "{first},Doe{i},+1415555{:04},jane{i}@example.com",
            i % 10_000
        )
        .unwrap();
    }
    out
}

/// Peak live bytes above the start while importing `data` on `threads`
/// threads, and the rows written.
fn import_peak(data: &[u8], threads: usize) -> (usize, usize) {
    let engine = Engine::new(
        Config::builder(Profile::RaslCreate)
            .threads(threads)
            .build(),
    )
    .unwrap();
    let existing = Existing::new();
    // The input's own copy is made before measuring.
    let input = ByteInput::from_bytes(data);
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let mut importer = Importer::new(&engine, &existing, true).unwrap();
    let source = open_source(Format::Csv, input).unwrap();
    let (tally, result) = convert(
        source,
        &mut importer,
        Box::new(Discard(0)),
        "test output".into(),
        threads,
        &|_, _| {},
    );
    result.unwrap();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(start);
    (peak, tally.summary.total)
}

#[test]
fn long_cells_do_not_grow_memory_with_the_file() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    for threads in [1, 2] {
        // One 1 MiB cell in 20k rows (the case, smaller): before the
        // fix every row after it was cloned with a 1-2 MiB buffer, so a
        // 2048-row chunk took 2-4 GiB.
        let one = csv(20_000, 20_000, MB);
        let (peak, rows) = import_peak(&one, threads);
        assert_eq!(rows, 20_000);
        assert!(
            peak < 32 * MB,
            "one long cell, {threads} threads: peak {} MiB",
            peak / MB
        );
        // Many long cells (3 MiB, under the 4 MiB record limit) in a row:
        // chunks are cut by bytes too, so a chunk never holds 2048 of them.
        let many = csv(60, 1, 3 * MB);
        let (peak, rows) = import_peak(&many, threads);
        assert_eq!(rows, 60);
        assert!(
            peak < 64 * MB,
            "every cell long, {threads} threads: peak {} MiB (input {} MiB)",
            peak / MB,
            many.len() / MB
        );
    }
}
