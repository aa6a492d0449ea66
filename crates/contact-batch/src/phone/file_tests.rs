//! The phone metadata file (`phone_file`) read by the parser.

use super::{PhoneDefault, PhoneParser};
use crate::phone_file::*;
use proptest::prelude::*;

/// The built-in tables as a phone metadata file (what the generator writes
/// from the vendored metadata: the committed tables are fresh, which their
/// own tests check).
fn builtin() -> &'static [u8] {
    static FILE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        encode(
            crate::PHONE_METADATA_VERSION,
            &[
                (SECTION_METADATA, crate::phone_metadata::metadata_bytes()),
                (SECTION_TYPES, crate::phone_types::table_bytes()),
                (SECTION_PARSE, crate::phone_parse::table_bytes()),
            ],
        )
    })
}

fn refused(bytes: &[u8]) -> PhoneMetadataError {
    PhoneMetadataBytes::new(bytes.to_vec())
        .check()
        .expect_err("refused")
}

/// Texts that reach every part of the parse: national and international
/// forms, IDD prefixes, national prefixes with transform rules, `tel:`
/// URIs, extensions, letters, non-ASCII digits, junk.
const TEXTS: &[&str] = &[
    "+1 415 555 2671",
    "(415) 555-2671",
    "+44 20 7183 8750",
    "020 7183 8750",
    "011 44 20 7183 8750",
    "00351929312319",
    "+39 06 1234 5678",
    "+49 1521 2345678",
    "01521 2345678",
    "+54 9 11 1234 5678",
    "011 15 1234 5678",
    "+52 1 55 1234 5678",
    "tel:+1-415-555-2671;ext=12",
    "tel:863-1234;phone-context=+1-914-555",
    "+1 415 555 2671 ext. 123",
    "1-800-FLOWERS",
    "+800 1234 5678",
    "\u{0661}\u{0662}\u{0663}\u{0664}\u{0665}\u{0666}\u{0667}\u{0668}",
    "\u{ff0b}\u{ff11}\u{ff14}\u{ff11}\u{ff15}\u{ff15}\u{ff15}\u{ff15}\u{ff12}\u{ff16}\u{ff17}\u{ff11}",
    "+2347000000000000",
    "12",
    "not a number",
];

/// Every answer of a parser for [`TEXTS`] in a few regions.
fn answers(parser: &PhoneParser) -> Vec<String> {
    let mut out = Vec::new();
    for region in ["US", "GB", "DE", "AR", "MX", "IN", "ZZ"] {
        let default = parser.default_for_region(region);
        for text in TEXTS {
            out.push(format!(
                "{region} {text:?} {:?}",
                parser.normalize(text, default)
            ));
        }
    }
    for text in TEXTS {
        out.push(format!(
            "{:?}",
            parser.normalize(text, PhoneDefault::International)
        ));
        out.push(format!(
            "{:?}",
            parser.normalize(text, PhoneDefault::CallingCode(54))
        ));
    }
    out
}

#[test]
fn the_built_in_tables_as_a_file_answer_as_the_built_in_tables() {
    let file = PhoneMetadataBytes::new(builtin().to_vec());
    assert_eq!(file.check().as_deref(), Ok(crate::PHONE_METADATA_VERSION));
    assert_eq!(
        format!("{file:?}"),
        format!("PhoneMetadataBytes({} bytes)", builtin().len())
    );
    let from_file = PhoneParser::from_file(&file).unwrap();
    let built_in = PhoneParser::new().unwrap();
    assert_eq!(from_file.version(), built_in.version());
    let (a, b) = (answers(&from_file), answers(&built_in));
    assert_eq!(a, b);
    // The answers are not trivially equal (all errors): most texts parse.
    assert!(a.iter().filter(|s| s.contains("Ok(ValidPhone")).count() > 40);
}

#[test]
fn the_version_comes_from_the_file() {
    let file = encode(
        "9.9.99-test",
        &[
            (SECTION_TYPES, crate::phone_types::table_bytes()),
            (SECTION_PARSE, crate::phone_parse::table_bytes()),
        ],
    );
    let parser = PhoneParser::from_file(&PhoneMetadataBytes::from(file)).unwrap();
    assert_eq!(parser.version(), "9.9.99-test");
    // The metadata section is optional: the engine does not read it.
    assert!(parser
        .normalize("+1 415 555 2671", PhoneDefault::None)
        .is_ok());
}

#[test]
fn encode_then_read_round_trips() {
    let file = encode(
        "9.0.43",
        &[(1, b"abc"), (2, b""), (3, b"x"), (77, b"future")],
    );
    let read = PhoneMetadataFile::read(&file).unwrap();
    assert_eq!(read.version, "9.0.43");
    assert_eq!(read.section(1), b"abc");
    assert_eq!(read.section(2), b"");
    assert_eq!(read.section(3), b"x");
    assert_eq!(read.section(77), b"future");
    assert_eq!(read.section(4), b"");
}

#[test]
fn each_kind_of_bad_file_has_its_message() {
    let good = builtin().to_vec();
    assert_eq!(refused(b""), PhoneMetadataError::NotAMetadataFile);
    assert_eq!(
        refused(b"{\"json\": 1}"),
        PhoneMetadataError::NotAMetadataFile
    );
    assert_eq!(
        refused(&good[..good.len() - 1]),
        PhoneMetadataError::Length(good.len() as u64, good.len() - 1)
    );
    let mut longer = good.clone();
    longer.push(0);
    assert_eq!(
        refused(&longer),
        PhoneMetadataError::Length(good.len() as u64, good.len() + 1)
    );
    let mut format = good.clone();
    format[8] = 2;
    assert_eq!(refused(&format), PhoneMetadataError::FormatVersion(2));
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert_eq!(refused(&flipped), PhoneMetadataError::Checksum);
    // Checksummed, but without the tables an engine needs.
    let metadata_only = encode("9.0.43", &[(SECTION_METADATA, b"")]);
    assert_eq!(
        refused(&metadata_only),
        PhoneMetadataError::MissingSection("the number-type tables")
    );
    let no_parse = encode(
        "9.0.43",
        &[(SECTION_TYPES, crate::phone_types::table_bytes())],
    );
    assert_eq!(
        refused(&no_parse),
        PhoneMetadataError::MissingSection("the parse tables")
    );
    let twice = encode("1", &[(2, b""), (2, b""), (3, b"")]);
    assert_eq!(
        refused(&twice).to_string(),
        "the file is malformed: section 2 appears twice"
    );
    // Sections that checksum but do not read whole.
    let types = crate::phone_types::table_bytes();
    let parse = crate::phone_parse::table_bytes();
    for (what, file) in [
        (
            "the number-type tables are malformed",
            encode(
                "1",
                &[
                    (SECTION_TYPES, &types[..types.len() - 3]),
                    (SECTION_PARSE, parse),
                ],
            ),
        ),
        (
            "the number-type tables are malformed",
            encode("1", &[(SECTION_TYPES, b""), (SECTION_PARSE, parse)]),
        ),
        (
            "the parse tables are malformed",
            encode(
                "1",
                &[
                    (SECTION_TYPES, types),
                    (SECTION_PARSE, &parse[..parse.len() - 1]),
                ],
            ),
        ),
        (
            "the parse tables are malformed",
            encode("1", &[(SECTION_TYPES, types), (SECTION_PARSE, &parse[1..])]),
        ),
    ] {
        assert_eq!(refused(&file).to_string(), what);
    }
    // Every message says what is wrong in words.
    for e in [
        PhoneMetadataError::NotAMetadataFile,
        PhoneMetadataError::FormatVersion(9),
        PhoneMetadataError::Checksum,
        PhoneMetadataError::Length(3, 4),
    ] {
        assert!(e.to_string().len() > 20, "{e}");
    }
}

#[test]
#[should_panic(expected = "bad metadata version")]
fn encode_refuses_a_version_the_reader_would() {
    encode("9.0 43", &[]);
}

/// The generator's Rust half: `scripts/update-phone-metadata.sh VERSION
/// --out FILE` runs it with `CONTACT_BATCH_PHONE_FILE_METADATA` (the
/// `PhoneMetadataCollection` protobuf `scripts/gen_phone_metadata.py`
/// wrote for that release), `CONTACT_BATCH_PHONE_FILE_VERSION` and
/// `CONTACT_BATCH_PHONE_FILE_OUT`. It compiles the tables with the same
/// code as the committed ones, checks the file with the engine's own reader
/// and writes it.
#[test]
#[ignore = "the generator: scripts/update-phone-metadata.sh VERSION --out FILE runs it"]
fn generate_phone_metadata_file() {
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set (see the doc comment)"))
    };
    let metadata = std::fs::read(var("CONTACT_BATCH_PHONE_FILE_METADATA")).expect("the metadata");
    let version = var("CONTACT_BATCH_PHONE_FILE_VERSION");
    let types = crate::phone_types::generate::table_bytes_from(&metadata);
    let parse = crate::phone_parse::generate::table_bytes_from(&metadata);
    let file = encode(
        &version,
        &[
            (SECTION_METADATA, &metadata),
            (SECTION_TYPES, &types),
            (SECTION_PARSE, &parse),
        ],
    );
    let checked = PhoneMetadataBytes::new(file.clone()).check();
    assert_eq!(checked.as_deref(), Ok(version.as_str()));
    std::fs::write(var("CONTACT_BATCH_PHONE_FILE_OUT"), file).expect("the file written");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any truncation of the file is refused, with no panic.
    #[test]
    fn truncations_are_refused(cut in any::<prop::sample::Index>()) {
        let good = builtin();
        let at = cut.index(good.len());
        prop_assert!(PhoneMetadataBytes::new(good[..at].to_vec()).check().is_err());
    }

    /// Any flipped bit of the file is refused, with no panic.
    #[test]
    fn bit_flips_are_refused(at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut bytes = builtin().to_vec();
        let at = at.index(bytes.len());
        bytes[at] ^= 1 << bit;
        prop_assert!(PhoneMetadataBytes::new(bytes).check().is_err());
    }

    /// Arbitrary bytes, with or without the magic, never panic the reader.
    #[test]
    fn arbitrary_bytes_never_panic(
        mut bytes in prop::collection::vec(any::<u8>(), 0..256),
        magic in any::<bool>(),
    ) {
        if magic {
            let mut with = MAGIC.to_vec();
            with.append(&mut bytes);
            bytes = with;
        }
        let _ = PhoneMetadataBytes::new(bytes).check();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A forged file: the real tables with bytes changed and the checksum
    /// made to match. The engine may refuse it or give other answers, but
    /// reading it and parsing every text with it never panics.
    #[test]
    fn forged_tables_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), any::<bool>()), 1..12),
    ) {
        let mut types = crate::phone_types::table_bytes().to_vec();
        let mut parse = crate::phone_parse::table_bytes().to_vec();
        for (at, byte, in_types) in edits {
            let table = if in_types { &mut types } else { &mut parse };
            let at = at.index(table.len());
            table[at] = byte;
        }
        let file = PhoneMetadataBytes::from(encode("forged", &[(SECTION_TYPES, &types), (SECTION_PARSE, &parse)]));
        if let Ok(parser) = PhoneParser::from_file(&file) {
            answers(&parser);
        }
    }
}
