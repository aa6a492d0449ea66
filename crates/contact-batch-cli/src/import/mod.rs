//! `contact-batch import`: a file of contacts of any size, streamed in
//! chunks through the core's [`Importer`], one NDJSON line per row.

pub mod csv;
pub mod json;

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::mpsc;

use contact_batch::{
    parse_json, CheckedChunk, Config, Engine, ImportLine, ImportRow, Importer, Node,
};

use self::csv::{Column, CsvSource};
use self::json::{ArraySource, NdjsonSource};
use crate::cli::ImportArgs;
use crate::input::{self, ByteInput};
use crate::progress::Progress;
use crate::CliError;
use crate::Format;

/// Rows handed to the importer at once: large enough to keep every thread
/// busy (a chunk is a few milliseconds of work), small enough that memory
/// does not depend on the file. 2048 rather than 8192 halved the 2-thread
/// import's peak RSS at the same speed (see `pipelined` and the benches
/// README).
pub const CHUNK_ROWS: usize = 2048;

/// One input row as read, before parsing.
#[derive(Debug)]
pub enum RawRow {
    /// A CSV record, one cell per header column.
    Csv(::csv::StringRecord),
    /// An NDJSON line or a JSON array element, with the line it starts on.
    Json { bytes: Vec<u8>, line: u64 },
    /// A row that could not be read, and why.
    Malformed(String),
}

/// A reader of one input format.
pub trait Source {
    /// The CSV header (empty for JSON formats).
    fn header(&self) -> &[Column];
    /// Bytes of the input read so far.
    fn consumed(&self) -> u64;
    /// The next row; `None` at the end of the input.
    fn next_row(&mut self) -> Result<Option<RawRow>, CliError>;
}

impl RawRow {
    /// The importer's view of the row, borrowing from it and the header.
    pub fn to_import_row<'a>(&'a self, header: &'a [Column]) -> ImportRow<'a> {
        match self {
            RawRow::Malformed(message) => ImportRow {
                fields: Err(message.clone()),
                region: None,
            },
            RawRow::Csv(record) => {
                let mut members = Vec::with_capacity(header.len());
                let mut region = None;
                for (column, cell) in header.iter().zip(record.iter()) {
                    match column {
                        Column::Skip => {}
                        Column::Region => region = region_text(cell),
                        // An empty cell is an absent field.
                        Column::Field(_) if cell.is_empty() => {}
                        Column::Field(name) => members
                            .push((Cow::Borrowed(name.as_str()), Node::Str(Cow::Borrowed(cell)))),
                    }
                }
                ImportRow {
                    fields: Ok(Node::Object(members)),
                    region,
                }
            }
            RawRow::Json { bytes, line } => json_row(bytes, *line),
        }
    }
}

/// A region cell: trimmed, upper-cased; blank is none.
fn region_text(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_ascii_uppercase())
}

/// Parses one JSON row and takes its `region` member out of the fields.
fn json_row(bytes: &[u8], line: u64) -> ImportRow<'_> {
    let node = match parse_json(bytes) {
        Ok(node) => node,
        Err(e) => {
            return ImportRow {
                fields: Err(format!("line {line}: not valid JSON: {e}")),
                region: None,
            }
        }
    };
    let Node::Object(mut members) = node else {
        // The importer reports a non-object row itself.
        return ImportRow {
            fields: Ok(node),
            region: None,
        };
    };
    let mut region = None;
    if let Some(at) = members.iter().position(|(k, _)| k == "region") {
        let (_, value) = members.remove(at);
        match value {
            Node::Str(s) => region = region_text(&s),
            Node::Null => {}
            other => {
                return ImportRow {
                    fields: Err(format!(
                        "line {line}: `region` must be a string such as \"GB\", not {}",
                        other.kind()
                    )),
                    region: None,
                }
            }
        }
    }
    ImportRow {
        fields: Ok(Node::Object(members)),
        region,
    }
}

/// The reader of `format` over `input`, its header (or the opening `[`)
/// already read: an input that is not of the format fails here.
pub fn open_source(format: Format, input: ByteInput) -> Result<Box<dyn Source + Send>, CliError> {
    Ok(match format {
        Format::Csv => Box::new(CsvSource::open(input)?),
        Format::Ndjson => Box::new(NdjsonSource::open(input)?),
        Format::Json => Box::new(ArraySource::open(input)?),
    })
}

/// The format named by --format, or guessed from INPUT's extension.
fn format_of(args: &ImportArgs) -> Result<Format, CliError> {
    if let Some(format) = args.format {
        return Ok(format);
    }
    if input::is_stdin(&args.input) {
        return Err(CliError::new(
            "reading INPUT from standard input needs --format csv|ndjson|json",
        ));
    }
    guess_format(&args.input).ok_or_else(|| {
        CliError::new(format!(
            "cannot tell the format of `{}` from its extension (.csv, .ndjson, .jsonl, .json); \
             pass --format csv|ndjson|json",
            args.input.display()
        ))
    })
}

fn guess_format(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Format::Csv),
        "ndjson" | "jsonl" => Some(Format::Ndjson),
        "json" => Some(Format::Json),
        _ => None,
    }
}

pub(crate) fn run(args: &ImportArgs) -> Result<(), CliError> {
    let profile = args.profile.0;
    let format = format_of(args)?;
    let engine = Engine::new(Config {
        profile,
        default_region: args.default_region.clone(),
        threads: args.threads,
        // An import is a long run: a copy of the phone metadata per thread
        // costs ~10 ms up front and saves CPU on every row.
        phone_util_per_thread: true,
        ..Config::new(profile)
    })
    .map_err(|e| CliError::new(e.to_string()))?;
    let existing = input::read_existing(args.existing.as_deref())?;
    let mut importer = Importer::new(&engine, &existing, format == Format::Csv)
        .map_err(|e| CliError::new(e.to_string()))?;

    if let Some(out) = &args.out {
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if !input::is_stdin(&args.input) && same(&args.input, out) {
            return Err(CliError::new(format!(
                "--out `{}` is INPUT itself: writing it would destroy the input",
                out.display()
            )));
        }
    }
    let opened = input::open(&args.input)?;
    let len = opened.len;
    let bytes = ByteInput::new(opened);
    // The header (or the opening `[`) is read before --out is created, so a
    // wrong input never clobbers an earlier output.
    let mut source = open_source(format, bytes)?;
    let out: Box<dyn Write + Send> = match &args.out {
        Some(path) if !input::is_stdin(path) => Box::new(File::create(path).map_err(|e| {
            CliError::new(format!(
                "cannot create --out file `{}`: {e}",
                path.display()
            ))
        })?),
        _ => Box::new(io::stdout()),
    };
    let what = match &args.out {
        Some(path) if !input::is_stdin(path) => format!("--out file `{}`", path.display()),
        _ => "standard output".to_owned(),
    };
    let mut out = Output {
        inner: BufWriter::with_capacity(1 << 16, out),
        line: Vec::with_capacity(1024),
        what,
    };
    let progress = Progress::new(len);

    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let result = if threads > 1 {
        pipelined(source, &mut importer, &mut out, &progress)
    } else {
        sequential(&mut *source, &mut importer, &mut out, &progress)
    };
    let flushed = out.flush();
    progress.finish();
    if matches!(result, Err(CliError::BrokenPipe)) || matches!(flushed, Err(CliError::BrokenPipe)) {
        return Err(CliError::BrokenPipe);
    }
    // The summary is printed even when reading failed half way: it says how
    // far the run got. An error message follows it then.
    let summary = serde_json::to_string(&importer.summary())
        .map_err(|e| CliError::new(format!("cannot render the summary: {e}")))?;
    eprintln!("{summary}");
    result.and(flushed)
}

/// Where outcome lines go.
struct Output {
    inner: BufWriter<Box<dyn Write + Send>>,
    line: Vec<u8>,
    what: String,
}

impl Output {
    fn write(&mut self, lines: &[ImportLine]) -> Result<(), CliError> {
        for outcome in lines {
            self.line.clear();
            outcome.write_json(&mut self.line);
            self.line.push(b'\n');
            self.inner
                .write_all(&self.line)
                .map_err(|e| CliError::write(&self.what, e))?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), CliError> {
        self.inner
            .flush()
            .map_err(|e| CliError::write(&self.what, e))
    }
}

/// Reads up to [`CHUNK_ROWS`] rows into `chunk`. `Ok(true)` at the end of
/// the input; a read error also ends the input, after the rows read before
/// it (they are still checked and written, then the error is reported).
fn fill_chunk(source: &mut dyn Source, chunk: &mut Vec<RawRow>) -> Result<bool, CliError> {
    while chunk.len() < CHUNK_ROWS {
        match source.next_row()? {
            Some(row) => chunk.push(row),
            None => return Ok(true),
        }
    }
    Ok(false)
}

/// Checks one chunk: each row is parsed (borrowing it) on the engine's
/// threads, right before its checks.
fn check_chunk(
    importer: &mut Importer<'_>,
    header: &[Column],
    chunk: &[RawRow],
) -> Vec<ImportLine> {
    importer.push_with(chunk, |r| r.to_import_row(header))
}

/// One thread does everything, in order (`--threads 1`).
fn sequential(
    source: &mut dyn Source,
    importer: &mut Importer<'_>,
    out: &mut Output,
    progress: &Progress,
) -> Result<(), CliError> {
    let mut chunk: Vec<RawRow> = Vec::with_capacity(CHUNK_ROWS);
    loop {
        chunk.clear();
        let filled = fill_chunk(source, &mut chunk);
        if !chunk.is_empty() {
            let lines = check_chunk(importer, source.header(), &chunk);
            out.write(&lines)?;
            progress.update(source.consumed(), importer.summary().total);
        }
        if filled? {
            return Ok(());
        }
    }
}

/// With more than one thread, reading and writing run beside the checks: a
/// reader thread cuts chunks, the calling thread checks them (on the
/// engine's pool) and a writer thread records each checked chunk (the
/// in-order dedupe), renders its lines and frees its raw rows, so the
/// checks of one chunk overlap the dedupe and output of the one before. A
/// chunk is handed over only when the next stage takes it (rendezvous
/// channels): each stage holds one chunk, so memory stays bounded and small;
/// order is kept because every stage handles chunks in turn.
fn pipelined(
    source: Box<dyn Source + Send>,
    importer: &mut Importer<'_>,
    out: &mut Output,
    progress: &Progress,
) -> Result<(), CliError> {
    let header = source.header().to_vec();
    let checker = importer.checker();
    std::thread::scope(|scope| {
        let (raw_tx, raw_rx) = mpsc::sync_channel::<(Vec<RawRow>, u64)>(0);
        let (checked_tx, checked_rx) = mpsc::sync_channel::<(CheckedChunk, Vec<RawRow>, u64)>(0);
        let reader = scope.spawn(move || -> Result<(), CliError> {
            let mut source = source;
            loop {
                let mut chunk = Vec::with_capacity(CHUNK_ROWS);
                let filled = fill_chunk(&mut *source, &mut chunk);
                // A closed channel: the checks stopped (the output failed).
                if !chunk.is_empty() && raw_tx.send((chunk, source.consumed())).is_err() {
                    return Ok(());
                }
                if filled? {
                    return Ok(());
                }
            }
        });
        let writer = scope.spawn(move || -> Result<(), CliError> {
            for (checked, chunk, consumed) in checked_rx {
                let lines = importer.record(checked);
                progress.update(consumed, importer.summary().total);
                out.write(&lines)?;
                drop(chunk);
            }
            Ok(())
        });
        for (chunk, consumed) in raw_rx {
            let checked = checker.check_with(&chunk, |r| r.to_import_row(&header));
            if checked_tx.send((checked, chunk, consumed)).is_err() {
                break;
            }
        }
        drop(checked_tx);
        let panicked = || CliError::new("an import thread panicked (a bug)");
        let written = writer.join().unwrap_or_else(|_| Err(panicked()));
        let read = reader.join().unwrap_or_else(|_| Err(panicked()));
        written.and(read)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses() {
        assert_eq!(guess_format(Path::new("a.CSV")), Some(Format::Csv));
        assert_eq!(guess_format(Path::new("a.jsonl")), Some(Format::Ndjson));
        assert_eq!(guess_format(Path::new("a.ndjson")), Some(Format::Ndjson));
        assert_eq!(guess_format(Path::new("x/a.json")), Some(Format::Json));
        assert_eq!(guess_format(Path::new("a.txt")), None);
        assert_eq!(guess_format(Path::new("csv")), None);
    }

    #[test]
    fn json_rows_lose_their_region() {
        let row = json_row(br#"{"phone":"020 7183 8750","region":" gb "}"#, 1);
        assert_eq!(row.region.as_deref(), Some("GB"));
        assert!(row.fields.unwrap().get("region").is_none());
        let row = json_row(br#"{"phone":"1","region":5}"#, 3);
        assert!(row.fields.unwrap_err().contains("line 3: `region`"));
        let row = json_row(br#"{"a":1,"a":2}"#, 2);
        assert!(row
            .fields
            .unwrap_err()
            .starts_with("line 2: not valid JSON"));
        let row = json_row(b"[1]", 1);
        assert!(row.fields.unwrap().as_array().is_some());
    }
}
