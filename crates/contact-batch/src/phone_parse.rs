//! Phone number parsing on our own code, over tables compiled ahead of time.
//!
//! This is libphonenumber's `parse` as `rlibphonenumber` 2.2.15 performs it
//! (the engine's oracle; see "Differences" below), step by step:
//!
//! 1. **The text to read.** With `;phone-context=`, RFC 3966: the context
//!    must be `+` and digits with visual separators, or a domain name
//!    (else not a number); a `+...` context is put before the text between
//!    `tel:` and the context. Without it, the number starts at the first
//!    Unicode decimal digit or plus sign, loses its trailing characters
//!    that are neither letters nor numbers (`#` stays), and ends before a
//!    second number (`/ x`, `\x`). An `;isub=` ends it.
//! 2. **A viable number**: libphonenumber's valid-phone-number pattern
//!    (digits, punctuation, letters, an extension), case-insensitive.
//! 3. **The extension**: every form libphonenumber accepts (`;ext=`,
//!    `ext.`, `extension`, `anexo`, `доб`, `x`, `#`, `int`, full-width
//!    forms, `,,`, `;`, `- 503#`), as the leftmost suffix matching its
//!    extension pattern; the number before it must still be viable.
//! 4. **Normalization**: each Unicode decimal digit to its ASCII digit;
//!    with three or more ASCII letters, letters read on the phone keypad
//!    (E.161) and other digits dropped, as the library does.
//! 5. **The calling code**: after a leading `+` (or `＋`), or after the
//!    default region's international (IDD) prefix when the next digit is
//!    not 0; otherwise the default region's own code, stripped from the
//!    front when that makes the number fit the region better.
//! 6. **The national prefix for parsing**, with its transform rule and
//!    carrier code capture, kept only when what is left is still a
//!    possible length; then the length limits (2..=17), Italian leading
//!    zeros and the national significant number.
//!
//! Where libphonenumber uses a regular expression, the generator
//! (`phone_parse::generate`, a test) compiled it ahead of time into a flat
//! DFA in `data/phone_parse.bin`, read in place: the global patterns
//! (valid number, extension, RFC 3966 context) as byte DFAs over UTF-8
//! with byte classes, each region's IDD prefix and national prefix for
//! parsing as DFAs over the ten digits (leftmost-first, as `regex` finds).
//! Nothing is compiled at run time, nothing is lazy, nothing is per
//! thread. The capture groups of the national prefix for parsing are read
//! by a second DFA, of the same pattern with each group's parentheses
//! spelled as marker symbols (see [`captures`]).
//!
//! Differences from `rlibphonenumber` (documented decisions, pinned by
//! tests): text with `tel:` after its `;phone-context=` is not a number
//! (the library panics slicing it).

#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod oracle;
mod tables;

use tables::{ParseTables, RegionParse, F_DEAD, F_EOI, GROUP_REF, START};

/// `data/phone_parse.bin`.
static TABLE: &[u8] = include_bytes!("../data/phone_parse.bin");

/// The committed table's bytes (the phone metadata file's tests).
#[cfg(test)]
pub(crate) fn table_bytes() -> &'static [u8] {
    TABLE
}

/// The shortest and longest national significant number.
const MIN_NSN: usize = 2;
const MAX_NSN: usize = 17;

/// A region with parsing data: an index into the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Region(u16);

/// Why a text did not parse (libphonenumber's parse errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseError {
    NotANumber,
    InvalidCountryCode,
    TooShortAfterIdd,
    TooShortNsn,
    TooLongNsn,
    /// The national number is not an integer (only a transform rule with
    /// other characters than digits could do it; none does).
    NotAnInteger,
}

/// A length verdict (libphonenumber's `ValidationResult`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LengthError {
    InvalidCountryCode,
    TooShort,
    TooLong,
    InvalidLength,
}

/// A parsed number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) country_code: u16,
    /// The national significant number: ASCII digits, Italian leading
    /// zeros included (at most 10, as libphonenumber formats them).
    nsn: [u8; 32],
    nsn_len: u8,
    pub(crate) extension: Option<String>,
}

impl Parsed {
    pub(crate) fn nsn(&self) -> &[u8] {
        &self.nsn[..usize::from(self.nsn_len)]
    }

    /// `+`, the calling code and the national significant number.
    pub(crate) fn e164(&self) -> String {
        let mut s = String::with_capacity(24);
        s.push('+');
        s.push_str(&self.country_code.to_string());
        for &b in self.nsn() {
            s.push(char::from(b));
        }
        s
    }
}

/// The parse tables and the parse.
#[derive(Debug, yoke::Yokeable)]
pub(crate) struct PhoneParse<'a> {
    tables: ParseTables<'a>,
    /// Type, validity and the general pattern (`phone_types`).
    pub(crate) types: crate::phone_types::TypeTables<'a>,
}

/// Where the calling code came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Plus,
    Idd,
    Default,
}

impl<'a> PhoneParse<'a> {
    /// Reads the committed tables (in place: nothing is copied).
    pub(crate) fn load() -> Result<PhoneParse<'static>, String> {
        PhoneParse::from_sections(TABLE, crate::phone_types::TypeTables::load())
    }

    /// The parse over the tables of `parse` (a whole `phone_parse.bin`)
    /// and the type tables already read.
    pub(crate) fn from_sections(
        parse: &'a [u8],
        types: crate::phone_types::TypeTables<'a>,
    ) -> Result<PhoneParse<'a>, String> {
        ParseTables::read(parse)
            .map(|tables| PhoneParse { tables, types })
            .ok_or_else(|| "the phone parse tables are damaged".to_owned())
    }

    fn region_data(&self, r: Region) -> &RegionParse<'a> {
        static NONE: RegionParse = RegionParse {
            id: "",
            country_code: 0,
            possible: 0,
            local_only: 0,
            idd: tables::Pattern::None,
            npp: tables::Pattern::None,
            rule: None,
            marked: &[],
            marked_count: 0,
        };
        self.tables.regions.get(usize::from(r.0)).unwrap_or(&NONE)
    }

    /// The region of an ISO 3166-1 alpha-2 code, any case.
    pub(crate) fn region(&self, code: &str) -> Option<Region> {
        let b = code.as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let upper = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
        self.tables
            .regions
            .iter()
            .position(|r| r.id.as_bytes() == upper)
            .map(|i| Region(i as u16))
    }

    /// The region's code (`US`, `001`).
    pub(crate) fn region_id(&self, r: Region) -> &'a str {
        self.region_data(r).id
    }

    pub(crate) fn country_code_of(&self, r: Region) -> u16 {
        self.region_data(r).country_code
    }

    /// The regions of a calling code, the main one first (empty for a code
    /// with no metadata).
    pub(crate) fn regions_of(
        &self,
        code: u16,
    ) -> impl ExactSizeIterator<Item = Region> + Clone + '_ {
        self.tables.regions_of(code).iter().map(|&i| Region(i))
    }

    /// The main region of a calling code.
    pub(crate) fn main_region(&self, code: u16) -> Option<Region> {
        self.regions_of(code).next()
    }

    /// libphonenumber's `parse(text, default_region)`.
    pub(crate) fn parse(&self, text: &str, default: Option<Region>) -> Result<Parsed, ParseError> {
        let national = self.national_number_for_parsing(text)?;
        if !self.is_viable(&national) {
            return Err(ParseError::NotANumber);
        }
        if default.is_none() && !national.is_empty() && !starts_with_plus(&national) {
            return Err(ParseError::InvalidCountryCode);
        }
        let (number, extension) = self.strip_extension(&national);
        let extension = extension.map(str::to_owned);
        let (mut code, mut normalized) = match self.extract_country_code(default, number) {
            Ok(found) => found,
            Err(ParseError::InvalidCountryCode) if starts_with_plus(number) => {
                let rest = number.trim_start_matches(is_plus);
                let found = self.extract_country_code(default, rest)?;
                if found.0 == 0 {
                    return Err(ParseError::InvalidCountryCode);
                }
                found
            }
            Err(e) => return Err(e),
        };
        let mut metadata = default;
        if code != 0 {
            let main = self.main_region(code);
            if main != default {
                metadata = main;
            }
        } else if let Some(r) = metadata {
            code = self.country_code_of(r);
        }
        if normalized.len() < MIN_NSN {
            return Err(ParseError::TooShortNsn);
        }
        if let Some(r) = metadata {
            let stripped = self.strip_national_prefix(r, &normalized);
            if !matches!(
                self.test_length(r, &stripped),
                Ok(true) | Err(LengthError::TooShort | LengthError::InvalidLength)
            ) {
                normalized = stripped;
            }
        }
        if normalized.len() < MIN_NSN {
            return Err(ParseError::TooShortNsn);
        }
        if normalized.len() > MAX_NSN {
            return Err(ParseError::TooLongNsn);
        }
        if !normalized.iter().all(u8::is_ascii_digit) {
            return Err(ParseError::NotAnInteger);
        }
        Ok(Parsed {
            country_code: code,
            extension,
            ..nsn_of(&normalized)
        })
    }

    /// libphonenumber's `buildNationalNumberForParsing`.
    fn national_number_for_parsing<'t>(
        &self,
        text: &'t str,
    ) -> Result<std::borrow::Cow<'t, str>, ParseError> {
        const CONTEXT: &str = ";phone-context=";
        const TEL: &str = "tel:";
        // Both markers (`;phone-context=`, `;isub=`) start with `;`: text
        // without one, nearly every number, skips the substring searches
        // (`str::find` sets up a two-way searcher on every call: 0.95 M of a
        // fresh 1000-row `respond`'s 27.6 M instructions, callgrind).
        let semicolon = text.as_bytes().contains(&b';');
        let context_at = if semicolon { text.find(CONTEXT) } else { None };
        let mut national = match context_at {
            Some(at) => {
                let start = at + CONTEXT.len();
                let context = match text.get(start..) {
                    None | Some("") => "",
                    Some(rest) => rest.find(';').map_or(rest, |end| &rest[..end]),
                };
                if !self.is_context_valid(context) {
                    return Err(ParseError::NotANumber);
                }
                let from = text.find(TEL).map_or(0, |t| t + TEL.len());
                // rlibphonenumber panics here (a slice out of order); such
                // text is no RFC 3966 URI.
                let body = text.get(from..at).ok_or(ParseError::NotANumber)?;
                let mut s = String::with_capacity(context.len() + body.len());
                if context.starts_with('+') {
                    s.push_str(context);
                }
                s.push_str(body);
                std::borrow::Cow::Owned(s)
            }
            None => std::borrow::Cow::Borrowed(self.extract_possible_number(text)?),
        };
        if let Some(at) = national.find(";isub=").filter(|_| semicolon) {
            match &mut national {
                std::borrow::Cow::Borrowed(s) => *s = &s[..at],
                std::borrow::Cow::Owned(s) => s.truncate(at),
            }
        }
        Ok(national)
    }

    fn is_context_valid(&self, context: &str) -> bool {
        !context.is_empty()
            && (self.tables.context_digits.full_match(context.as_bytes())
                || self.tables.context_domain.full_match(context.as_bytes()))
    }

    /// libphonenumber's `extractPossibleNumber`.
    fn extract_possible_number<'t>(&self, text: &'t str) -> Result<&'t str, ParseError> {
        let start = text
            .char_indices()
            .find(|&(_, c)| is_plus(c) || self.tables.digit_value(c).is_some())
            .map(|(i, _)| i)
            .ok_or(ParseError::NotANumber)?;
        let number = text[start..].trim_end_matches(|c| self.tables.is_unwanted_end(c));
        if number.is_empty() {
            return Err(ParseError::NotANumber);
        }
        Ok(before_second_number(number))
    }

    /// libphonenumber's `isViablePhoneNumber`.
    fn is_viable(&self, number: &str) -> bool {
        number.len() >= MIN_NSN && self.tables.valid.full_match(number.as_bytes())
    }

    /// libphonenumber's `maybeStripExtension`: the number and its extension.
    fn strip_extension<'t>(&self, number: &'t str) -> (&'t str, Option<&'t str>) {
        let Some(start) = self
            .tables
            .extension
            .leftmost_suffix_start(number.as_bytes())
        else {
            return (number, None);
        };
        let (before, ext) = number.split_at(start);
        if !self.is_viable(before) {
            return (number, None);
        }
        // The extension is the pattern's one capture: the digits at the
        // end, before an optional `#`.
        let ext = ext.strip_suffix('#').unwrap_or(ext);
        let digits_from = ext
            .char_indices()
            .rev()
            .take_while(|&(_, c)| self.tables.digit_value(c).is_some())
            .last()
            .map_or(ext.len(), |(i, _)| i);
        let digits = &ext[digits_from..];
        if digits.is_empty() {
            return (number, None);
        }
        (before, Some(digits))
    }

    /// libphonenumber's `maybeExtractCountryCode`: the calling code found
    /// (0: none) and the normalized national number.
    fn extract_country_code(
        &self,
        default: Option<Region>,
        number: &str,
    ) -> Result<(u16, Vec<u8>), ParseError> {
        let (normalized, source) = self.strip_idd_and_normalize(number, default);
        if source != Source::Default {
            if normalized.len() <= MIN_NSN {
                return Err(ParseError::TooShortAfterIdd);
            }
            return self
                .split_calling_code(&normalized)
                .map(|(code, at)| (code, normalized[at..].to_vec()))
                .ok_or(ParseError::InvalidCountryCode);
        }
        if let Some(r) = default {
            let code = self.country_code_of(r).to_string();
            if let Some(rest) = normalized.strip_prefix(code.as_bytes()) {
                let stripped = self.strip_national_prefix(r, rest);
                if (!self.general_match(r, &normalized) && self.general_match(r, &stripped))
                    || self.test_length(r, &normalized) == Err(LengthError::TooLong)
                {
                    return Ok((self.country_code_of(r), stripped));
                }
            }
        }
        Ok((0, normalized))
    }

    /// The calling code at the start of `digits` (1 to 3 digits, the
    /// shortest that has metadata) and where the rest starts.
    fn split_calling_code(&self, digits: &[u8]) -> Option<(u16, usize)> {
        if digits.first() == Some(&b'0') {
            return None;
        }
        let mut code = 0u16;
        for (i, &d) in digits.iter().take(3).enumerate() {
            code = code * 10 + u16::from(d - b'0');
            if !self.tables.regions_of(code).is_empty() {
                return Some((code, i + 1));
            }
        }
        None
    }

    /// libphonenumber's `maybeStripInternationalPrefixAndNormalize`.
    fn strip_idd_and_normalize(&self, number: &str, default: Option<Region>) -> (Vec<u8>, Source) {
        if number.is_empty() {
            return (Vec::new(), Source::Default);
        }
        if starts_with_plus(number) {
            return (
                self.normalize(number.trim_start_matches(is_plus)),
                Source::Plus,
            );
        }
        let mut normalized = self.normalize(number);
        if let Some(r) = default {
            if let Some(end) = self.region_data(r).idd.prefix_end(&normalized) {
                // A calling code never starts with 0.
                if normalized.get(end) != Some(&b'0') {
                    normalized.drain(..end);
                    return (normalized, Source::Idd);
                }
            }
        }
        (normalized, Source::Default)
    }

    /// libphonenumber's `normalize`: ASCII digits only.
    fn normalize(&self, number: &str) -> Vec<u8> {
        let letters = !number.contains('\n')
            && number
                .bytes()
                .filter(u8::is_ascii_alphabetic)
                .take(3)
                .count()
                == 3;
        let mut out = Vec::with_capacity(number.len());
        for c in number.chars() {
            if letters {
                let c = c.to_ascii_uppercase();
                if c.is_ascii_digit() {
                    out.push(c as u8);
                } else if c.is_ascii_uppercase() {
                    out.push(keypad(c as u8));
                }
            } else if let Some(d) = self.tables.digit_value(c) {
                out.push(b'0' + d);
            }
        }
        out
    }

    /// True when the region's general description's pattern matches all
    /// of `digits` (no length check): libphonenumber's `matchNationalNumber`.
    fn general_match(&self, r: Region, digits: &[u8]) -> bool {
        self.types
            .general_match(self.region_id(r), self.country_code_of(r), digits)
    }

    /// libphonenumber's `testNumberLength` for the unknown type:
    /// `Ok(true)` for a length possible for local dialling only.
    pub(crate) fn test_length(&self, r: Region, digits: &[u8]) -> Result<bool, LengthError> {
        let data = self.region_data(r);
        test_length(data.possible, data.local_only, digits.len())
    }

    /// libphonenumber's `isPossibleNumberWithReason`.
    pub(crate) fn possible_with_reason(&self, number: &Parsed) -> Result<(), LengthError> {
        let r = self
            .main_region(number.country_code)
            .ok_or(LengthError::InvalidCountryCode)?;
        self.test_length(r, number.nsn()).map(|_| ())
    }

    /// libphonenumber's `maybeStripNationalPrefixAndCarrierCode` (the
    /// carrier code is not kept: `parse` drops it).
    fn strip_national_prefix(&self, r: Region, number: &[u8]) -> Vec<u8> {
        let data = self.region_data(r);
        if number.is_empty() {
            return number.to_vec();
        }
        let Some(end) = data.npp.prefix_end(number) else {
            return number.to_vec();
        };
        let viable = self.general_match(r, number);
        let groups = match (data.rule, &data.npp) {
            (Some(_), tables::Pattern::Dfa(_)) => captures(data, number, end),
            _ => Groups::default(),
        };
        let transform = data.rule.is_some()
            && match (groups.0[1], groups.0[2]) {
                (Some(g1), Some(g2)) => g1.0 <= g1.1 && g2.1 > g2.0,
                (Some(g1), None) => g1.1 > g1.0,
                _ => false,
            };
        let result = if transform {
            let mut out = Vec::with_capacity(number.len() + 8);
            for &b in data.rule.unwrap_or_default() {
                if b >= GROUP_REF {
                    let g = usize::from(b - GROUP_REF);
                    let span = if g == 0 {
                        Some((0, end))
                    } else {
                        groups.0.get(g).copied().flatten()
                    };
                    if let Some((s, e)) = span {
                        out.extend_from_slice(&number[s..e]);
                    }
                } else {
                    out.push(b);
                }
            }
            out.extend_from_slice(&number[end..]);
            out
        } else {
            number[end..].to_vec()
        };
        if viable && !self.general_match(r, &result) {
            return number.to_vec();
        }
        result
    }
}

/// libphonenumber's `testNumberLength` over length masks.
fn test_length(possible: u64, local_only: u64, len: usize) -> Result<bool, LengthError> {
    if possible == 0 {
        return Err(LengthError::InvalidLength);
    }
    if len >= 64 {
        return Err(LengthError::TooLong);
    }
    let bit = 1u64 << len;
    if local_only & bit != 0 {
        return Ok(true);
    }
    let min = possible.trailing_zeros() as usize;
    let max = 63 - possible.leading_zeros() as usize;
    if min == len {
        Ok(false)
    } else if min > len {
        Err(LengthError::TooShort)
    } else if max < len {
        Err(LengthError::TooLong)
    } else if possible & bit != 0 {
        Ok(false)
    } else {
        Err(LengthError::InvalidLength)
    }
}

/// The spans of groups 1 and 2 (index 0 unused).
#[derive(Debug, Default, Clone, Copy)]
struct Groups([Option<(usize, usize)>; 3]);

/// The marker symbols of a marked national-prefix pattern, after the ten
/// digits: group 1 opens, group 1 closes, group 2 opens, group 2 closes,
/// the end of the text (`$`).
const OPEN1: usize = 10;
const END_OF_TEXT: usize = 14;

/// The capture groups of the national prefix for parsing, for the match
/// `number[..end]` the prefix DFA found.
///
/// The national prefix patterns with a transform rule are small
/// alternations of finite patterns over digits, with at most two groups
/// (enumerated by the generator: 44 regions have one, 34 a rule), such as
/// `([457]\d{6})$|1` (Antigua), `0?(?:(11|2…)15)?` (Argentina) or
/// `(?:0|90)(?:(1[245]|…)(\d{10,11}))?` (Brazil); the groups can start
/// after optional digits, so they are not at fixed offsets. Each top-level
/// alternative has a DFA of its text with a marker symbol where each group
/// opens and closes and where `$` asserts the end of the text. `regex`
/// takes the first alternative that matches; within one, the generator
/// proved every alternative unambiguous (no two marker placements spell
/// the same digits: a product-automaton search), so a depth-first search
/// over `number[..end]` in the first alternative that accepts it places the
/// markers where `regex` puts the groups.
fn captures(data: &RegionParse, number: &[u8], end: usize) -> Groups {
    let at_end = end == number.len();
    for dfa in data.marked() {
        let mut marks = [usize::MAX; 4];
        if place(&dfa, &number[..end], at_end, START, 0, &mut marks) {
            let span = |o: usize| (marks[o] != usize::MAX).then(|| (marks[o], marks[o + 1]));
            return Groups([None, span(0), span(2)]);
        }
    }
    Groups::default()
}

/// Walks `text` from `at` in `state`, trying each marker before each digit;
/// true (with `marks` set) when the whole text is accepted.
fn place(
    dfa: &tables::SymDfa,
    text: &[u8],
    text_ends: bool,
    state: usize,
    at: usize,
    marks: &mut [usize; 4],
) -> bool {
    for m in OPEN1..=END_OF_TEXT {
        if m == END_OF_TEXT && !(text_ends && at == text.len()) {
            continue;
        }
        if m < END_OF_TEXT && marks[m - OPEN1] != usize::MAX {
            continue;
        }
        let next = dfa.step(state, m);
        if dfa.flags(next) & F_DEAD != 0 {
            continue;
        }
        if m < END_OF_TEXT {
            marks[m - OPEN1] = at;
        }
        if place(dfa, text, text_ends && m != END_OF_TEXT, next, at, marks) {
            return true;
        }
        if m < END_OF_TEXT {
            marks[m - OPEN1] = usize::MAX;
        }
    }
    match text.get(at) {
        None => dfa.flags(state) & F_EOI != 0,
        Some(&d) => {
            let next = dfa.step(state, usize::from(d - b'0'));
            dfa.flags(next) & F_DEAD == 0 && place(dfa, text, text_ends, next, at + 1, marks)
        }
    }
}

/// The national significant number of normalized national digits, as
/// libphonenumber stores and formats it (a `u64` and a count of Italian
/// leading zeros, at most 10 of them written back).
fn nsn_of(digits: &[u8]) -> Parsed {
    let zeros = digits.iter().take_while(|&&b| b == b'0').count();
    let (lead, rest): (usize, &[u8]) = if zeros == digits.len() {
        (zeros - 1, b"0")
    } else {
        (zeros, &digits[zeros..])
    };
    let mut nsn = [0u8; 32];
    let lead = lead.min(10);
    nsn[..lead].fill(b'0');
    nsn[lead..lead + rest.len()].copy_from_slice(rest);
    Parsed {
        country_code: 0,
        nsn,
        nsn_len: (lead + rest.len()) as u8,
        extension: None,
    }
}

fn is_plus(c: char) -> bool {
    c == '+' || c == '\u{FF0B}'
}

fn starts_with_plus(s: &str) -> bool {
    s.starts_with(is_plus)
}

/// Up to the last `/` or `\` followed by spaces and `x` (what
/// `rlibphonenumber`'s `(.*)[\\/] *x` captures; `.` stops at a line feed,
/// so the capture starts at the first line holding such a marker).
fn before_second_number(number: &str) -> &str {
    let mut line_start = 0;
    for line in number.split_inclusive('\n') {
        let b = line.as_bytes();
        let mut last = None;
        for (i, &c) in b.iter().enumerate() {
            if c == b'/' || c == b'\\' {
                let mut j = i + 1;
                while b.get(j) == Some(&b' ') {
                    j += 1;
                }
                if b.get(j) == Some(&b'x') {
                    last = Some(i);
                }
            }
        }
        if let Some(i) = last {
            return &number[line_start..line_start + i];
        }
        line_start += line.len();
    }
    number
}

/// The E.161 keypad digit of an ASCII capital letter.
fn keypad(c: u8) -> u8 {
    match c {
        b'A'..=b'C' => b'2',
        b'D'..=b'F' => b'3',
        b'G'..=b'I' => b'4',
        b'J'..=b'L' => b'5',
        b'M'..=b'O' => b'6',
        b'P'..=b'S' => b'7',
        b'T'..=b'V' => b'8',
        _ => b'9',
    }
}

#[cfg(test)]
pub(crate) mod generate;

#[cfg(test)]
mod tests;
