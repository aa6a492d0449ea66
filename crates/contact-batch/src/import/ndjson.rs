//! The NDJSON line of an import row, written straight into a byte buffer.
//!
//! An import writes one line per row, and serde's derived serializer spent
//! about a tenth of a 1-thread import escaping the same static field names
//! again on every line (callgrind: ~100 instructions per string, 27 strings
//! per line). Here the names are byte literals and only values are escaped.
//! The output is byte for byte serde_json's (`serde_json::to_vec` of the
//! `Serialize` derive, which stays as the reference): the tests below hold
//! the two to it on generated lines, control characters, quotes and
//! non-ASCII included.

use super::line::ImportLine;
use crate::contact::{Contact, ContactPhone, ExternalRef};
use crate::outcome::{FieldError, RowStatus};

impl ImportLine {
    /// The NDJSON line (without the newline).
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(256);
        self.write_json(&mut out);
        // Strings are copied whole or escaped in ASCII: always UTF-8.
        String::from_utf8(out).unwrap_or_else(|_| format!("{{\"row\":{}}}", self.row))
    }

    /// Appends the NDJSON line (without the newline) to `out`, the
    /// allocation-free form of [`ImportLine::to_json`] for writers that
    /// reuse one buffer.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        write_line(self, out);
    }
}

/// Appends `line` as one JSON object (no newline).
fn write_line(line: &ImportLine, out: &mut Vec<u8>) {
    let ImportLine {
        row,
        status,
        phone,
        duplicate_of,
        errors,
        contact,
    } = line;
    out.extend_from_slice(b"{\"row\":");
    write_uint(out, *row as u64);
    out.extend_from_slice(b",\"status\":\"");
    out.extend_from_slice(status_name(*status).as_bytes());
    out.push(b'"');
    if let Some(phone) = phone {
        out.extend_from_slice(b",\"phone\":");
        write_str(out, phone);
    }
    if let Some(first) = duplicate_of {
        out.extend_from_slice(b",\"duplicate_of\":");
        write_uint(out, *first as u64);
    }
    if !errors.is_empty() {
        out.extend_from_slice(b",\"errors\":");
        write_grouped(out, errors);
    }
    if let Some(contact) = contact {
        out.extend_from_slice(b",\"contact\":");
        write_contact(out, contact);
    }
    out.push(b'}');
}

fn status_name(status: RowStatus) -> &'static str {
    match status {
        RowStatus::New => "new",
        RowStatus::Existing => "existing",
        RowStatus::Duplicate => "duplicate",
        RowStatus::Invalid => "invalid",
    }
}

/// `{"field": ["message", ...]}`, fields in order of first appearance.
fn write_grouped(out: &mut Vec<u8>, errors: &[FieldError]) {
    let mut fields: Vec<&str> = Vec::new();
    for e in errors {
        if !fields.contains(&e.field.as_str()) {
            fields.push(&e.field);
        }
    }
    out.push(b'{');
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, field);
        out.extend_from_slice(b":[");
        for (j, e) in errors.iter().filter(|e| e.field == *field).enumerate() {
            if j > 0 {
                out.push(b',');
            }
            write_str(out, &e.message);
        }
        out.push(b']');
    }
    out.push(b'}');
}

/// Writes the members of one object, a comma before all but the first.
struct Members<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Members<'o> {
    fn open(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Members { out, first: true }
    }

    /// Starts member `name` (a literal needing no escapes).
    fn key(&mut self, name: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    fn opt_str(&mut self, name: &str, value: &Option<String>) {
        if let Some(v) = value {
            let out = self.key(name);
            write_str(out, v);
        }
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

fn write_contact(out: &mut Vec<u8>, c: &Contact) {
    // Destructured without `..`: a new field of Contact fails to compile
    // here until it is written.
    let Contact {
        first_name,
        last_name,
        display_name,
        phones,
        email,
        company,
        address,
        city,
        state,
        zip,
        timezone,
        priority,
        external_ref,
        description,
        custom_fields,
    } = c;
    let mut m = Members::open(out);
    m.opt_str("first_name", first_name);
    m.opt_str("last_name", last_name);
    m.opt_str("display_name", display_name);
    if !phones.is_empty() {
        let out = m.key("phones");
        out.push(b'[');
        for (i, p) in phones.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_phone(out, p);
        }
        out.push(b']');
    }
    m.opt_str("email", email);
    m.opt_str("company", company);
    m.opt_str("address", address);
    m.opt_str("city", city);
    m.opt_str("state", state);
    m.opt_str("zip", zip);
    m.opt_str("timezone", timezone);
    if let Some(p) = priority {
        let out = m.key("priority");
        if *p < 0 {
            out.push(b'-');
        }
        write_uint(out, p.unsigned_abs());
    }
    if let Some(ExternalRef { provider, id }) = external_ref {
        let out = m.key("external_ref");
        let mut r = Members::open(out);
        let out = r.key("provider");
        write_str(out, provider);
        let out = r.key("id");
        write_str(out, id);
        r.close();
    }
    m.opt_str("description", description);
    if !custom_fields.is_empty() {
        // Arbitrary JSON from the request, rare in imports: serde_json's own
        // writer. Writing into a Vec cannot fail; on an error the member is
        // null rather than a broken line.
        let out = m.key("custom_fields");
        let at = out.len();
        if serde_json::to_writer(&mut *out, custom_fields).is_err() {
            out.truncate(at);
            out.extend_from_slice(b"null");
        }
    }
    m.close();
}

fn write_phone(out: &mut Vec<u8>, p: &ContactPhone) {
    let ContactPhone {
        e164,
        label,
        region,
        number_type,
        extension,
    } = p;
    let mut m = Members::open(out);
    let out = m.key("e164");
    write_str(out, e164);
    m.opt_str("label", label);
    m.opt_str("region", region);
    let out = m.key("number_type");
    out.push(b'"');
    out.extend_from_slice(number_type.as_str().as_bytes());
    out.push(b'"');
    m.opt_str("extension", extension);
    m.close();
}

fn write_uint(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, the control
/// characters with a short escape where JSON has one and `\u00xx`
/// (lowercase hex) otherwise, everything else (DEL and non-ASCII included)
/// as is.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::NumberType;
    use proptest::prelude::*;

    fn reference(line: &ImportLine) -> String {
        serde_json::to_string(line).expect("serde")
    }

    fn ours(line: &ImportLine) -> String {
        let mut out = Vec::new();
        write_line(line, &mut out);
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn every_character_below_u_100_is_escaped_as_serde_json_does() {
        for c in '\0'..='\u{ff}' {
            let s = format!("a{c}b{c}");
            let mut out = Vec::new();
            write_str(&mut out, &s);
            assert_eq!(
                String::from_utf8(out).expect("utf-8"),
                serde_json::to_string(&s).expect("serde"),
                "{c:?}"
            );
        }
    }

    #[test]
    fn numbers_at_their_edges() {
        for (row, priority) in [
            (0, -1),
            (1, 0),
            (9, 1),
            (10, i64::MIN),
            (usize::MAX, i64::MAX),
        ] {
            let line = ImportLine {
                row,
                status: RowStatus::Duplicate,
                phone: None,
                duplicate_of: Some(row),
                errors: Vec::new(),
                contact: Some(Contact {
                    priority: Some(priority),
                    ..Contact::default()
                }),
            };
            assert_eq!(ours(&line), reference(&line));
        }
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z ]{0,12}",
            any::<String>(),
            "[\"\\\\\\u{0}-\\u{1f}\\u{7f}é😀a]{0,6}",
        ]
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    fn phone() -> impl Strategy<Value = ContactPhone> {
        (
            text(),
            opt_text(),
            opt_text(),
            prop_oneof![
                Just(NumberType::Mobile),
                Just(NumberType::FixedLineOrMobile)
            ],
            opt_text(),
        )
            .prop_map(
                |(e164, label, region, number_type, extension)| ContactPhone {
                    e164,
                    label,
                    region,
                    number_type,
                    extension,
                },
            )
    }

    fn contact() -> impl Strategy<Value = Contact> {
        (
            (
                opt_text(),
                opt_text(),
                opt_text(),
                proptest::collection::vec(phone(), 0..3),
            ),
            (opt_text(), opt_text(), opt_text(), opt_text(), opt_text()),
            (opt_text(), opt_text(), proptest::option::of(any::<i64>())),
            (
                proptest::option::of((text(), text())),
                opt_text(),
                proptest::collection::vec((text(), text()), 0..3),
            ),
        )
            .prop_map(|(a, b, c, d)| {
                let (first_name, last_name, display_name, phones) = a;
                let (email, company, address, city, state) = b;
                let (zip, timezone, priority) = c;
                let (external, description, custom) = d;
                Contact {
                    first_name,
                    last_name,
                    display_name,
                    phones,
                    email,
                    company,
                    address,
                    city,
                    state,
                    zip,
                    timezone,
                    priority,
                    external_ref: external.map(|(provider, id)| ExternalRef { provider, id }),
                    description,
                    custom_fields: custom
                        .into_iter()
                        .map(|(k, v)| (k, crate::json::Node::from(v)))
                        .collect(),
                }
            })
    }

    fn line() -> impl Strategy<Value = ImportLine> {
        (
            any::<usize>(),
            prop_oneof![
                Just(RowStatus::New),
                Just(RowStatus::Existing),
                Just(RowStatus::Duplicate),
                Just(RowStatus::Invalid),
            ],
            opt_text(),
            proptest::option::of(any::<usize>()),
            proptest::collection::vec(
                (
                    prop_oneof![Just("phone"), Just("email"), Just("a\"b")],
                    text(),
                ),
                0..4,
            ),
            proptest::option::of(contact()),
        )
            .prop_map(
                |(row, status, phone, duplicate_of, errors, contact)| ImportLine {
                    row,
                    status,
                    phone,
                    duplicate_of,
                    errors: errors
                        .into_iter()
                        .map(|(field, message)| FieldError {
                            field: field.to_owned(),
                            code: crate::outcome::ErrorCode::new("code"),
                            message,
                        })
                        .collect(),
                    contact,
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn lines_are_serde_jsons_byte_for_byte(line in line()) {
            prop_assert_eq!(ours(&line), reference(&line));
        }
    }
}
