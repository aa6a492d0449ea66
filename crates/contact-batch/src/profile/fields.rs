//! Reading typed fields out of one request row, shared by the profiles.
//!
//! Each reader returns a [`Problem`] the profile turns into its own error
//! code and message. A row read from a text source (a CSV file) has every
//! value as a string: integer and boolean fields then accept their text form
//! and an empty cell counts as absent.

use std::borrow::Cow;

use crate::json::Node;
use crate::text::{self, Lines, TextError};

/// What is wrong with one field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Required, but absent, null or empty after trimming.
    Missing,
    /// The wrong JSON type; the payload says which was expected.
    WrongType(&'static str),
    /// More characters than allowed.
    TooLong(usize),
    /// A control character or bidi override.
    Control,
    /// An integer below the minimum.
    TooSmall(i64),
    /// An integer above the maximum.
    TooBig(i64),
}

impl From<TextError> for Problem {
    fn from(e: TextError) -> Problem {
        match e {
            TextError::ControlCharacter => Problem::Control,
            TextError::TooLong { max } => Problem::TooLong(max),
        }
    }
}

/// One row of a request (a JSON object), with how its values were written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row<'r, 'a> {
    pub node: &'r Node<'a>,
    /// True when every value arrives as a string (CSV).
    pub text_source: bool,
}

impl<'r, 'a> Row<'r, 'a> {
    pub fn new(node: &'r Node<'a>, text_source: bool) -> Self {
        Row { node, text_source }
    }

    /// The raw member: `None` when absent; `Some(Null)` when null. In a text
    /// source an empty string is absent.
    pub fn get(&self, name: &str) -> Option<&'r Node<'a>> {
        let v = self.node.get(name)?;
        if self.text_source && matches!(v, Node::Str(s) if s.trim().is_empty()) {
            return None;
        }
        Some(v)
    }

    /// True when the member is present in the row (even as null).
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// An optional single-line string (see [`crate::text`]): absent, null
    /// or blank gives `Ok(None)`.
    pub fn text(&self, name: &str, max: usize) -> Result<Option<Cow<'r, str>>, Problem> {
        self.text_as(name, Lines::Single, max)
    }

    /// An optional multi-line string: line breaks and tabs kept.
    pub fn multiline_text(&self, name: &str, max: usize) -> Result<Option<Cow<'r, str>>, Problem> {
        self.text_as(name, Lines::Multi, max)
    }

    fn text_as(
        &self,
        name: &str,
        lines: Lines,
        max: usize,
    ) -> Result<Option<Cow<'r, str>>, Problem> {
        match self.get(name) {
            None | Some(Node::Null) => Ok(None),
            Some(Node::Str(s)) => Ok(text::clean_as(s, lines, max)?),
            Some(_) => Err(Problem::WrongType("string")),
        }
    }

    /// A required single-line string.
    pub fn required_text(&self, name: &str, max: usize) -> Result<Cow<'r, str>, Problem> {
        self.text(name, max)?.ok_or(Problem::Missing)
    }

    /// An optional string as sent, not cleaned (an email, which the email
    /// module trims and checks itself): absent or null gives `Ok(None)`.
    pub fn raw_text(&self, name: &str) -> Result<Option<&'r str>, Problem> {
        match self.get(name) {
            None | Some(Node::Null) => Ok(None),
            Some(Node::Str(s)) => Ok(Some(s)),
            Some(_) => Err(Problem::WrongType("string")),
        }
    }

    /// A required string as sent, not cleaned (a phone, which the phone
    /// module cleans and measures itself): absent, null or blank is
    /// `Missing`.
    pub fn required_raw(&self, name: &str) -> Result<&'r str, Problem> {
        match self.get(name) {
            None | Some(Node::Null) => Err(Problem::Missing),
            Some(Node::Str(s)) if s.trim().is_empty() => Err(Problem::Missing),
            Some(Node::Str(s)) => Ok(s),
            Some(_) => Err(Problem::WrongType("string")),
        }
    }

    /// An optional integer in `min..=max`: absent or null gives `Ok(None)`.
    pub fn int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, Problem> {
        let v = match self.get(name) {
            None | Some(Node::Null) => return Ok(None),
            Some(v) => v,
        };
        let n = match v {
            Node::Str(s) if self.text_source => s.trim().parse::<i64>().ok(),
            other => other.as_i64(),
        }
        .ok_or(Problem::WrongType("integer"))?;
        if n < min {
            Err(Problem::TooSmall(min))
        } else if n > max {
            Err(Problem::TooBig(max))
        } else {
            Ok(Some(n))
        }
    }

    /// An optional boolean. JSON `true`/`false`, `1`/`0` and `"1"`/`"0"`
    /// (Laravel's `boolean` rule); a text source also takes `true`/`false`.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, Problem> {
        match self.get(name) {
            None | Some(Node::Null) => Ok(None),
            Some(v) => as_bool(v, self.text_source)
                .map(Some)
                .ok_or(Problem::WrongType("boolean")),
        }
    }
}

/// Laravel's `boolean` rule: `true`, `false`, `1`, `0`, `"1"`, `"0"`.
pub(crate) fn as_bool(v: &Node<'_>, text_source: bool) -> Option<bool> {
    match v {
        Node::Bool(b) => Some(*b),
        Node::Number(_) => match v.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Node::Str(s) => match s.trim() {
            "1" => Some(true),
            "0" => Some(false),
            "true" if text_source => Some(true),
            "false" if text_source => Some(false),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn readers() {
        let n = parse(br#"{"a":" x ","b":null,"c":5,"d":"5","e":1,"f":"","g":[1]}"#).unwrap();
        let r = Row::new(&n, false);
        assert_eq!(r.text("a", 10), Ok(Some("x".into())));
        assert_eq!(r.text("b", 10), Ok(None));
        assert_eq!(r.text("zz", 10), Ok(None));
        assert_eq!(r.text("c", 10), Err(Problem::WrongType("string")));
        assert_eq!(r.required_text("f", 10), Err(Problem::Missing));
        assert_eq!(r.int("c", 1, 10), Ok(Some(5)));
        assert_eq!(r.int("c", 6, 10), Err(Problem::TooSmall(6)));
        assert_eq!(r.int("c", 1, 4), Err(Problem::TooBig(4)));
        assert_eq!(r.int("d", 1, 10), Err(Problem::WrongType("integer")));
        assert_eq!(r.bool("e"), Ok(Some(true)));
        assert_eq!(r.bool("g"), Err(Problem::WrongType("boolean")));
        assert!(r.has("b") && r.has("f") && !r.has("zz"));
    }

    #[test]
    fn text_source_reads_numbers_from_strings() {
        let n = parse(br#"{"d":"5","f":"  ","t":"true"}"#).unwrap();
        let r = Row::new(&n, true);
        assert_eq!(r.int("d", 1, 10), Ok(Some(5)));
        assert!(!r.has("f"));
        assert_eq!(r.bool("t"), Ok(Some(true)));
    }
}
