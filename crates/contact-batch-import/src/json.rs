//! JSON inputs: NDJSON (one object per line) and a JSON array of objects.
//!
//! Both are cut into one byte buffer per row here and parsed row by row
//! with the core's parser, so a row that is not valid JSON (or repeats a
//! key) is that row's invalid outcome and the run goes on. The array is
//! never held whole: a small scanner finds where each element ends (tracking
//! strings and bracket depth), so memory stays at one element. No row is
//! buffered past [`MAX_ROW_BYTES`].

use crate::csv::Column;
use crate::input::ByteInput;
use crate::Error;
use crate::{RawRow, Source};

/// The longest row kept; longer ones are reported invalid as soon as they
/// cross it, and the rest of them is skipped (at most
/// [`MAX_SKIP_BYTES`](crate::csv::MAX_SKIP_BYTES) of it: a row that goes on
/// past that, `/dev/zero` say, ends the reading with an error).
pub const MAX_ROW_BYTES: usize = 4 << 20;

use crate::csv::MAX_SKIP_BYTES;

/// The error for a row that goes on past the limit and the skip budget.
fn endless(input: &ByteInput, line: u64) -> Error {
    Error::new(format!(
        "INPUT {}: the row on line {line} goes on for more than {} MiB: this is no file of \
         contacts; reading stopped there (the rows before it were read)",
        input.name(),
        (MAX_ROW_BYTES + MAX_SKIP_BYTES) >> 20
    ))
}

/// The most whitespace (blank lines included) read in one run with no row
/// in it: an endless stream of spaces or empty lines (`yes ''`) is no file
/// of contacts, and would otherwise be read forever.
pub const MAX_BLANK_RUN_BYTES: usize = MAX_ROW_BYTES + MAX_SKIP_BYTES;

/// The error for a run of whitespace past [`MAX_BLANK_RUN_BYTES`].
fn endless_blank(input: &ByteInput, line: u64) -> Error {
    Error::new(format!(
        "INPUT {}: more than {} MiB of blank space from line {line} on, with no row in it:          this is no file of contacts; reading stopped there (the rows before it were read)",
        input.name(),
        MAX_BLANK_RUN_BYTES >> 20
    ))
}

fn too_long(line: u64) -> RawRow {
    RawRow::Malformed(format!(
        "line {line}: the row is longer than {} MiB",
        MAX_ROW_BYTES >> 20
    ))
}

/// NDJSON: one JSON object per line; blank lines are skipped.
pub struct NdjsonSource {
    input: ByteInput,
    buf: Vec<u8>,
    /// The line the next unread byte is on (1-based).
    line: u64,
    /// The last row was judged too long before its end: the next call skips
    /// the rest of its line first.
    skip_line: bool,
}

impl NdjsonSource {
    /// Starts reading NDJSON lines from `input` (a byte order mark first is
    /// skipped).
    pub fn open(mut input: ByteInput) -> Result<NdjsonSource, Error> {
        let _ = input.skip_bom()?;
        Ok(NdjsonSource {
            input,
            buf: Vec::new(),
            line: 1,
            skip_line: false,
        })
    }

    /// Skips the rest of a line judged too long, through its `\n`.
    fn skip_rest_of_line(&mut self) -> Result<(), Error> {
        let mut skipped = 0usize;
        loop {
            let chunk = self.input.fill()?;
            if chunk.is_empty() {
                break;
            }
            if let Some(p) = memchr::memchr(b'\n', chunk) {
                self.input.consume(p + 1);
                break;
            }
            let n = chunk.len();
            self.input.consume(n);
            skipped += n;
            if skipped > MAX_SKIP_BYTES {
                return Err(endless(&self.input, self.line));
            }
        }
        self.skip_line = false;
        self.line += 1;
        Ok(())
    }
}

impl Source for NdjsonSource {
    fn header(&self) -> &[Column] {
        &[]
    }

    fn consumed(&self) -> u64 {
        self.input.consumed()
    }

    fn next_row(&mut self) -> Result<Option<RawRow>, Error> {
        if self.skip_line {
            self.skip_rest_of_line()?;
        }
        // Blank lines skipped by this call, and where they began.
        let (mut blank, blank_from) = (0usize, self.line);
        loop {
            if blank > MAX_BLANK_RUN_BYTES {
                return Err(endless_blank(&self.input, blank_from));
            }
            self.buf.clear();
            let line = self.line;
            let mut saw_any = false;
            loop {
                let chunk = self.input.fill()?;
                if chunk.is_empty() {
                    break;
                }
                saw_any = true;
                let (take, done) = match memchr::memchr(b'\n', chunk) {
                    Some(p) => (p + 1, true),
                    None => (chunk.len(), false),
                };
                if self.buf.len() + take > MAX_ROW_BYTES {
                    // Judged as soon as it crosses the limit, not at its end
                    // (which may never come); the next call skips the rest.
                    self.buf.clear();
                    if done {
                        self.input.consume(take);
                        self.line += 1;
                    } else {
                        let n = chunk.len();
                        self.input.consume(n);
                        self.skip_line = true;
                    }
                    return Ok(Some(too_long(line)));
                }
                self.buf.extend_from_slice(&chunk[..take]);
                self.input.consume(take);
                if done {
                    break;
                }
            }
            if !saw_any {
                return Ok(None);
            }
            self.line += 1;
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                blank += self.buf.len();
                continue;
            }
            return Ok(Some(RawRow::Json {
                bytes: std::mem::take(&mut self.buf),
                line,
            }));
        }
    }
}

/// A JSON array of objects, read element by element.
pub struct ArraySource {
    input: ByteInput,
    line: u64,
    /// After the closing `]` or the end of the input.
    done: bool,
    /// The last element was judged too long before its end (where its scan
    /// was, and the line it starts on): the next call skips the rest first.
    skip: Option<(ElementScan, u64)>,
}

impl ArraySource {
    /// Reads up to the opening `[`; anything else is not this format.
    pub fn open(mut input: ByteInput) -> Result<ArraySource, Error> {
        let _ = input.skip_bom()?;
        let mut source = ArraySource {
            input,
            line: 1,
            done: false,
            skip: None,
        };
        match source.skip_whitespace()? {
            None => {
                // An empty file: no rows.
                source.done = true;
            }
            Some(b'[') => source.input.consume(1),
            Some(b) => {
                let hint = if b == b'{' {
                    " (one object per line is --format ndjson; a request body is for `respond`)"
                } else {
                    ""
                };
                return Err(Error::new(format!(
                    "INPUT {}: a JSON array of contact objects (`[{{...}}, ...]`) is expected, \
                     but line {} starts with `{}`{hint}",
                    source.input.name(),
                    source.line,
                    char::from(b).escape_default()
                )));
            }
        }
        Ok(source)
    }

    /// Skips whitespace; the next byte, not consumed (`None` at the end).
    fn skip_whitespace(&mut self) -> Result<Option<u8>, Error> {
        let (mut skipped, from) = (0usize, self.line);
        loop {
            if skipped > MAX_BLANK_RUN_BYTES {
                return Err(endless_blank(&self.input, from));
            }
            let buf = self.input.fill()?;
            if buf.is_empty() {
                return Ok(None);
            }
            let mut newlines = 0;
            let found = buf.iter().position(|&b| {
                if b == b'\n' {
                    newlines += 1;
                }
                !b.is_ascii_whitespace()
            });
            self.line += newlines;
            match found {
                Some(p) => {
                    let b = buf[p];
                    self.input.consume(p);
                    return Ok(Some(b));
                }
                None => {
                    let n = buf.len();
                    self.input.consume(n);
                    skipped += n;
                }
            }
        }
    }
}

impl Source for ArraySource {
    fn header(&self) -> &[Column] {
        &[]
    }

    fn consumed(&self) -> u64 {
        self.input.consumed()
    }

    fn next_row(&mut self) -> Result<Option<RawRow>, Error> {
        if self.done {
            return Ok(None);
        }
        if let Some((scan, line)) = self.skip.take() {
            if !self.skip_rest_of_element(scan, line)? {
                self.done = true;
                return Ok(None);
            }
        }
        let first = match self.skip_whitespace()? {
            None => {
                // Ends without `]`: what was read stands, nothing more to do.
                self.done = true;
                return Ok(None);
            }
            Some(b) => b,
        };
        let line = self.line;
        match first {
            b']' => {
                self.input.consume(1);
                self.done = true;
                if let Some(b) = self.skip_whitespace()? {
                    return Err(Error::new(format!(
                        "INPUT {}: unexpected `{}` after the end of the JSON array (line {})",
                        self.input.name(),
                        char::from(b).escape_default(),
                        self.line
                    )));
                }
                return Ok(None);
            }
            b',' => {
                self.input.consume(1);
                return Ok(Some(RawRow::Malformed(format!(
                    "line {line}: an empty array element (two commas in a row)"
                ))));
            }
            _ => {}
        }
        // Scan one element: up to a `,` or `]` outside strings at depth 0.
        let mut bytes = Vec::new();
        let mut scan = ElementScan::default();
        loop {
            let buf = self.input.fill()?;
            if buf.is_empty() {
                self.done = true;
                if scan.depth == 0 && !scan.in_string {
                    // A whole element, then no `]`: the element stands.
                    return Ok(Some(RawRow::Json { bytes, line }));
                }
                return Ok(Some(RawRow::Malformed(format!(
                    "line {line}: the input ends inside this element (truncated file?)"
                ))));
            }
            let (end, newlines) = scan.feed(buf);
            let take = end.map_or(buf.len(), |(i, _)| i);
            let over = bytes.len() + take > MAX_ROW_BYTES;
            if !over {
                bytes.extend_from_slice(&buf[..take]);
            }
            match end {
                // Consume the comma; leave the `]` for the next call.
                Some((i, comma)) => self.input.consume(if comma { i + 1 } else { i }),
                None => {
                    let n = buf.len();
                    self.input.consume(n);
                }
            }
            self.line += newlines;
            if over {
                // Judged as soon as it crosses the limit, not at its end
                // (which may never come); the next call skips the rest.
                if end.is_none() {
                    self.skip = Some((scan, line));
                }
                return Ok(Some(too_long(line)));
            }
            if end.is_some() {
                return Ok(Some(RawRow::Json { bytes, line }));
            }
        }
    }
}

/// Where the scan of an array element is: bracket depth, inside a string,
/// after a backslash in one.
#[derive(Debug, Default, Clone, Copy)]
struct ElementScan {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl ElementScan {
    /// Scans `buf`: where the element ends in it (the `,` or the array's
    /// `]` at depth 0 outside strings, and whether it is a comma), if it
    /// does, and the line breaks before that.
    fn feed(&mut self, buf: &[u8]) -> (Option<(usize, bool)>, u64) {
        let mut newlines = 0;
        for (i, &b) in buf.iter().enumerate() {
            if b == b'\n' {
                newlines += 1;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' if self.depth > 0 => self.depth -= 1,
                // The array's own `]` ends the element and the array.
                b']' => return (Some((i, false)), newlines),
                b',' if self.depth == 0 => return (Some((i, true)), newlines),
                _ => {}
            }
        }
        (None, newlines)
    }
}

impl ArraySource {
    /// Skips the rest of an element judged too long, at most
    /// [`MAX_SKIP_BYTES`]; `false` when the input ended inside it.
    fn skip_rest_of_element(&mut self, mut scan: ElementScan, line: u64) -> Result<bool, Error> {
        let mut skipped = 0usize;
        loop {
            let buf = self.input.fill()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let (end, newlines) = scan.feed(buf);
            self.line += newlines;
            if let Some((i, comma)) = end {
                self.input.consume(if comma { i + 1 } else { i });
                return Ok(true);
            }
            let n = buf.len();
            self.input.consume(n);
            skipped += n;
            if skipped > MAX_SKIP_BYTES {
                return Err(endless(&self.input, line));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(source: &mut dyn Source) -> Vec<Result<String, String>> {
        let mut out = Vec::new();
        while let Some(row) = source.next_row().unwrap() {
            out.push(match row {
                RawRow::Json { bytes, line } => Ok(format!(
                    "{line}:{}",
                    String::from_utf8(bytes).unwrap().trim()
                )),
                RawRow::Malformed(m) => Err(m),
                RawRow::Csv(_) | RawRow::Undecodable { .. } => unreachable!(),
            });
        }
        out
    }

    fn ndjson(input: &[u8]) -> Vec<Result<String, String>> {
        rows(&mut NdjsonSource::open(ByteInput::from_bytes(input)).unwrap())
    }

    fn array(input: &[u8]) -> Vec<Result<String, String>> {
        rows(&mut ArraySource::open(ByteInput::from_bytes(input)).unwrap())
    }

    #[test]
    fn an_endless_row_is_judged_at_the_limit() {
        // Issue 33.7: `/dev/zero` as NDJSON spun forever.
        let mut s = NdjsonSource::open(ByteInput::endless(b"{\"a\":1}\n", 0)).unwrap();
        assert!(matches!(
            s.next_row().unwrap(),
            Some(RawRow::Json { line: 1, .. })
        ));
        let row = s.next_row().unwrap();
        assert!(
            matches!(&row, Some(RawRow::Malformed(m)) if m == "line 2: the row is longer than 4 MiB"),
            "{row:?}"
        );
        let err = s.next_row().unwrap_err().to_string();
        assert!(
            err.contains("the row on line 2 goes on for more than 64 MiB"),
            "{err}"
        );
        // An array element that never ends, inside a string or not.
        for prefix in [&b"[1, "[..], b"[1, \"", b"[1, {\"a\": ["] {
            let mut s = ArraySource::open(ByteInput::endless(prefix, b'x')).unwrap();
            assert!(matches!(s.next_row().unwrap(), Some(RawRow::Json { .. })));
            let row = s.next_row().unwrap();
            assert!(
                matches!(&row, Some(RawRow::Malformed(m)) if m.contains("longer than")),
                "{row:?}"
            );
            assert!(s
                .next_row()
                .unwrap_err()
                .to_string()
                .contains("more than 64 MiB"));
        }
    }

    #[test]
    fn endless_blank_space_is_judged_at_the_limit() {
        // `yes ''` as NDJSON, and spaces forever inside an array, after a
        // row: the row is read, then the run is refused (it was read
        // forever). A long but finite run is fine.
        let mut s = NdjsonSource::open(ByteInput::endless(b"{\"a\":1}\n", b'\n')).unwrap();
        assert!(matches!(
            s.next_row().unwrap(),
            Some(RawRow::Json { line: 1, .. })
        ));
        let err = s.next_row().unwrap_err().to_string();
        assert!(
            err.contains("more than 64 MiB of blank space from line 2 on, with no row in it"),
            "{err}"
        );
        // Inside an array: between elements (after `[` or a `,`) the run
        // is refused; after an element, before its `,`, the run is part of
        // the element, judged as a row over 4 MiB and then skipped within
        // the skip budget. Every case ends within three calls.
        for (prefix, why) in [
            (&b"[ "[..], "MiB of blank space from line 1 on"),
            (b"[{\"a\":1},", "MiB of blank space from line 1 on"),
            (b"[{\"a\":1}", "goes on for more than 64 MiB"),
        ] {
            let mut s = ArraySource::open(ByteInput::endless(prefix, b' ')).unwrap();
            let err = (0..3)
                .find_map(|_| s.next_row().err())
                .expect("an error within three calls");
            assert!(err.to_string().contains(why), "{prefix:?}: {err}");
        }
        let mut long = b"\n".repeat(5 << 20);
        long.extend_from_slice(b"{\"a\":2}\n");
        assert_eq!(
            ndjson(&long),
            vec![Ok(format!("{}:{{\"a\":2}}", (5 << 20) + 1))]
        );
        let mut long = b"[".to_vec();
        long.resize(6 << 20, b' ');
        long.extend_from_slice(b"{\"a\":2}]");
        assert_eq!(array(&long), vec![Ok("1:{\"a\":2}".to_owned())]);
    }

    #[test]
    fn a_long_row_judged_early_still_ends_where_it_ends() {
        for step in [usize::MAX, 4096, 7] {
            let mut input = b"{\"a\":\"".to_vec();
            input.resize(MAX_ROW_BYTES + 100, b'x');
            input.extend_from_slice(b"\"}\n\n{\"b\":2}\n");
            let mut s = NdjsonSource::open(ByteInput::from_bytes_in_steps(&input, step)).unwrap();
            let r = rows(&mut s);
            assert_eq!(r.len(), 2, "{r:?}");
            assert!(r[0].as_ref().unwrap_err().starts_with("line 1: "));
            assert_eq!(r[1], Ok("3:{\"b\":2}".into()));
            let mut input = b"[{\"a\":\"x,]\n".to_vec();
            input.resize(MAX_ROW_BYTES + 100, b'x');
            input.extend_from_slice(b",]\"}, \n{\"b\":2}]");
            let mut s = ArraySource::open(ByteInput::from_bytes_in_steps(&input, step)).unwrap();
            let r = rows(&mut s);
            assert_eq!(r.len(), 2, "{r:?}");
            assert!(r[0].as_ref().unwrap_err().starts_with("line 1: "));
            assert_eq!(r[1], Ok("3:{\"b\":2}".into()));
        }
    }

    #[test]
    fn ndjson_lines() {
        assert_eq!(
            ndjson(b"\xEF\xBB\xBF{\"a\":1}\r\n\n  \n{\"b\":2}"),
            vec![Ok("1:{\"a\":1}".into()), Ok("4:{\"b\":2}".into())]
        );
        assert!(ndjson(b"").is_empty());
        assert!(ndjson(b"\n\n").is_empty());
    }

    #[test]
    fn array_elements() {
        let r = array(b" [ {\"a\": \"x,]}\\\"\"},\n {\"b\": [1, {\"c\": 2}]} ,\n 3 ]\n");
        assert_eq!(
            r,
            vec![
                Ok("1:{\"a\": \"x,]}\\\"\"}".into()),
                Ok("2:{\"b\": [1, {\"c\": 2}]}".into()),
                Ok("3:3".into()),
            ]
        );
        assert!(array(b"[]").is_empty());
        assert!(array(b"").is_empty());
        assert!(array(b"  [\n]  \n").is_empty());
    }

    #[test]
    fn array_oddities() {
        let r = array(b"[{\"a\":1},,{\"b\":2},]");
        assert_eq!(r.len(), 3);
        assert!(r[1].as_ref().unwrap_err().contains("empty array element"));
        let r = array(b"[{\"a\":1},{\"b\":");
        assert!(r[1].as_ref().unwrap_err().contains("ends inside"));
        let r = array(b"[{\"a\":1}");
        assert_eq!(r, vec![Ok("1:{\"a\":1}".into())]);
    }

    #[test]
    fn array_errors() {
        assert!(ArraySource::open(ByteInput::from_bytes(b"{\"contacts\":[]}")).is_err());
        let mut s = ArraySource::open(ByteInput::from_bytes(b"[1] x")).unwrap();
        assert!(s.next_row().is_ok());
        assert!(s.next_row().is_err());
    }
}
