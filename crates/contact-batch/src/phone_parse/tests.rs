//! The parse against `rlibphonenumber` (the oracle, at the same vendored
//! metadata): every answer the engine reads of a parse (calling code,
//! national significant number, extension, type, region, possible-length
//! verdict, or the parse error) compared as one string.

use super::*;
use proptest::prelude::*;
use rlibphonenumber::{PhoneNumberFormat, PhoneNumberType, PhoneNumberUtil, Region as LibRegion};
use std::fmt::Write as _;

/// The committed table is what the vendored metadata gives; with
/// `CONTACT_BATCH_WRITE_PHONE_PARSE=1` the test rewrites it instead.
#[test]
fn committed_table_is_fresh() {
    let fresh = generate::table_bytes();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/phone_parse.bin");
    if std::env::var_os("CONTACT_BATCH_WRITE_PHONE_PARSE").is_some() {
        std::fs::write(path, &fresh).unwrap();
        return;
    }
    assert!(
        TABLE == &fresh[..],
        "data/phone_parse.bin is stale: run CONTACT_BATCH_WRITE_PHONE_PARSE=1 cargo test -p contact-batch --lib phone_parse::tests::committed_table_is_fresh"
    );
}

pub(crate) struct Fixture {
    pub(crate) util: PhoneNumberUtil,
    pub(crate) ours: PhoneParse<'static>,
    /// Every region, sorted, with ours.
    pub(crate) regions: Vec<(LibRegion, Region)>,
}

pub(crate) fn fixture() -> &'static Fixture {
    static F: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let util = crate::phone_metadata::load_util().unwrap();
        let ours = PhoneParse::load().unwrap();
        let mut regions: Vec<(LibRegion, Region)> = util
            .get_supported_regions()
            .map(|r| {
                let code = r.as_region_str().as_str().to_owned();
                (r, ours.region(&code).unwrap_or_else(|| panic!("{code}")))
            })
            .collect();
        regions.sort_by_key(|(r, _)| r.as_region_str().as_str().to_owned());
        Fixture {
            util,
            ours,
            regions,
        }
    })
}

/// Compares one text in one region; the mismatch as a line.
pub(crate) fn compare(
    f: &Fixture,
    text: &str,
    region: Option<(LibRegion, Region)>,
) -> Option<String> {
    super::oracle::compare(&f.ours, &f.util, text, region.map(|r| r.1))
}

fn assert_none(mismatches: &str, checked: usize, what: &str) {
    assert!(
        mismatches.is_empty(),
        "{what}: {} of {checked} differ:\n{}",
        mismatches.lines().count(),
        mismatches.lines().take(40).collect::<Vec<_>>().join("\n")
    );
}

const TYPES: [PhoneNumberType; 11] = [
    PhoneNumberType::FixedLine,
    PhoneNumberType::Mobile,
    PhoneNumberType::TollFree,
    PhoneNumberType::PremiumRate,
    PhoneNumberType::SharedCost,
    PhoneNumberType::VoIP,
    PhoneNumberType::PersonalNumber,
    PhoneNumberType::Pager,
    PhoneNumberType::UAN,
    PhoneNumberType::VoiceMail,
    PhoneNumberType::Unknown,
];

/// Extension forms libphonenumber reads, and junk around numbers.
const EXTENSIONS: [&str; 16] = [
    " ext. 1234",
    " x12",
    ";ext=99",
    ",,55",
    " #77",
    " - 503#",
    " anexo 12",
    " доб. 3",
    " extension 456",
    " ｘ７",
    ";12",
    " int 9",
    " ~ 88",
    " x 1234567890",
    " ext 123456789012345678901",
    ",,,7#",
];
const JUNK: [(&str, &str); 6] = [
    ("Tel: ", ""),
    ("", " (home)"),
    ("call ", " now!"),
    ("tel:", ";phone-context=example.com"),
    ("", " / x 2"),
    ("№ ", "."),
];

/// Every example number of every type of every region and non-geographic
/// calling code, in national, international, E.164, RFC 3966 and
/// IDD-prefixed form (dialled from five regions), with extensions and junk,
/// read in its region, in none and in another one.
#[test]
fn example_numbers_parse_as_the_library_does() {
    let f = fixture();
    let mut examples = Vec::new();
    for (i, &(lib, _)) in f.regions.iter().enumerate() {
        for t in TYPES {
            if let Ok(n) = f.util.get_example_number_for_type_and_region(lib, t) {
                examples.push((i, n));
            }
        }
    }
    for code in f.util.get_supported_global_network_calling_codes() {
        if let Ok(n) = f.util.get_example_number_for_non_geo_entity(code) {
            examples.push((0, n));
        }
    }
    let from: Vec<LibRegion> = ["US", "DE", "JP", "AU", "RU", "BR", "GB"]
        .iter()
        .map(|c| {
            f.regions[f
                .regions
                .iter()
                .position(|(r, _)| r.as_region_str().as_str() == *c)
                .unwrap()]
            .0
        })
        .collect();
    let mut mismatches = String::new();
    let mut checked = 0;
    for (k, (i, n)) in examples.iter().enumerate() {
        let mut texts: Vec<String> = [
            PhoneNumberFormat::National,
            PhoneNumberFormat::International,
            PhoneNumberFormat::E164,
            PhoneNumberFormat::RFC3966,
        ]
        .iter()
        .map(|&fmt| f.util.format(n, fmt).into_owned())
        .collect();
        for &r in &from {
            texts.push(
                f.util
                    .format_out_of_country_calling_number(n, r)
                    .into_owned(),
            );
        }
        let base = texts.clone();
        for (j, t) in base.iter().enumerate() {
            texts.push(format!("{t}{}", EXTENSIONS[(k + j) % EXTENSIONS.len()]));
            let (before, after) = JUNK[(k + j) % JUNK.len()];
            texts.push(format!("{before}{t}{after}"));
        }
        let own = f.regions[*i];
        let other = f.regions[(i * 7 + k) % f.regions.len()];
        for t in &texts {
            for region in [Some(own), None, Some(other)] {
                checked += 1;
                if let Some(m) = compare(f, t, region) {
                    mismatches.push_str(&m);
                }
            }
        }
    }
    assert!(checked > 50_000, "only {checked}");
    assert_none(&mismatches, checked, "example numbers");
}

/// The committed phone vectors' inputs (made by Python `phonenumbers` from
/// libphonenumber's own kinds of inputs), as the engine passes them: after
/// the text rule, in their region.
#[test]
fn phone_vector_inputs_parse_as_the_library_does() {
    let f = fixture();
    let vectors = include_str!("../../tests/data/phone_vectors.jsonl");
    let mut mismatches = String::new();
    let mut checked = 0;
    for line in vectors.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let raw = v["raw"].as_str().unwrap();
        let Ok(Some(text)) = crate::text::clean_phone(raw) else {
            continue;
        };
        let region = v["region"].as_str().and_then(|code| {
            let ours = f.ours.region(code.trim())?;
            let lib = f.regions.iter().find(|(_, o)| *o == ours)?.0;
            Some((lib, ours))
        });
        checked += 1;
        if let Some(m) = compare(f, &text, region) {
            mismatches.push_str(&m);
        }
    }
    assert!(checked > 1000, "only {checked}");
    assert_none(&mismatches, checked, "phone vectors");
}

/// Every decimal digit the library knows, and no other.
#[test]
fn unicode_digits_are_the_library_digits() {
    let f = fixture();
    let all: Vec<char> = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
    for chunk in all.chunks(4096) {
        let s: String = chunk.iter().collect();
        let theirs = f.util.normalize_digits_only(&s);
        let ours: String = chunk
            .iter()
            .filter_map(|&c| f.ours.tables.digit_value(c))
            .map(|d| char::from(b'0' + d))
            .collect();
        assert_eq!(ours, theirs, "from {:#x}", chunk[0] as u32);
    }
}

/// Each character after and before a number, and alone between digits:
/// trimming, start characters, viability, digits.
#[test]
fn every_character_around_a_number() {
    let f = fixture();
    let us = f.regions[f
        .regions
        .iter()
        .position(|(r, _)| r.as_region_str().as_str() == "US")
        .unwrap()];
    let mut mismatches = String::new();
    let mut checked = 0;
    let chars = (0..0x3400u32)
        .chain((0x3400..=0x10FFFF).step_by(97))
        .chain([
            0xFF0B, 0xFF10, 0xFF19, 0xFF58, 0x212A, 0x17F, 0x1D7CE, 0x1FBF9, 0x30FC, 0xFE0F,
        ]);
    for c in chars.filter_map(char::from_u32) {
        for text in [
            format!("+1 650 253 0000{c}"),
            format!("{c}650 253 0000"),
            format!("65{c}0253000"),
        ] {
            checked += 1;
            if let Some(m) = compare(f, &text, Some(us)) {
                mismatches.push_str(&m);
            }
        }
    }
    assert_none(&mismatches, checked, "characters");
}

#[test]
fn marking_and_rules() {
    assert_eq!(
        generate::marked(r"^(?:0|(1\d|2)$)"),
        r"^(?:0|(?:a(?:1\d|2)b)e)"
    );
    assert_eq!(
        generate::marked(r"^(?:[(]\$(?:x)(y)(z))"),
        r"^(?:[(]\$(?:x)(?:a(?:y)b)(?:c(?:z)d))"
    );
    assert_eq!(
        generate::branches(r"^(?:(?:a[0-9]b)e|0|(?:1|2)[|(])"),
        [r"(?:a[0-9]b)e", "0", r"(?:1|2)[|(]"]
    );
    assert_eq!(generate::encode_rule("9$1"), [b'9', GROUP_REF + 1]);
    assert_eq!(
        generate::encode_rule("${2}0$$"),
        [GROUP_REF + 2, b'0', b'$']
    );
    assert_eq!(generate::encode_rule("$x1"), Vec::<u8>::new());
    assert_eq!(generate::encode_rule("$"), [b'$']);
}

/// The tokens random texts are made of.
const TOKENS: &[&str] = &[
    "+",
    "＋",
    "00",
    "011",
    "0011",
    "810",
    "010",
    "001",
    "0",
    "1",
    "8",
    "06",
    "9",
    "15",
    "90",
    "(",
    ")",
    "-",
    ".",
    " ",
    "/",
    "\\",
    "–",
    "\u{3000}",
    "[",
    "]",
    "~",
    "\u{00A0}",
    "*",
    "#",
    "ext",
    "x",
    "X",
    ";ext=",
    ",,",
    ";",
    "anexo",
    "ext.",
    " доб ",
    "tel:",
    ";phone-context=",
    "+1",
    "example.com",
    ";isub=",
    "٣",
    "۴",
    "०",
    "５",
    "０",
    "a",
    "B",
    "zz",
    "\u{ad}",
    "—",
    ":",
    ",",
    "ｘ",
    "№",
    "\n",
    "44",
    "49",
    "39",
    "7",
    "86",
    "800",
    "1 ",
    "555",
    "20",
    "2",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => "[0-9]{1,5}",
            2 => prop::sample::select(TOKENS).prop_map(str::to_owned),
            1 => "[a-zA-Z]{1,3}",
        ],
        0..10,
    )
    .prop_map(|parts| parts.concat())
}

/// How many cases the random differential test runs
/// (`CONTACT_BATCH_PARSE_CASES` overrides, for long runs).
fn cases() -> u32 {
    std::env::var("CONTACT_BATCH_PARSE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Texts made of digits, punctuation, plus signs, IDD and national
    /// prefixes, extension markers, letters and other digit scripts, in
    /// every region and in none.
    #[test]
    fn random_texts_parse_as_the_library_does(
        text in text_strategy(),
        region_at in any::<prop::sample::Index>(),
        none in any::<bool>(),
    ) {
        let f = fixture();
        let region = (!none).then(|| f.regions[region_at.index(f.regions.len())]);
        if let Some(m) = compare(f, &text, region) {
            prop_assert!(false, "{}", m);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    /// A region's example number with its national prefix, its calling
    /// code or its IDD in front, digits changed at the end.
    #[test]
    fn near_example_numbers_parse_as_the_library_does(
        region_at in any::<prop::sample::Index>(),
        kind in 0usize..4,
        prefix in prop::sample::select(&["", "0", "00", "+", "1", "8", "011", "0011", "9", "90"][..]),
        code in any::<bool>(),
        tail in "[0-9]{0,4}",
    ) {
        let f = fixture();
        let region = f.regions[region_at.index(f.regions.len())];
        let kind = [PhoneNumberType::Mobile, PhoneNumberType::FixedLine, PhoneNumberType::TollFree, PhoneNumberType::VoIP][kind];
        if let Ok(n) = f.util.get_example_number_for_type_and_region(region.0, kind) {
            let nsn = rlibphonenumber::get_national_significant_number_owned(&n);
            let keep = nsn.len().saturating_sub(tail.len());
            let mut text = String::from(prefix);
            if code {
                let _ = write!(text, "{}", n.country_code);
            }
            text.push_str(&nsn[..keep]);
            text.push_str(&tail);
            if let Some(m) = compare(f, &text, Some(region)) {
                prop_assert!(false, "{}", m);
            }
        }
    }
}
