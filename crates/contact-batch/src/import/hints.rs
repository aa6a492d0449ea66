//! Hints for an import's invalid rows: what the row's own data says about
//! why its phone or email failed, added as a second message of that field.
//!
//! The profile's message stays first and unchanged (Laravel's template
//! for the rasl profiles); the hint follows it in the field's list, so the
//! NDJSON line reads `"phone": ["The phone field must be a valid phone
//! number (the phone number is too long).", "The phone number is valid in
//! GB, the country of the email's domain (.uk): is US the right region for
//! this row?"]`. Hints name no number, so the import report's top reasons
//! count them together ("500 phone: The phone number is valid in GB ..."). Imports only: an API response keeps
//! exactly the API's messages (the golden files), since an API client
//! reads them, while an import report is read by the person who will fix
//! the file.
//!
//! The phone hints, tried in this order, each only when the number is
//! valid that way:
//! - a leading `+` lost (a spreadsheet drops it: `44 20 7183 8750`);
//! - the country of the email's domain (`.co.uk` is GB, `.de` is DE), when
//!   it differs from the region the number was read with.
//!
//! The email hint (rasl profiles only: the others' messages already hold
//! the reason) is the reason `validate_email` gives (`the domain of the
//! email address has no dot` for `renee.oconnor@example`), made precise
//! for the catch-all reason (no `@`, several `@`).

use crate::email::{validate_email, EmailError};
use crate::json::Node;
use crate::outcome::{ErrorCode, FieldError};
use crate::phone::PhoneDefault;
use crate::rules::Rules;

/// The codes of a hint's [`FieldError`] (a hint is not a failed rule), one
/// per kind of hint, so that a report counting rows by field and code
/// (the import report's top reasons) keeps the kinds apart.
const PLUS_LOST: ErrorCode = ErrorCode::new("hint_plus_lost");
const EMAIL_COUNTRY: ErrorCode = ErrorCode::new("hint_email_country");

fn is_hint(code: ErrorCode) -> bool {
    code.as_str().starts_with("hint_")
}

/// Appends the hints for `errors` (the row's errors, in rule order).
/// `read_in`: the region the row's phone was read with, for the message.
pub(super) fn add(
    rules: &Rules,
    node: &Node<'_>,
    read_in: Option<&str>,
    errors: &mut Vec<FieldError>,
) {
    let failed = |field: &str| errors.iter().any(|e| e.field == field && !is_hint(e.code));
    let mut hints = Vec::new();
    if failed("phone") {
        if let Some(raw) = node.get("phone").and_then(Node::as_str) {
            let email = node.get("email").and_then(Node::as_str);
            if let Some((code, message)) = phone_hint(rules, raw, email, read_in) {
                hints.push(("phone", code, message));
            }
        }
    }
    // contact-book and record-list messages already say why an address
    // failed; the Laravel template of the rasl profiles (rule `email`) does not.
    if errors
        .iter()
        .any(|e| e.field == "email" && e.code == "email")
    {
        if let Some(raw) = node.get("email").and_then(Node::as_str) {
            if let Some((code, message)) = email_hint(raw) {
                hints.push(("email", code, message));
            }
        }
    }
    for (field, code, message) in hints {
        // After the field's last message, so each field's list stays together.
        let at = errors
            .iter()
            .rposition(|e| e.field == field)
            .map_or(errors.len(), |i| i + 1);
        errors.insert(
            at,
            FieldError {
                field: field.to_owned(),
                code,
                message,
            },
        );
    }
}

fn phone_hint(
    rules: &Rules,
    raw: &str,
    email: Option<&str>,
    read_in: Option<&str>,
) -> Option<(ErrorCode, String)> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let first = raw.chars().find(|c| !matches!(c, '(' | ' '))?;
    if first.is_ascii_digit() && !raw.starts_with("00") {
        if let Ok(p) = rules
            .phones
            .normalize(&format!("+{raw}"), PhoneDefault::None)
        {
            let region = p.region.as_deref().unwrap_or("its country");
            return Some((
                PLUS_LOST,
                format!(
                "The phone number is valid with a leading + (a number of {region}): was the + lost?"
            ),
            ));
        }
    }
    let tld = email?
        .rsplit_once('@')?
        .1
        .trim()
        .trim_end_matches('.')
        .rsplit('.')
        .next()?;
    let code = match tld.to_ascii_uppercase().as_str() {
        "UK" => "GB".to_owned(),
        c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => c.to_owned(),
        _ => return None,
    };
    if read_in.is_some_and(|r| r.eq_ignore_ascii_case(&code)) {
        return None;
    }
    let region = rules.phones.region(&code)?;
    rules
        .phones
        .normalize(raw, PhoneDefault::Region(region))
        .ok()?;
    let question = match read_in {
        Some(r) => format!(
            "is {} the right region for this row?",
            r.to_ascii_uppercase()
        ),
        None => "the row has no region: give it one, or a default region".to_owned(),
    };
    Some((
        EMAIL_COUNTRY,
        format!(
        "The phone number is valid in {code}, the country of the email's domain (.{}): {question}",
        tld.to_ascii_lowercase()
    ),
    ))
}

fn email_hint(raw: &str) -> Option<(ErrorCode, String)> {
    let e = validate_email(raw).err()?;
    let (code, reason) = match e {
        EmailError::Invalid => match raw.trim().matches('@').count() {
            0 => ("hint_email_no_at", "the email address has no @".to_owned()),
            1 => ("hint_email_invalid", e.to_string()),
            n => (
                "hint_email_at_signs",
                format!("the email address has {n} @ signs, not one"),
            ),
        },
        EmailError::DomainWithoutDot => ("hint_email_domain_without_dot", e.to_string()),
        _ => ("hint_email_reason", e.to_string()),
    };
    let mut chars = reason.chars();
    let first = chars.next()?.to_uppercase();
    Some((ErrorCode::new(code), format!("{first}{}.", chars.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Profile};
    use crate::engine::Engine;
    use std::borrow::Cow;

    fn row(phone: &str, email: &str) -> Node<'static> {
        Node::Object(vec![
            (
                Cow::Borrowed("phone"),
                Node::Str(Cow::Owned(phone.to_owned())),
            ),
            (
                Cow::Borrowed("email"),
                Node::Str(Cow::Owned(email.to_owned())),
            ),
        ])
    }

    fn hints(
        phone: &str,
        email: &str,
        read_in: Option<&str>,
        failed: &[&str],
    ) -> Vec<(String, String)> {
        let engine = Engine::new(Config::new(Profile::RaslCreate)).unwrap();
        let mut errors: Vec<FieldError> = failed
            .iter()
            .map(|f| FieldError {
                field: (*f).to_owned(),
                code: ErrorCode::new(if *f == "email" { "email" } else { "x" }),
                message: "failed".to_owned(),
            })
            .collect();
        add(&engine.rules, &row(phone, email), read_in, &mut errors);
        errors
            .into_iter()
            .filter(|e| is_hint(e.code))
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn a_uk_number_read_as_us_names_gb_from_the_email_domain() {
        let h = hints(
            "020 7183 8750",
            "oliver@example.co.uk",
            Some("US"),
            &["phone"],
        );
        assert_eq!(
            h,
            [(
                "phone".to_owned(),
                "The phone number is valid in GB, the country of the email's domain (.uk): is US the right region for this row?".to_owned()
            )]
        );
    }

    #[test]
    fn a_lost_plus_is_named() {
        let h = hints("44 20 7183 8750", "x@example.com", Some("US"), &["phone"]);
        assert_eq!(h.len(), 1);
        assert_eq!(
            h[0].1,
            "The phone number is valid with a leading + (a number of GB): was the + lost?"
        );
    }

    #[test]
    fn no_hint_without_evidence_or_when_the_region_is_the_domains() {
        // Too short everywhere: nothing to suggest.
        assert!(hints("12345", "bad@example.com", Some("US"), &["phone"]).is_empty());
        // Read as GB already: the domain adds nothing.
        assert!(hints("020 7183", "o@example.co.uk", Some("GB"), &["phone"]).is_empty());
        // No phone error: no phone hint.
        assert!(hints("020 7183 8750", "o@example.co.uk", Some("US"), &[]).is_empty());
        // A generic domain names no country.
        assert!(hints("020 7183 8750", "o@example.com", Some("US"), &["phone"]).is_empty());
    }

    #[test]
    fn an_email_says_why() {
        let h = hints("", "renee.oconnor@example", None, &["email"]);
        assert_eq!(
            h,
            [(
                "email".to_owned(),
                "The domain of the email address has no dot.".to_owned()
            )]
        );
        let h = hints("", "jan@@example.pl", None, &["email"]);
        assert_eq!(h[0].1, "The email address has 2 @ signs, not one.");
        let h = hints("", "jan.example.pl", None, &["email"]);
        assert_eq!(h[0].1, "The email address has no @.");
    }

    #[test]
    fn hints_follow_their_fields_messages() {
        let engine = Engine::new(Config::new(Profile::RaslCreate)).unwrap();
        let mut errors: Vec<FieldError> = ["phone", "email", "firstname"]
            .iter()
            .map(|f| FieldError {
                field: (*f).to_owned(),
                code: ErrorCode::new(if *f == "email" { "email" } else { "x" }),
                message: "failed".to_owned(),
            })
            .collect();
        add(
            &engine.rules,
            &row("020 7183 8750", "o@example"),
            Some("US"),
            &mut errors,
        );
        let order: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        // .uk is not the domain here (no dot): only the email hint.
        assert_eq!(
            order,
            [
                ("phone", "x"),
                ("email", "email"),
                ("email", "hint_email_domain_without_dot"),
                ("firstname", "x")
            ]
        );
    }
}
