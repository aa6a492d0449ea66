//! CSV input: a header row, then one contact per record.
//!
//! Record boundaries are found by a scanner that follows the `csv` crate's
//! own state machine (RFC 4180: a field that *starts* with `"` is quoted and
//! may hold commas, newlines and doubled quotes; a `"` anywhere else is a
//! plain character; `\n`, `\r` and `\r\n` end a record; blank lines are
//! skipped), and each complete record is then decoded by the `csv` crate.
//! Scanning first is what keeps a bad file from eating the rest of the run:
//!
//! - an unbalanced quote (a quoted field that never closes, or closes lines
//!   later and leaves the record with the wrong number of cells) makes only
//!   the line it starts on an invalid row; the lines after it are scanned
//!   again as records of their own;
//! - no record is buffered past [`MAX_RECORD_BYTES`], so a stray quote in a
//!   10 GB file costs at most that much memory, not the rest of the file.
//!
//! Most records are one line without a quote; those take a fast path that
//! gives the same result: the line is found with one SIMD search for a line
//! break and one for a quote, and its cells are its text split at commas
//! (what RFC 4180 and the `csv` crate make of a quote-free record). Both
//! fast paths are held to the general ones by property tests below.

use std::io::Read;

use csv::{ByteRecord, StringRecord};

use crate::input::ByteInput;
use crate::output::CsvStyle;
use crate::Error;
use crate::{RawRow, Source};

/// The longest record kept (a legitimate contact is far smaller: the longest
/// field of any profile is a 65,535-character description).
pub const MAX_RECORD_BYTES: usize = 4 << 20;

/// The most columns a header may have: Excel's own limit (16,384 columns,
/// `A` to `XFD`), which no spreadsheet or CRM export exceeds. A header with
/// more is refused with a message, before any column is mapped (issue 33:
/// a 4 MB header of 690k columns, inside the record limit, is no contact
/// file).
pub const MAX_COLUMNS: usize = 16_384;

/// The most bytes of a line too long to keep that are skipped to reach the
/// next line (after [`MAX_RECORD_BYTES`] of it were read): a line longer
/// than both (`/dev/zero` read as CSV) ends the reading with an error
/// instead of reading on forever. A file with such a line is no contact
/// export; a stray long line (a pasted blob) is skipped, one invalid row.
pub const MAX_SKIP_BYTES: usize = 60 << 20;

/// One column of the header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Column {
    /// A contact field, named as the profile names it.
    Field(String),
    /// The per-row `region` (not a contact field).
    Region,
    /// An unnamed column (or one `--map`ped to `-`): ignored.
    Skip,
    /// A column no field of the profile is read from (`Notes`): not given
    /// to the engine, kept in the CSV outputs as it was.
    Unmapped,
    /// A later column of the phone or email an earlier column holds
    /// (`Mobile Phone` after `Business Phone`, as Outlook, HubSpot, Zoho and
    /// Salesforce export them): read as that field in the rows whose earlier
    /// columns for it are empty, so a contact with only a mobile number is
    /// not refused for want of a phone (issue 28). A later country column
    /// is a fallback of the region ([`crate::columns::REGION`]).
    Fallback(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    InField,
    InQuoted,
    QuoteInQuoted,
}

/// How a scanned record ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// At a record terminator (`\n` or `\r`, which is given here).
    Terminator(u8),
    /// At the end of the input, quotes balanced.
    Eof,
    /// At the end of the input inside a quoted field.
    EofInQuotes,
    /// Over [`MAX_RECORD_BYTES`] with a line break inside (a runaway quoted
    /// field): scanning stopped there; the rest is still unread.
    Overflow,
    /// A single line over [`MAX_RECORD_BYTES`]: judged as soon as it
    /// crosses the limit; the rest of the line is skipped by the next scan
    /// (at most [`MAX_SKIP_BYTES`] of it).
    TooLong,
}

struct Scan {
    start_line: u64,
    end: End,
    /// A quoted field went on after its closing quote (`"ab"c`): the csv
    /// crate keeps the rest as plain text; over several lines it is the sign
    /// of a quote that never really closed.
    sloppy: bool,
}

/// Decodes complete records with the `csv` crate, one at a time, through one
/// long-lived reader (building a reader per record would rebuild its DFA).
struct Decoder {
    reader: csv::Reader<Feed>,
    record: ByteRecord,
    fed: u64,
    delimiter: u8,
}

/// The decoder's input: the record being decoded.
#[derive(Default)]
struct Feed {
    data: Vec<u8>,
    pos: usize,
}

impl Read for Feed {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl Decoder {
    fn new(delimiter: u8) -> Decoder {
        let mut decoder = Decoder {
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .buffer_capacity(1 << 12)
                .from_reader(Feed::default()),
            record: ByteRecord::new(),
            fed: 0,
            delimiter,
        };
        // The crate drops a UTF-8 byte order mark from the start of the
        // first bytes it reads, whichever record that is. Only the input's
        // first bytes can hold a byte order mark (`ByteInput::skip_bom`
        // takes it), so the crate reads one throwaway record first: a cell
        // starting with U+FEFF then reads the same whichever path decodes it.
        let primed = decoder.decode_with_csv_crate(b"x").is_some();
        debug_assert!(primed);
        decoder
    }

    /// The cells of one complete record (given without its terminator).
    ///
    /// A record without a quote (hence on one line) is cut at its
    /// delimiters (commas, say),
    /// which is all RFC 4180 and the `csv` crate make of it; the rest goes
    /// through the crate.
    ///
    /// Kept because it measures faster than handing every record to the
    /// crate, by more than noise: callgrind on a 20k-row import
    /// (`gen_contacts.py --rows 20000 --format csv --seed 1`, `import
    /// --profile rasl-create --threads 1 --out /dev/null`, release build)
    /// counted 549.7 M instructions with this split and 555.2 M with every
    /// record decoded by the crate (-1.0%; two runs of the same binary differ
    /// by 0.001%). The proptest `plain_split_agrees_with_the_csv_crate` holds
    /// it to the crate's result.
    fn decode(&mut self, bytes: &[u8]) -> Option<&ByteRecord> {
        // An empty record (the crate's blank line) never comes from the
        // scanner; it stays with the crate.
        if bytes.is_empty() || memchr::memchr(b'"', bytes).is_some() {
            return self.decode_with_csv_crate(bytes);
        }
        self.record.clear();
        let mut start = 0;
        for comma in memchr::memchr_iter(self.delimiter, bytes) {
            self.record.push_field(&bytes[start..comma]);
            start = comma + 1;
        }
        self.record.push_field(&bytes[start..]);
        Some(&self.record)
    }

    /// [`Decoder::decode`] by the `csv` crate.
    fn decode_with_csv_crate(&mut self, bytes: &[u8]) -> Option<&ByteRecord> {
        let feed = self.reader.get_mut();
        feed.data.clear();
        feed.data.extend_from_slice(bytes);
        feed.data.push(b'\n');
        feed.pos = 0;
        self.fed += bytes.len() as u64 + 1;
        let ok = matches!(self.reader.read_byte_record(&mut self.record), Ok(true))
            && self.reader.position().byte() == self.fed
            && self.reader.get_ref().pos == self.reader.get_ref().data.len();
        if ok {
            Some(&self.record)
        } else {
            // The scanner and the csv crate disagree on where the record
            // ends (should not happen): start a fresh reader for the next one.
            *self = Decoder::new(self.delimiter);
            None
        }
    }
}

/// The CSV reader of an import.
pub struct CsvSource {
    input: ByteInput,
    header: Vec<Column>,
    decoder: Decoder,
    rec: Vec<u8>,
    /// The line the next unread byte is on (1-based).
    line: u64,
    prev_cr: bool,
    delimiter: u8,
    /// The header's cells as written (for messages and the CSV outputs).
    names: Vec<String>,
    /// The last record was one line over the limit, judged before its end:
    /// the next scan skips the rest of it first.
    skip_line: bool,
    /// Records skipped because every cell is blank (see [`is_blank`]).
    blank: u64,
    /// How the file was written (its byte order mark, its line ends).
    style: CsvStyle,
    /// Records read ahead by [`CsvSource::sample`], given out first; and
    /// the error that stopped the reading ahead, given out after them.
    ahead: std::collections::VecDeque<Record>,
    ahead_error: Option<Error>,
}

/// True when every cell of a record is empty or spaces: a spreadsheet's
/// blank row (`;;;;`, what Excel writes for a row it saw formatted but
/// empty) is no row, skipped like a blank line and counted apart. (Spaces
/// only: a cell holding a quoted tab or line break is something.)
fn is_blank(record: &ByteRecord) -> bool {
    record.iter().all(|cell| cell.iter().all(|&b| b == b' '))
}

/// The delimiters [`sniff_delimiter`] chooses from, preferred in this order
/// on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter of a CSV-family file, from its first line (`head`: the
/// first bytes of the input): of `,` `;` TAB `|`, the one found most often
/// outside quotes on that line; a comma when there is none (a one-column
/// file).
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    // Blank lines before the header are skipped, as the reader skips them.
    let start = head
        .iter()
        .position(|&b| b != b'\n' && b != b'\r')
        .unwrap_or(head.len());
    for &b in &head[start..] {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..DELIMITERS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

/// How to show a delimiter in messages and the summary.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_owned(),
        b' ' => "space".to_owned(),
        d => format!("`{}`", char::from(d).escape_debug()),
    }
}

/// The input's first bytes up to the end of its first non-blank line
/// outside quotes (at most [`SNIFF_BYTES`]), handed back to be read again.
/// Read whatever the reads' sizes, so the delimiter never depends on them.
fn peek_first_line(input: &mut ByteInput) -> Result<Vec<u8>, Error> {
    let mut head = Vec::new();
    let mut quoted = false;
    let mut started = false;
    'read: while head.len() < SNIFF_BYTES {
        let buf = input.fill()?;
        if buf.is_empty() {
            break;
        }
        let take = buf.len().min(SNIFF_BYTES - head.len());
        for (i, &b) in buf[..take].iter().enumerate() {
            match b {
                b'"' => {
                    quoted = !quoted;
                    started = true;
                }
                b'\n' | b'\r' if started && !quoted => {
                    head.extend_from_slice(&buf[..=i]);
                    input.consume(i + 1);
                    break 'read;
                }
                b'\n' | b'\r' => {}
                _ => started = true,
            }
        }
        head.extend_from_slice(&buf[..take]);
        input.consume(take);
    }
    input.push_back(&head);
    Ok(head)
}

/// A header cell as the import names its column: without U+FEFF.
///
/// A UTF-8 byte order mark is one only at the very start of the input
/// (where [`ByteInput::skip_bom`] takes it). Anywhere else, after blank
/// lines say, the same bytes are U+FEFF ZERO WIDTH NO-BREAK SPACE: an
/// invisible character no one means as part of a column's name, so it is
/// removed from header names (the name shown in messages and written by the
/// CSV outputs too), not from data cells, which are kept as written.
fn header_name(cell: &str) -> String {
    cell.replace('\u{feff}', "")
}

/// Bytes of the first line looked at to sniff the delimiter.
const SNIFF_BYTES: usize = 64 << 10;

impl CsvSource {
    /// Reads the header, sniffing the delimiter from it. An empty input has
    /// no header and no rows.
    pub fn open(input: ByteInput) -> Result<CsvSource, Error> {
        CsvSource::open_with(input, None)
    }

    /// Reads the header; `delimiter` (`None`: sniffed from the header line).
    pub fn open_with(mut input: ByteInput, delimiter: Option<u8>) -> Result<CsvSource, Error> {
        let bom = input.skip_bom()?;
        let delimiter = match delimiter {
            Some(d) => d,
            None => sniff_delimiter(&peek_first_line(&mut input)?),
        };
        let mut source = CsvSource {
            input,
            header: Vec::new(),
            decoder: Decoder::new(delimiter),
            rec: Vec::new(),
            line: 1,
            prev_cr: false,
            delimiter,
            names: Vec::new(),
            skip_line: false,
            blank: 0,
            style: CsvStyle { bom, crlf: false },
            ahead: std::collections::VecDeque::new(),
            ahead_error: None,
        };
        let Some(scan) = source.scan()? else {
            return Ok(source);
        };
        let name = source.input.name().to_owned();
        let bad = |what: &str| {
            Error::new(format!(
                "INPUT {name}: the CSV header (line {}) {what}",
                scan.start_line
            ))
        };
        match scan.end {
            End::Terminator(t) => source.style.crlf = t == b'\r',
            End::Eof => {}
            End::EofInQuotes | End::Overflow => return Err(bad("has an unbalanced quote")),
            End::TooLong => return Err(bad("is too long")),
        }
        let rec = std::mem::take(&mut source.rec);
        let cells = source
            .decoder
            .decode(&rec)
            .cloned()
            .ok_or_else(|| bad("cannot be read"))?;
        let cells = StringRecord::from_byte_record(cells).map_err(|_| bad("is not UTF-8"))?;
        if cells.len() > MAX_COLUMNS {
            return Err(bad(&format!(
                "has {} columns; at most {MAX_COLUMNS} are read (a spreadsheet's limit)",
                cells.len()
            )));
        }
        source.names = cells.iter().map(header_name).collect();
        let mut header = Vec::with_capacity(cells.len());
        // Names seen so far: one hash lookup a cell (the scan of the columns
        // before it was quadratic: 160k columns took 33 s).
        let mut seen = std::collections::HashSet::with_capacity(cells.len());
        for name in &source.names {
            let name = name.trim();
            let column = match name {
                "" => Column::Skip,
                "region" => Column::Region,
                _ => Column::Field(name.to_owned()),
            };
            if column != Column::Skip && !seen.insert(name) {
                return Err(bad(&format!(
                    "names the column `{}` twice",
                    name.escape_debug()
                )));
            }
            header.push(column);
        }
        source.header = header;
        source.rec = rec;
        Ok(source)
    }

    /// Finds the next record's bytes (into `self.rec`, without the
    /// terminator); `None` at the end of the input.
    fn scan(&mut self) -> Result<Option<Scan>, Error> {
        self.rec.clear();
        if self.skip_line {
            self.skip_rest_of_line()?;
        }
        if let Some(scan) = self.scan_plain_line()? {
            return Ok(Some(scan));
        }
        let mut state = State::StartRecord;
        let mut start_line = self.line;
        let mut has_break = false;
        let mut sloppy = false;
        // Line counting on locals: `buf` below borrows `self.input`.
        let mut line = self.line;
        let mut prev_cr = self.prev_cr;
        let delimiter = self.delimiter;
        let result = loop {
            let buf = self.input.fill()?;
            if buf.is_empty() {
                let end = match state {
                    State::StartRecord => break None,
                    State::InQuoted => End::EofInQuotes,
                    _ => End::Eof,
                };
                break Some(Scan {
                    start_line,
                    end,
                    sloppy,
                });
            }
            let mut seg_start = 0;
            let mut i = 0;
            let mut finished: Option<End> = None;
            while i < buf.len() {
                let b = buf[i];
                let is_break = b == b'\n' || b == b'\r';
                if is_break {
                    if b == b'\r' || !prev_cr {
                        line += 1;
                    }
                    prev_cr = b == b'\r';
                } else {
                    prev_cr = false;
                }
                i += 1;
                match state {
                    State::StartRecord => {
                        if is_break {
                            // A blank line: skipped.
                            seg_start = i;
                            continue;
                        }
                        // `line` is already past this byte, which is no break.
                        start_line = line;
                        state = match b {
                            b'"' => State::InQuoted,
                            d if d == delimiter => State::StartField,
                            _ => State::InField,
                        };
                    }
                    State::StartField | State::QuoteInQuoted if is_break => {
                        finished = Some(End::Terminator(b));
                    }
                    State::StartField => {
                        state = match b {
                            b'"' => State::InQuoted,
                            d if d == delimiter => State::StartField,
                            _ => State::InField,
                        };
                    }
                    State::QuoteInQuoted => {
                        state = match b {
                            b'"' => State::InQuoted,
                            d if d == delimiter => State::StartField,
                            _ => {
                                sloppy = true;
                                State::InField
                            }
                        };
                    }
                    State::InField => {
                        if is_break {
                            finished = Some(End::Terminator(b));
                        } else if b == delimiter {
                            state = State::StartField;
                        }
                    }
                    State::InQuoted => {
                        if b == b'"' {
                            state = State::QuoteInQuoted;
                        } else if is_break {
                            has_break = true;
                        }
                    }
                }
                if finished.is_some() {
                    // The terminator is not part of the record.
                    self.rec.extend_from_slice(&buf[seg_start..i - 1]);
                    break;
                }
            }
            if finished.is_none() {
                self.rec.extend_from_slice(&buf[seg_start..i]);
            }
            self.input.consume(i);
            if let Some(mut end) = finished {
                // A record over the limit that ends inside this one read is
                // as long as one that arrives in pieces (which the check
                // below judges too long): the same answer, whatever the
                // reads' sizes (found by the `import_reader` fuzz target).
                if !has_break && self.rec.len() > MAX_RECORD_BYTES {
                    self.rec.clear();
                    end = End::TooLong;
                }
                break Some(Scan {
                    start_line,
                    end,
                    sloppy,
                });
            }
            if self.rec.len() > MAX_RECORD_BYTES {
                if has_break {
                    break Some(Scan {
                        start_line,
                        end: End::Overflow,
                        sloppy,
                    });
                }
                // One line over the limit: judged now, not at its end (which
                // may never come: `/dev/zero`). The next scan skips the rest.
                self.rec.clear();
                self.skip_line = true;
                break Some(Scan {
                    start_line,
                    end: End::TooLong,
                    sloppy,
                });
            }
        };
        self.line = line;
        self.prev_cr = prev_cr;
        Ok(result)
    }

    /// Skips the rest of a line judged too long (up to its line break, which
    /// is left to end it), at most [`MAX_SKIP_BYTES`]: a line that goes on
    /// past that ends the reading with an error.
    fn skip_rest_of_line(&mut self) -> Result<(), Error> {
        let mut skipped = 0usize;
        loop {
            let buf = self.input.fill()?;
            if buf.is_empty() {
                break;
            }
            let (n, found) = match memchr::memchr2(b'\n', b'\r', buf) {
                Some(at) => (at, true),
                None => (buf.len(), false),
            };
            self.input.consume(n);
            skipped += n;
            if found {
                break;
            }
            if skipped > MAX_SKIP_BYTES {
                return Err(Error::new(format!(
                    "INPUT {}: line {} goes on for more than {} MiB without a line break: this is \
                     no CSV of contacts; reading stopped there (the rows before it were read)",
                    self.input.name(),
                    self.line,
                    (MAX_RECORD_BYTES + MAX_SKIP_BYTES) >> 20
                )));
            }
        }
        self.skip_line = false;
        Ok(())
    }

    /// The fast path of [`CsvSource::scan`]: the next record when it is a
    /// whole line of the buffered input, not blank and without a quote (the
    /// state machine would only pass over its bytes). `None` leaves the
    /// input as it was, for the general scan.
    fn scan_plain_line(&mut self) -> Result<Option<Scan>, Error> {
        let buf = self.input.fill()?;
        // A break at 0 is a blank line, or the `\n` of a `\r\n` (the general
        // scan counts lines across those).
        let end = match memchr::memchr2(b'\n', b'\r', buf) {
            Some(end) if end > 0 && end <= MAX_RECORD_BYTES => end,
            _ => return Ok(None),
        };
        if memchr::memchr(b'"', &buf[..end]).is_some() {
            return Ok(None);
        }
        let terminator = buf[end];
        self.rec.extend_from_slice(&buf[..end]);
        self.input.consume(end + 1);
        let start_line = self.line;
        // The record's first byte is no break, so its terminator starts a
        // new line whatever came before.
        self.line += 1;
        self.prev_cr = terminator == b'\r';
        Ok(Some(Scan {
            start_line,
            end: End::Terminator(terminator),
            sloppy: false,
        }))
    }

    /// Makes the first line of the scanned record an invalid row and hands
    /// the lines after it back to be scanned again.
    fn split_off_first_line(&mut self, scan: &Scan) {
        let first_break = self
            .rec
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(self.rec.len());
        let mut rest_start = first_break + 1;
        if self.rec.get(first_break) == Some(&b'\r') && self.rec.get(rest_start) == Some(&b'\n') {
            rest_start += 1;
        }
        let mut rest = self.rec[rest_start.min(self.rec.len())..].to_vec();
        if let End::Terminator(t) = scan.end {
            rest.push(t);
        }
        self.input.push_back(&rest);
        self.line = scan.start_line + 1;
        self.prev_cr = false;
    }
}

/// A record's cells as text, each byte sequence that is not UTF-8 shown as
/// U+FFFD (what `String::from_utf8_lossy` makes of it).
fn lossy(record: ByteRecord) -> StringRecord {
    record
        .iter()
        .map(|cell| String::from_utf8_lossy(cell))
        .collect()
}

/// Records longer than this are copied out at their own size and the
/// decoder's buffer is dropped after them (see [`compact_copy`]); shorter
/// ones are cloned, which is cheaper.
const LONG_RECORD_BYTES: usize = 64 << 10;

/// A copy of `record` that holds just its bytes.
///
/// `ByteRecord::clone` copies the record's whole field buffer, which only
/// ever grows: after one 1 MiB cell, every later row cloned from the reused
/// decoder record carried a 1-2 MiB buffer, so a 2048-row chunk took GBs
/// (issue 14: 4.6 GB of RSS for a 100k-row file with one long cell).
fn compact_copy(record: &ByteRecord) -> ByteRecord {
    let mut copy = ByteRecord::with_capacity(record.as_slice().len(), record.len());
    for field in record {
        copy.push_field(field);
    }
    copy
}

impl Source for CsvSource {
    fn header(&self) -> &[Column] {
        &self.header
    }

    fn names(&self) -> &[String] {
        &self.names
    }

    fn set_header(&mut self, columns: Vec<Column>) {
        debug_assert_eq!(columns.len(), self.header.len());
        self.header = columns;
    }

    fn sample(&mut self, rows: usize) -> Vec<::csv::StringRecord> {
        self.sample_records(rows)
    }

    fn delimiter(&self) -> Option<u8> {
        Some(self.delimiter)
    }

    fn blank_rows(&self) -> u64 {
        self.blank
    }

    fn csv_style(&self) -> Option<CsvStyle> {
        Some(self.style)
    }

    fn consumed(&self) -> u64 {
        self.input.consumed()
    }

    fn next_row(&mut self) -> Result<Option<RawRow>, Error> {
        loop {
            let record = match self.ahead.pop_front() {
                Some(record) => record,
                None => match self.ahead_error.take() {
                    Some(e) => return Err(e),
                    None => self.next_record()?,
                },
            };
            match record {
                Record::Blank => self.blank += 1,
                Record::Row(row) => return Ok(Some(row)),
                Record::End => return Ok(None),
            }
        }
    }
}

impl CsvSource {
    /// The first `rows` records after the header (fewer at the end of the
    /// input), read ahead and kept: [`Source::next_row`] still gives every
    /// one, in order, and an error met while reading ahead comes after
    /// them, where it would have come. For guessing columns from their
    /// values ([`crate::columns::map_header_sampled`]).
    pub fn sample_records(&mut self, rows: usize) -> Vec<::csv::StringRecord> {
        while self.ahead.len() < rows && self.ahead_error.is_none() {
            match self.next_record() {
                Ok(Record::End) => break,
                Ok(record) => self.ahead.push_back(record),
                Err(e) => self.ahead_error = Some(e),
            }
        }
        self.ahead
            .iter()
            .filter_map(|r| match r {
                Record::Row(RawRow::Csv(cells)) => Some(cells.clone()),
                _ => None,
            })
            .collect()
    }
}

/// What [`CsvSource::next_record`] found.
enum Record {
    Row(RawRow),
    /// A record whose cells are all blank (see [`is_blank`]): no row.
    Blank,
    End,
}

impl CsvSource {
    /// The next record, blank or not.
    fn next_record(&mut self) -> Result<Record, Error> {
        let Some(scan) = self.scan()? else {
            return Ok(Record::End);
        };
        let line = scan.start_line;
        let multi_line = memchr::memchr2(b'\n', b'\r', &self.rec).is_some();
        let unbalanced = |line: u64| {
            RawRow::Malformed(format!(
                "line {line}: unbalanced quote: a quoted field opened on this line is never \
                 closed; the lines after it are read as rows of their own"
            ))
        };
        match scan.end {
            End::TooLong => {
                return Ok(Record::Row(RawRow::Malformed(format!(
                    "line {line}: the record is longer than {} MiB",
                    MAX_RECORD_BYTES >> 20
                ))))
            }
            End::EofInQuotes | End::Overflow if multi_line => {
                self.split_off_first_line(&scan);
                return Ok(Record::Row(unbalanced(line)));
            }
            End::EofInQuotes | End::Overflow => {
                return Ok(Record::Row(RawRow::Malformed(format!(
                    "line {line}: unbalanced quote: a quoted field is never closed before the \
                     end of the input"
                ))))
            }
            End::Terminator(_) | End::Eof => {}
        }
        let want = self.header.len();
        if multi_line && scan.sloppy {
            self.split_off_first_line(&scan);
            return Ok(Record::Row(unbalanced(line)));
        }
        let Some(cells) = self.decoder.decode(&self.rec) else {
            return Ok(Record::Row(RawRow::Malformed(format!(
                "line {line}: the record cannot be read as CSV"
            ))));
        };
        // A spreadsheet's blank row, whatever its cell count (a row of a
        // quote gone wrong over several lines is no blank row).
        if !multi_line && is_blank(cells) {
            return Ok(Record::Blank);
        }
        if cells.len() != want {
            if multi_line {
                // A quote that opened a field and closed lines later, in
                // another record: most likely unbalanced.
                let got = cells.len();
                self.split_off_first_line(&scan);
                return Ok(Record::Row(RawRow::Malformed(format!(
                    "line {line}: unbalanced quote: a quoted field opened on this line runs \
                     over several lines and leaves {got} cells where the header has {want}; \
                     the lines after it are read as rows of their own"
                ))));
            }
            let got = cells.len();
            let s = if got == 1 { "" } else { "s" };
            return Ok(Record::Row(RawRow::Malformed(format!(
                "line {line}: {got} cell{s} where the header has {want}"
            ))));
        }
        let record = if self.rec.len() > LONG_RECORD_BYTES {
            let copy = compact_copy(cells);
            // The decoder's record keeps the long record's buffer: start
            // afresh, so the rows after it are not cloned at that size.
            self.decoder.record = ByteRecord::new();
            copy
        } else {
            cells.clone()
        };
        match StringRecord::from_byte_record(record) {
            Ok(record) => Ok(Record::Row(RawRow::Csv(record))),
            Err(e) => Ok(Record::Row(RawRow::Undecodable {
                cells: lossy(e.into_byte_record()),
                message: crate::undecodable(line),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = Vec<Result<Vec<String>, String>>;

    fn rows(input: &[u8]) -> (Vec<Column>, Rows) {
        rows_in_steps(input, usize::MAX)
    }

    /// The rows of `input` read `step` bytes at a time. One byte at a time
    /// never finds a whole line in the buffer, so every record goes through
    /// the general scan.
    fn rows_in_steps(input: &[u8], step: usize) -> (Vec<Column>, Rows) {
        let mut source = CsvSource::open(ByteInput::from_bytes_in_steps(input, step)).unwrap();
        let mut out = Vec::new();
        while let Some(row) = source.next_row().unwrap() {
            out.push(match row {
                RawRow::Csv(r) => Ok(r.iter().map(str::to_owned).collect()),
                RawRow::Malformed(m) => Err(m),
                RawRow::Undecodable { cells, message } => {
                    Err(format!("{message} {:?}", cells.iter().collect::<Vec<_>>()))
                }
                RawRow::Json { .. } => unreachable!(),
            });
        }
        (source.header, out)
    }

    fn ok(cells: &[&str]) -> Result<Vec<String>, String> {
        Ok(cells.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn a_record_over_the_limit_is_too_long_whatever_the_read_size() {
        // Found by the `import_reader` fuzz target: a record that ended
        // inside one read skipped the length check.
        let long = |prefix: &[u8]| {
            let mut v = prefix.to_vec();
            v.resize(prefix.len() + MAX_RECORD_BYTES + 16, b'A');
            v.extend_from_slice(b"\xcd\n");
            v
        };
        let header = long(b"");
        for step in [usize::MAX, 4096, 7] {
            let err = CsvSource::open(ByteInput::from_bytes_in_steps(&header, step))
                .err()
                .expect("refused");
            assert!(err.to_string().contains("is too long"), "{step}: {err}");
        }
        let mut body = b"name,phone\n".to_vec();
        body.extend(long(b"x,"));
        body.extend_from_slice(b"ann,1\n");
        for step in [usize::MAX, 4096, 7] {
            let mut source = CsvSource::open(ByteInput::from_bytes_in_steps(&body, step)).unwrap();
            let first = source.next_row().unwrap().unwrap();
            assert!(
                matches!(&first, RawRow::Malformed(m) if m.contains("longer than")),
                "{step}: {first:?}"
            );
            let second = source.next_row().unwrap().unwrap();
            assert!(matches!(second, RawRow::Csv(_)), "{step}: {second:?}");
        }
    }

    #[test]
    fn an_endless_line_is_judged_at_the_limit() {
        // Issue 33.7: `/dev/zero` as CSV read forever (a header) or skipped
        // forever (a row); both end now, whatever the byte.
        for byte in [0, b'x'] {
            let err = CsvSource::open(ByteInput::endless(b"", byte))
                .err()
                .expect("refused");
            assert!(
                err.to_string()
                    .contains("the CSV header (line 1) is too long"),
                "{err}"
            );
            let err = CsvSource::open(ByteInput::endless(b"\n\n", byte))
                .err()
                .expect("refused");
            assert!(err.to_string().contains("(line 3) is too long"), "{err}");
            let mut source = CsvSource::open(ByteInput::endless(b"a,b\n1,2\n", byte)).unwrap();
            assert!(matches!(source.next_row().unwrap(), Some(RawRow::Csv(_))));
            let row = source.next_row().unwrap();
            assert!(
                matches!(&row, Some(RawRow::Malformed(m)) if m == "line 3: the record is longer than 4 MiB"),
                "{row:?}"
            );
            let err = source.next_row().unwrap_err().to_string();
            assert_eq!(
                err,
                "INPUT endless input: line 3 goes on for more than 64 MiB without a line break: \
                 this is no CSV of contacts; reading stopped there (the rows before it were read)"
            );
            let read = source.consumed() as usize;
            assert!(
                read <= MAX_RECORD_BYTES + MAX_SKIP_BYTES + (1 << 18),
                "{read}"
            );
        }
    }

    #[test]
    fn a_long_line_judged_early_still_ends_at_its_break() {
        // The rest of a line over the limit is skipped up to its break; the
        // line after it is read with its own number, for every read size.
        for step in [usize::MAX, 4096, 7] {
            let mut input = b"a,b\n".to_vec();
            input.resize(input.len() + MAX_RECORD_BYTES + 100, b'x');
            input.extend_from_slice(b"\r\n3,4\n\"5\n5\",6\n");
            let mut source = CsvSource::open(ByteInput::from_bytes_in_steps(&input, step)).unwrap();
            let row = source.next_row().unwrap().unwrap();
            assert!(
                matches!(&row, RawRow::Malformed(m) if m.starts_with("line 2: ")),
                "{row:?}"
            );
            let row = source.next_row().unwrap().unwrap();
            assert!(
                matches!(&row, RawRow::Csv(r) if r == vec!["3", "4"]),
                "{row:?}"
            );
            let row = source.next_row().unwrap().unwrap();
            assert!(
                matches!(&row, RawRow::Csv(r) if r == vec!["5\n5", "6"]),
                "{row:?}"
            );
            assert!(source.next_row().unwrap().is_none());
            assert_eq!(source.line, 6);
        }
    }

    #[test]
    fn a_byte_order_mark_is_one_only_at_offset_0() {
        // Issues 32 and 33.4 (the `import_reader` fuzz target): the mark
        // after blank lines stayed in the first header name.
        for input in [
            &b"\n\xEF\xBB\xBFa"[..],
            b"\n\n\xEF\xBB\xBFmrtsa_,phone",
            b"\xEF\xBB\xBF\r\n\xEF\xBB\xBF\"a\",ph\xEF\xBB\xBFone\n1,2\n",
        ] {
            let source = CsvSource::open(ByteInput::from_bytes(input)).unwrap();
            assert!(
                source.names.iter().all(|n| !n.contains('\u{feff}')),
                "{:?}",
                source.names
            );
            assert!(!source.header.is_empty());
        }
        let (header, rows) =
            rows(b"\n\n\xEF\xBB\xBFmrtsa_,phone\n\xEF\xBB\xBFx,\"\xEF\xBB\xBFy\"\n");
        assert_eq!(
            header,
            [
                Column::Field("mrtsa_".into()),
                Column::Field("phone".into())
            ]
        );
        // Data cells are kept as written, whichever path decodes them (the
        // csv crate strips a mark from the first bytes it is handed).
        assert_eq!(rows, vec![ok(&["\u{feff}x", "\u{feff}y"])]);
    }

    #[test]
    fn blank_rows_are_skipped_and_counted() {
        // Issue 32: Excel's `;;;;` rows were invalid rows.
        let input = b"a,b,c\n,,\n , ,\n,\n,,,\n1,2,3\n\"\",,\n\" \n\",,\n";
        let mut source = CsvSource::open(ByteInput::from_bytes(input)).unwrap();
        let mut got = Vec::new();
        while let Some(row) = source.next_row().unwrap() {
            got.push(row);
        }
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(matches!(&got[0], RawRow::Csv(r) if r == vec!["1", "2", "3"]));
        // A quoted line break is something: not blank.
        assert!(matches!(&got[1], RawRow::Csv(r) if r == vec![" \n", "", ""]));
        assert_eq!(source.blank_rows(), 5);
    }

    #[test]
    fn a_wide_header_is_read_in_linear_time_and_bounded() {
        // Issue 33.2: each name was compared with every name before it.
        let names: Vec<String> = (0..MAX_COLUMNS).map(|i| format!("c{i}")).collect();
        let mut input = names.join(",").into_bytes();
        input.push(b'\n');
        let source = CsvSource::open(ByteInput::from_bytes(&input)).unwrap();
        assert_eq!(source.header.len(), MAX_COLUMNS);
        input.pop();
        input.extend_from_slice(b",one more\n");
        let err = CsvSource::open(ByteInput::from_bytes(&input))
            .err()
            .unwrap();
        assert!(
            err.to_string()
                .ends_with("has 16385 columns; at most 16384 are read (a spreadsheet's limit)"),
            "{err}"
        );
        let mut twice = names[..100].join(",");
        twice.push_str(",c7\n");
        let err = CsvSource::open(ByteInput::from_bytes(twice.as_bytes()))
            .err()
            .unwrap();
        assert!(
            err.to_string().ends_with("names the column `c7` twice"),
            "{err}"
        );
    }

    #[test]
    fn header_and_quoting() {
        let (header, r) = rows(
            b"\xEF\xBB\xBFname, phone ,region,\r\n\"Doe, Jane\",\"+1 \"\"415\"\"\n555\",GB,x\r\n\r\nab\"c,1,,\n",
        );
        assert_eq!(
            header,
            [
                Column::Field("name".into()),
                Column::Field("phone".into()),
                Column::Region,
                Column::Skip
            ]
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[0], ok(&["Doe, Jane", "+1 \"415\"\n555", "GB", "x"]));
        assert_eq!(r[1], ok(&["ab\"c", "1", "", ""]));
    }

    #[test]
    fn empty_and_header_only() {
        assert_eq!(rows(b"").1.len(), 0);
        assert_eq!(rows(b"a,b").1.len(), 0);
        assert_eq!(rows(b"a,b\n\n\n").1.len(), 0);
        assert_eq!(rows(b"a,b\n1,2").1, vec![ok(&["1", "2"])]);
    }

    #[test]
    fn wrong_cell_count_is_one_bad_row() {
        let (_, r) = rows(b"a,b\n1,2,3\n4\n5,6\n");
        assert!(r[0].as_ref().unwrap_err().contains("line 2: 3 cells"));
        assert!(r[1].as_ref().unwrap_err().contains("line 3: 1 cell where"));
        assert_eq!(r[2], ok(&["5", "6"]));
    }

    #[test]
    fn unbalanced_quote_at_eof_spares_later_lines() {
        let (_, r) = rows(b"a,b\n1,2\n\"3,4\n5,6\n7,8\n");
        assert_eq!(r.len(), 4, "{r:?}");
        assert_eq!(r[0], ok(&["1", "2"]));
        assert!(r[1]
            .as_ref()
            .unwrap_err()
            .contains("line 3: unbalanced quote"));
        assert_eq!(r[2], ok(&["5", "6"]));
        assert_eq!(r[3], ok(&["7", "8"]));
    }

    #[test]
    fn unbalanced_quote_closed_later_spares_lines_in_between() {
        let (_, r) = rows(b"a,b\r\n\"x,1\r\n5,6\r\n\"q\",7\r\n8,9\r\n");
        assert_eq!(r.len(), 4, "{r:?}");
        assert!(r[0]
            .as_ref()
            .unwrap_err()
            .contains("line 2: unbalanced quote"));
        assert_eq!(r[1], ok(&["5", "6"]));
        assert_eq!(r[2], ok(&["q", "7"]));
        assert_eq!(r[3], ok(&["8", "9"]));
    }

    #[test]
    fn unbalanced_quote_on_the_last_line() {
        let (_, r) = rows(b"a,b\n1,\"2");
        assert!(r[0]
            .as_ref()
            .unwrap_err()
            .contains("line 2: unbalanced quote"));
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn line_numbers_after_multi_line_fields() {
        let (_, r) = rows(b"a,b\r\n\"1\r\n1\",2\r\n3\r\n");
        assert_eq!(r[0], ok(&["1\r\n1", "2"]));
        assert!(r[1].as_ref().unwrap_err().starts_with("line 4:"), "{r:?}");
    }

    #[test]
    fn carriage_returns_only() {
        let (_, r) = rows(b"a,b\r1,2\r3,4");
        assert_eq!(r, vec![ok(&["1", "2"]), ok(&["3", "4"])]);
    }

    #[test]
    fn invalid_utf8_is_a_bad_row_that_keeps_its_cells() {
        let (_, r) = rows(b"a,b\n\xff,1\n2,3\nx\xC3,\"\xC3\xA9\"\n");
        assert_eq!(
            r[0].as_ref().unwrap_err(),
            &format!("{} [\"\u{FFFD}\", \"1\"]", crate::undecodable(2))
        );
        assert_eq!(r[1], ok(&["2", "3"]));
        assert!(r[2]
            .as_ref()
            .unwrap_err()
            .ends_with("[\"x\u{FFFD}\", \"\u{e9}\"]"));
    }

    #[test]
    fn delimiters_are_sniffed_from_the_header_line() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter(b"\r\n\na\tb,c\td\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"x;y;z\",b\n"), b',');
        assert_eq!(sniff_delimiter(b"a|b\n"), b'|');
        assert_eq!(sniff_delimiter(b"phone\n1;2;3"), b',');
        assert_eq!(sniff_delimiter(b""), b',');
        // The header's first line is found whatever the reads' sizes.
        for step in [1, 2, 5, 64] {
            let mut s = CsvSource::open(ByteInput::from_bytes_in_steps(
                b"\n\"a;\nb\";c;d\n1;2;3\n",
                step,
            ))
            .unwrap();
            assert_eq!(s.delimiter, b';', "step {step}");
            assert_eq!(s.names, ["a;\nb", "c", "d"]);
            assert!(matches!(s.next_row().unwrap(), Some(RawRow::Csv(r)) if r.len() == 3));
        }
        let s = CsvSource::open_with(ByteInput::from_bytes(b"a;b,c\n"), Some(b',')).unwrap();
        assert_eq!(s.header.len(), 2);
    }

    #[test]
    fn duplicate_header_is_an_error() {
        assert!(CsvSource::open(ByteInput::from_bytes(b"a,b,a\n")).is_err());
    }

    #[test]
    fn huge_line_is_skipped_not_buffered() {
        let mut input = b"a,b\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 200_000));
        input.extend_from_slice(b",1\n2,3\n");
        let (_, r) = rows(&input);
        assert!(matches!(&r[0], Err(m) if m.contains("longer than")));
        assert_eq!(r[1], ok(&["2", "3"]));
    }

    #[test]
    fn runaway_quote_is_bounded() {
        let mut input = b"a,b\n\"open,1\n".to_vec();
        for i in 0..(MAX_RECORD_BYTES / 8) {
            input.extend_from_slice(format!("{},2\n", i % 1000).as_bytes());
        }
        let (_, r) = rows(&input);
        assert!(r[0].as_ref().unwrap_err().contains("unbalanced"));
        assert_eq!(r.len(), 1 + MAX_RECORD_BYTES / 8);
        assert!(r[1..].iter().all(Result::is_ok));
    }

    /// Bytes that matter to CSV, two halves of `é`, a byte that is never
    /// UTF-8, and plain letters.
    fn csv_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
        let byte = prop::sample::select(vec![
            b'a', b'b', b'c', b',', b',', b'"', b'\n', b'\r', b' ', 0xC3, 0xA9, 0xFF,
        ]);
        prop::collection::vec(byte, 0..max)
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The whole-line fast path finds the records, line numbers and
        /// errors the byte-at-a-time scan finds.
        #[test]
        fn fast_scan_agrees_with_the_general_scan(
            header in prop::sample::select(vec![&b"a\n"[..], b"a,b\n", b"a,b,c\r\n", b"a,,b\r"]),
            body in csv_bytes(160),
            step in 2usize..9,
        ) {
            let mut input = header.to_vec();
            input.extend_from_slice(&body);
            let general = rows_in_steps(&input, 1);
            prop_assert_eq!(&rows(&input), &general);
            prop_assert_eq!(&rows_in_steps(&input, step), &general);
        }

        /// A quote-free record cut at its commas gives the cells the `csv`
        /// crate decodes from it.
        #[test]
        fn plain_split_agrees_with_the_csv_crate(
            rec in csv_bytes(40).prop_map(|v| {
                v.into_iter().filter(|b| !matches!(b, b'"' | b'\n' | b'\r')).collect::<Vec<u8>>()
            }),
            delimiter in prop::sample::select(vec![b',', b';', b'\t', b'|', b'a']),
        ) {
            // The scanner never makes an empty record (a blank line is skipped).
            prop_assume!(!rec.is_empty());
            let mut by_crate = Decoder::new(delimiter);
            let by_crate = by_crate.decode_with_csv_crate(&rec).cloned();
            prop_assert!(by_crate.is_some());
            prop_assert_eq!(Decoder::new(delimiter).decode(&rec).cloned(), by_crate);
        }

        /// With another delimiter, a file reads as the same file with commas
        /// would (commas swapped with it), whatever the reads' sizes.
        #[test]
        fn other_delimiters_read_as_commas_do(
            body in csv_bytes(120),
            delimiter in prop::sample::select(vec![b';', b'\t', b'|']),
            step in 1usize..9,
        ) {
            let swap = |v: &[u8]| -> Vec<u8> {
                v.iter()
                    .map(|&b| match b {
                        b',' => delimiter,
                        b if b == delimiter => b',',
                        b => b,
                    })
                    .collect()
            };
            let mut input = b"a,b,c\n".to_vec();
            input.extend_from_slice(&body);
            let (header, want) = rows(&input);
            let swapped = swap(&input);
            let mut source = CsvSource::open(ByteInput::from_bytes_in_steps(&swapped, step)).unwrap();
            prop_assert_eq!(source.delimiter, delimiter);
            prop_assert_eq!(&source.header, &header);
            for want in want {
                let got = match source.next_row().unwrap() {
                    Some(RawRow::Csv(r)) => Ok(r.iter().map(|c| swap(c.as_bytes())).collect::<Vec<_>>()),
                    Some(RawRow::Malformed(m)) => Err(m),
                    Some(RawRow::Undecodable { cells, message }) => {
                        let back: Vec<String> = cells
                            .iter()
                            .map(|c| String::from_utf8(swap(c.as_bytes())).unwrap())
                            .collect();
                        Err(format!("{message} {back:?}"))
                    }
                    other => panic!("{other:?}"),
                };
                let want = want.map(|cells| cells.iter().map(|c| c.as_bytes().to_vec()).collect::<Vec<_>>());
                prop_assert_eq!(got, want);
            }
            prop_assert!(source.next_row().unwrap().is_none());
        }
    }
}
