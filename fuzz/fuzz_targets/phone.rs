//! Phone normalization: a raw string and a region.
//!
//! Input: byte 0 picks the region (none, one of a list of real regions, or
//! the next two bytes as a code, which may be no region at all), the rest is
//! the raw number (lossy UTF-8, so every input is a string).
//!
//! Checks: over 250 characters is `input_too_long`; a valid input holds
//! no control character but TAB, LF and CR; a valid result is E.164 (`+`, no leading zero, a key that prints
//! back the same), its calling code starts its digits, its region is `001`
//! or two capital letters; normalizing the E.164 output again (with no
//! region, and with another region) gives the same number, calling code,
//! region and type; the answer is the same on every call and every engine;
//! the engine's own parse (calling code, national number, extension, type,
//! region, length verdict, E.164, or the parse error) is `rlibphonenumber`'s
//! on every input (with the input's region, with none, and with each other
//! listed region).
#![no_main]

use contact_batch::{PhoneError, Profile};
use libfuzzer_sys::fuzz_target;

const REGIONS: [&str; 12] = [
    "US", "GB", "PT", "IN", "DE", "FR", "BR", "NG", "IT", "JP", "AU", "CN",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (region, raw): (Option<String>, &[u8]) = match selector % 16 {
        0..=11 => (Some(REGIONS[usize::from(selector % 16)].to_owned()), rest),
        12 | 13 => (None, rest),
        _ if rest.len() >= 2 => (
            Some(String::from_utf8_lossy(&rest[..2]).into_owned()),
            &rest[2..],
        ),
        _ => (None, rest),
    };
    let raw = String::from_utf8_lossy(raw);

    // rasl-create's engine has default region US, contact-book's none.
    let (us, _) = fuzz_checks::engines(Profile::RaslCreate);
    let (none, par) = fuzz_checks::engines(Profile::ContactBook);

    let result = none.normalize_phone(&raw, region.as_deref());
    assert_eq!(
        result,
        none.normalize_phone(&raw, region.as_deref()),
        "not repeatable"
    );
    assert_eq!(
        result,
        par.normalize_phone(&raw, region.as_deref()),
        "engines differ"
    );
    // The engine's parse against the library, on every input and in
    // several regions.
    for r in [region.as_deref(), None]
        .into_iter()
        .chain(REGIONS.iter().map(|r| Some(*r)))
    {
        if let Err(e) = none.fuzz_compare_phone_types(&raw, r) {
            panic!("{e}");
        }
    }
    if region.is_some() {
        // An explicit region overrides the engine's default.
        assert_eq!(result, us.normalize_phone(&raw, region.as_deref()));
    }
    if raw.chars().count() > contact_batch::MAX_PHONE_INPUT_CHARS {
        // Refused unparsed, whatever the region: libphonenumber's count of
        // the text as given.
        assert_eq!(result, Err(PhoneError::InputTooLong));
    }
    if result.is_ok() {
        // The text rule held: no control character but TAB, LF and CR
        // inside the text; whitespace at its ends (FF, VT and NEL among it)
        // is trimmed first, as libphonenumber ignores it too (the phone
        // vectors pin `+1 415 555 2671` + NEL as valid).
        assert!(!raw
            .trim()
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')));
    }

    let Ok(v) = result else {
        return;
    };
    let digits = v.e164.strip_prefix('+').expect("E.164 starts with +");
    assert!(!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    assert!(!digits.starts_with('0'), "{}", v.e164);
    assert!(
        digits.starts_with(&v.country_code.to_string()),
        "{} does not start with its calling code {}",
        v.e164,
        v.country_code
    );
    assert_eq!(v.key().to_string(), v.e164);
    assert_eq!(v.digits(), digits);
    if let Some(r) = &v.region {
        assert!(
            r == "001" || (r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase())),
            "region {r}"
        );
    }
    if let Some(ext) = &v.extension {
        assert!(!ext.is_empty());
    }
    fuzz_checks::check_e164(none, &v.e164);
    for engine in [none, us] {
        for region in [None, Some("JP")] {
            let again = engine
                .normalize_phone(&v.e164, region)
                .unwrap_or_else(|e| panic!("{} no longer valid: {e:?}", v.e164));
            assert_eq!(again.e164, v.e164);
            assert_eq!(again.country_code, v.country_code);
            assert_eq!(again.region, v.region, "{}", v.e164);
            assert_eq!(again.number_type, v.number_type, "{}", v.e164);
        }
    }
});
