//! Text fields: trimming, line breaks and other whitespace, control
//! characters, lengths in characters.
//!
//! Every text value is trimmed of surrounding whitespace (Unicode
//! White_Space) and then follows one of two shapes:
//!
//! - **Single-line** fields (names, company, city, state, zip, phone,
//!   time zone, external references: every field that is not listed
//!   below): every run of whitespace inside, line breaks and tabs included,
//!   becomes one space. A CRM export whose first name holds a line break
//!   (a quoted CSV cell) gives `Ann Lee`, not a refused row. (An email is
//!   one token, trimmed only: a control character inside it, line breaks
//!   and tabs included, makes it invalid; see `crate::email`.)
//! - **Multi-line** fields (rasl `description` and `address`, contact-book
//!   `customFields` string values): line breaks are kept, CRLF and a lone
//!   CR become LF; tabs and other whitespace are kept as sent. (Record-list
//!   `extra_data` is the developer's JSON, kept exactly as sent.)
//!
//! In both, any other control character (C0 other than TAB, LF and CR,
//! DEL, C1, which includes NEL) is invalid, and so are the bidirectional
//! overrides and isolates (U+202A..U+202E, U+2066..U+2069), which can make
//! a stored name display as something else. Lengths are counted in Unicode
//! scalar values of the cleaned value. The same rules apply to request
//! rows, imports and the single-value calls.

use std::borrow::Cow;
use std::fmt;

/// Why a text value was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextError {
    /// A control character other than TAB, LF and CR (C0, DEL, C1, e.g.
    /// NUL or ESC) or a bidirectional override/isolate (U+202A..U+202E,
    /// U+2066..U+2069), which can make a name display as something else.
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

/// The two shapes of a text field (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    /// Whitespace runs, line breaks included, become one space.
    Single,
    /// Line breaks kept (CRLF and CR become LF), tabs kept.
    Multi,
}

/// True for the bidirectional overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// True for the control characters no field accepts: every `Cc` character
/// but TAB, LF and CR.
fn is_bad_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// True for characters no text field accepts anywhere, whatever its shape
/// (also used for keys, which take no line break either: see
/// [`is_forbidden_in_key`]).
pub(crate) fn is_forbidden_char(c: char) -> bool {
    is_bad_control(c) || is_bidi_control(c)
}

/// True for characters a key (a custom field's name) does not accept:
/// every control character, line breaks and tabs included, and the bidi
/// controls.
pub(crate) fn is_forbidden_in_key(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Cleans a single-line value (see the module docs): `Ok(None)` when
/// nothing is left after trimming (absent for optional fields, missing for
/// required ones). The value is borrowed unless a whitespace run had to be
/// rewritten.
pub fn clean(raw: &str, max_chars: usize) -> Result<Option<Cow<'_, str>>, TextError> {
    clean_as(raw, Lines::Single, max_chars)
}

/// Cleans a multi-line value (see the module docs); otherwise as [`clean`].
pub fn clean_multiline(raw: &str, max_chars: usize) -> Result<Option<Cow<'_, str>>, TextError> {
    clean_as(raw, Lines::Multi, max_chars)
}

/// Cleans a value of either shape.
pub(crate) fn clean_as(
    raw: &str,
    lines: Lines,
    max_chars: usize,
) -> Result<Option<Cow<'_, str>>, TextError> {
    shape(raw, lines, max_chars, is_forbidden_char)
}

/// A phone's text: single-line, with the control character rule but not
/// the bidi one. A phone is stored as E.164 digits only, so a bidi mark
/// around it cannot change how anything displays, and libphonenumber reads
/// past it; refusing it would refuse numbers the reference accepts.
pub(crate) fn clean_phone(raw: &str) -> Result<Option<Cow<'_, str>>, TextError> {
    shape(raw, Lines::Single, usize::MAX, is_bad_control)
}

/// Trims, checks and reshapes one value. `forbidden` says which characters
/// make it invalid.
///
/// A value over `max_chars` (counted after reshaping) is `TooLong` whatever
/// else it holds, found with an early exit so a 10 MB value costs no more
/// than `max_chars`; otherwise a forbidden character makes it
/// `ControlCharacter`.
fn shape(
    raw: &str,
    lines: Lines,
    max_chars: usize,
    forbidden: fn(char) -> bool,
) -> Result<Option<Cow<'_, str>>, TextError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    // Printable ASCII (nearly every value) has no forbidden character and
    // one character per byte; single spaces are the only whitespace, kept
    // in both shapes: one pass over the bytes answers.
    let bytes = s.as_bytes();
    if bytes.iter().all(|b| matches!(b, b' '..=b'~')) && !bytes.windows(2).any(|w| w == b"  ") {
        return if s.len() > max_chars {
            Err(TextError::TooLong { max: max_chars })
        } else {
            Ok(Some(Cow::Borrowed(s)))
        };
    }
    reshape(s, lines, max_chars, forbidden).map(Some)
}

/// The general path of [`shape`], one character at a time, on a trimmed,
/// non-empty value. The output is only allocated at the first character
/// that changes.
fn reshape(
    s: &str,
    lines: Lines,
    max_chars: usize,
    forbidden: fn(char) -> bool,
) -> Result<Cow<'_, str>, TextError> {
    let mut out: Option<String> = None;
    let mut count = 0usize;
    let mut bad = false;
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        bad |= forbidden(c);
        // What this character becomes: `Some(text)` when it changes.
        let replacement: Option<&str> = match (lines, c) {
            // A control character is reported, not reshaped (the count
            // still sees it).
            _ if forbidden(c) => None,
            (Lines::Single, c) if c.is_whitespace() => {
                let mut end = at + c.len_utf8();
                while let Some(&(next_at, next)) = chars.peek() {
                    if !next.is_whitespace() || forbidden(next) {
                        break;
                    }
                    end = next_at + next.len_utf8();
                    chars.next();
                }
                (&s[at..end] != " ").then_some(" ")
            }
            (Lines::Multi, '\r') => {
                if chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    chars.next();
                }
                Some("\n")
            }
            _ => None,
        };
        count += 1;
        if count > max_chars {
            return Err(TextError::TooLong { max: max_chars });
        }
        match (replacement, &mut out) {
            (Some(r), Some(o)) => o.push_str(r),
            (Some(r), None) => {
                let mut o = String::with_capacity(s.len());
                o.push_str(&s[..at]);
                o.push_str(r);
                out = Some(o);
            }
            (None, Some(o)) => o.push(c),
            (None, None) => {}
        }
    }
    if bad {
        return Err(TextError::ControlCharacter);
    }
    Ok(out.map_or(Cow::Borrowed(s), Cow::Owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(s: &str, max: usize) -> Result<Option<String>, TextError> {
        clean(s, max).map(|v| v.map(Cow::into_owned))
    }

    fn multi(s: &str, max: usize) -> Result<Option<String>, TextError> {
        clean_multiline(s, max).map(|v| v.map(Cow::into_owned))
    }

    /// The statement of the rules, one character at a time, without early
    /// exits or fast paths: what `shape` must answer.
    fn statement(raw: &str, lines: Lines, max: usize) -> Result<Option<String>, TextError> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let mut out = String::new();
        let chars: Vec<char> = s.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if is_forbidden_char(c) {
                out.push(c);
                i += 1;
            } else if lines == Lines::Single && c.is_whitespace() {
                while i < chars.len() && chars[i].is_whitespace() && !is_forbidden_char(chars[i]) {
                    i += 1;
                }
                out.push(' ');
            } else if lines == Lines::Multi && c == '\r' {
                i += if chars.get(i + 1) == Some(&'\n') {
                    2
                } else {
                    1
                };
                out.push('\n');
            } else {
                out.push(c);
                i += 1;
            }
        }
        if out.chars().count() > max {
            Err(TextError::TooLong { max })
        } else if out.chars().any(is_forbidden_char) {
            Err(TextError::ControlCharacter)
        } else {
            Ok(Some(out))
        }
    }

    #[test]
    fn trims_and_empties() {
        assert_eq!(single("  Ann \t", 10), Ok(Some("Ann".into())));
        assert_eq!(single(" \n ", 10), Ok(None));
        assert_eq!(single("", 10), Ok(None));
        assert_eq!(multi("\r\n  \t", 10), Ok(None));
    }

    #[test]
    fn single_line_whitespace_runs_become_one_space() {
        assert_eq!(single("Ann\nLee", 10), Ok(Some("Ann Lee".into())));
        assert_eq!(single("Ann\r\nLee", 10), Ok(Some("Ann Lee".into())));
        assert_eq!(single("Ann \t \r\n Lee", 10), Ok(Some("Ann Lee".into())));
        assert_eq!(single("Ann  Lee", 10), Ok(Some("Ann Lee".into())));
        assert_eq!(
            single("Ann\u{a0}\u{3000}Lee", 10),
            Ok(Some("Ann Lee".into()))
        );
        assert_eq!(single("Acme\tInc.", 9), Ok(Some("Acme Inc.".into())));
        // Unchanged values are borrowed.
        assert!(matches!(clean("Ann Lee", 10), Ok(Some(Cow::Borrowed(_)))));
        assert!(matches!(clean("Ånn Lée", 10), Ok(Some(Cow::Borrowed(_)))));
        // The limit counts the cleaned value.
        assert_eq!(single("a \n\n\n b", 3), Ok(Some("a b".into())));
    }

    #[test]
    fn multi_line_keeps_line_breaks_and_tabs() {
        assert_eq!(
            multi("1 Main St\r\nApt 2", 20),
            Ok(Some("1 Main St\nApt 2".into()))
        );
        assert_eq!(multi("a\rb\r\rc", 20), Ok(Some("a\nb\n\nc".into())));
        assert_eq!(multi("a\n\n\tb  c", 20), Ok(Some("a\n\n\tb  c".into())));
        assert_eq!(multi("a\r\nb", 3), Ok(Some("a\nb".into())));
        assert_eq!(multi("a\r\nbc", 3), Err(TextError::TooLong { max: 3 }));
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(single("éééé", 4), Ok(Some("éééé".into())));
        assert_eq!(single("ééééé", 4), Err(TextError::TooLong { max: 4 }));
        assert_eq!(single("日本語", 3), Ok(Some("日本語".into())));
    }

    #[test]
    fn other_controls_and_bidi_rejected_zero_width_kept() {
        for s in [
            "A\u{0}B",
            "A\u{1b}[31m",
            "abc\u{202E}fdp.exe",
            "a\u{7f}b",
            "a\u{85}b",
            "a\u{0b}b",
            "a\u{0c}b",
            "a\u{9f}b",
        ] {
            assert_eq!(single(s, 20), Err(TextError::ControlCharacter), "{s:?}");
            assert_eq!(multi(s, 20), Err(TextError::ControlCharacter), "{s:?}");
        }
        assert_eq!(single("a\u{200D}b", 10), Ok(Some("a\u{200D}b".into())));
        // A phone takes bidi marks (libphonenumber reads past them), not
        // other controls.
        assert_eq!(
            clean_phone("\u{202a}+44 20\t7183 8750\u{202c}").map(|v| v.map(Cow::into_owned)),
            Ok(Some("\u{202a}+44 20 7183 8750\u{202c}".into()))
        );
        assert_eq!(clean_phone("+1 415\u{0}"), Err(TextError::ControlCharacter));
    }

    #[test]
    fn every_character_up_to_u_2fff_agrees_with_the_statement() {
        for c in '\0'..='\u{2fff}' {
            for s in [format!("a{c}b"), format!("a{c}{c} b"), format!("a\r{c}")] {
                for lines in [Lines::Single, Lines::Multi] {
                    for max in [2, 3, 4, 10] {
                        assert_eq!(
                            clean_as(&s, lines, max).map(|v| v.map(Cow::into_owned)),
                            statement(&s, lines, max),
                            "{s:?} {lines:?} {max}"
                        );
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Both shapes, fast path and general path, answer as the statement
        /// of the rules.
        #[test]
        fn agrees_with_the_statement(
            s in "[ -~]{0,12}|[ -~\u{0}-\u{1f}\u{7f}-\u{a0}é\u{202e}\u{3000}\u{2028}]{0,12}",
            max in 0usize..14,
        ) {
            for lines in [Lines::Single, Lines::Multi] {
                let got = clean_as(&s, lines, max).map(|v| v.map(Cow::into_owned));
                proptest::prop_assert_eq!(got, statement(&s, lines, max));
            }
        }

        /// Cleaning is idempotent: a cleaned value cleans to itself.
        #[test]
        fn idempotent(s in "[ a\t\r\n\u{a0}\u{2028}é-]{0,16}") {
            for lines in [Lines::Single, Lines::Multi] {
                if let Ok(Some(once)) = clean_as(&s, lines, usize::MAX) {
                    let twice = clean_as(&once, lines, usize::MAX).unwrap().unwrap();
                    proptest::prop_assert_eq!(&*twice, &*once);
                }
            }
        }
    }
}
