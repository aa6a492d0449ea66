//! `Config::phone_metadata`: an engine on a phone metadata file made by the
//! project's generator (SPEC §5.7), here libphonenumber 9.0.42's
//! (`tests/data/phone-9.0.42.cbpm`, written by
//! `scripts/update-phone-metadata.sh 9.0.42 --out FILE`), one release
//! before the built-in 9.0.43. Between the two, Georgia opened the mobile
//! range 508 and Romania closed 62x: verified with the Python
//! `phonenumbers` of each release (`is_valid_number`).

use contact_batch::{
    Config, ConfigError, Engine, Existing, PhoneMetadataBytes, PhoneMetadataError, Profile,
    PHONE_METADATA_VERSION,
};

const FILE_9_0_42: &[u8] = include_bytes!("../data/phone-9.0.42.cbpm");
/// Valid in 9.0.43, not in 9.0.42.
const GEORGIA_NEW: &str = "+995508887752";
/// Valid in 9.0.42, not in 9.0.43.
const ROMANIA_CLOSED: &str = "+40628476131";

fn engine(file: Option<&[u8]>) -> Result<Engine, ConfigError> {
    let mut builder = Config::builder(Profile::RecordList).threads(1);
    if let Some(bytes) = file {
        builder = builder.phone_metadata(bytes.to_vec());
    }
    Engine::new(builder.build())
}

#[test]
fn the_file_decides_the_verdicts_and_the_version() {
    let old = engine(Some(FILE_9_0_42)).unwrap();
    let built_in = engine(None).unwrap();
    assert_eq!(old.phone_metadata_version(), "9.0.42");
    assert_eq!(built_in.phone_metadata_version(), PHONE_METADATA_VERSION);
    assert_ne!(PHONE_METADATA_VERSION, "9.0.42");

    assert!(old.normalize_phone(GEORGIA_NEW, None).is_err());
    assert!(built_in.normalize_phone(GEORGIA_NEW, None).is_ok());
    assert!(old.normalize_phone(ROMANIA_CLOSED, None).is_ok());
    assert!(built_in.normalize_phone(ROMANIA_CLOSED, None).is_err());
    // Numbers both releases agree on answer the same.
    for n in ["+14155552671", "+442071838750", "+351929312319", "+12"] {
        assert_eq!(
            old.normalize_phone(n, None).map(|p| p.e164),
            built_in.normalize_phone(n, None).map(|p| p.e164),
            "{n}"
        );
    }
}

#[test]
fn a_whole_request_runs_on_the_file() {
    let body = format!(
        r#"{{"records":[{{"phone_numbers":[{{"phone_number":"{GEORGIA_NEW}","phone_type":"MOBILE"}}],"first_name":"A","last_name":"B","timezone":"GMT","priority":1}}]}}"#
    );
    let old = engine(Some(FILE_9_0_42)).unwrap();
    let built_in = engine(None).unwrap();
    let a = old.respond(&body, &Existing::default());
    let b = built_in.respond(&body, &Existing::default());
    assert_eq!(a.summary.invalid, 1, "{:?}", a.rows);
    assert_eq!(b.summary.invalid, 0, "{:?}", b.rows);
}

#[test]
fn a_bad_file_is_a_clear_config_error() {
    let mut damaged = FILE_9_0_42.to_vec();
    damaged[100_000] ^= 0x40;
    for (bytes, want) in [
        (&b"not a file"[..], PhoneMetadataError::NotAMetadataFile),
        (
            &FILE_9_0_42[..1000],
            PhoneMetadataError::Length(FILE_9_0_42.len() as u64, 1000),
        ),
        (&damaged[..], PhoneMetadataError::Checksum),
    ] {
        let err = engine(Some(bytes)).unwrap_err();
        assert_eq!(err, ConfigError::PhoneMetadataFile(want.clone()));
        assert!(
            err.to_string()
                .starts_with("the phone metadata file is refused: "),
            "{err}"
        );
    }
    assert_eq!(
        PhoneMetadataBytes::new(FILE_9_0_42.to_vec())
            .check()
            .as_deref(),
        Ok("9.0.42")
    );
}

#[test]
fn engines_share_nothing_but_the_bytes() {
    // Two engines from one file, and the file dropped by the host: both
    // keep answering (the engine holds the bytes it reads in place).
    let bytes = PhoneMetadataBytes::new(FILE_9_0_42.to_vec());
    let config = Config::builder(Profile::RaslCreate)
        .phone_metadata(bytes.clone())
        .build();
    let a = Engine::new(config.clone()).unwrap();
    let b = Engine::new(config).unwrap();
    drop(bytes);
    let t = std::thread::spawn(move || a.normalize_phone(ROMANIA_CLOSED, None).is_ok());
    assert!(b.normalize_phone(ROMANIA_CLOSED, None).is_ok());
    assert!(t.join().unwrap());
}
