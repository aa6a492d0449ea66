//! `contact-batch import`: a file of contacts of any size, streamed in
//! chunks through the core's [`Importer`], one NDJSON line per row.

pub mod columns;
pub mod csv;
pub mod encoding;
pub mod json;
pub mod output;
mod tally;

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc;

use contact_batch::{
    parse_json, CheckedChunk, Config, Engine, ImportLine, ImportRow, Importer, Node,
};

use self::columns::Mapping;
use self::csv::{Column, CsvSource};
use self::json::{ArraySource, NdjsonSource};
use self::output::{Output, Render, Sink};
pub use self::tally::{Reason, Tally};
use crate::cli::{ImportArgs, OutputFormat, SummaryStyle};
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
    /// The CSV header's cells as written (empty for JSON formats).
    fn names(&self) -> &[String] {
        &[]
    }
    /// Replaces the header's columns (as many as there are): the mapping of
    /// [`columns::map_header`]. JSON formats have none.
    fn set_header(&mut self, _columns: Vec<Column>) {}
    /// The CSV delimiter (`None` for JSON formats).
    fn delimiter(&self) -> Option<u8> {
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
        }
    }

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
                        Column::Skip | Column::Unmapped => {}
                        Column::Region => region = columns::region_code(cell),
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
pub fn open_source(format: Format, input: ByteInput) -> Result<Box<dyn Source + Send>, CliError> {
    open_source_with(format, input, None)
}

/// [`open_source`] with the CSV `delimiter` given (`None`: sniffed).
pub fn open_source_with(
    format: Format,
    input: ByteInput,
    delimiter: Option<u8>,
) -> Result<Box<dyn Source + Send>, CliError> {
    Ok(match format {
        Format::Csv => Box::new(CsvSource::open_with(input, delimiter)?),
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
            "cannot tell the format of `{}` from its extension (.csv, .tsv, .txt, .ndjson, \
             .jsonl, .json); \
             pass --format csv|ndjson|json",
            args.input.display()
        ))
    })
}

fn guess_format(path: &Path) -> Option<Format> {
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
    .map_err(|e| CliError::new(with_region_hint(e.to_string(), args)))?;
    let mut mapping = Mapping {
        region_column: args.region_column.clone(),
        ..Mapping::default()
    };
    for map in &args.map {
        mapping.parse_map(map)?;
    }
    let named_encoding = match &args.encoding {
        Some(label) => encoding::parse_label(label).map_err(CliError::new)?,
        None => None,
    };
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
    let (opened, detected) = encoding::decode(opened, named_encoding)?;
    let len = opened.len;
    let bytes = ByteInput::new(opened);
    // The header (or the opening `[`) is read and mapped before --out is
    // created, so a wrong input never clobbers an earlier output.
    let mut source = open_source_with(format, bytes, args.delimiter.map(|d| d.0))?;
    if format == Format::Csv && !source.names().is_empty() {
        let columns = columns::map_header(profile, source.names(), &mapping)
            .map_err(|e| CliError::new(format!("INPUT {}: {e}", input_name(args))))?;
        source.set_header(columns);
    } else if format != Format::Csv && (!mapping.map.is_empty() || mapping.region_column.is_some())
    {
        return Err(CliError::new(
            "--map and --region-column are for CSV inputs (JSON rows name the API's fields)",
        ));
    }
    let mut found = vec![("encoding", format!("{} ({})", detected.name(), detected.by))];
    if let Some(d) = source.delimiter() {
        let by = if args.delimiter.is_some() {
            "--delimiter"
        } else {
            "detected"
        };
        found.push(("delimiter", format!("{} ({by})", csv::delimiter_name(d))));
    }
    let source_delimiter = source.delimiter();
    let csv_names = || {
        match source_delimiter {
        Some(delimiter) => Ok((delimiter, source.names().to_vec())),
        None => Err(CliError::new(
            "--output-format csv and --rejects are for CSV inputs (JSON inputs: NDJSON outcome lines)",
        )),
    }
    };
    let render = match args.output_format {
        OutputFormat::Ndjson => Render::Ndjson,
        OutputFormat::Csv => {
            let (delimiter, names) = csv_names()?;
            Render::Csv { delimiter, names }
        }
    };
    let rejects_render = match &args.rejects {
        Some(_) => {
            let (delimiter, names) = csv_names()?;
            Some(Render::Rejects { delimiter, names })
        }
        None => None,
    };
    if let (Some(rejects), Some(out)) = (&args.rejects, &args.out) {
        if rejects == out {
            return Err(CliError::new("--rejects and --out name the same file"));
        }
    }
    let sink = Sink::create(args.out.as_deref(), "--out")?;
    let rejects_sink = match &args.rejects {
        Some(path) => Some(Sink::create(Some(path), "--rejects")?),
        None => None,
    };
    let progress = Progress::new(len);
    let started = std::time::Instant::now();
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let mut output = Output::rendering(sink.writer()?, sink.what(), render);
    if let (Some(rejects), Some(render)) = (&rejects_sink, rejects_render) {
        output = output.with_rejects(Output::rendering(rejects.writer()?, rejects.what(), render));
    }
    let (tally, result) = convert_to(source, &mut importer, output, threads, &|consumed, rows| {
        progress.update(consumed, rows)
    });
    progress.finish();
    // Only whole outputs are made final; a failed run's staged files are
    // removed when the sinks are dropped.
    let result = result
        .and_then(|()| rejects_sink.map_or(Ok(()), Sink::finish))
        .and_then(|()| sink.finish());
    if matches!(result, Err(CliError::BrokenPipe)) {
        return Err(CliError::BrokenPipe);
    }
    // The summary is printed even when reading or writing failed half way:
    // it counts the lines written, so it says how far the run got. An error
    // message follows it then.
    match args.summary {
        SummaryStyle::Json => {
            let mut summary = serde_json::to_value(tally.summary)
                .map_err(|e| CliError::new(format!("cannot render the summary: {e}")))?;
            summary["encoding"] = detected.name().into();
            if let Some(d) = source_delimiter {
                summary["delimiter"] = char::from(d).to_string().into();
            }
            eprintln!("{summary}");
        }
        SummaryStyle::Human => eprint!("{}", tally.report(&found, started.elapsed())),
    }
    result
}

/// How messages name INPUT.
fn input_name(args: &ImportArgs) -> String {
    if input::is_stdin(&args.input) {
        "standard input".to_owned()
    } else {
        format!("`{}`", args.input.display())
    }
}

/// A config error about --default-region, with the alpha-2 code the value
/// names when it names a country another way (`UK`, `GBR`, `Germany`).
fn with_region_hint(message: String, args: &ImportArgs) -> String {
    let Some(given) = args.default_region.as_deref() else {
        return message;
    };
    match columns::country_alpha2(given) {
        Some(code) if !given.trim().eq_ignore_ascii_case(code) => {
            format!("{message} (did you mean `--default-region {code}`?)")
        }
        _ => message,
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
) -> (Tally, Result<(), CliError>) {
    convert_to(source, importer, Output::new(out, what), threads, progress)
}

/// [`convert`] to an [`Output`] of any rendering (CSV, with rejects).
pub fn convert_to(
    source: Box<dyn Source + Send>,
    importer: &mut Importer<'_>,
    mut out: Output,
    threads: usize,
    progress: &(dyn Fn(u64, usize) + Sync),
) -> (Tally, Result<(), CliError>) {
    let result = if threads > 1 {
        pipelined(source, importer, &mut out, progress)
    } else {
        let mut source = source;
        sequential(&mut *source, importer, &mut out, progress)
    };
    let flushed = out.flush();
    let result = match (result, flushed) {
        (Err(CliError::BrokenPipe), _) | (_, Err(CliError::BrokenPipe)) => {
            Err(CliError::BrokenPipe)
        }
        (result, flushed) => result.and(flushed),
    };
    (out.tally, result)
}

/// Reads up to [`CHUNK_ROWS`] rows or [`CHUNK_BYTES`] bytes of rows into
/// `chunk`. `Ok(true)` at the end of the input; a read error also ends the
/// input, after the rows read before it (they are still checked and
/// written, then the error is reported).
fn fill_chunk(source: &mut dyn Source, chunk: &mut Vec<RawRow>) -> Result<bool, CliError> {
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
) -> Result<(), CliError> {
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
