//! What the `phone` fuzz target needs to hold the precompiled type tables
//! to the library (feature `fuzzing`, off in every normal build).

use crate::engine::Engine;

impl Engine {
    /// Reads `raw` as [`Engine::normalize_phone`] does, then answers the
    /// number's validity, type and region twice: from the precompiled
    /// tables (what the engine uses) and from `rlibphonenumber`'s own
    /// `is_valid_number`, `get_number_type` and `get_region_for_number`.
    /// `Err` describes the first disagreement; text that does not parse
    /// has nothing to compare (`Ok`).
    #[doc(hidden)]
    pub fn fuzz_compare_phone_types(&self, raw: &str, region: Option<&str>) -> Result<(), String> {
        let default = match region {
            Some(code) => self.rules.phones.default_for_region(code),
            None => self.rules.phone_default,
        };
        let parser = &self.rules.phones;
        let util = parser.util();
        let Ok(number) = parser.parse(util, raw, default) else {
            return Ok(());
        };
        let ours = parser.types.classify(util, &number);
        let theirs = (
            util.get_number_type(&number),
            util.get_region_for_number(&number),
        );
        let valid = util.is_valid_number(&number);
        if ours != theirs || valid != (ours.0 != rlibphonenumber::PhoneNumberType::Unknown) {
            return Err(format!(
                "{raw:?} in {default:?} ({number:?}): tables {ours:?}, library {theirs:?}, is_valid_number {valid}"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Profile};
    use crate::engine::Engine;

    #[test]
    fn the_tables_agree_with_the_library() {
        let e = Engine::new(Config::new(Profile::ContactBook)).unwrap();
        for (raw, region) in [
            ("+1 415 555 2671", None),
            ("+1 268 464 1234", None),
            ("+7 7012345678", None),
            ("+44 7400 123456", None),
            ("020 7183 8750", Some("GB")),
            ("+39 06 1234 5678", None),
            ("+800 1234 5678", None),
            ("12", Some("US")),
            ("not a number", None),
        ] {
            e.fuzz_compare_phone_types(raw, region).unwrap();
        }
    }
}
