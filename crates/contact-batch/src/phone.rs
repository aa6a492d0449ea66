//! Phone numbers: parse, validate and normalize to E.164 the way Google
//! libphonenumber does, on the engine's own code (`phone_parse`,
//! `phone_types`) over tables compiled ahead of time from libphonenumber's
//! metadata, held to `rlibphonenumber` (the test oracle) by differential
//! tests.
//!
//! Everything the rest of the engine knows about phones goes through this
//! module, so the parse can be swapped without touching the profiles.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::phone_file::{PhoneMetadataBytes, PhoneMetadataError, PhoneMetadataFile};
pub(crate) use crate::phone_parse::Region;
use crate::phone_parse::{LengthError, ParseError, Parsed};
pub use crate::phone_types::NumberType;
pub use crate::phone_version::PHONE_METADATA_VERSION;

#[cfg(test)]
mod file_tests;
#[cfg(feature = "fuzzing")]
mod fuzzing;
mod warm;

/// libphonenumber refuses inputs longer than this many characters (Unicode
/// scalar values of the text as given, surrounding whitespace included); we
/// refuse them the same way, before any parsing, so a 10 MB "phone" costs
/// no more than counting 251 characters.
pub const MAX_PHONE_INPUT_CHARS: usize = 250;

/// How a number written without a `+` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneDefault {
    /// No default: a number must be international (`+`, or `tel:+...`).
    None,
    /// A national number of this region (ISO 3166-1 alpha-2).
    Region(Region),
    /// A national number of this country calling code (`91` for India).
    CallingCode(u16),
    /// The digits are already the full international number without `+`.
    International,
}

/// Why a phone number was rejected. Machine-readable via [`PhoneError::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PhoneError {
    /// Nothing but whitespace.
    Empty,
    /// Longer than [`MAX_PHONE_INPUT_CHARS`]; not parsed at all.
    InputTooLong,
    /// A control character other than TAB, LF and CR (NUL, ESC, DEL, C1):
    /// the text rule of every field (crate docs, "Text fields"). Tabs and
    /// line breaks are whitespace, read as a space.
    ControlCharacter,
    /// No phone number can be read from the text.
    NotANumber,
    /// A `+` followed by a calling code that does not exist, or a national
    /// number with no default region to read it in.
    InvalidCountryCode,
    /// Too few digits after an international prefix such as `00`.
    TooShortAfterIdd,
    /// Shorter than any number of its country.
    TooShort,
    /// Longer than any number of its country.
    TooLong,
    /// Between the shortest and longest lengths of its country, but no
    /// number of the country has this length.
    InvalidLength,
    /// The right length, but not a number in use (libphonenumber's
    /// `isValidNumber` is false).
    InvalidNumber,
}

impl PhoneError {
    /// A stable snake_case code, e.g. `too_short`.
    pub fn code(self) -> &'static str {
        match self {
            PhoneError::Empty => "empty",
            PhoneError::InputTooLong => "input_too_long",
            PhoneError::ControlCharacter => "control_character",
            PhoneError::NotANumber => "not_a_number",
            PhoneError::InvalidCountryCode => "invalid_country_code",
            PhoneError::TooShortAfterIdd => "too_short_after_idd",
            PhoneError::TooShort => "too_short",
            PhoneError::TooLong => "too_long",
            PhoneError::InvalidLength => "invalid_length",
            PhoneError::InvalidNumber => "invalid_number",
        }
    }
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PhoneError::Empty => "the phone number is empty",
            PhoneError::InputTooLong => "the phone number is longer than 250 characters",
            PhoneError::ControlCharacter => "the phone number contains a control character",
            PhoneError::NotANumber => "the text is not a phone number",
            PhoneError::InvalidCountryCode => "the phone number has no valid country code",
            PhoneError::TooShortAfterIdd => {
                "the phone number is too short after its international prefix"
            }
            PhoneError::TooShort => "the phone number is too short",
            PhoneError::TooLong => "the phone number is too long",
            PhoneError::InvalidLength => "the phone number has an invalid length for its country",
            PhoneError::InvalidNumber => "the phone number is not a valid number for its country",
        })
    }
}

impl std::error::Error for PhoneError {}

/// The dedupe key of a valid number: its E.164 digits as an integer.
///
/// A calling code never starts with 0, so two numbers have the same key
/// exactly when they have the same E.164 form. E.164 says 15 digits at most,
/// but libphonenumber's metadata accepts some longer national numbers (a
/// 13-digit Nigerian number gives 16 digits), and its parser allows up to 17
/// national digits after a 3-digit code: 20 digits, past `u64`, hence `u128`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneKey(u128);

impl PhoneKey {
    /// The key of an E.164 string (`+` and 1..=20 digits, no leading zero).
    pub fn from_e164(s: &str) -> Option<PhoneKey> {
        let digits = s.strip_prefix('+')?;
        if digits.is_empty()
            || digits.len() > 20
            || digits.starts_with('0')
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        digits.parse().ok().map(PhoneKey)
    }

    /// The digits as an integer.
    pub fn get(self) -> u128 {
        self.0
    }
}

impl fmt::Display for PhoneKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.0)
    }
}

/// A valid phone number, normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidPhone {
    /// `+` and the digits, e.g. `+14155552671`.
    pub e164: String,
    /// The country calling code, e.g. `1`.
    pub country_code: u16,
    /// The ISO 3166-1 alpha-2 region of the number (`001` for numbers of
    /// non-geographic calling codes such as `+800`), when one matches.
    pub region: Option<String>,
    /// Mobile, fixed line, ...
    pub number_type: NumberType,
    /// The extension, kept apart from the number and its key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
}

impl ValidPhone {
    /// The dedupe key (the E.164 form as an integer).
    pub fn key(&self) -> PhoneKey {
        // Formatting guarantees E.164 shape; the fallback is never reached but
        // keeps this total.
        PhoneKey::from_e164(&self.e164).unwrap_or(PhoneKey(0))
    }

    /// The E.164 digits without the `+`.
    pub fn digits(&self) -> &str {
        &self.e164[1..]
    }
}

/// The phone parser: the engine's own parse over precompiled tables
/// (`phone_parse`, `phone_types`), read in place and shared by every
/// thread: nothing is compiled, built per thread or locked.
///
/// It replaced a pool of `rlibphonenumber` utilities (one per thread: the
/// library compiled each region's patterns lazily, per util). Measured
/// with callgrind on the same machine in the same run (`benches/README.md`,
/// "Phone parse"): a fresh 1000-row `contact-batch respond` process, and
/// `Engine::new`, before and after.
#[derive(Clone)]
pub(crate) struct PhoneParser {
    tables: Arc<Tables>,
    /// The library the `phone` fuzz target compares with.
    #[cfg(feature = "fuzzing")]
    oracle: Arc<rlibphonenumber::PhoneNumberUtil>,
}

/// Where the parse tables live.
enum Tables {
    /// The tables built in (`data/phone_parse.bin`, `data/phone_types.bin`),
    /// read in place: metadata [`PHONE_METADATA_VERSION`].
    Builtin(crate::phone_parse::PhoneParse<'static>),
    /// A host's phone metadata file (`phone_file`), read in place from its
    /// bytes, which the engine keeps alive (shared, never copied).
    File {
        parse: yoke::Yoke<crate::phone_parse::PhoneParse<'static>, Arc<[u8]>>,
        version: String,
    },
}

impl PhoneMetadataBytes {
    /// Checks the whole file, as an engine built with it would, and
    /// returns the libphonenumber metadata version it carries (`9.0.44`),
    /// without building an engine.
    pub fn check(&self) -> Result<String, PhoneMetadataError> {
        PhoneParser::from_file(self).map(|p| p.version().to_owned())
    }
}

impl fmt::Debug for PhoneParser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneParser({})", self.version())
    }
}

impl PhoneParser {
    /// Reads the committed tables (in place).
    pub(crate) fn new() -> Result<Self, String> {
        Ok(PhoneParser {
            tables: Arc::new(Tables::Builtin(crate::phone_parse::PhoneParse::load()?)),
            #[cfg(feature = "fuzzing")]
            oracle: Arc::new(crate::phone_metadata::load_util()?),
        })
    }

    /// Reads the tables of a host's phone metadata file, checked whole
    /// first (`phone_file`): a file that fails any check is an error
    /// naming it, never a panic or a half-read table.
    pub(crate) fn from_file(file: &PhoneMetadataBytes) -> Result<Self, PhoneMetadataError> {
        // The file is checked once (its checksum is most of the cost: ~6 M
        // instructions for a 1.9 MB file, callgrind), inside the attach.
        let mut version = String::new();
        let parse = yoke::Yoke::try_attach_to_cart(file.shared().clone(), |bytes: &[u8]| {
            let sections = PhoneMetadataFile::read(bytes)?;
            version = sections.version.to_owned();
            let types = crate::phone_types::TypeTables::read_whole(
                sections.section(crate::phone_file::SECTION_TYPES),
            )
            .ok_or_else(|| {
                PhoneMetadataError::Content("the number-type tables are malformed".to_owned())
            })?;
            crate::phone_parse::PhoneParse::from_sections(
                sections.section(crate::phone_file::SECTION_PARSE),
                types,
            )
            .map_err(|_| PhoneMetadataError::Content("the parse tables are malformed".to_owned()))
        })?;
        Ok(PhoneParser {
            tables: Arc::new(Tables::File { parse, version }),
            #[cfg(feature = "fuzzing")]
            oracle: Arc::new(
                crate::phone_metadata::load_util().map_err(PhoneMetadataError::Content)?,
            ),
        })
    }

    /// The libphonenumber metadata version of the tables in use.
    pub(crate) fn version(&self) -> &str {
        match &*self.tables {
            Tables::Builtin(_) => PHONE_METADATA_VERSION,
            Tables::File { version, .. } => version,
        }
    }

    /// The parse over the tables in use.
    fn parser(&self) -> &crate::phone_parse::PhoneParse<'_> {
        match &*self.tables {
            Tables::Builtin(parse) => parse,
            Tables::File { parse, .. } => parse.get(),
        }
    }

    /// The region of an ISO 3166-1 alpha-2 code (`us`, `US`) with metadata.
    pub(crate) fn region(&self, code: &str) -> Option<Region> {
        self.parser().region(code)
    }

    /// How a number is read with the region given for one call or one row
    /// (the single-value calls' `region`, an import's `region` column): in
    /// that region when the metadata knows it (in any case: `us` is `US`),
    /// and otherwise with no default region at all, as libphonenumber reads
    /// a number for an unknown region (`ZZ`, `001`): a number with its own
    /// `+CC` is still valid, a national number is `invalid_country_code`.
    /// (An unknown *configured* default region is a config error instead:
    /// see [`crate::Engine::new`].)
    pub(crate) fn default_for_region(&self, code: &str) -> PhoneDefault {
        self.region(code.trim())
            .map_or(PhoneDefault::None, PhoneDefault::Region)
    }

    /// True when `code` is a country calling code with metadata.
    pub(crate) fn is_calling_code(&self, code: u16) -> bool {
        self.parser().regions_of(code).len() > 0
    }

    /// Parses, validates and normalizes one phone string as sent: the one
    /// rule of rows, imports and the single-value calls.
    ///
    /// 1. Over [`MAX_PHONE_INPUT_CHARS`] characters of the text as sent
    ///    (libphonenumber's count, before any trimming): `InputTooLong`.
    /// 2. The single-line text rule: trimmed, every whitespace run (tabs
    ///    and line breaks included) one space, other control characters
    ///    `ControlCharacter`; nothing left is `Empty`.
    /// 3. libphonenumber's parse and `isValidNumber`.
    pub(crate) fn normalize(
        &self,
        raw: &str,
        default: PhoneDefault,
    ) -> Result<ValidPhone, PhoneError> {
        let number = self.parse(raw, default)?;
        self.validate(&number)
    }

    /// Steps 1 and 2 of [`PhoneParser::normalize`] and libphonenumber's
    /// parse: the number that is then validated.
    fn parse(&self, raw: &str, default: PhoneDefault) -> Result<Parsed, PhoneError> {
        if raw.len() > MAX_PHONE_INPUT_CHARS && raw.chars().nth(MAX_PHONE_INPUT_CHARS).is_some() {
            return Err(PhoneError::InputTooLong);
        }
        let cleaned = match crate::text::clean_phone(raw) {
            Ok(Some(text)) => text,
            Ok(None) => return Err(PhoneError::Empty),
            Err(_) => return Err(PhoneError::ControlCharacter),
        };
        let raw: &str = &cleaned;
        let parse = |text: &str, region: Option<Region>| {
            self.parser().parse(text, region).map_err(map_parse_error)
        };
        match default {
            PhoneDefault::None => parse(raw, None),
            PhoneDefault::Region(region) => parse(raw, Some(region)),
            PhoneDefault::International => {
                if raw.starts_with('+') || raw.starts_with("tel:") {
                    parse(raw, None)
                } else {
                    parse(&format!("+{raw}"), None)
                }
            }
            PhoneDefault::CallingCode(code) => match self.parser().main_region(code) {
                Some(region) if self.parser().region_id(region) != NON_GEOGRAPHIC => {
                    parse(raw, Some(region))
                }
                // Non-geographic codes (+800, +882, ...) have no region to
                // parse in: read the digits as that code's national number.
                Some(_) if !raw.starts_with('+') && !raw.starts_with("tel:") => {
                    parse(&format!("+{code}{raw}"), None)
                }
                _ => parse(raw, None),
            },
        }
    }

    fn validate(&self, number: &Parsed) -> Result<ValidPhone, PhoneError> {
        // libphonenumber's isValidNumber is "the region's metadata gives the
        // number a type other than UNKNOWN", and getNumberType is that same
        // lookup: asking for the type once answers both. The type and the
        // region come from the precompiled tables in one pass
        // (`phone_types`, held to the library by differential tests).
        let regions = self.parser().regions_of(number.country_code);
        let ids = regions.map(|r| self.parser().region_id(r));
        let (number_type, at) =
            self.parser()
                .types
                .classify_ids(number.country_code, number.nsn(), ids.clone());
        let Some(number_type) = number_type else {
            return Err(match self.parser().possible_with_reason(number) {
                Ok(()) => PhoneError::InvalidNumber,
                Err(LengthError::InvalidCountryCode) => PhoneError::InvalidCountryCode,
                Err(LengthError::TooShort) => PhoneError::TooShort,
                Err(LengthError::TooLong) => PhoneError::TooLong,
                Err(LengthError::InvalidLength) => PhoneError::InvalidLength,
            });
        };
        let region = at.and_then(|i| ids.clone().nth(i)).map(str::to_owned);
        Ok(ValidPhone {
            e164: number.e164(),
            country_code: number.country_code,
            region,
            number_type,
            extension: number.extension.clone().filter(|e| !e.is_empty()),
        })
    }
}

/// The region code of non-geographic calling codes' metadata.
const NON_GEOGRAPHIC: &str = "001";

fn map_parse_error(e: ParseError) -> PhoneError {
    match e {
        ParseError::InvalidCountryCode => PhoneError::InvalidCountryCode,
        ParseError::NotAnInteger => PhoneError::TooLong,
        ParseError::NotANumber => PhoneError::NotANumber,
        ParseError::TooShortAfterIdd => PhoneError::TooShortAfterIdd,
        ParseError::TooShortNsn => PhoneError::TooShort,
        ParseError::TooLongNsn => PhoneError::TooLong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser() -> PhoneParser {
        PhoneParser::new().unwrap()
    }

    #[test]
    fn tel_prefix_after_phone_context_is_not_a_number() {
        let p = parser();
        // The fuzzer's input holds a form feed, now refused by the text
        // rule before parsing; the same text without it reaches the guard.
        let found_by_fuzzing =
            "9+ 3.06 127042;phone-context=exampl415;isub=%f\x0ctel:7042;phone-contex356";
        assert_eq!(
            p.normalize(found_by_fuzzing, PhoneDefault::None),
            Err(PhoneError::ControlCharacter)
        );
        for raw in [
            &found_by_fuzzing.replace('\x0c', "x"),
            "1;phone-context=+1tel:2",
            "7042;phone-context=example.com;tel:1",
            "te;phone-context=+44tel:",
            "tel;phone-context=tel:+1",
        ] {
            assert!(tel_prefix_after_phone_context(raw), "{raw:?}");
            for default in [
                PhoneDefault::None,
                PhoneDefault::Region(p.region("US").unwrap()),
                PhoneDefault::International,
                PhoneDefault::CallingCode(1),
                PhoneDefault::CallingCode(800),
            ] {
                assert_eq!(
                    p.normalize(raw, default),
                    Err(PhoneError::NotANumber),
                    "{raw:?}"
                );
            }
        }
        // In order, RFC 3966 text still parses.
        let ok = p.normalize("tel:415-555-2671;phone-context=+1", PhoneDefault::None);
        assert_eq!(ok.map(|v| v.e164), Ok("+14155552671".to_owned()));
        assert!(!tel_prefix_after_phone_context("tel:1;phone-context=+1"));
        assert!(tel_prefix_after_phone_context(";phone-context=tel:"));
        assert!(!tel_prefix_after_phone_context("415;phone-context=+1"));
    }

    /// `tel:` ends before `;phone-context=` (the text the library slices).
    fn tel_prefix_after_phone_context(text: &str) -> bool {
        crate::phone_parse::oracle::tel_after_context(text)
    }

    /// One parser serves every thread, with the same answers.
    #[test]
    #[cfg(feature = "parallel")]
    fn one_parser_for_every_thread() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let p = parser();
        let answers: Vec<_> = pool.install(|| {
            use rayon::prelude::*;
            (0..300)
                .into_par_iter()
                .map(|i| p.normalize(&format!("+44 20 7183 {:04}", 8000 + i), PhoneDefault::None))
                .collect()
        });
        for (i, a) in answers.iter().enumerate() {
            let want = p.normalize(&format!("+44 20 7183 {:04}", 8000 + i), PhoneDefault::None);
            assert_eq!(a, &want);
            assert!(a.is_ok());
        }
    }

    #[test]
    fn national_number_with_region() {
        let p = parser();
        let us = p.region("US").unwrap();
        let v = p
            .normalize("(415) 555-2671", PhoneDefault::Region(us))
            .unwrap();
        assert_eq!(v.e164, "+14155552671");
        assert_eq!(v.country_code, 1);
        assert_eq!(v.region.as_deref(), Some("US"));
        assert_eq!(v.key().to_string(), "+14155552671");
    }

    #[test]
    fn national_number_without_region_is_rejected() {
        let p = parser();
        assert_eq!(
            p.normalize("4155552671", PhoneDefault::None),
            Err(PhoneError::InvalidCountryCode)
        );
    }

    #[test]
    fn calling_code_default_reads_national_and_prefixed_forms() {
        let p = parser();
        let a = p
            .normalize("7000782082", PhoneDefault::CallingCode(91))
            .unwrap();
        assert_eq!(a.e164, "+917000782082");
        let b = p
            .normalize("917000782082", PhoneDefault::CallingCode(91))
            .unwrap();
        assert_eq!(b.e164, "+917000782082");
        let c = p
            .normalize("917000782082", PhoneDefault::International)
            .unwrap();
        assert_eq!(c.e164, "+917000782082");
    }

    #[test]
    fn extension_is_kept_apart() {
        let p = parser();
        let v = p
            .normalize("+1 415-555-2671 ext. 123", PhoneDefault::None)
            .unwrap();
        assert_eq!(v.e164, "+14155552671");
        assert_eq!(v.extension.as_deref(), Some("123"));
    }

    #[test]
    fn reasons() {
        let p = parser();
        assert_eq!(
            p.normalize("   ", PhoneDefault::None),
            Err(PhoneError::Empty)
        );
        assert_eq!(
            p.normalize("+", PhoneDefault::None),
            Err(PhoneError::NotANumber)
        );
        assert_eq!(
            p.normalize("hello", PhoneDefault::None),
            Err(PhoneError::NotANumber)
        );
        assert_eq!(
            p.normalize(&"1".repeat(10_000), PhoneDefault::None),
            Err(PhoneError::InputTooLong)
        );
        assert_eq!(
            p.normalize("+999 123456", PhoneDefault::None),
            Err(PhoneError::InvalidCountryCode)
        );
        assert_eq!(
            p.normalize("+1 415", PhoneDefault::None),
            Err(PhoneError::TooShort)
        );
        assert_eq!(
            p.normalize("+1 555 555 5555", PhoneDefault::None),
            Err(PhoneError::InvalidNumber)
        );
    }

    #[test]
    fn key_round_trip() {
        assert_eq!(
            PhoneKey::from_e164("+351929312319").unwrap().get(),
            351929312319
        );
        assert!(PhoneKey::from_e164("351929312319").is_none());
        assert!(PhoneKey::from_e164("+0123").is_none());
        assert_eq!(
            PhoneKey::from_e164("+2347000000000000").unwrap().get(),
            2347000000000000
        );
        assert!(PhoneKey::from_e164("+123456789012345678901").is_none());
        assert!(PhoneKey::from_e164("+").is_none());
    }
}
