//! The phone metadata file: a newer libphonenumber release's tables, in
//! one checked file that a host hands an engine
//! ([`ConfigBuilder::phone_metadata`](crate::ConfigBuilder::phone_metadata),
//! `contact-batch respond|import --phone-metadata FILE`, the C and PHP
//! configs' `phone_metadata` path) to run on metadata newer than the
//! release built in ([`PHONE_METADATA_VERSION`](crate::PHONE_METADATA_VERSION)),
//! without waiting for a release of the engine.
//!
//! The project's generator writes it: `scripts/update-phone-metadata.sh
//! VERSION --out FILE` builds libphonenumber's metadata of that release
//! (from the Python port `phonenumbers`, as for the embedded tables) and
//! compiles the same two tables the engine embeds (`phone_parse`,
//! `phone_types`), with the same code, into the sections below.
//!
//! Layout (integers little-endian):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 8 | magic `CBPHMETA` |
//! | 8 | 4 | format version ([`FORMAT_VERSION`]) |
//! | 12 | 8 | length of the whole file |
//! | 20 | 8 | FNV-1a 64 of every byte after this field (28 to the end) |
//! | 28 | 1 | length `n` of the metadata version (1 to 64) |
//! | 29 | `n` | the libphonenumber metadata version, e.g. `9.0.44` (printable ASCII) |
//! | | 4 | section count `k` (at most 64) |
//! | | 12 `k` | section table: id, offset from the file's start, length (u32 each) |
//! | | | the sections |
//!
//! Sections: [`SECTION_METADATA`], libphonenumber's
//! `PhoneMetadataCollection` protobuf the tables were built from (kept for
//! provenance and the differential tests; the engine does not read it);
//! [`SECTION_TYPES`], the number-type tables (`phone_types`);
//! [`SECTION_PARSE`], the parse tables (`phone_parse`). Ids the engine
//! does not know are skipped, so later tables can be added without a new
//! format version; a change to an existing section's layout takes one.
//!
//! Reading checks everything before any of it is used: magic, format
//! version, the length (a truncated or extended file), the checksum (any
//! changed byte: FNV-1a's steps are bijective, so a file that differs from
//! the generator's in one byte never has its checksum), the version text,
//! every section inside the file, no id twice, the required sections
//! present and each table section read whole. A file that fails is a
//! [`PhoneMetadataError`] naming what is wrong, never a panic. The checksum
//! guards against damage, not against a forged file; even so, every read
//! of the tables is bounds-checked (an index past a table reads as "no
//! match"), so a forged file can give wrong answers but cannot crash the
//! engine (the property test `forged_tables_never_panic` holds it to that).

use std::fmt;
use std::sync::Arc;

/// The file's first eight bytes.
pub const MAGIC: [u8; 8] = *b"CBPHMETA";
/// The layout this engine reads and its generator writes.
pub const FORMAT_VERSION: u32 = 1;
/// Section id: the `PhoneMetadataCollection` protobuf the tables were
/// built from (optional).
pub const SECTION_METADATA: u32 = 1;
/// Section id: the number-type tables.
pub const SECTION_TYPES: u32 = 2;
/// Section id: the parse tables.
pub const SECTION_PARSE: u32 = 3;
/// The sections an engine needs.
const REQUIRED: [(u32, &str); 2] = [
    (SECTION_TYPES, "the number-type tables"),
    (SECTION_PARSE, "the parse tables"),
];
const MAX_VERSION_LEN: usize = 64;
const MAX_SECTIONS: usize = 64;
/// Bytes before the version text.
const FIXED_HEADER: usize = 29;

/// The bytes of a phone metadata file, for
/// [`Config::phone_metadata`](crate::Config::phone_metadata). Cheap to
/// clone (shared); checked when an engine is built from the config.
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneMetadataBytes(Arc<[u8]>);

impl PhoneMetadataBytes {
    /// Wraps a file's bytes (read by the host: the engine does no I/O).
    pub fn new(bytes: impl Into<Arc<[u8]>>) -> PhoneMetadataBytes {
        PhoneMetadataBytes(bytes.into())
    }

    /// The bytes as given.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub(crate) fn shared(&self) -> &Arc<[u8]> {
        &self.0
    }
}

impl From<Vec<u8>> for PhoneMetadataBytes {
    fn from(bytes: Vec<u8>) -> PhoneMetadataBytes {
        PhoneMetadataBytes(bytes.into())
    }
}

impl fmt::Debug for PhoneMetadataBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneMetadataBytes({} bytes)", self.0.len())
    }
}

/// Why a phone metadata file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PhoneMetadataError {
    /// Not a phone metadata file at all (wrong first bytes).
    NotAMetadataFile,
    /// A layout this engine does not read.
    FormatVersion(u32),
    /// Shorter or longer than its header says: `(said, actual)`.
    Length(u64, usize),
    /// Its bytes are not the ones the generator checksummed.
    Checksum,
    /// The header or the section table is malformed.
    Malformed(String),
    /// A section the engine needs is missing.
    MissingSection(&'static str),
    /// A section's content is malformed.
    Content(String),
}

impl fmt::Display for PhoneMetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneMetadataError::NotAMetadataFile => f.write_str(
                "not a contact-batch phone metadata file (it does not start with CBPHMETA)",
            ),
            PhoneMetadataError::FormatVersion(v) => write!(
                f,
                "the file has format version {v}; this engine reads format version \
                 {FORMAT_VERSION} (write it with this release's generator)"
            ),
            PhoneMetadataError::Length(said, actual) => write!(
                f,
                "the file is truncated or extended: its header says {said} bytes, it has {actual}"
            ),
            PhoneMetadataError::Checksum => {
                f.write_str("the file is corrupted: its checksum does not match its bytes")
            }
            PhoneMetadataError::Malformed(m) => write!(f, "the file is malformed: {m}"),
            PhoneMetadataError::MissingSection(s) => write!(f, "the file has no {s} section"),
            PhoneMetadataError::Content(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for PhoneMetadataError {}

/// FNV-1a 64.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A checked file: its version and its sections, borrowed.
#[derive(Debug)]
pub(crate) struct PhoneMetadataFile<'a> {
    pub(crate) version: &'a str,
    sections: Vec<(u32, std::ops::Range<usize>)>,
    bytes: &'a [u8],
}

impl<'a> PhoneMetadataFile<'a> {
    /// Checks the container (everything but the sections' contents).
    pub(crate) fn read(bytes: &'a [u8]) -> Result<PhoneMetadataFile<'a>, PhoneMetadataError> {
        use PhoneMetadataError as E;
        let bad = |m: &str| E::Malformed(m.to_owned());
        if bytes.get(..8) != Some(&MAGIC[..]) {
            return Err(E::NotAMetadataFile);
        }
        let u32_at = |at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
        };
        let u64_at = |at: usize| -> Option<u64> {
            Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
        };
        let format = u32_at(8).ok_or(E::Length(0, bytes.len()))?;
        if format != FORMAT_VERSION {
            return Err(E::FormatVersion(format));
        }
        let said = u64_at(12).ok_or(E::Length(0, bytes.len()))?;
        if said != bytes.len() as u64 {
            return Err(E::Length(said, bytes.len()));
        }
        let checksum = u64_at(20).ok_or(E::Length(said, bytes.len()))?;
        let covered = bytes.get(28..).ok_or(E::Length(said, bytes.len()))?;
        if fnv1a64(covered) != checksum {
            return Err(E::Checksum);
        }
        let n = usize::from(*bytes.get(28).ok_or_else(|| bad("no version"))?);
        if n == 0 || n > MAX_VERSION_LEN {
            return Err(bad("the metadata version is empty or too long"));
        }
        let version = bytes
            .get(FIXED_HEADER..FIXED_HEADER + n)
            .filter(|v| v.iter().all(|b| b.is_ascii_graphic()))
            .and_then(|v| std::str::from_utf8(v).ok())
            .ok_or_else(|| bad("the metadata version is not printable ASCII"))?;
        let mut at = FIXED_HEADER + n;
        let count = u32_at(at).ok_or_else(|| bad("no section count"))? as usize;
        at += 4;
        if count > MAX_SECTIONS {
            return Err(bad("too many sections"));
        }
        let table_end = at + 12 * count;
        let mut sections: Vec<(u32, std::ops::Range<usize>)> = Vec::with_capacity(count);
        for i in 0..count {
            let entry = at + 12 * i;
            let (Some(id), Some(offset), Some(len)) =
                (u32_at(entry), u32_at(entry + 4), u32_at(entry + 8))
            else {
                return Err(bad("the section table is cut short"));
            };
            let (offset, len) = (offset as usize, len as usize);
            let end = offset
                .checked_add(len)
                .filter(|&end| offset >= table_end && end <= bytes.len())
                .ok_or_else(|| E::Malformed(format!("section {id} lies outside the file")))?;
            if sections.iter().any(|(other, _)| *other == id) {
                return Err(E::Malformed(format!("section {id} appears twice")));
            }
            sections.push((id, offset..end));
        }
        for (id, name) in REQUIRED {
            if !sections.iter().any(|(other, _)| *other == id) {
                return Err(E::MissingSection(name));
            }
        }
        Ok(PhoneMetadataFile {
            version,
            sections,
            bytes,
        })
    }

    /// A section's bytes (empty when absent; the required ones never are).
    pub(crate) fn section(&self, id: u32) -> &'a [u8] {
        self.sections
            .iter()
            .find(|(other, _)| *other == id)
            .map_or(&[][..], |(_, range)| &self.bytes[range.clone()])
    }
}

/// Writes a file: the generator's half of the format (kept beside the
/// reader so the two cannot drift; the property tests use it too).
///
/// Panics on a version the reader would refuse or on more than 4 GiB.
#[doc(hidden)]
pub fn encode(version: &str, sections: &[(u32, &[u8])]) -> Vec<u8> {
    assert!(
        !version.is_empty()
            && version.len() <= MAX_VERSION_LEN
            && version.bytes().all(|b| b.is_ascii_graphic()),
        "bad metadata version {version:?}"
    );
    assert!(sections.len() <= MAX_SECTIONS);
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&[0; 16]); // length and checksum, below
    out.push(version.len() as u8);
    out.extend_from_slice(version.as_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    let mut offset = out.len() + 12 * sections.len();
    for (id, bytes) in sections {
        let as_u32 = |n: usize| u32::try_from(n).expect("a section under 4 GiB");
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&as_u32(offset).to_le_bytes());
        out.extend_from_slice(&as_u32(bytes.len()).to_le_bytes());
        offset += bytes.len();
    }
    for (_, bytes) in sections {
        out.extend_from_slice(bytes);
    }
    let len = out.len() as u64;
    out[12..20].copy_from_slice(&len.to_le_bytes());
    let checksum = fnv1a64(&out[28..]);
    out[20..28].copy_from_slice(&checksum.to_le_bytes());
    out
}
