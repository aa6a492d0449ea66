//! Warm-up: compile a region's phone patterns before the first real batch.
//!
//! The phone metadata compiles each region's regular expressions the first
//! time a number of that region is read, so an engine's first batch pays for
//! compiling the patterns of every region it meets (a fresh engine answered a
//! 38-region 1000-row batch several times slower than a reused one). A host
//! that builds its engine once per process (a PHP-FPM worker, a C service)
//! calls `Engine::warm` right after building it, so the first request costs
//! what later ones do.

use rlibphonenumber::{PhoneNumberFormat, PhoneNumberUtil, Region};

use super::{region_from_code, PhoneParser};

impl PhoneParser {
    /// Reads, in every util, an example number of each type the region
    /// has: in national form with the region (the path of a row's national
    /// number) and in E.164 without one (the path of `+...`), each time
    /// validating it as rows are validated, which compiles the patterns that
    /// path uses.
    pub(crate) fn warm(&self, region: Region) {
        for util in self.utils.iter() {
            warm_util(self, util, region);
        }
    }
}

fn warm_util(parser: &PhoneParser, util: &PhoneNumberUtil, region: Region) {
    let Some(types) = util.get_supported_types_for_region(region) else {
        return;
    };
    for number_type in types {
        let Ok(example) = util.get_example_number_for_type_and_region(region, number_type) else {
            continue;
        };
        let _ = parser.validate(util, &example);
        let national = util.format(&example, PhoneNumberFormat::National);
        if let Ok(n) = util.parse(&national, Some(region)) {
            let _ = parser.validate(util, &n);
        }
        let e164 = util.format(&example, PhoneNumberFormat::E164);
        if let Ok(n) = util.parse(&e164, None) {
            let _ = parser.validate(util, &n);
        }
    }
}

impl PhoneParser {
    /// Warms every region of `codes` (ISO 3166-1 alpha-2), or none when
    /// one of them has no metadata: that code is the error.
    pub(crate) fn warm_codes<S: AsRef<str>>(&self, codes: &[S]) -> Result<(), String> {
        let util = &self.utils[0];
        let found = codes
            .iter()
            .map(|code| {
                let code = code.as_ref();
                region_from_code(util, code).ok_or_else(|| code.to_owned())
            })
            .collect::<Result<Vec<_>, _>>()?;
        for region in found {
            self.warm(region);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigError, Profile};
    use crate::engine::Engine;
    use crate::existing::Existing;

    fn engine(threads: usize, per_thread: bool) -> Engine {
        Engine::new(Config {
            threads: Some(threads),
            phone_util_per_thread: per_thread,
            ..Config::new(Profile::RaslCreate)
        })
        .unwrap()
    }

    const NUMBERS: &[(&str, &str)] = &[
        ("020 7183 8750", "GB"),
        ("+44 7400 123456", "GB"),
        ("(415) 555-2671", "US"),
        ("030 123456", "DE"),
        ("+49 1512 3456789", "DE"),
        ("12", "US"),
        ("06 12 34 56 78", "FR"),
    ];

    #[test]
    fn warming_changes_no_answer() {
        for (threads, per_thread) in [(1, false), (2, true)] {
            let cold = engine(threads, per_thread);
            let warm = engine(threads, per_thread);
            warm.warm(&["GB", "US", "DE", "FR"]).unwrap();
            warm.warm(&["GB"]).unwrap();
            for (raw, region) in NUMBERS {
                assert_eq!(
                    cold.normalize_phone(raw, Some(region)),
                    warm.normalize_phone(raw, Some(region)),
                    "{raw} in {region}"
                );
            }
            let body = br#"{"contacts":[{"firstname":"A","phone":"+44 20 7183 8750"},{"firstname":"B","phone":"+1 415 555 2671"},{"firstname":"C","phone":"+49 30 123456"}]}"#;
            let none = Existing::default();
            assert_eq!(
                cold.respond(body, &none).response,
                warm.respond(body, &none).response
            );
        }
    }

    #[test]
    fn unknown_region_is_refused_before_warming() {
        let e = engine(1, false);
        match e.warm(&["US", "XX"]) {
            Err(ConfigError::UnknownRegion(code)) => assert_eq!(code, "XX"),
            other => panic!("expected UnknownRegion, got {other:?}"),
        }
        let none: &[&str] = &[];
        e.warm(none).unwrap();
        // Lower case is read as the rows' default_region is.
        assert_eq!(
            e.warm(&["us"]).is_ok(),
            Engine::new(Config {
                default_region: Some("us".into()),
                ..Config::new(Profile::RaslCreate)
            })
            .is_ok()
        );
    }
}
