//! Import throughput per row: 100k NDJSON lines (generated in memory)
//! parsed with `contact_batch::Node::parse` into `ImportRow`s, fed to the
//! core `Importer` in chunks of 8192, every result line rendered to JSON,
//! as the command line does (minus the file reading and writing), with one
//! thread, all threads sharing one phone util, and all threads each with its
//! own (what the command line uses).

use std::hint::black_box;
use std::time::Duration;

use contact_batch::{Config, Engine, Existing, ImportRow, Importer, Node, Profile, Summary};
use contact_batch_benches::{ndjson_rows, scaled};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};

const CHUNK_ROWS: usize = 8192;

/// One NDJSON line as an import row, its `region` member taken out.
fn row(line: &str) -> ImportRow<'_> {
    match Node::parse(line.as_bytes()) {
        Ok(Node::Object(mut members)) => {
            let region =
                members
                    .iter()
                    .position(|(k, _)| k == "region")
                    .and_then(|at| match members.remove(at).1 {
                        Node::Str(s) => Some(s.trim().to_ascii_uppercase()),
                        _ => None,
                    });
            ImportRow {
                fields: Ok(Node::Object(members)),
                region,
            }
        }
        Ok(other) => ImportRow {
            fields: Ok(other),
            region: None,
        },
        Err(e) => ImportRow {
            fields: Err(e.to_string()),
            region: None,
        },
    }
}

/// The whole import: returns the bytes of NDJSON output and the summary.
fn import(engine: &Engine, existing: &Existing, lines: &[String]) -> (usize, Summary) {
    let mut importer = Importer::new(engine, existing, false).expect("importable profile");
    let mut out = Vec::with_capacity(1 << 20);
    let mut written = 0;
    for chunk in lines.chunks(CHUNK_ROWS) {
        let rows: Vec<ImportRow<'_>> = chunk.iter().map(|l| row(l)).collect();
        for line in importer.push(&rows) {
            out.extend_from_slice(line.to_json().as_bytes());
            out.push(b'\n');
        }
        written += out.len();
        out.clear();
    }
    (written, importer.summary())
}

fn bench_import(c: &mut Criterion) {
    let n = scaled(100_000, 2_000);
    let lines = ndjson_rows(n, 7);
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let existing = Existing::new();
    let mut g = c.benchmark_group("import");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(n as u64));
    // The last: what the command line's import uses (a phone util per thread).
    for (label, threads, phone_util_per_thread) in [
        ("1-thread", Some(1), false),
        ("all-threads", None, false),
        ("all-threads-util-per-thread", None, true),
    ] {
        let engine = Engine::new({
            let mut c = Config::new(Profile::RaslCreate);
            c.threads = threads;
            c.phone_util_per_thread = phone_util_per_thread;
            c
        })
        .expect("engine");
        let (out_bytes, summary) = import(&engine, &existing, &lines);
        if label == "all-threads" {
            eprintln!(
                "import: {n} rows, {bytes} input bytes, {out_bytes} output bytes; summary {}",
                serde_json::to_string(&summary).unwrap_or_default()
            );
        }
        g.bench_with_input(
            BenchmarkId::new("rasl-create-ndjson", label),
            &lines,
            |b, lines| b.iter(|| import(&engine, &existing, black_box(lines))),
        );
    }
    g.finish();
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
