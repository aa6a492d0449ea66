//! What the `phone` fuzz target needs to hold the engine's phone parse to
//! `rlibphonenumber` (feature `fuzzing`, off in every normal build).

use super::{PhoneDefault, PhoneParser, MAX_PHONE_INPUT_CHARS};

impl PhoneParser {
    /// The comparison behind `Engine::fuzz_compare_phone_types` (which
    /// lives in `engine`: the layers point down, from the engine to the
    /// phone module).
    pub(crate) fn fuzz_compare(&self, raw: &str, default: PhoneDefault) -> Result<(), String> {
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
