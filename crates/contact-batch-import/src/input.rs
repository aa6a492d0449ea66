//! Import inputs: a file or standard input opened for reading, and the
//! buffered byte stream with push-back the readers scan.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::Error;

/// True when `path` names standard input (`-`).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// An import input: a file or standard input, with its size when known.
pub struct Opened {
    /// The bytes, from the start.
    pub reader: Box<dyn Read + Send>,
    /// Bytes in the file, when it is a regular file.
    pub len: Option<u64>,
    /// How to name the input in messages.
    pub name: String,
}

/// Opens INPUT for import (`-`: standard input); messages name it INPUT.
pub fn open(path: &Path) -> Result<Opened, Error> {
    if is_stdin(path) {
        return Ok(Opened {
            reader: Box::new(io::stdin()),
            len: None,
            name: "standard input".into(),
        });
    }
    let name = format!("`{}`", path.display());
    let file =
        File::open(path).map_err(|e| Error::new(format!("cannot read INPUT {name}: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| Error::new(format!("cannot read INPUT {name}: {e}")))?;
    if meta.is_dir() {
        return Err(Error::new(format!(
            "cannot read INPUT {name}: it is a directory"
        )));
    }
    Ok(Opened {
        reader: Box::new(file),
        len: meta.is_file().then_some(meta.len()),
        name,
    })
}

/// Bytes in memory, read at most `step` at a time.
struct Trickle {
    data: io::Cursor<Vec<u8>>,
    step: usize,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.step);
        self.data.read(&mut buf[..n])
    }
}

/// A buffered byte stream with push-back: a reader that went too far (an
/// unbalanced CSV quote) hands bytes back to be scanned again. Counts the
/// bytes taken from the underlying reader, for the progress bar.
pub struct ByteInput {
    inner: BufReader<Box<dyn Read + Send>>,
    pushback: Vec<u8>,
    pushback_pos: usize,
    consumed: u64,
    name: String,
}

impl ByteInput {
    /// Reads `opened` from its start.
    pub fn new(opened: Opened) -> ByteInput {
        ByteInput {
            inner: BufReader::with_capacity(1 << 16, opened.reader),
            pushback: Vec::new(),
            pushback_pos: 0,
            consumed: 0,
            name: opened.name,
        }
    }

    /// A stream over bytes in memory (tests, fuzzing), named `test input`.
    pub fn from_bytes(bytes: &[u8]) -> ByteInput {
        ByteInput::from_bytes_in_steps(bytes, usize::MAX)
    }

    /// Like [`ByteInput::from_bytes`], the bytes arriving at most `step` a
    /// read, as a slow pipe hands them over: what a reader makes of its input
    /// must not depend on where the reads cut it.
    pub fn from_bytes_in_steps(bytes: &[u8], step: usize) -> ByteInput {
        ByteInput::new(Opened {
            reader: Box::new(Trickle {
                data: io::Cursor::new(bytes.to_vec()),
                step: step.max(1),
            }),
            len: Some(bytes.len() as u64),
            name: "test input".into(),
        })
    }

    /// The input's name for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Bytes read from the underlying input so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The next buffered bytes; empty at the end of the input.
    pub(crate) fn fill(&mut self) -> Result<&[u8], Error> {
        if self.pushback_pos < self.pushback.len() {
            return Ok(&self.pushback[self.pushback_pos..]);
        }
        loop {
            match self.inner.fill_buf() {
                Ok(_) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::new(format!("cannot read INPUT {}: {e}", self.name))),
            }
        }
        // What `fill_buf` just returned (returning it from the loop does
        // not pass the borrow checker).
        Ok(self.inner.buffer())
    }

    /// Marks `n` bytes of the last [`ByteInput::fill`] as read.
    pub(crate) fn consume(&mut self, n: usize) {
        if self.pushback_pos < self.pushback.len() {
            self.pushback_pos += n;
            if self.pushback_pos >= self.pushback.len() {
                self.pushback.clear();
                self.pushback_pos = 0;
            }
        } else {
            self.inner.consume(n);
            self.consumed += n as u64;
        }
    }

    /// Puts `bytes` back in front of what is left to read.
    pub(crate) fn push_back(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let mut v = Vec::with_capacity(bytes.len() + self.pushback.len() - self.pushback_pos);
        v.extend_from_slice(bytes);
        v.extend_from_slice(&self.pushback[self.pushback_pos..]);
        self.pushback = v;
        self.pushback_pos = 0;
    }

    /// Skips a UTF-8 byte order mark at the very start.
    /// The mark may arrive split over reads (a pipe): it is matched a read
    /// at a time, and a partial match is handed back.
    pub(crate) fn skip_bom(&mut self) -> Result<(), Error> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        let mut matched = 0;
        while matched < BOM.len() {
            let buf = self.fill()?;
            let n = buf.len().min(BOM.len() - matched);
            if n == 0 || buf[..n] != BOM[matched..matched + n] {
                break;
            }
            self.consume(n);
            matched += n;
        }
        if matched < BOM.len() {
            self.push_back(&BOM[..matched]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_back_is_read_first() {
        let mut input = ByteInput::from_bytes(b"abc");
        let first = input.fill().unwrap()[0];
        assert_eq!(first, b'a');
        input.consume(2);
        input.push_back(b"xy");
        assert_eq!(input.fill().unwrap(), b"xy");
        input.consume(1);
        input.push_back(b"z");
        assert_eq!(input.fill().unwrap(), b"zy");
        input.consume(2);
        assert_eq!(input.fill().unwrap(), b"c");
        input.consume(1);
        assert!(input.fill().unwrap().is_empty());
        assert_eq!(input.consumed(), 3);
    }
}
