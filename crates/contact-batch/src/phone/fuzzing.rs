//! What the `phone` fuzz target needs to hold the engine's phone parse to
//! `rlibphonenumber` (feature `fuzzing`, off in every normal build).

use super::{PhoneDefault, PhoneParser, MAX_PHONE_INPUT_CHARS};
use crate::engine::Engine;

impl Engine {
    /// Reads `raw` as [`Engine::normalize_phone`] does (the text rule
    /// first) and compares everything the engine reads of the parse
    /// (calling code, national significant number, extension, type, region,
    /// possible-length verdict, E.164 form, or the parse error) with
    /// `rlibphonenumber` at the same metadata. `Err` describes the
    /// disagreement; text the engine refuses before parsing, and defaults
    /// that are not a region or none, have nothing to compare (`Ok`).
    #[doc(hidden)]
    pub fn fuzz_compare_phone_types(&self, raw: &str, region: Option<&str>) -> Result<(), String> {
        let default = match region {
            Some(code) => self.rules.phones.default_for_region(code),
            None => self.rules.phone_default,
        };
        self.rules.phones.fuzz_compare(raw, default)
    }
}

impl PhoneParser {
    fn fuzz_compare(&self, raw: &str, default: PhoneDefault) -> Result<(), String> {
        let region = match default {
            PhoneDefault::None => None,
            PhoneDefault::Region(r) => Some(r),
            _ => return Ok(()),
        };
        if raw.chars().nth(MAX_PHONE_INPUT_CHARS).is_some() {
            return Ok(());
        }
        let Ok(Some(text)) = crate::text::clean_phone(raw) else {
            return Ok(());
        };
        match crate::phone_parse::oracle::compare(self.parser(), &self.oracle, &text, region) {
            None => Ok(()),
            Some(m) => Err(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Profile};
    use crate::engine::Engine;

    #[test]
    fn the_parse_agrees_with_the_library() {
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
