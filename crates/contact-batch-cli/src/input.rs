//! Reading whole inputs: request bodies and the existing file (the import
//! input is opened by `contact_batch_import::input`).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use contact_batch::Existing;

use crate::CliError;

pub(crate) use contact_batch_import::input::is_stdin;

/// A request body read up to a limit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Body {
    /// The whole body, at most the limit.
    Whole(Vec<u8>),
    /// More than the limit: its size when known (a regular file's).
    TooLarge(Option<u64>),
}

/// Reads a request body from a file, or standard input for `None` / `-`,
/// never more than `limit + 1` bytes: a body over the limit is refused
/// without being read to its end.
pub(crate) fn read_body(path: Option<&Path>, limit: usize) -> Result<Body, CliError> {
    match path {
        Some(p) if !is_stdin(p) => {
            let cannot =
                |e: io::Error| CliError::new(format!("cannot read REQUEST `{}`: {e}", p.display()));
            let file = File::open(p).map_err(cannot)?;
            let size = file
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            match read_at_most(file, limit).map_err(cannot)? {
                Body::TooLarge(_) => Ok(Body::TooLarge(size.filter(|&n| n > limit as u64))),
                whole => Ok(whole),
            }
        }
        _ => read_at_most(io::stdin().lock(), limit)
            .map_err(|e| CliError::new(format!("cannot read REQUEST from standard input: {e}"))),
    }
}

/// Reads `reader` to its end or to `limit + 1` bytes, whichever comes first.
fn read_at_most(reader: impl Read, limit: usize) -> io::Result<Body> {
    let cap = (limit as u64).saturating_add(1);
    let mut bytes = Vec::new();
    reader.take(cap).read_to_end(&mut bytes)?;
    Ok(match bytes.len() > limit {
        true => Body::TooLarge(None),
        false => Body::Whole(bytes),
    })
}

/// Reads and parses `--existing` as a stream (never held whole), at most
/// `max_keys` keys ([`contact_batch::DEFAULT_MAX_KEYS`] when not given);
/// nothing exists without it.
pub(crate) fn read_existing(
    path: Option<&Path>,
    max_keys: Option<usize>,
) -> Result<Existing, CliError> {
    let Some(path) = path else {
        return Ok(Existing::new());
    };
    if is_stdin(path) {
        return Err(CliError::new(
            "--existing must name a file, not standard input (`-`)",
        ));
    }
    let shown = path.display();
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::new(format!("cannot read --existing file `{shown}`: {e}")))?;
    let mut reader = io::BufReader::with_capacity(1 << 16, file);
    // serde would read a JSON array as the struct's fields in order (`[]`
    // as "nothing exists"); the file is documented as an object.
    let first = loop {
        let buf = io::BufRead::fill_buf(&mut reader)
            .map_err(|e| CliError::new(format!("cannot read --existing file `{shown}`: {e}")))?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => break Some(buf[at]),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                io::BufRead::consume(&mut reader, n);
            }
        }
    };
    if first.is_some_and(|b| b != b'{') {
        return Err(CliError::new(format!(
            "--existing file `{shown}`: malformed existing data: a JSON object is expected"
        )));
    }
    let max = max_keys.unwrap_or(contact_batch::DEFAULT_MAX_KEYS);
    Existing::from_reader(reader, max).map_err(|e| {
        let hint = if e.message().contains("the limit of existing keys") {
            format!(" (raise it with --existing-max-keys, now {max})")
        } else {
            String::new()
        };
        CliError::new(format!("--existing file `{shown}`: {e}{hint}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_read_to_one_byte_past_the_limit_and_no_further() {
        // An endless stream: read_to_end would never return.
        assert_eq!(
            read_at_most(io::repeat(b' '), 1000).unwrap(),
            Body::TooLarge(None)
        );
        let mut counted = io::repeat(b'x').take(5000);
        assert_eq!(
            read_at_most(&mut counted, 1000).unwrap(),
            Body::TooLarge(None)
        );
        assert_eq!(counted.limit(), 5000 - 1001);
        assert_eq!(
            read_at_most(&b"{}"[..], 2).unwrap(),
            Body::Whole(b"{}".to_vec())
        );
        assert_eq!(read_at_most(&b"{}"[..], 1).unwrap(), Body::TooLarge(None));
        assert_eq!(read_at_most(&b""[..], 0).unwrap(), Body::Whole(Vec::new()));
    }
}
