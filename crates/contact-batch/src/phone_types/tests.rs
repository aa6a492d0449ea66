use super::*;
use proptest::prelude::*;
use rlibphonenumber::PhoneNumberFormat;

/// The committed table is what the vendored metadata gives; with
/// `CONTACT_BATCH_WRITE_PHONE_TYPES=1` the test rewrites it instead.
#[test]
fn committed_table_is_fresh() {
    let fresh = generate::table_bytes();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/phone_types.bin");
    if std::env::var_os("CONTACT_BATCH_WRITE_PHONE_TYPES").is_some() {
        std::fs::write(path, &fresh).unwrap();
        return;
    }
    assert!(
        TABLE == &fresh[..],
        "data/phone_types.bin is stale: run CONTACT_BATCH_WRITE_PHONE_TYPES=1 cargo test -p contact-batch --lib phone_types"
    );
}

struct Fixture {
    util: PhoneNumberUtil,
    tables: TypeTables<'static>,
    regions: Vec<Region>,
}

fn fixture() -> &'static Fixture {
    static F: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let util = crate::phone_metadata::load_util().unwrap();
        let mut regions: Vec<Region> = util.get_supported_regions().collect();
        regions.sort_by_key(|r| r.as_region_str().as_str().to_owned());
        Fixture {
            util,
            tables: TypeTables::load(),
            regions,
        }
    })
}

#[test]
fn every_region_and_calling_code_has_a_table() {
    let f = fixture();
    let codes = f.util.get_supported_global_network_calling_codes().count();
    assert_eq!(f.tables.len(), f.regions.len() + codes);
}

fn same_as_library(f: &Fixture, number: &PhoneNumber) -> Result<(), TestCaseError> {
    let ours = f.tables.classify(&f.util, number);
    let theirs = (
        f.util.get_number_type(number),
        f.util.get_region_for_number(number),
    );
    prop_assert_eq!(ours, theirs, "{:?}", number);
    Ok(())
}

const TYPES: [PhoneNumberType; 12] = [
    PhoneNumberType::FixedLine,
    PhoneNumberType::Mobile,
    PhoneNumberType::FixedLineOrMobile,
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

/// Every example number of every type of every region and non-geographic
/// code, and each with its last digit changed and one digit more or less.
#[test]
fn example_numbers_classify_as_the_library_does() {
    let f = fixture();
    let mut checked = 0;
    let mut examples = Vec::new();
    for &region in &f.regions {
        for t in TYPES {
            if let Ok(n) = f.util.get_example_number_for_type_and_region(region, t) {
                examples.push(n);
            }
        }
    }
    for code in f.util.get_supported_global_network_calling_codes() {
        if let Ok(n) = f.util.get_example_number_for_non_geo_entity(code) {
            examples.push(n);
        }
    }
    for n in examples {
        let e164 = f.util.format(&n, PhoneNumberFormat::E164).into_owned();
        let mut variants = vec![
            e164.clone(),
            format!("{e164}0"),
            e164[..e164.len() - 1].to_owned(),
        ];
        for d in b'0'..=b'9' {
            let mut v = e164.clone().into_bytes();
            *v.last_mut().unwrap() = d;
            variants.push(String::from_utf8(v).unwrap());
        }
        for raw in variants {
            if let Ok(parsed) = f.util.parse(&raw, None) {
                same_as_library(f, &parsed).unwrap();
                checked += 1;
            }
        }
        same_as_library(f, &n).unwrap();
    }
    assert!(checked > 15_000, "only {checked}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// Random digits after every region's calling code, national and
    /// Italian-leading-zero forms included.
    #[test]
    fn random_numbers_classify_as_the_library_does(
        region_at in any::<prop::sample::Index>(),
        digits in "[0-9]{1,17}",
        national in any::<bool>(),
    ) {
        let f = fixture();
        let region = f.regions[region_at.index(f.regions.len())];
        let raw = if national { digits } else {
            let cc = f.util.get_country_code_for_region(region).unwrap_or(1);
            format!("+{cc}{digits}")
        };
        if let Ok(n) = f.util.parse(&raw, Some(region)) {
            same_as_library(f, &n)?;
        }
    }
}
