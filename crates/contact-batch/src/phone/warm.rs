//! Warm-up: a no-op kept for hosts that call it.
//!
//! With `rlibphonenumber`, each region's patterns compiled the first time a
//! number of that region was read, and `Engine::warm` compiled them ahead
//! of the first batch. The parse is now precompiled tables read in place:
//! nothing is lazy, and warming only checks the region codes.

use super::PhoneParser;

impl PhoneParser {
    /// Checks every region of `codes` (ISO 3166-1 alpha-2): the first that
    /// has no metadata is the error.
    pub(crate) fn warm_codes<S: AsRef<str>>(&self, codes: &[S]) -> Result<(), String> {
        for code in codes {
            let code = code.as_ref();
            self.region(code).ok_or_else(|| code.to_owned())?;
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
