//! Email addresses: RFC 5322 addr-spec through the `email_address` crate, plus
//! the rules a bulk API wants on top of it.

use std::fmt;

use email_address::{EmailAddress, Options};
use serde::Serialize;

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
    /// More than 254 characters.
    TooLong,
    /// A local part of more than 64 characters.
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

/// Validates and normalizes one address (surrounding whitespace is trimmed).
pub fn validate_email(raw: &str) -> Result<ValidEmail, EmailError> {
    let s = raw.trim();
    match plain_address(s) {
        Some(valid) => Ok(valid),
        None => validate_trimmed(s),
    }
}

/// The fast path for the addresses nearly every batch holds: ASCII, a
/// dot-atom local part of at most 64 characters, and a domain of two or more
/// letters-digits-hyphens labels (at most 63 each, starting and ending with a
/// letter or digit, none an `xn--` label). Every such address is valid for
/// `email_address` and for every rule of [`validate_trimmed`], and its
/// normalized form and key are plain ASCII lowercasing, so this answers
/// without the crate's parse, IDNA or any `format!`. Anything else returns
/// `None` and takes the general path; a property test holds both paths to
/// the same answer.
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
            || is_ace_label(label)
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

/// The general path: every rule, on an address already trimmed.
fn validate_trimmed(s: &str) -> Result<ValidEmail, EmailError> {
    if s.is_empty() {
        return Err(EmailError::Empty);
    }
    if s.chars().count() > MAX_EMAIL_CHARS {
        return Err(EmailError::TooLong);
    }
    if s.contains('<') || s.ends_with('>') {
        return Err(EmailError::DisplayName);
    }
    // email_address splits an address at its last `@` (after a display
    // name, which `<` above already refused): the one split used below.
    let split = s.rsplit_once('@');
    if let Some((local, _)) = split {
        if local.chars().count() > MAX_LOCAL_PART_CHARS {
            return Err(EmailError::LocalPartTooLong);
        }
    }
    let options = Options::default()
        .without_display_text()
        .without_domain_literal();
    if EmailAddress::parse_with_options(s, options).is_err() {
        return Err(match split {
            Some((_, domain)) if domain.starts_with('[') => EmailError::IpLiteral,
            _ => EmailError::Invalid,
        });
    }
    let Some((local, domain)) = split else {
        return Err(EmailError::Invalid);
    };
    if domain.starts_with('[') {
        return Err(EmailError::IpLiteral);
    }
    if !domain.contains('.') {
        return Err(EmailError::DomainWithoutDot);
    }
    let ascii_domain = ascii_form(domain)?;
    if ascii_domain.is_empty() || !ascii_domain.contains('.') {
        return Err(EmailError::Invalid);
    }
    let normalized = format!("{local}@{}", lowercase_domain(domain));
    let local_key = if local.is_ascii() {
        local.to_ascii_lowercase()
    } else {
        local.to_lowercase()
    };
    let key = format!("{local_key}@{ascii_domain}");
    Ok(ValidEmail { normalized, key })
}

/// The domain's ASCII (punycode) form. A plain letters-digits-hyphens domain
/// without `xn--` labels is its own ASCII form once lowercased (UTS 46 maps
/// nothing else in it), which skips the IDNA machinery for nearly every
/// address; anything else goes through `idna`.
fn ascii_form(domain: &str) -> Result<String, EmailError> {
    let plain = domain
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !domain.split('.').any(is_ace_label);
    if plain {
        return Ok(domain.to_ascii_lowercase());
    }
    idna::domain_to_ascii(domain).map_err(|_| EmailError::Invalid)
}

/// An IDNA ACE label (`xn--...`, any case): its Unicode form is what counts.
fn is_ace_label(label: &str) -> bool {
    label.len() >= 4 && label.as_bytes()[..4].eq_ignore_ascii_case(b"xn--")
}

/// Lowercases a domain one character at a time, so that the normalized
/// address validates again to the same key: a character whose lowercase is
/// several characters is kept (`İ` would become `i` and a combining dot,
/// which is not allowed in a domain), and `Σ` always becomes `σ` (a final
/// `ς` is a different label for IDNA).
fn lowercase_domain(domain: &str) -> String {
    if domain.is_ascii() {
        return domain.to_ascii_lowercase();
    }
    domain
        .chars()
        .map(|c| {
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
                assert_eq!(validate_email(&s), validate_trimmed(s.trim()), "{s:?}");
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
            proptest::prop_assert_eq!(validate_email(&s), validate_trimmed(s.trim()), "{:?}", s);
            if plain_address(s.trim()).is_some() {
                let options = Options::default().without_display_text().without_domain_literal();
                proptest::prop_assert!(EmailAddress::parse_with_options(s.trim(), options).is_ok());
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
