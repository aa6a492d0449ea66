//! The input's text encoding, detected or named, and its decoding to UTF-8
//! as the file is read (through `encoding_rs`).
//!
//! Detection (no `--encoding`): a byte order mark names UTF-8, UTF-16LE or
//! UTF-16BE; without one, the first [`SAMPLE_BYTES`] are UTF-8 or the input
//! is read as Windows-1252 (what spreadsheet programs on Windows write; every
//! byte is a character there, and its Latin-1 subset is the same). A UTF-8
//! input is handed on untouched (no copy, no transcoding); its mark is
//! skipped by the readers. A byte that is not UTF-8 after the sample still
//! makes only its own row invalid.

use std::io::{self, Read};

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::input::Opened;
use crate::Error;

/// Bytes read ahead to tell UTF-8 from Windows-1252.
pub const SAMPLE_BYTES: usize = 64 << 10;

/// `--encoding`: a WHATWG label (`utf-8`, `utf-16le`, `windows-1252`,
/// `latin1`, ...) or `auto`.
pub fn parse_label(label: &str) -> Result<Option<&'static Encoding>, String> {
    if label.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    Encoding::for_label(label.trim().as_bytes())
        .map(Some)
        .ok_or_else(|| {
            format!(
                "unknown encoding `{}` (try utf-8, utf-16le, utf-16be, windows-1252, latin1 or auto)",
                label.escape_debug()
            )
        })
}

/// What was read: the encoding and how it was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The encoding the input is decoded from.
    pub encoding: &'static Encoding,
    /// `bom`, `utf-8 check`, `--encoding`: why this encoding.
    pub by: &'static str,
}

impl Detected {
    /// `UTF-8`, `UTF-16LE`, `windows-1252`, ... (the WHATWG name).
    pub fn name(&self) -> &'static str {
        self.encoding.name()
    }
}

/// Reads `prefix` then `rest`.
struct Prefixed {
    prefix: io::Cursor<Vec<u8>>,
    rest: Box<dyn Read + Send>,
}

impl Read for Prefixed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.prefix.read(buf)?;
        if n > 0 || buf.is_empty() {
            return Ok(n);
        }
        self.rest.read(buf)
    }
}

/// Reads up to `n` bytes (fewer only at the end of the input).
fn read_up_to(reader: &mut dyn Read, n: usize, name: &str) -> Result<Vec<u8>, Error> {
    let mut sample = Vec::with_capacity(n.min(SAMPLE_BYTES));
    reader
        .take(n as u64)
        .read_to_end(&mut sample)
        .map_err(|e| Error::new(format!("cannot read INPUT {name}: {e}")))?;
    Ok(sample)
}

/// The encoding of `sample` (the input's first bytes; `complete` when it
/// is the whole input).
pub fn detect(sample: &[u8], complete: bool) -> Detected {
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return Detected {
            encoding,
            by: "byte order mark",
        };
    }
    let utf8 = match std::str::from_utf8(sample) {
        Ok(_) => true,
        // Cut inside a character at the end of the sample: still UTF-8.
        Err(e) => !complete && e.error_len().is_none(),
    };
    Detected {
        encoding: if utf8 { UTF_8 } else { WINDOWS_1252 },
        by: "detected",
    }
}

/// The input decoded to UTF-8 (`named`: `--encoding`, `None` to detect),
/// and what it was read as.
pub fn decode(
    opened: Opened,
    named: Option<&'static Encoding>,
) -> Result<(Opened, Detected), Error> {
    let Opened {
        mut reader,
        len,
        name,
    } = opened;
    let sample = read_up_to(&mut *reader, SAMPLE_BYTES, &name)?;
    let complete = sample.len() < SAMPLE_BYTES;
    let detected = match named {
        Some(encoding) => {
            // A mark contradicting the name wins, as in browsers.
            match Encoding::for_bom(&sample) {
                Some((bom, _)) if bom != encoding => Detected {
                    encoding: bom,
                    by: "byte order mark",
                },
                _ => Detected {
                    encoding,
                    by: "--encoding",
                },
            }
        }
        None => detect(&sample, complete),
    };
    let whole: Box<dyn Read + Send> = Box::new(Prefixed {
        prefix: io::Cursor::new(sample),
        rest: reader,
    });
    let reader: Box<dyn Read + Send> = if detected.encoding == UTF_8 {
        whole
    } else {
        Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(detected.encoding))
                // Only a mark of the chosen encoding can be there (see
                // above); it is stripped.
                .bom_override(true)
                .strip_bom(true)
                .build(whole),
        )
    };
    Ok((
        Opened {
            reader,
            // Progress counts decoded bytes: a UTF-16 file's are about half.
            len: if detected.encoding == UTF_8 {
                len
            } else {
                None
            },
            name,
        },
        detected,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::UTF_16LE;

    fn opened(bytes: &[u8]) -> Opened {
        Opened {
            reader: Box::new(io::Cursor::new(bytes.to_vec())),
            len: Some(bytes.len() as u64),
            name: "test input".into(),
        }
    }

    fn decoded(bytes: &[u8], named: Option<&'static Encoding>) -> (String, &'static str) {
        let (mut o, d) = decode(opened(bytes), named).unwrap();
        let mut out = Vec::new();
        o.reader.read_to_end(&mut out).unwrap();
        (String::from_utf8(out).unwrap(), d.name())
    }

    #[test]
    fn detects_and_decodes() {
        assert_eq!(decoded(b"a;b\r\n", None), ("a;b\r\n".into(), "UTF-8"));
        // UTF-8 is passed on as it is, mark included (the readers skip it).
        assert_eq!(
            decoded(b"\xEF\xBB\xBFa\xC3\xA9", None),
            ("\u{feff}a\u{e9}".into(), "UTF-8")
        );
        assert_eq!(
            decoded(b"Jos\xE9;M\xFCller\x80", None),
            ("José;Müller€".into(), "windows-1252")
        );
        assert_eq!(
            decoded(b"\xFF\xFEa\x00\xE9\x00", None),
            ("a\u{e9}".into(), "UTF-16LE")
        );
        assert_eq!(
            decoded(b"\xFE\xFF\x00a\x00\xE9", None),
            ("a\u{e9}".into(), "UTF-16BE")
        );
        // Named: used even where the bytes would be UTF-8; a mark wins.
        assert_eq!(
            decoded("é".as_bytes(), Some(WINDOWS_1252)),
            ("Ã©".into(), "windows-1252")
        );
        assert_eq!(
            decoded(b"\xFF\xFEa\x00", Some(WINDOWS_1252)),
            ("a".into(), "UTF-16LE")
        );
    }

    #[test]
    fn a_character_cut_by_the_sample_is_still_utf8() {
        let mut bytes = vec![b'a'; SAMPLE_BYTES - 1];
        bytes.extend_from_slice("é,x".as_bytes());
        let (text, name) = decoded(&bytes, None);
        assert_eq!(name, "UTF-8");
        assert!(text.ends_with("é,x"));
        // A truncated character at the very end of a whole input is not.
        assert_eq!(detect(b"ab\xC3", true).name(), "windows-1252");
        assert_eq!(detect(b"ab\xC3", false).name(), "UTF-8");
    }

    #[test]
    fn labels() {
        assert_eq!(parse_label("auto"), Ok(None));
        assert_eq!(parse_label("latin1"), Ok(Some(WINDOWS_1252)));
        assert_eq!(parse_label("UTF-16LE"), Ok(Some(UTF_16LE)));
        assert!(parse_label("klingon")
            .unwrap_err()
            .contains("unknown encoding `klingon`"));
    }
}
