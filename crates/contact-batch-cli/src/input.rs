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

/// The first block a body is read into; a body that fits (nearly every
/// one) is returned as it is.
const FIRST_BLOCK: usize = 1 << 20;

/// Every later block.
const BLOCK: usize = 4 << 20;

/// Reads `reader` to its end or to `limit + 1` bytes, whichever comes first.
///
/// In bounded steps: blocks of fixed size, each filled before the next is
/// taken, and joined into one buffer of the exact size only when the body
/// turned out to be within the limit. `read_to_end` grows one buffer by
/// doubling instead, and its last step past a 32 MiB limit asked for a
/// 64 MiB buffer: 1 GB on stdin peaked at 111 MB (issue 28). Now a body
/// over the limit costs at most `limit + 1` bytes plus one block, and one
/// within it at most twice its size while it is joined.
fn read_at_most(mut reader: impl Read, limit: usize) -> io::Result<Body> {
    let cap = limit.saturating_add(1);
    // The blocks filled so far, the one being filled and its bytes read.
    let mut full: Vec<Vec<u8>> = Vec::new();
    let mut block = vec![0u8; FIRST_BLOCK.min(cap)];
    let mut filled = 0;
    let mut total = 0usize;
    loop {
        if filled == block.len() {
            if total == cap {
                break;
            }
            let next = vec![0u8; BLOCK.min(cap - total)];
            full.push(std::mem::replace(&mut block, next));
            filled = 0;
        }
        let n = match reader.read(&mut block[filled..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        filled += n;
        total += n;
    }
    if total > limit {
        return Ok(Body::TooLarge(None));
    }
    block.truncate(filled);
    if full.is_empty() {
        return Ok(Body::Whole(block));
    }
    let mut bytes = Vec::with_capacity(total);
    for b in full.iter().chain(std::iter::once(&block)) {
        bytes.extend_from_slice(b);
    }
    Ok(Body::Whole(bytes))
}

/// The most bytes a `--phone-metadata` file may have: the generator's
/// files are about 2 MB; anything this large is not one.
const MAX_PHONE_METADATA_BYTES: u64 = 64 << 20;

/// Reads `--phone-metadata` whole (the engine checks it when it is built).
pub(crate) fn read_phone_metadata(
    path: Option<&Path>,
) -> Result<Option<contact_batch::PhoneMetadataBytes>, CliError> {
    let Some(path) = path else {
        return Ok(None);
    };
    let shown = path.display();
    let fail = |e: &dyn std::fmt::Display| {
        CliError::new(format!("cannot read --phone-metadata file `{shown}`: {e}"))
    };
    if is_stdin(path) {
        return Err(CliError::new(
            "--phone-metadata must name a file, not standard input (`-`)",
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| fail(&e))?;
    let size = file.metadata().map_err(|e| fail(&e))?.len();
    let too_large = || {
        fail(&format_args!(
            "larger than {} MiB: not a phone metadata file",
            MAX_PHONE_METADATA_BYTES >> 20
        ))
    };
    if size > MAX_PHONE_METADATA_BYTES {
        return Err(too_large());
    }
    // Read to its known size in one allocation (a 1.9 MB file: 4.1 M
    // instructions growing a buffer, 1.9 M this way, callgrind), and never
    // past the limit should it grow meanwhile.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_PHONE_METADATA_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(&e))?;
    if bytes.len() as u64 > MAX_PHONE_METADATA_BYTES {
        return Err(too_large());
    }
    Ok(Some(contact_batch::PhoneMetadataBytes::from(bytes)))
}

/// An engine's config error as the command line says it: a refused
/// `--phone-metadata` file is named.
pub(crate) fn config_error(
    e: &contact_batch::ConfigError,
    phone_metadata: Option<&Path>,
) -> String {
    match (e, phone_metadata) {
        (contact_batch::ConfigError::PhoneMetadataFile(why), Some(path)) => {
            format!("--phone-metadata `{}` is refused: {why}", path.display())
        }
        _ => e.to_string(),
    }
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

    /// Hands out at most `step` bytes a call, as a pipe does.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.step).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn bodies_across_block_boundaries_are_read_whole_and_in_order() {
        let data: Vec<u8> = (0..(FIRST_BLOCK + 2 * BLOCK + 3))
            .map(|i| (i % 251) as u8)
            .collect();
        for len in [
            0,
            1,
            FIRST_BLOCK - 1,
            FIRST_BLOCK,
            FIRST_BLOCK + 1,
            FIRST_BLOCK + BLOCK,
            data.len(),
        ] {
            for step in [7, 4093, usize::MAX] {
                if step == 7 && len > FIRST_BLOCK + 1 {
                    continue;
                }
                let body = &data[..len];
                for limit in [len, len + 1, len + BLOCK] {
                    let got = read_at_most(Trickle { data: body, step }, limit).unwrap();
                    assert!(got == Body::Whole(body.to_vec()), "{len} {step} {limit}");
                }
                if len > 0 {
                    let got = read_at_most(Trickle { data: body, step }, len - 1).unwrap();
                    assert_eq!(got, Body::TooLarge(None), "{len} {step}");
                }
            }
        }
    }

    #[test]
    fn a_read_error_is_an_error() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("gone"))
            }
        }
        assert!(read_at_most(Broken, 10).is_err());
    }
}
