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

/// The longest row kept; longer ones are skipped and reported invalid.
pub const MAX_ROW_BYTES: usize = 4 << 20;

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
}

impl NdjsonSource {
    /// Starts reading NDJSON lines from `input` (a byte order mark first is
    /// skipped).
    pub fn open(mut input: ByteInput) -> Result<NdjsonSource, Error> {
        input.skip_bom()?;
        Ok(NdjsonSource {
            input,
            buf: Vec::new(),
            line: 1,
        })
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
        loop {
            self.buf.clear();
            let line = self.line;
            let mut over = false;
            let mut saw_any = false;
            loop {
                let chunk = self.input.fill()?;
                if chunk.is_empty() {
                    break;
                }
                saw_any = true;
                let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                    Some(p) => (p + 1, true),
                    None => (chunk.len(), false),
                };
                if !over {
                    if self.buf.len() + take > MAX_ROW_BYTES {
                        over = true;
                        self.buf.clear();
                    } else {
                        self.buf.extend_from_slice(&chunk[..take]);
                    }
                }
                self.input.consume(take);
                if done {
                    break;
                }
            }
            if !saw_any {
                return Ok(None);
            }
            self.line += 1;
            if over {
                return Ok(Some(too_long(line)));
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
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
}

impl ArraySource {
    /// Reads up to the opening `[`; anything else is not this format.
    pub fn open(mut input: ByteInput) -> Result<ArraySource, Error> {
        input.skip_bom()?;
        let mut source = ArraySource {
            input,
            line: 1,
            done: false,
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
        loop {
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
        let mut over = false;
        let mut depth: usize = 0;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let buf = self.input.fill()?;
            if buf.is_empty() {
                self.done = true;
                if over {
                    return Ok(Some(too_long(line)));
                }
                if depth == 0 && !in_string {
                    // A whole element, then no `]`: the element stands.
                    return Ok(Some(RawRow::Json { bytes, line }));
                }
                return Ok(Some(RawRow::Malformed(format!(
                    "line {line}: the input ends inside this element (truncated file?)"
                ))));
            }
            let mut end: Option<(usize, bool)> = None;
            let mut newlines = 0;
            for (i, &b) in buf.iter().enumerate() {
                if b == b'\n' {
                    newlines += 1;
                }
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    // The array's own `]` ends the element and the array.
                    b']' => {
                        end = Some((i, false));
                        break;
                    }
                    b',' if depth == 0 => {
                        end = Some((i, true));
                        break;
                    }
                    _ => {}
                }
            }
            self.line += newlines;
            let take = end.map_or(buf.len(), |(i, _)| i);
            if !over {
                if bytes.len() + take > MAX_ROW_BYTES {
                    over = true;
                    bytes = Vec::new();
                } else {
                    bytes.extend_from_slice(&buf[..take]);
                }
            }
            match end {
                Some((i, comma)) => {
                    // Consume the comma; leave the `]` for the next call.
                    self.input.consume(if comma { i + 1 } else { i });
                    if over {
                        return Ok(Some(too_long(line)));
                    }
                    return Ok(Some(RawRow::Json { bytes, line }));
                }
                None => {
                    let n = buf.len();
                    self.input.consume(n);
                }
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
                RawRow::Csv(_) => unreachable!(),
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
