//! Email addresses: RFC 5322 addr-spec with RFC 6531/6532 internationalized
//! local parts and domains, plus the rules a bulk API wants on top of it.
//!
//! Who checks what:
//! - the text rule, as an address needs it: trimmed, and nothing inside
//!   rewritten (an address is one token: the whitespace collapsing of names
//!   does not apply); any control character inside, CR, LF and TAB
//!   included, and the bidi overrides are refused;
//! - the domain: strict UTS #46 through the `idna` crate
//!   (`domain_to_ascii_strict`: STD3 ASCII rules, hyphen checks, DNS
//!   lengths), on the *normalized* (lowercased) domain, so a label's 63 and
//!   the domain's 253 are counted on the A-label (punycode) form that DNS
//!   sees, and the stored address validates again to itself;
//! - the addr-spec grammar: the `email_address` crate (0.2.10, which takes
//!   RFC 6531's non-ASCII letters, marks and full-width characters), given
//!   the local part and the A-label domain;
//! - the local part's 64 and the address's 254: characters, here.
//!
//! Where email_address 0.2.10 reads RFC 5322 more narrowly, this module
//! works around it: a quoted-pair of a space, a tab or a non-ASCII
//! character (`"Fred\ Bloggs"`, RFC 5322 §3.2.1 and RFC 6532 §3.2) is
//! valid, and `<` inside a quoted local part is not a display name.

use std::fmt;

use std::borrow::Cow;

use email_address::{EmailAddress, Options};
use serde::Serialize;

use crate::text;

/// The longest address accepted, in characters (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// The longest local part accepted, in characters.
pub const MAX_LOCAL_PART_CHARS: usize = 64;

/// Why an email address was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EmailError {
    /// Nothing but whitespace.
    Empty,
    /// A control character inside the address (after trimming), TAB, LF
    /// and CR included, or a bidi override.
    ControlCharacter,
    /// More than 254 characters.
    TooLong,
    /// A local part of more than 64 characters (Unicode scalar values).
    LocalPartTooLong,
    /// `Name <a@b.com>`: a field that holds an address takes the address only.
    DisplayName,
    /// `a@[127.0.0.1]`: IP-literal domains are not accepted.
    IpLiteral,
    /// A domain without a dot (`a@localhost`).
    DomainWithoutDot,
    /// Not an RFC 5322 addr-spec, or a domain that is not a valid
    /// internationalized domain name.
    Invalid,
}

impl EmailError {
    /// A stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            EmailError::Empty => "empty",
            EmailError::ControlCharacter => "control_character",
            EmailError::TooLong => "too_long",
            EmailError::LocalPartTooLong => "local_part_too_long",
            EmailError::DisplayName => "display_name",
            EmailError::IpLiteral => "ip_literal",
            EmailError::DomainWithoutDot => "domain_without_dot",
            EmailError::Invalid => "invalid",
        }
    }
}

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EmailError::Empty => "the email address is empty",
            EmailError::ControlCharacter => "the email address contains a control character",
            EmailError::TooLong => "the email address is longer than 254 characters",
            EmailError::LocalPartTooLong => {
                "the part before @ of the email address is longer than 64 characters"
            }
            EmailError::DisplayName => "the email field must hold an address only, not a name",
            EmailError::IpLiteral => "the email address must not use an IP address as its domain",
            EmailError::DomainWithoutDot => "the domain of the email address has no dot",
            EmailError::Invalid => "the email address is not valid",
        })
    }
}

impl std::error::Error for EmailError {}

/// A valid email address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidEmail {
    /// The address with its domain lowercased; the local part as given.
    pub normalized: String,
    /// The dedupe key: the whole address lowercased, the domain in its
    /// ASCII (punycode) form.
    pub key: String,
}

/// Validates and normalizes one address, as sent: trimmed of the
/// whitespace around it, and nothing else (a request row, an import row, a
/// single-value call and the C and PHP calls all come here with the raw
/// value, so they answer alike).
///
/// An address is one token: unlike a name, whose line breaks and tab runs
/// are cosmetic and become one space, whitespace *inside* an address is
/// part of it, and a control character anywhere inside (CR, LF, TAB, any
/// other C0, DEL, C1) or a bidi override makes it invalid
/// ([`EmailError::ControlCharacter`]), quoted local parts included:
/// `"\r"@example.com` and `"test\r\n blah"@iana.org` are refused, not
/// rewritten into another address (issue 28).
pub fn validate_email(raw: &str) -> Result<ValidEmail, EmailError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(EmailError::Empty);
    }
    if s.chars().any(text::is_forbidden_in_key) {
        return Err(EmailError::ControlCharacter);
    }
    validate_token(s)
}

/// The address rules, on a trimmed address free of control characters.
fn validate_token(s: &str) -> Result<ValidEmail, EmailError> {
    match plain_address(s) {
        Some(valid) => Ok(valid),
        None => validate_trimmed(s),
    }
}

/// The fast path for the addresses nearly every batch holds: ASCII, a
/// dot-atom local part of at most 64 characters, and a domain of two or more
/// letters-digits-hyphens labels (at most 63 each, starting and ending with a
/// letter or digit, no hyphens in both the third and fourth place, so no
/// `xn--` label either). Every such address is valid for `email_address`
/// and for every rule of [`validate_trimmed`] (strict UTS #46 maps nothing
/// in such a domain but its case), and its normalized form and key are
/// plain ASCII lowercasing, so this answers without the crate's parse, IDNA
/// or any `format!`. Anything else returns `None` and takes the general
/// path; a property test holds both paths to the same answer.
fn plain_address(s: &str) -> Option<ValidEmail> {
    if s.len() > MAX_EMAIL_CHARS {
        return None;
    }
    let (local, domain) = s.split_once('@')?;
    if local.len() > MAX_LOCAL_PART_CHARS
        || !local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || is_atext_symbol(b))
        })
    {
        return None;
    }
    let mut labels = 0;
    for label in domain.split('.') {
        let bytes = label.as_bytes();
        let ends_ok = matches!(
            (bytes.first(), bytes.last()),
            (Some(a), Some(z)) if a.is_ascii_alphanumeric() && z.is_ascii_alphanumeric()
        );
        if !ends_ok
            || bytes.len() > 63
            || !bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            || bytes.get(2..4) == Some(b"--")
        {
            return None;
        }
        labels += 1;
    }
    if labels < 2 {
        return None;
    }
    let mut normalized = String::with_capacity(s.len());
    normalized.push_str(local);
    normalized.push('@');
    normalized.extend(domain.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    let key = normalized.to_ascii_lowercase();
    Some(ValidEmail { normalized, key })
}

/// RFC 5322 `atext` besides letters and digits.
fn is_atext_symbol(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'/'
            | b'='
            | b'?'
            | b'^'
            | b'_'
            | b'`'
            | b'{'
            | b'|'
            | b'}'
            | b'~'
    )
}

/// The general path: every rule, on an address already cleaned.
fn validate_trimmed(s: &str) -> Result<ValidEmail, EmailError> {
    if s.is_empty() {
        return Err(EmailError::Empty);
    }
    if s.chars().count() > MAX_EMAIL_CHARS {
        return Err(EmailError::TooLong);
    }
    if has_display_name(s) {
        return Err(EmailError::DisplayName);
    }
    // The domain holds no `@` (a quoted local part may): the last one
    // splits, as email_address splits.
    let Some((local, domain)) = s.rsplit_once('@') else {
        return Err(EmailError::Invalid);
    };
    if local.chars().count() > MAX_LOCAL_PART_CHARS {
        return Err(EmailError::LocalPartTooLong);
    }
    if domain.starts_with('[') {
        return Err(EmailError::IpLiteral);
    }
    let domain = lowercase_domain(domain);
    let ascii_domain = idna::domain_to_ascii_strict(&domain).map_err(|_| EmailError::Invalid)?;
    let options = Options::default()
        .without_display_text()
        .without_domain_literal()
        .with_long_local_parts();
    let checked = format!("{}@{ascii_domain}", crate_local_part(local));
    if EmailAddress::parse_with_options(&checked, options).is_err() {
        return Err(EmailError::Invalid);
    }
    if !ascii_domain.contains('.') {
        return Err(EmailError::DomainWithoutDot);
    }
    let normalized = format!("{local}@{domain}");
    let local_key = if local.is_ascii() {
        local.to_ascii_lowercase()
    } else {
        local.to_lowercase()
    };
    let key = format!("{local_key}@{ascii_domain}");
    Ok(ValidEmail { normalized, key })
}

/// True for `Name <a@b.com>` and `<a@b.com>`: a `<` outside a quoted local
/// part, or a final `>` outside one. Inside quotes both are plain `qtext`
/// (`"a<b"@example.com` is an address).
fn has_display_name(s: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    let mut last_outside = None;
    for c in s.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => return true,
            _ => {}
        }
        last_outside = (!quoted).then_some(c);
    }
    last_outside == Some('>')
}

/// The local part as email_address 0.2.10 should read it. Its quoted-pair
/// takes a printable ASCII character only; RFC 5322 §3.2.1 also allows a
/// space or a tab (`"Fred\ Bloggs"`) and RFC 6532 §3.2 any non-ASCII
/// character (VCHAR =/ UTF8-non-ascii). Such a pair is handed to the crate
/// as `\a`, valid wherever the original is; every other part of the text
/// is the crate's to judge as sent.
fn crate_local_part(local: &str) -> Cow<'_, str> {
    if !local.starts_with('"') || !local.contains('\\') {
        return Cow::Borrowed(local);
    }
    let mut out = String::with_capacity(local.len());
    let mut chars = local.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\\' {
            match chars.next() {
                Some(' ' | '\t') => out.push('a'),
                Some(n) if !n.is_ascii() => out.push('a'),
                Some(n) => out.push(n),
                None => {}
            }
        }
    }
    Cow::Owned(out)
}

/// Lowercases a domain one character at a time, so that the normalized
/// address validates again to the same key: a character whose lowercase is
/// several characters is kept (`İ` would become `i` and a combining dot,
/// another label for IDNA), `Σ` always becomes `σ` (a final `ς` is a
/// different label for IDNA), and the ideographic and full-width full
/// stops that UTS #46 reads as label separators (U+3002, U+FF0E, U+FF61)
/// become `.`.
fn lowercase_domain(domain: &str) -> String {
    if domain.is_ascii() {
        return domain.to_ascii_lowercase();
    }
    domain
        .chars()
        .map(|c| {
            if matches!(c, '\u{3002}' | '\u{ff0e}' | '\u{ff61}') {
                return '.';
            }
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_domain_keeps_local() {
        let v = validate_email("  Ann.Lee@Example.COM ").unwrap();
        assert_eq!(v.normalized, "Ann.Lee@example.com");
        assert_eq!(v.key, "ann.lee@example.com");
    }

    #[test]
    fn idn_domain_key_is_punycode() {
        let v = validate_email("user@Bücher.example").unwrap();
        assert_eq!(v.normalized, "user@bücher.example");
        assert_eq!(v.key, "user@xn--bcher-kva.example");
    }

    #[test]
    fn rejections() {
        assert_eq!(validate_email(""), Err(EmailError::Empty));
        assert_eq!(
            validate_email("Ann <a@b.com>"),
            Err(EmailError::DisplayName)
        );
        assert_eq!(validate_email("a@[127.0.0.1]"), Err(EmailError::IpLiteral));
        assert_eq!(
            validate_email("a@localhost"),
            Err(EmailError::DomainWithoutDot)
        );
        assert_eq!(validate_email("no-at-sign"), Err(EmailError::Invalid));
        assert_eq!(validate_email("a@@b.com"), Err(EmailError::Invalid));
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(
            validate_email(&long_local),
            Err(EmailError::LocalPartTooLong)
        );
        let long = format!("a@{}.com", "b".repeat(260));
        assert_eq!(validate_email(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn control_characters_anywhere_inside_are_refused_not_rewritten() {
        // Issue 28: these were valid, as `" "@example.com` and
        // `"test blah"@iana.org`: another address than the one sent.
        for s in [
            "\"\r\"@example.com",
            "\"test\r\n blah\"@iana.org",
            "\"a\tb\"@example.com",
            "\"a\\\tb\"@example.com",
            "a\nb@example.com",
            "a@exam\tple.com",
            "a@example.com\r\nBcc: x@y.com",
            "\"a\u{7f}\"@example.com",
            "\"a\u{0}\"@example.com",
            "\"a\u{85}\"@example.com",
            "a\u{202e}b@example.com",
        ] {
            assert_eq!(
                validate_email(s),
                Err(EmailError::ControlCharacter),
                "{s:?}"
            );
        }
        for c in (0u8..0x20).chain([0x7f]).map(char::from) {
            for s in [
                format!("a{c}b@example.com"),
                format!("\"a{c}b\"@example.com"),
                format!("a@ex{c}ample.com"),
            ] {
                assert_eq!(
                    validate_email(&s),
                    Err(EmailError::ControlCharacter),
                    "{s:?}"
                );
            }
        }
        // Whitespace around the address is trimmed, line breaks and tabs
        // included; inside quotes, spaces are part of the address, kept as
        // sent (not collapsed).
        assert_eq!(
            validate_email("\t a@Example.com\r\n").unwrap().normalized,
            "a@example.com"
        );
        assert_eq!(
            validate_email("\"a  b\"@example.com").unwrap().normalized,
            "\"a  b\"@example.com"
        );
    }

    #[test]
    fn normalization_is_idempotent() {
        let once = validate_email("X@Y.Example.org").unwrap();
        let twice = validate_email(&once.normalized).unwrap();
        assert_eq!(once, twice);
    }

    #[test]
    fn common_addresses_take_the_fast_path() {
        for s in [
            "ann.lee@example.com",
            "Ann.Lee+tag@Mail.Example.CO.UK",
            "o'brien_1@x-y.io",
            "a@b.co",
        ] {
            assert_eq!(
                plain_address(s).as_ref(),
                validate_trimmed(s).as_ref().ok(),
                "{s}"
            );
            assert!(plain_address(s).is_some(), "{s}");
        }
        for s in [
            "a@localhost",
            "a@xn--bcher-kva.example",
            "a@-b.com",
            "a@b-.com",
            "a..b@c.com",
            ".a@c.com",
            "\"a b\"@c.com",
            "a@b_c.com",
            "user@bücher.example",
            "a@@b.com",
        ] {
            assert!(plain_address(s).is_none(), "{s}");
        }
    }

    #[test]
    fn every_ascii_character_in_every_part_agrees() {
        for b in 0u8..=0x7f {
            let c = char::from(b);
            for s in [
                format!("{c}@example.com"),
                format!("a{c}b@example.com"),
                format!("ab{c}@example.com"),
                format!("a@{c}example.com"),
                format!("a@ex{c}ample.com"),
                format!("a@example{c}.com"),
                format!("a@example.c{c}m"),
                format!("a@example.com{c}"),
            ] {
                let t = s.trim();
                if !t.is_empty() && !t.chars().any(char::is_control) {
                    assert_eq!(validate_token(t), validate_trimmed(t), "{s:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4000))]
        /// The fast path answers exactly as the general path: same result,
        /// same error, for addresses near and across its edges (symbols,
        /// dots, lengths 63/64/65, `xn--`, uppercase, non-ASCII, quotes,
        /// spaces, several `@`).
        #[test]
        fn fast_path_agrees_with_the_general_path(
            local in r#"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]{0,3}|[a-zA-Z0-9.+_-]{1,70}|"[a-z@ .]{0,8}"|[a-zé]{1,4}@[a-z]{1,4}| a|x<y|[a-z]{1,3}\.\.[a-z]|[a-z][\x00-\x7f][a-z]"#,
            domain in r"([a-zA-Z0-9-]{0,8}|xn--[a-z0-9]{1,6}|XN--a|[a-z]{60,66}|b_c|bü|)(\.([a-zA-Z0-9-]{0,6}|com|xn--p1ai|[a-z]{63,64})){0,3}|\[[0-9.]{1,10}\]|[a-z]{1,3}\.[a-z]{1,3}>|[a-z]{250}\.com",
            pad in r"| |\t",
        ) {
            let s = format!("{pad}{local}@{domain}{pad}");
            let t = s.trim();
            if t.chars().any(char::is_control) {
                proptest::prop_assert_eq!(validate_email(&s), Err(EmailError::ControlCharacter));
            } else {
                proptest::prop_assert_eq!(validate_email(&s), validate_trimmed(t), "{:?}", s);
                if plain_address(t).is_some() {
                    let options = Options::default().without_display_text().without_domain_literal();
                    proptest::prop_assert!(EmailAddress::parse_with_options(t, options).is_ok());
                    proptest::prop_assert!(idna::domain_to_ascii_strict(t.rsplit_once('@').unwrap().1).is_ok());
                }
            }
        }
    }

    proptest::proptest! {
        /// The split at the last `@` is the one email_address makes, quoted
        /// local parts with `@` inside included.
        #[test]
        fn last_at_split_is_the_crates(
            local in r#"[a-z.+_-]{1,10}|"[a-z@ .]{0,8}"|[a-z]{1,4}@[a-z]{1,4}"#,
            domain in r"[a-zA-Z0-9-]{1,10}(\.[a-zA-Z0-9-]{1,6}){0,2}|\[[0-9.]{1,10}\]",
        ) {
            let s = format!("{local}@{domain}");
            if let Ok(parsed) = EmailAddress::parse_with_options(&s, Options::default()) {
                proptest::prop_assert_eq!(
                    s.rsplit_once('@'),
                    Some((parsed.local_part(), parsed.domain()))
                );
            }
        }
    }
}
