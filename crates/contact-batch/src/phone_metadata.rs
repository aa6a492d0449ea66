//! The phone metadata the engine loads: `rlibphonenumber`'s own, with every
//! `\d` in its patterns spelled `[0-9]`.
//!
//! Why: the metadata's patterns are written for ICU, where they are always
//! matched against ASCII digits (libphonenumber normalizes every digit before
//! matching). In the `regex` crate `\d` means any Unicode decimal digit, 680
//! code points in 68 ranges, and a pattern such as `[1-9]\d{9}` compiles to
//! an automaton with a UTF-8 decoder for each of those ten digits. Compiling
//! the patterns of one region that way took about a millisecond each, and a
//! batch that touches 38 regions spent ~250 ms compiling before it matched
//! anything; `[0-9]` compiles 12x faster (callgrind: 737 M instructions of
//! compilation for a 20k-row import before, 62 M after) and matches the same
//! ASCII strings. Only regular-expression fields are rewritten; replacement
//! templates (`$1`, `$NP`) and literal prefixes are left alone.
//!
//! The metadata bytes are libphonenumber's metadata [`PHONE_METADATA_VERSION`]
//! as the `PhoneMetadataCollection` protobuf `rlibphonenumber` loads,
//! written by the project's generator (`scripts/gen_phone_metadata.py`)
//! from the Python port `phonenumbers` of the same version and vendored as
//! `data/phone_metadata.bin` (Apache-2.0; provenance, checksum and the one
//! command that updates it in `data/PROVENANCE.md`). At 9.0.42 the
//! generator's output is byte-identical to the `metadata.bin` that
//! `rlibphonenumber` 2.2.15 embeds, so the library's code reads our bytes
//! exactly as it reads its own. The tests below hold the rewritten metadata
//! to the same bytes loaded as they are, on every region.

use rlibphonenumber::PhoneNumberUtil;

#[cfg(test)]
use crate::phone_version::PHONE_METADATA_VERSION;

/// `data/phone_metadata.bin`: libphonenumber metadata [`PHONE_METADATA_VERSION`].
static METADATA: &[u8] = include_bytes!("../data/phone_metadata.bin");

/// The vendored metadata bytes (the phone-type table's generator reads them).
#[cfg(test)]
pub(crate) fn metadata_bytes() -> &'static [u8] {
    METADATA
}

/// Builds the engine's phone number utility.
pub(crate) fn load_util() -> Result<PhoneNumberUtil, String> {
    load_util_from(METADATA)
}

/// Builds a phone number utility over a `PhoneMetadataCollection`
/// protobuf (a phone metadata file's own metadata, in its tests).
pub(crate) fn load_util_from(metadata: &[u8]) -> Result<PhoneNumberUtil, String> {
    use prost::Message;
    let mut collection = rlibphonenumber::PhoneMetadataCollection::decode(metadata)
        .map_err(|e| format!("cannot decode the phone metadata: {e}"))?;
    for metadata in &mut collection.metadata {
        ascii_digit_metadata(metadata);
    }
    PhoneNumberUtil::new_for_metadata(collection).map_err(|e| e.to_string())
}

/// Rewrites the regular expressions of one region's metadata.
///
/// The prost fields are marked deprecated because the library's wrapper
/// shadows them once loaded; before `new_for_metadata` they are the data.
#[allow(deprecated)]
fn ascii_digit_metadata(m: &mut rlibphonenumber::PhoneMetadata) {
    let descs = [
        &mut m.general_desc,
        &mut m.fixed_line,
        &mut m.mobile,
        &mut m.toll_free,
        &mut m.premium_rate,
        &mut m.shared_cost,
        &mut m.personal_number,
        &mut m.voip,
        &mut m.pager,
        &mut m.uan,
        &mut m.emergency,
        &mut m.voicemail,
        &mut m.short_code,
        &mut m.standard_rate,
        &mut m.carrier_specific,
        &mut m.sms_services,
        &mut m.no_international_dialling,
    ];
    for desc in descs.into_iter().flatten() {
        rewrite(&mut desc.national_number_pattern);
    }
    for pattern in [
        &mut m.international_prefix,
        &mut m.national_prefix_for_parsing,
        &mut m.leading_digits,
    ] {
        rewrite(pattern);
    }
    for format in m.number_format.iter_mut().chain(&mut m.intl_number_format) {
        format.pattern = ascii_digits(&format.pattern);
        for leading in &mut format.leading_digits_pattern {
            *leading = ascii_digits(leading);
        }
    }
}

fn rewrite(pattern: &mut Option<String>) {
    if let Some(p) = pattern {
        *p = ascii_digits(p);
    }
}

/// `pattern` with each `\d` escape (not an escaped backslash followed by
/// `d`) replaced by `[0-9]`. Inside a class, `[\d-]` becomes `[[0-9]-]`, a
/// nested class with the same members.
pub(crate) fn ascii_digits(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    // Copies the text between escapes whole: `start` is the first byte not
    // yet copied, `at` the next backslash.
    let mut start = 0;
    let mut from = 0;
    while let Some(offset) = pattern[from..].find('\\') {
        let at = from + offset;
        let escaped = pattern[at + 1..].chars().next();
        match escaped {
            Some('d') => {
                out.push_str(&pattern[start..at]);
                out.push_str("[0-9]");
                start = at + 2;
                from = start;
            }
            // Any other escape (an escaped backslash included) is kept.
            Some(c) => from = at + 1 + c.len_utf8(),
            None => from = at + 1,
        }
    }
    out.push_str(&pattern[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rlibphonenumber::{PhoneNumber, PhoneNumberFormat, Region};

    #[test]
    fn rewrites_only_digit_escapes() {
        assert_eq!(ascii_digits(r"[1-9]\d{9}"), "[1-9][0-9]{9}");
        assert_eq!(ascii_digits(r"[\d]+\D"), r"[[0-9]]+\D");
        assert_eq!(ascii_digits(r"\\d\.\d"), r"\\d\.[0-9]");
        assert_eq!(ascii_digits("abc\\"), "abc\\");
        assert_eq!(ascii_digits(""), "");
        for p in [r"[1-9]\d{9}", r"[\d]+\D", r"(\d{3})(\d{4})", r"\\d\.\d"] {
            let a = regex::Regex::new(&format!("^(?:{p})$")).unwrap();
            let b = regex::Regex::new(&format!("^(?:{})$", ascii_digits(p))).unwrap();
            for s in ["1234567890", "0123", "12a", "\\d.5", "١٢٣", "5551234"] {
                if s.is_ascii() {
                    assert_eq!(a.is_match(s), b.is_match(s), "{p} on {s}");
                }
            }
        }
    }

    /// One character at a time: the plain statement of the rewrite.
    fn ascii_digits_by_char(pattern: &str) -> String {
        let mut out = String::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            match (c, c == '\\') {
                (_, false) => out.push(c),
                (_, true) => match chars.next() {
                    Some('d') => out.push_str("[0-9]"),
                    Some(next) => {
                        out.push('\\');
                        out.push(next);
                    }
                    None => out.push('\\'),
                },
            }
        }
        out
    }

    proptest! {
        #[test]
        fn rewrite_matches_the_character_statement(p in r"[\\dD09é\[\]{}()]{0,24}") {
            prop_assert_eq!(ascii_digits(&p), ascii_digits_by_char(&p));
        }
    }

    /// `data/PROVENANCE.md`'s record of one vendored file: its size and
    /// FNV-1a 64 (the SHA-256 beside them is for people; this keeps the
    /// test free of a hashing dependency).
    fn recorded(name: &str) -> (usize, u64) {
        let record = include_str!("../data/PROVENANCE.md");
        let line = record
            .lines()
            .find(|l| l.starts_with(&format!("- `{name}`: ")))
            .unwrap_or_else(|| panic!("PROVENANCE.md has no record of {name}"));
        let size = line.split(&[':', ' '][..]).nth(3).unwrap().parse().unwrap();
        let fnv = line.rsplit("`0x").next().unwrap().trim_end_matches('`');
        (size, u64::from_str_radix(fnv, 16).unwrap())
    }

    fn fnv1a64(bytes: &[u8]) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        hash
    }

    /// The vendored bytes and the version the engine reports are the ones
    /// `data/PROVENANCE.md` records: a changed file must come with a
    /// changed record (`scripts/update-phone-metadata.sh` writes both).
    #[test]
    fn vendored_data_is_the_recorded_data() {
        let record = include_str!("../data/PROVENANCE.md");
        assert!(
            record.contains(&format!("- metadata version: `{PHONE_METADATA_VERSION}`")),
            "PROVENANCE.md records another version than {PHONE_METADATA_VERSION}"
        );
        for (name, bytes) in [
            ("phone_metadata.bin", METADATA),
            ("phone_types.bin", crate::phone_types::table_bytes()),
        ] {
            assert_eq!(
                (bytes.len(), fnv1a64(bytes)),
                recorded(name),
                "{name}: run python3 scripts/phone_provenance.py {PHONE_METADATA_VERSION}"
            );
        }
    }

    /// Every region the library's own metadata (9.0.42) knows is in the
    /// vendored metadata, and no other (9.0.43 added or removed none; a
    /// release that does changes this test with its record).
    #[test]
    fn vendored_metadata_covers_the_library_regions() {
        use prost::Message;
        let collection = rlibphonenumber::PhoneMetadataCollection::decode(METADATA).unwrap();
        #[allow(deprecated)]
        let mut ours: Vec<String> = collection
            .metadata
            .iter()
            .map(|m| m.id.clone())
            .filter(|id| id != "001")
            .collect();
        ours.sort();
        ours.dedup();
        let stock = PhoneNumberUtil::new().unwrap();
        let mut theirs: Vec<String> = stock
            .get_supported_regions()
            .map(|r| r.as_region_str().as_str().to_owned())
            .collect();
        theirs.sort();
        assert_eq!(ours, theirs);
    }

    /// Everything the engine asks of the utility, as comparable values.
    fn answers(util: &PhoneNumberUtil, raw: &str, region: Option<Region>) -> String {
        match util.parse(raw, region) {
            Err(e) => format!("parse error {e:?}"),
            Ok(n) => describe(util, &n),
        }
    }

    fn describe(util: &PhoneNumberUtil, n: &PhoneNumber) -> String {
        format!(
            "{:?} {:?} {} {:?} {:?} {}",
            util.get_number_type(n),
            util.is_possible_number_with_reason(n),
            util.format(n, PhoneNumberFormat::E164),
            util.get_region_for_number(n),
            n.extension,
            util.format(n, PhoneNumberFormat::International),
        )
    }

    /// The vendored metadata loaded as it is (`stock`) and as the engine
    /// loads it (`ours`, with `[0-9]` for `\d`).
    struct Pair {
        stock: PhoneNumberUtil,
        ours: PhoneNumberUtil,
        regions: Vec<Region>,
    }

    fn pair() -> &'static Pair {
        static PAIR: std::sync::OnceLock<Pair> = std::sync::OnceLock::new();
        PAIR.get_or_init(|| {
            use prost::Message;
            let collection = rlibphonenumber::PhoneMetadataCollection::decode(METADATA).unwrap();
            let stock = PhoneNumberUtil::new_for_metadata(collection).unwrap();
            let mut regions: Vec<Region> = stock.get_supported_regions().collect();
            regions.sort_by_key(|r| r.as_region_str().as_str().to_owned());
            Pair {
                stock,
                ours: load_util().unwrap(),
                regions,
            }
        })
    }

    #[test]
    fn every_example_number_reads_the_same() {
        let p = pair();
        let mut checked = 0;
        for &region in &p.regions {
            let Ok(example) = p.stock.get_example_number(region) else {
                continue;
            };
            let national = p
                .stock
                .format(&example, PhoneNumberFormat::National)
                .into_owned();
            let intl = p
                .stock
                .format(&example, PhoneNumberFormat::E164)
                .into_owned();
            for raw in [national.as_str(), intl.as_str()] {
                assert_eq!(
                    answers(&p.stock, raw, Some(region)),
                    answers(&p.ours, raw, Some(region)),
                    "{raw} in {region:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 400, "only {checked} example numbers");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Random digits, in national and international form, in every
        /// region: the rewritten metadata answers exactly as the library's.
        #[test]
        fn same_answers_as_the_library(
            region_at in any::<prop::sample::Index>(),
            digits in "[0-9]{1,17}",
            form in 0u8..4,
        ) {
            let p = pair();
            let region = p.regions[region_at.index(p.regions.len())];
            let raw = match form {
                0 => digits.clone(),
                1 => format!("+{digits}"),
                2 => format!("0{digits}"),
                _ => format!("00{digits}"),
            };
            prop_assert_eq!(
                answers(&p.stock, &raw, Some(region)),
                answers(&p.ours, &raw, Some(region))
            );
        }

        /// A region's example number with its last digits replaced: mostly
        /// valid numbers, of every type the region lists.
        #[test]
        fn same_answers_near_example_numbers(
            region_at in any::<prop::sample::Index>(),
            kind in 0usize..4,
            tail in "[0-9]{1,6}",
        ) {
            use rlibphonenumber::PhoneNumberType as T;
            let p = pair();
            let region = p.regions[region_at.index(p.regions.len())];
            let kind = [T::Mobile, T::FixedLine, T::TollFree, T::VoIP][kind];
            if let Ok(example) = p.stock.get_example_number_for_type_and_region(region, kind) {
                let e164 = p.stock.format(&example, PhoneNumberFormat::E164).into_owned();
                let keep = e164.len().saturating_sub(tail.len()).max(2);
                let raw = format!("{}{}", &e164[..keep], tail);
                prop_assert_eq!(
                    answers(&p.stock, &raw, Some(region)),
                    answers(&p.ours, &raw, Some(region))
                );
            }
        }
    }
}
