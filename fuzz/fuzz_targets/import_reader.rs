//! contact-batch-import's readers (CSV, NDJSON, JSON array) on arbitrary
//! files, then the core's `Importer` on the rows they yield, as
//! `contact-batch import` chains them.
//!
//! Input: byte 0 picks the format (bits 0-1: csv, ndjson, json, csv), the
//! profile (bits 2-3) and how many bytes each read of the file returns
//! (bits 4-7: 1..16); the rest is the file, where a NUL byte followed by a
//! byte `n` stands for `(n + 1) * 32 KiB` of `A` (at most 8 MiB in all):
//! long cells and records, past the readers' 64 KiB long-record path and
//! their 4 MiB record limit, which no fuzzer would type out.
//!
//! Checks: reading never panics and ends either at the end of the input
//! (every byte consumed) or with a one-line error naming the input; the rows
//! and the error do not depend on how the file arrives (16 bytes a read or
//! all at once, so records and escapes cut by buffer boundaries read the
//! same); a CSV row has one cell per header column; every row's line number
//! lies in the file and never goes back; every row the reader yields is
//! accounted for exactly once in the import (one line per row, numbered in
//! order, summary adds up) and a malformed row is invalid with exactly its
//! reader's message. Where a plain oracle exists the rows must match it:
//! NDJSON yields exactly its non-blank lines; a CSV without quotes splits on
//! line breaks and its header line's most frequent delimiter; a file that is a valid JSON array yields its
//! elements, each parsing to the same value.
#![no_main]

use contact_batch::{ImportRow, Importer, Profile, RowStatus};
use contact_batch_import::csv::Column;
use contact_batch_import::input::ByteInput;
use contact_batch_import::{encoding, open_source, RawRow};
use contact_batch_import::{Error, Format};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const PROFILES: [Profile; 4] = [
    Profile::RaslCreate,
    Profile::RaslUpdate,
    Profile::RecordList,
    Profile::ContactBook,
];
const FORMATS: [Format; 4] = [Format::Csv, Format::Ndjson, Format::Json, Format::Csv];
/// How `ByteInput::from_bytes_in_steps` names the input in messages.
const NAME: &str = "test input";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What a reader made of a file.
struct Reading {
    header: Vec<Column>,
    rows: Vec<RawRow>,
    /// The error that ended reading (opening included), if any.
    error: Option<String>,
    /// Bytes consumed when reading ended.
    consumed: u64,
}

fn message(e: Error) -> String {
    match e {
        Error::Message(m) => m,
        Error::BrokenPipe => panic!("reading memory reported a broken pipe"),
    }
}

fn read(format: Format, data: &[u8], step: usize) -> Reading {
    let input = ByteInput::from_bytes_in_steps(data, step);
    let mut source = match open_source(format, input) {
        Ok(source) => source,
        Err(e) => {
            return Reading {
                header: Vec::new(),
                rows: Vec::new(),
                error: Some(message(e)),
                consumed: 0,
            }
        }
    };
    let mut rows = Vec::new();
    let error = loop {
        match source.next_row() {
            Ok(Some(row)) => rows.push(row),
            Ok(None) => break None,
            Err(e) => break Some(message(e)),
        }
    };
    Reading {
        header: source.header().to_vec(),
        rows,
        error,
        consumed: source.consumed(),
    }
}

/// The line a row names: a JSON row's own, a malformed row's `line N:`.
fn line_of(row: &RawRow) -> Option<u64> {
    match row {
        RawRow::Json { line, .. } => Some(*line),
        RawRow::Malformed(m) | RawRow::Undecodable { message: m, .. } => {
            let rest = m.strip_prefix("line ")?;
            let digits = rest.split(':').next()?;
            Some(
                digits
                    .parse()
                    .unwrap_or_else(|_| panic!("odd message {m:?}")),
            )
        }
        RawRow::Csv(_) => None,
    }
}

fn check_rows(format: Format, data: &[u8], got: &Reading) {
    let breaks = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64;
    let mut last = 0;
    for row in &got.rows {
        match row {
            RawRow::Csv(record) => {
                assert_eq!(format, Format::Csv);
                assert_eq!(record.len(), got.header.len(), "cells vs header");
            }
            RawRow::Json { bytes, .. } => {
                assert_ne!(format, Format::Csv);
                assert!(
                    !bytes.iter().all(u8::is_ascii_whitespace),
                    "a blank JSON row"
                );
            }
            RawRow::Malformed(m) => {
                assert!(
                    m.starts_with("line "),
                    "malformed row without its line: {m:?}"
                );
                assert!(!m.contains(['\n', '\r']), "multi-line message {m:?}");
            }
            RawRow::Undecodable { cells, message } => {
                assert_eq!(format, Format::Csv);
                assert_eq!(cells.len(), got.header.len(), "cells vs header");
                assert_eq!(
                    *message,
                    contact_batch_import::undecodable(line_of(row).unwrap())
                );
            }
        }
        if let Some(line) = line_of(row) {
            assert!(
                line >= 1 && line <= breaks + 1,
                "line {line} not in the file"
            );
            assert!(line >= last, "line {line} after line {last}");
            last = line;
        }
    }
    match &got.error {
        Some(e) => {
            assert!(!e.is_empty() && !e.contains(['\n', '\r']), "error {e:?}");
            assert!(e.contains(NAME), "error does not name the input: {e:?}");
        }
        None => assert_eq!(got.consumed, data.len() as u64, "input left unread"),
    }
}

/// NDJSON: exactly the non-blank lines, each as written.
fn ndjson_oracle(data: &[u8], got: &Reading) {
    assert!(got.error.is_none());
    let body = data.strip_prefix(BOM).unwrap_or(data);
    let want: Vec<(u64, &[u8])> = body
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .map(|(i, l)| (i as u64 + 1, l))
        .collect();
    assert_eq!(got.rows.len(), want.len(), "NDJSON rows vs non-blank lines");
    const LIMIT: usize = contact_batch_import::json::MAX_ROW_BYTES;
    for (row, (n, l)) in got.rows.iter().zip(want) {
        // A line over the row limit is that row's error (within a few
        // bytes of the limit either answer is accepted).
        if let RawRow::Malformed(m) = row {
            assert!(
                m.contains("longer than") && l.len() + 8 >= LIMIT,
                "line {n}: {m}"
            );
            continue;
        }
        assert!(
            l.len() < LIMIT + 8,
            "line {n} of {} bytes read whole",
            l.len()
        );
        let RawRow::Json { bytes, line } = row else {
            panic!("NDJSON line {n} read as {row:?}");
        };
        assert_eq!(*line, n);
        assert_eq!(bytes.strip_suffix(b"\n").unwrap_or(bytes), l);
    }
}

/// True when the reader takes `data` as UTF-8 (what the CSV oracle
/// models): no UTF-16 byte order mark, and its first
/// [`SAMPLE_BYTES`](encoding::SAMPLE_BYTES) are UTF-8. Other inputs are
/// decoded (Windows-1252, UTF-16) before the CSV is read; they are still
/// held to the same reading in every read size and to `check_rows`.
fn read_as_utf8(data: &[u8]) -> bool {
    let sample = &data[..data.len().min(encoding::SAMPLE_BYTES)];
    encoding::detect(sample, sample.len() == data.len()).name() == "UTF-8"
}

/// CSV without a quote: records are the non-blank lines, cells split on
/// the delimiter: of `,` `;` TAB `|`, the one the header line holds most
/// often (the first of them on a tie; a comma when it holds none).
fn csv_oracle(data: &[u8], got: &Reading) {
    let body = data.strip_prefix(BOM).unwrap_or(data);
    let lines = body
        .split(|&b| b == b'\n' || b == b'\r')
        .filter(|l| !l.is_empty());
    let header_line = lines.clone().next().unwrap_or_default();
    // The delimiter is sniffed from the input's first 64 KiB (the reader's
    // `SNIFF_BYTES`, blank lines before the header included): a delimiter
    // past them in a longer header line does not count.
    // (An input with no line has no header: its empty default slice is
    // not inside `body`, so the offset is only taken from a real line.)
    let offset = if header_line.is_empty() {
        0
    } else {
        header_line.as_ptr() as usize - body.as_ptr() as usize
    };
    let sniffed = &header_line[..header_line
        .len()
        .min((64usize << 10).saturating_sub(offset))];
    let mut delimiter = b',';
    let mut most = 0;
    for d in [b',', b';', b'\t', b'|'] {
        let n = sniffed.iter().filter(|&&b| b == d).count();
        if n > most {
            (delimiter, most) = (d, n);
        }
    }
    // A header line over the record limit is refused (a data line over it
    // is that line's error). Within a few bytes of the limit (a mark, a
    // CR/LF pair) either answer is accepted.
    const LIMIT: usize = contact_batch_import::csv::MAX_RECORD_BYTES;
    let header_end = data
        .iter()
        .enumerate()
        .skip_while(|(_, b)| matches!(b, b'\n' | b'\r'))
        .find(|(_, b)| matches!(b, b'\n' | b'\r'))
        .map_or(data.len(), |(i, _)| i);
    let too_long = got
        .error
        .as_deref()
        .is_some_and(|e| e.contains("the CSV header (line ") && e.contains(") is too long"));
    if header_end >= LIMIT + 8 {
        assert!(too_long, "{:?}", got.error);
    }
    if too_long {
        assert!(header_end + 8 >= LIMIT, "{:?}", got.error);
        return;
    }
    let mut records = lines.map(|l| l.split(|&b| b == delimiter).collect::<Vec<_>>());
    let Some(header) = records.next() else {
        assert!(got.error.is_none() && got.header.is_empty() && got.rows.is_empty());
        return;
    };
    // Only the file's first bytes are a byte order mark; U+FEFF anywhere
    // in a header name (after blank lines, say: issues 32 and 33.4) is a
    // zero-width no-break space, removed from the name.
    let Ok(names) = header
        .iter()
        .map(|c| std::str::from_utf8(c).map(|s| s.replace('\u{feff}', "")))
        .collect::<Result<Vec<_>, _>>()
    else {
        assert!(got.error.as_deref().is_some_and(|e| e.contains("UTF-8")));
        return;
    };
    let names: Vec<&str> = names.iter().map(|n| n.trim()).collect();
    let mut seen = Vec::new();
    for name in &names {
        if !name.is_empty() && seen.contains(name) {
            assert!(got.error.as_deref().is_some_and(|e| e.contains("twice")));
            return;
        }
        seen.push(name);
    }
    assert!(got.error.is_none(), "{:?}", got.error);
    let want: Vec<Column> = names
        .iter()
        .map(|n| match *n {
            "" => Column::Skip,
            "region" => Column::Region,
            n => Column::Field(n.to_owned()),
        })
        .collect();
    assert_eq!(got.header, want);
    // A record whose cells are all empty or spaces is a spreadsheet's blank
    // row (issue 32): no row, whatever its cell count.
    let records: Vec<_> = records
        .filter(|cells| !cells.iter().all(|c| c.iter().all(|&b| b == b' ')))
        .collect();
    assert_eq!(got.rows.len(), records.len(), "CSV rows vs non-blank lines");
    for (row, cells) in got.rows.iter().zip(records) {
        let text: Option<Vec<&str>> = cells.iter().map(|c| std::str::from_utf8(c).ok()).collect();
        match (row, text) {
            (RawRow::Csv(record), Some(text)) if cells.len() == want.len() => {
                assert_eq!(record.iter().collect::<Vec<_>>(), text);
            }
            // A record past the 4 MiB record limit is refused as it crosses
            // it (issue 33.7); quoting at most doubles a cell's bytes.
            (RawRow::Malformed(m), _) if m.contains("longer than 4 MiB") => {
                let bytes: usize = cells.iter().map(|c| c.len() + 2).sum();
                assert!(2 * bytes >= 4 << 20, "{m} for a record of {bytes} bytes");
            }
            (RawRow::Malformed(m), _) if cells.len() != want.len() => {
                assert!(m.contains("where the header has"), "{m}");
            }
            (
                RawRow::Undecodable {
                    cells: got,
                    message,
                },
                None,
            ) => {
                assert!(message.contains("UTF-8"), "{message}");
                let lossy: Vec<_> = cells.iter().map(|c| String::from_utf8_lossy(c)).collect();
                assert_eq!(got.iter().collect::<Vec<_>>(), lossy);
            }
            (row, _) => panic!(
                "CSV record of {} cells read as {:.200}",
                cells.len(),
                format!("{row:?}")
            ),
        }
    }
}

/// A file that is a JSON array: its elements, in order, same values.
fn array_oracle(data: &[u8], got: &Reading) {
    let body = data.strip_prefix(BOM).unwrap_or(data);
    let Ok(Value::Array(elements)) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    assert!(got.error.is_none(), "{:?}", got.error);
    assert_eq!(got.rows.len(), elements.len(), "array rows vs elements");
    for (row, element) in got.rows.iter().zip(&elements) {
        let RawRow::Json { bytes, .. } = row else {
            panic!("array element {element} read as {row:?}");
        };
        let value: Value = serde_json::from_slice(bytes)
            .unwrap_or_else(|e| panic!("element {element} cut badly ({e}): {bytes:?}"));
        assert_eq!(&value, element);
    }
}

fn import(profile: Profile, format: Format, got: &Reading) {
    let (engine, _) = fuzz_checks::engines(profile);
    let existing = fuzz_checks::fixed_existing();
    let mut importer =
        Importer::new(engine, existing, format == Format::Csv).expect("a profile with rows");
    let rows: Vec<ImportRow<'_>> = got
        .rows
        .iter()
        .map(|r| r.to_import_row(&got.header))
        .collect();
    let lines = importer.push(&rows);
    let summary = importer.summary();
    assert_eq!(lines.len(), got.rows.len(), "rows lost or invented");
    assert_eq!(summary.total, got.rows.len());
    assert_eq!(
        summary.total,
        summary.new + summary.existing + summary.duplicate + summary.invalid
    );
    for (i, (line, raw)) in lines.iter().zip(&got.rows).enumerate() {
        assert_eq!(line.row, i + 1, "rows out of order");
        fuzz_checks::parse_output(&line.to_json());
        if let RawRow::Malformed(m) | RawRow::Undecodable { message: m, .. } = raw {
            assert_eq!(line.status, RowStatus::Invalid);
            assert_eq!(line.errors.len(), 1);
            assert_eq!(line.errors[0].field, "row");
            assert_eq!(&line.errors[0].message, m);
        }
        if line.status == RowStatus::Invalid {
            assert!(
                !line.errors.is_empty(),
                "row {} invalid without a reason",
                line.row
            );
        } else {
            assert!(line.phone.is_some() && line.contact.is_some());
        }
    }
}

/// Expands each `NUL n` into `(n + 1) * 32 KiB` of `A` (see the top).
fn expand_long_runs(data: &[u8]) -> Vec<u8> {
    const UNIT: usize = 32 << 10;
    const MAX: usize = 8 << 20;
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        match (data[i], data.get(i + 1)) {
            (0, Some(&n)) => {
                let run = (usize::from(n) + 1) * UNIT;
                let run = run.min(MAX.saturating_sub(out.len()));
                out.resize(out.len() + run, b'A');
                i += 2;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    let expanded;
    let data = if data.contains(&0) {
        expanded = expand_long_runs(data);
        &expanded[..]
    } else {
        data
    };
    let format = FORMATS[usize::from(selector & 3)];
    let profile = PROFILES[usize::from((selector >> 2) & 3)];
    // Reads of 1 to 16 bytes; past 64 KiB (an expanded run) reads 4096
    // times larger, so a multi-megabyte input is not read a byte at a time
    // (issue 33: the target ran 3-5 inputs a second).
    let step = usize::from(selector >> 4) + 1;
    let step = if data.len() > 64 << 10 {
        step << 12
    } else {
        step
    };

    let whole = read(format, data, usize::MAX);
    let trickled = read(format, data, step);
    assert_eq!(
        format!("{:?}", (&whole.header, &whole.rows, &whole.error)),
        format!("{:?}", (&trickled.header, &trickled.rows, &trickled.error)),
        "the result depends on how the input arrives ({step} bytes a read)"
    );
    if whole.error.is_none() {
        assert_eq!(whole.consumed, trickled.consumed);
    }

    check_rows(format, data, &whole);
    match format {
        Format::Ndjson => ndjson_oracle(data, &whole),
        Format::Csv if !data.contains(&b'"') && read_as_utf8(data) => csv_oracle(data, &whole),
        Format::Json => array_oracle(data, &whole),
        Format::Csv => {}
    }
    import(profile, format, &whole);
});
