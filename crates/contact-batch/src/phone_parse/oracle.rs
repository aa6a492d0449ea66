//! The parse and `rlibphonenumber` side by side, as comparable strings
//! (the differential tests and the `phone` fuzz target).

use rlibphonenumber::{
    NotANumberError, ParseError as LibParseError, PhoneNumberFormat, PhoneNumberType,
    PhoneNumberUtil, Region as LibRegion, ValidationError,
};

use super::{LengthError, ParseError, PhoneParse, Region};
use crate::phone_types::NumberType;

/// Our answers for `text` read in `region`: the calling code, national
/// significant number, extension, type, region, possible-length verdict
/// and E.164 form, or the parse error.
pub(crate) fn ours(p: &PhoneParse, text: &str, region: Option<Region>) -> String {
    match p.parse(text, region) {
        Err(e) => format!("error {e:?}"),
        Ok(n) => {
            let ids: Vec<&str> = p
                .regions_of(n.country_code)
                .map(|r| p.region_id(r))
                .collect();
            let (t, at) = p
                .types
                .classify_ids(n.country_code, n.nsn(), ids.iter().copied());
            describe(
                n.country_code.into(),
                std::str::from_utf8(n.nsn()).unwrap_or("?"),
                n.extension.as_deref(),
                t,
                at.map(|i| ids[i]),
                p.possible_with_reason(&n),
                &n.e164(),
            )
        }
    }
}

/// The library's answers for `text` read in `region`.
pub(crate) fn theirs(util: &PhoneNumberUtil, text: &str, region: Option<LibRegion>) -> String {
    if tel_after_context(text) {
        // The library panics on these (see the module docs).
        return "error NotANumber".to_owned();
    }
    match util.parse(text, region) {
        Err(e) => format!(
            "error {:?}",
            match e {
                LibParseError::InvalidCountryCode => ParseError::InvalidCountryCode,
                LibParseError::NotANumber(NotANumberError::FailedToParseNumberAsInt(_)) => {
                    ParseError::NotAnInteger
                }
                LibParseError::NotANumber(_) => ParseError::NotANumber,
                LibParseError::TooShortAfterIdd => ParseError::TooShortAfterIdd,
                LibParseError::TooShortNsn => ParseError::TooShortNsn,
                LibParseError::TooLongNsn => ParseError::TooLongNsn,
            }
        ),
        Ok(n) => {
            let region = util.get_region_for_number(&n);
            let region = region.map(|r| r.as_region_str().as_str().to_owned());
            let t = util.get_number_type(&n);
            describe(
                n.country_code,
                &rlibphonenumber::get_national_significant_number_owned(&n),
                n.extension.as_deref(),
                (t != PhoneNumberType::Unknown).then(|| NumberType::from_lib(t)),
                region.as_deref(),
                util.is_possible_number_with_reason(&n)
                    .map(|_| ())
                    .map_err(|e| match e {
                        ValidationError::InvalidCountryCode => LengthError::InvalidCountryCode,
                        ValidationError::TooShort => LengthError::TooShort,
                        ValidationError::TooLong => LengthError::TooLong,
                        ValidationError::InvalidLength => LengthError::InvalidLength,
                    }),
                &util.format(&n, PhoneNumberFormat::E164),
            )
        }
    }
}

fn describe(
    code: i32,
    nsn: &str,
    extension: Option<&str>,
    t: Option<NumberType>,
    region: Option<&str>,
    possible: Result<(), LengthError>,
    e164: &str,
) -> String {
    format!("+{code} {nsn} ext {extension:?} {t:?} {region:?} {possible:?} {e164}")
}

/// Text with `tel:` after its `;phone-context=`.
pub(crate) fn tel_after_context(text: &str) -> bool {
    match (text.find(";phone-context="), text.find("tel:")) {
        (Some(context), Some(tel)) => tel + 4 > context,
        _ => false,
    }
}

/// The library's region for ours.
pub(crate) fn lib_region(p: &PhoneParse, r: Region) -> Option<LibRegion> {
    LibRegion::from_code(p.region_id(r)).ok()
}

/// One text in one region: the mismatch, as a line.
pub(crate) fn compare(
    p: &PhoneParse,
    util: &PhoneNumberUtil,
    text: &str,
    region: Option<Region>,
) -> Option<String> {
    let a = ours(p, text, region);
    let b = theirs(util, text, region.and_then(|r| lib_region(p, r)));
    (a != b).then(|| {
        format!(
            "{text:?} in {:?}: ours {a}, library {b}\n",
            region.map(|r| p.region_id(r))
        )
    })
}
