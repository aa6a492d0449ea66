//! Text fields: trimming, control characters, lengths in characters.

use std::fmt;

/// Why a text value was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextError {
    /// A control character (C0/C1, e.g. NUL or ESC) or a bidirectional
    /// override/isolate (U+202A..U+202E, U+2066..U+2069), which can make a
    /// name display as something else.
    ControlCharacter,
    /// More characters (Unicode scalar values) than allowed.
    TooLong {
        /// The limit.
        max: usize,
    },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::ControlCharacter => f.write_str("contains a control character"),
            TextError::TooLong { max } => write!(f, "is longer than {max} characters"),
        }
    }
}

/// True for characters no text field accepts.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Trims surrounding whitespace and checks the rest: `Ok(None)` when nothing
/// is left (absent for optional fields, missing for required ones).
pub fn clean(raw: &str, max_chars: usize) -> Result<Option<&str>, TextError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    // Printable ASCII (nearly every value) has no forbidden character and
    // one character per byte: one pass over the bytes answers.
    if s.bytes().all(|b| matches!(b, b' '..=b'~')) {
        return if s.len() > max_chars {
            Err(TextError::TooLong { max: max_chars })
        } else {
            Ok(Some(s))
        };
    }
    check_chars(s, max_chars).map(Some)
}

/// The general check of a trimmed, non-empty value, one character at a time.
fn check_chars(s: &str, max_chars: usize) -> Result<&str, TextError> {
    // Count with an early exit so a 10 MB value costs no more than max_chars.
    if s.len() > max_chars && s.chars().nth(max_chars).is_some() {
        return Err(TextError::TooLong { max: max_chars });
    }
    if s.chars().any(is_forbidden_char) {
        return Err(TextError::ControlCharacter);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_empties() {
        assert_eq!(clean("  Ann \t", 10), Ok(Some("Ann")));
        assert_eq!(clean(" \n ", 10), Ok(None));
        assert_eq!(clean("", 10), Ok(None));
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(clean("éééé", 4), Ok(Some("éééé")));
        assert_eq!(clean("ééééé", 4), Err(TextError::TooLong { max: 4 }));
        assert_eq!(clean("日本語", 3), Ok(Some("日本語")));
    }

    #[test]
    fn control_and_bidi_rejected_zero_width_kept() {
        assert_eq!(clean("A\u{0}B", 10), Err(TextError::ControlCharacter));
        assert_eq!(clean("A\u{1b}[31m", 10), Err(TextError::ControlCharacter));
        assert_eq!(
            clean("abc\u{202E}fdp.exe", 20),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(clean("a\u{200D}b", 10), Ok(Some("a\u{200D}b")));
    }

    #[test]
    fn every_character_up_to_u_2fff_agrees_with_the_character_check() {
        for c in ('\0'..='\u{2fff}').filter(|c| !c.is_whitespace()) {
            let s = format!("a{c}b");
            assert_eq!(clean(&s, 3), check_chars(&s, 3).map(Some), "{c:?}");
            assert_eq!(clean(&s, 2), check_chars(&s, 2).map(Some), "{c:?}");
        }
    }

    proptest::proptest! {
        /// The printable-ASCII fast path answers as the character check.
        #[test]
        fn ascii_fast_path_agrees(
            s in "[ -~]{0,12}|[ -~\u{0}-\u{1f}\u{7f}-\u{a0}é\u{202e}]{0,12}",
            max in 0usize..14,
        ) {
            let t = s.trim();
            let general = if t.is_empty() { Ok(None) } else { check_chars(t, max).map(Some) };
            proptest::prop_assert_eq!(clean(&s, max), general);
        }
    }
}
