//! `contact-batch-import`: contact files of any size (CSV, NDJSON, JSON
//! array) read, mapped and streamed in chunks through the core's
//! [`Importer`], one outcome per row, in bounded memory.
//!
//! This is the import of the `contact-batch import` command line, as a
//! library: the command line parses its flags and calls these pieces in
//! order, and the fuzz targets drive the same readers on bytes in memory.
//! It does I/O (files, threads); the engine it drives (`contact-batch`)
//! does none.
//!
//! # The pieces, in the order an import uses them
//!
//! 1. [`input::open`] a file (or standard input), then
//!    [`encoding::decode`] it to UTF-8: the encoding is named or detected
//!    (UTF-8 with or without a byte order mark, UTF-16 by its mark,
//!    Windows-1252 when the bytes are not UTF-8);
//! 2. [`open_source_with`] the reader of its [`Format`] over a
//!    [`input::ByteInput`]: CSV (its delimiter given or sniffed from the
//!    header line, an unbalanced quote spoiling only its own line, no record
//!    kept past [`csv::MAX_RECORD_BYTES`]), NDJSON or a JSON array;
//! 3. for CSV, [`columns::map_header`] maps the file's header names to the
//!    profile's fields (case- and punctuation-insensitive, CRM synonyms,
//!    `--map` overrides, a region column whose cells may be country names or
//!    alpha-3 codes) and [`Source::set_header`] installs the mapping;
//! 4. [`convert_to`] runs the rows through an [`Importer`] in chunks of at
//!    most [`CHUNK_ROWS`] rows and [`CHUNK_BYTES`] bytes (reading, checking
//!    and writing overlapped on more than one thread) into an
//!    [`output::Output`]: NDJSON lines or the input's CSV columns plus the
//!    outcome, and optionally the rejected rows in the input's own format;
//! 5. the returned [`Tally`] counts the rows by status and by reason and
//!    renders the report a person reads ([`Tally::report`]).
//!
//! Every error is an [`Error`]: a one-line message naming the input (or a
//! closed output pipe, which a command line ends quietly on).
//!
//! # Rules for bad files
//!
//! - **Rows and lines.** An outcome's `row` counts the data rows handed to
//!   the engine, 1-based: not the header, not blank lines, not blank rows.
//!   A row's file line is in the messages of rows that could not be read
//!   (`line 7: ...`).
//! - **Blank rows.** A CSV record whose cells are all empty or spaces
//!   (`;;;;`, as spreadsheets write them) is no row: skipped like a blank
//!   line and counted apart ([`Tally::blank`]).
//! - **Byte order marks.** A UTF-8 byte order mark is one only at the very
//!   start of the input. Anywhere else U+FEFF is a zero-width no-break
//!   space: removed from the CSV header's names (so `--output-format csv`
//!   never writes it into its header), kept in data cells.
//! - **Text that cannot be decoded** (invalid UTF-8, a lone UTF-16
//!   surrogate) makes its row invalid with one message ([`undecodable`]),
//!   whatever the encoding; the CSV outputs show the row's cells with
//!   U+FFFD in place of the bad bytes, so it can be fixed and imported
//!   again.
//! - **Limits**, each refused with a message as soon as it is crossed, never
//!   after reading on: a record of [`csv::MAX_RECORD_BYTES`] (a longer
//!   header ends the import; a longer row is that row's error, the rest of
//!   its line skipped up to [`csv::MAX_SKIP_BYTES`], past which the import
//!   ends: `/dev/zero` is no contact file); a header of
//!   [`csv::MAX_COLUMNS`] columns.
//! - **CSV outputs** follow their input's layout ([`output::CsvStyle`]):
//!   a byte order mark when the input had one or came from Excel (UTF-16,
//!   Windows-1252), CRLF when its header line ended so.
//!
//! ```
//! use contact_batch::{Config, Engine, Existing, Importer, Profile};
//! use contact_batch_import::{convert, open_source, input::ByteInput, Format};
//!
//! let engine = Engine::new(Config::new(Profile::RaslCreate)).unwrap();
//! let existing = Existing::new();
//! let mut importer = Importer::new(&engine, &existing, true).unwrap();
//! let csv = b"First Name,Phone Number\nAda,+44 20 7183 8750\n";
//! let source = open_source(Format::Csv, ByteInput::from_bytes(csv)).unwrap();
//! // (a real import maps the header first: see `columns::map_header`)
//! let (tally, result) = convert(source, &mut importer, Box::new(std::io::sink()),
//!     "the output".into(), 1, &|_, _| {});
//! result.unwrap();
//! assert_eq!(tally.summary.total, 1);
//! ```
#![deny(missing_docs)]

pub mod columns;
pub mod csv;
pub mod encoding;
pub mod input;
pub mod json;
pub mod output;
mod tally;

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc;

use contact_batch::{CheckedChunk, ImportLine, ImportRow, Importer, Node};

use self::csv::{Column, CsvSource};
use self::input::ByteInput;
use self::json::{ArraySource, NdjsonSource};
use self::output::Output;
pub use self::tally::{Reason, Tally};

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values (or `;`, TAB, `|`) with a header row (RFC 4180
    /// quoting).
    Csv,
    /// One JSON object per line.
    Ndjson,
    /// One JSON array of objects.
    Json,
}

/// Everything that ends an import early or keeps it from starting.
#[derive(Debug)]
pub enum Error {
    /// A one-line message (it names the input or output concerned).
    Message(String),
    /// The output was closed by its reader (`... | head`): stop quietly.
    BrokenPipe,
}

impl Error {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Error {
        Error::Message(message.into())
    }

    /// An error writing `what`: a closed pipe is [`Error::BrokenPipe`].
    pub fn write(what: &str, e: io::Error) -> Error {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Error::BrokenPipe
        } else {
            Error::new(format!("cannot write {what}: {e}"))
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Message(m) => f.write_str(m),
            Error::BrokenPipe => f.write_str("broken pipe"),
        }
    }
}

impl std::error::Error for Error {}

/// Rows handed to the importer at once: large enough to keep every thread
/// busy (a chunk is a few milliseconds of work), small enough that memory
/// does not depend on the file. 2048 rather than 8192 halved the 2-thread
/// import's peak RSS at the same speed (see `pipelined` and the benches
/// README).
pub const CHUNK_ROWS: usize = 2048;

/// Bytes of rows in one chunk at most (past [`CHUNK_ROWS`] rows or this
/// many bytes, whichever comes first, the chunk is handed on): with every
/// row at the 4 MiB record limit, 2048 rows would be 8 GiB a chunk; with
/// this bound a chunk holds at most 8 MiB plus one record, whatever the
/// input, and the pipeline a few chunks. A clean file's rows are ~100 bytes,
/// so its chunks are cut by the row count alone, as before.
pub const CHUNK_BYTES: usize = 8 << 20;

/// One input row as read, before parsing.
#[derive(Debug)]
pub enum RawRow {
    /// A CSV record, one cell per header column.
    Csv(::csv::StringRecord),
    /// An NDJSON line or a JSON array element, with the line it starts on.
    Json {
        /// The value's bytes.
        bytes: Vec<u8>,
        /// The 1-based line it starts on.
        line: u64,
    },
    /// A row that could not be read, and why.
    Malformed(String),
    /// A CSV record with text that cannot be decoded (invalid UTF-8, a lone
    /// UTF-16 surrogate): an invalid row (`message`, from [`undecodable`]),
    /// whose cells the CSV outputs still show, the bad bytes as U+FFFD,
    /// so a person can fix the line and import it again.
    Undecodable {
        /// The record's cells, undecodable bytes as U+FFFD.
        cells: ::csv::StringRecord,
        /// Why the row is invalid (names its line).
        message: String,
    },
}

/// The one message for a row whose text cannot be decoded, whatever the
/// format and encoding: invalid UTF-8 and a lone UTF-16 surrogate alike.
pub fn undecodable(line: u64) -> String {
    format!(
        "line {line}: not valid UTF-8 text (bytes that are not UTF-8, or a lone UTF-16 \
         surrogate); the CSV outputs show them as U+FFFD"
    )
}

/// A reader of one input format.
pub trait Source {
    /// The CSV header (empty for JSON formats).
    fn header(&self) -> &[Column];
    /// Bytes of the input read so far.
    fn consumed(&self) -> u64;
    /// The next row; `None` at the end of the input.
    fn next_row(&mut self) -> Result<Option<RawRow>, Error>;
    /// The CSV header's cells as written (empty for JSON formats).
    fn names(&self) -> &[String] {
        &[]
    }
    /// Replaces the header's columns (as many as there are): the mapping of
    /// [`columns::map_header`]. JSON formats have none.
    fn set_header(&mut self, _columns: Vec<Column>) {}
    /// CSV: the first `rows` records, read ahead (every one is still
    /// given by [`Source::next_row`], in order), for guessing what a column
    /// holds from its values; empty for JSON formats.
    fn sample(&mut self, _rows: usize) -> Vec<::csv::StringRecord> {
        Vec::new()
    }
    /// The CSV delimiter (`None` for JSON formats).
    fn delimiter(&self) -> Option<u8> {
        None
    }
    /// Rows skipped so far because every cell was blank (CSV).
    fn blank_rows(&self) -> u64 {
        0
    }
    /// How the CSV input was written: its byte order mark and line ends
    /// (`None` for JSON formats), for outputs that follow it.
    fn csv_style(&self) -> Option<output::CsvStyle> {
        None
    }
}

impl RawRow {
    /// The bytes the row holds (its cells, its JSON or its message).
    pub fn size(&self) -> usize {
        match self {
            RawRow::Csv(record) => record.as_byte_record().as_slice().len(),
            RawRow::Json { bytes, .. } => bytes.len(),
            RawRow::Malformed(message) => message.len(),
            RawRow::Undecodable { cells, message } => {
                cells.as_byte_record().as_slice().len() + message.len()
            }
        }
    }

    /// The importer's view of the row, borrowing from it and the header.
    pub fn to_import_row<'a>(&'a self, header: &'a [Column]) -> ImportRow<'a> {
        match self {
            RawRow::Malformed(message) | RawRow::Undecodable { message, .. } => ImportRow {
                fields: Err(message.clone()),
                region: None,
            },
            RawRow::Csv(record) => {
                let mut members = Vec::with_capacity(header.len());
                let mut region = None;
                for (column, cell) in header.iter().zip(record.iter()) {
                    match column {
                        Column::Skip | Column::Unmapped => {}
                        Column::Region => region = columns::region_code(cell),
                        // An empty cell is an absent field.
                        Column::Field(_) if cell.is_empty() => {}
                        Column::Field(name) => members
                            .push((Cow::Borrowed(name.as_str()), Node::Str(Cow::Borrowed(cell)))),
                        // A fallback comes after the column it stands in
                        // for: read when no earlier column gave the field.
                        Column::Fallback(_) if cell.is_empty() => {}
                        Column::Fallback(name) if name == columns::REGION => {
                            if region.is_none() {
                                region = columns::region_code(cell);
                            }
                        }
                        Column::Fallback(name) => {
                            if !members.iter().any(|(held, _)| held == name) {
                                members.push((
                                    Cow::Borrowed(name.as_str()),
                                    Node::Str(Cow::Borrowed(cell)),
                                ));
                            }
                        }
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

/// Parses one JSON row and takes its `region` member out of the fields.
fn json_row(bytes: &[u8], line: u64) -> ImportRow<'_> {
    if std::str::from_utf8(bytes).is_err() {
        return ImportRow {
            fields: Err(undecodable(line)),
            region: None,
        };
    }
    let node = match Node::parse(bytes) {
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
            Node::Str(s) => region = columns::region_code(&s),
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
pub fn open_source(format: Format, input: ByteInput) -> Result<Box<dyn Source + Send>, Error> {
    open_source_with(format, input, None)
}

/// [`open_source`] with the CSV `delimiter` given (`None`: sniffed).
pub fn open_source_with(
    format: Format,
    input: ByteInput,
    delimiter: Option<u8>,
) -> Result<Box<dyn Source + Send>, Error> {
    Ok(match format {
        Format::Csv => Box::new(CsvSource::open_with(input, delimiter)?),
        Format::Ndjson => Box::new(NdjsonSource::open(input)?),
        Format::Json => Box::new(ArraySource::open(input)?),
    })
}

/// The format a file's extension names (`.csv`, `.tsv`, `.txt`, `.tab`:
/// CSV; `.ndjson`, `.jsonl`: NDJSON; `.json`: a JSON array), if any.
pub fn guess_format(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        // Spreadsheet exports: `.tsv` and `.txt` are tab-separated as a
        // rule, and the delimiter is sniffed anyway.
        "csv" | "tsv" | "txt" | "tab" => Some(Format::Csv),
        "ndjson" | "jsonl" => Some(Format::Ndjson),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// Runs an import of `source` through `importer`, writing one NDJSON line
/// per row to `out` (named `what` in messages), on `threads` threads;
/// `progress` is told the bytes read and rows checked after each chunk.
///
/// Returns what was written (counted line by line as each reached `out`)
/// and how the run ended: a read error ends the input after the rows read
/// before it; a write error stops the run.
pub fn convert(
    source: Box<dyn Source + Send>,
    importer: &mut Importer<'_>,
    out: Box<dyn Write + Send>,
    what: String,
    threads: usize,
    progress: &(dyn Fn(u64, usize) + Sync),
) -> (Tally, Result<(), Error>) {
    convert_to(source, importer, Output::new(out, what), threads, progress)
}

/// [`convert`] to an [`Output`] of any rendering (CSV, with rejects).
pub fn convert_to(
    source: Box<dyn Source + Send>,
    importer: &mut Importer<'_>,
    mut out: Output,
    threads: usize,
    progress: &(dyn Fn(u64, usize) + Sync),
) -> (Tally, Result<(), Error>) {
    let (result, blank) = if threads > 1 {
        pipelined(source, importer, &mut out, progress)
    } else {
        let mut source = source;
        let result = sequential(&mut *source, importer, &mut out, progress);
        (result, source.blank_rows())
    };
    out.tally.blank = blank;
    let flushed = out.flush();
    let result = match (result, flushed) {
        (Err(Error::BrokenPipe), _) | (_, Err(Error::BrokenPipe)) => Err(Error::BrokenPipe),
        (result, flushed) => result.and(flushed),
    };
    (out.tally, result)
}

/// Reads up to [`CHUNK_ROWS`] rows or [`CHUNK_BYTES`] bytes of rows into
/// `chunk`. `Ok(true)` at the end of the input; a read error also ends the
/// input, after the rows read before it (they are still checked and
/// written, then the error is reported).
fn fill_chunk(source: &mut dyn Source, chunk: &mut Vec<RawRow>) -> Result<bool, Error> {
    let mut bytes = 0;
    while chunk.len() < CHUNK_ROWS && bytes < CHUNK_BYTES {
        match source.next_row()? {
            Some(row) => {
                bytes += row.size();
                chunk.push(row);
            }
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
    progress: &(dyn Fn(u64, usize) + Sync),
) -> Result<(), Error> {
    let mut chunk: Vec<RawRow> = Vec::with_capacity(CHUNK_ROWS);
    loop {
        chunk.clear();
        let filled = fill_chunk(source, &mut chunk);
        if !chunk.is_empty() {
            let lines = check_chunk(importer, source.header(), &chunk);
            out.write(&lines, &chunk)?;
            progress(source.consumed(), importer.summary().total);
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
    progress: &(dyn Fn(u64, usize) + Sync),
) -> (Result<(), Error>, u64) {
    let header = source.header().to_vec();
    let checker = importer.checker();
    std::thread::scope(|scope| {
        let (raw_tx, raw_rx) = mpsc::sync_channel::<(Vec<RawRow>, u64)>(0);
        let (checked_tx, checked_rx) = mpsc::sync_channel::<(CheckedChunk, Vec<RawRow>, u64)>(0);
        let reader = scope.spawn(move || -> (Result<(), Error>, u64) {
            let mut source = source;
            let result = loop {
                let mut chunk = Vec::with_capacity(CHUNK_ROWS);
                let filled = fill_chunk(&mut *source, &mut chunk);
                // A closed channel: the checks stopped (the output failed).
                if !chunk.is_empty() && raw_tx.send((chunk, source.consumed())).is_err() {
                    break Ok(());
                }
                match filled {
                    Ok(false) => {}
                    Ok(true) => break Ok(()),
                    Err(e) => break Err(e),
                }
            };
            (result, source.blank_rows())
        });
        let writer = scope.spawn(move || -> Result<(), Error> {
            for (checked, chunk, consumed) in checked_rx {
                let lines = importer.record(checked);
                progress(consumed, importer.summary().total);
                out.write(&lines, &chunk)?;
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
        let panicked = || Error::new("an import thread panicked (a bug)");
        let written = writer.join().unwrap_or_else(|_| Err(panicked()));
        let (read, blank) = reader.join().unwrap_or_else(|_| (Err(panicked()), 0));
        (written.and(read), blank)
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
        assert_eq!(guess_format(Path::new("a.txt")), Some(Format::Csv));
        assert_eq!(guess_format(Path::new("a.TSV")), Some(Format::Csv));
        assert_eq!(guess_format(Path::new("a.xlsx")), None);
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
