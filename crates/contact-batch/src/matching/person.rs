//! A person as matching sees it: the fields that identify someone, given
//! as text ([`Person`]), and their normalized, compact form (`Record`, crate-private).

use serde::{Deserialize, Serialize};

use super::nicknames;

/// A field that identifies a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Given name.
    FirstName,
    /// Family name.
    LastName,
    /// Email address.
    Email,
    /// Phone number, as written (any format: only its digits count).
    Phone,
    /// Date of birth (`1980-04-03`, `19800403`, `03/04/1980`, ...).
    BirthDate,
    /// City or town.
    City,
    /// Postcode or zip.
    Postcode,
    /// Company or organisation.
    Company,
    /// Street address.
    Address,
    /// Country (a code or a name).
    Country,
}

/// How many fields there are.
pub const FIELDS: usize = 10;

impl Field {
    /// Every field, in the order of the model and of reasons.
    pub const ALL: [Field; FIELDS] = [
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::BirthDate,
        Field::City,
        Field::Postcode,
        Field::Company,
        Field::Address,
        Field::Country,
    ];

    /// The field's name in files, models and reasons (`first_name`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::BirthDate => "birth_date",
            Field::City => "city",
            Field::Postcode => "postcode",
            Field::Company => "company",
            Field::Address => "address",
            Field::Country => "country",
        }
    }

    /// The field named `name` (as [`Field::name`] gives it).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Position in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One person to match: any of the [`Field`]s, as text. Missing fields
/// (and blank ones) neither agree nor disagree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    values: [Option<String>; FIELDS],
}

impl Person {
    /// A person with no field.
    pub fn new() -> Person {
        Person::default()
    }

    /// Sets `field` (a blank value clears it).
    pub fn set(&mut self, field: Field, value: &str) {
        let value = value.trim();
        self.values[field.index()] = (!value.is_empty()).then(|| value.to_owned());
    }

    /// This person with `field` set to `value`.
    pub fn with(mut self, field: Field, value: &str) -> Person {
        self.set(field, value);
        self
    }

    /// The value of `field`, if any.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.values[field.index()].as_deref()
    }
}

/// Slots of a [`Record`]'s text.
#[derive(Clone, Copy)]
pub(crate) enum Slot {
    First,
    FirstCanon,
    Last,
    EmailLocal,
    EmailDomain,
    Phone,
    BirthRaw,
    City,
    Postcode,
    Company,
    Address,
    Country,
}

const SLOTS: usize = 12;

/// The longest normalized value kept per field, in bytes: longer values
/// are cut (a 4 MiB "name" compares as its first 200 bytes).
const MAX_VALUE_BYTES: usize = 200;

/// A date of birth read as year, month, day (month and day as written when
/// the order is ambiguous: the transposed level catches the other reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// A person normalized for comparison, in one allocation: every value
/// lowercased, diacritics of Latin letters folded, punctuation dropped.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    text: Box<str>,
    ends: [u16; SLOTS],
    pub birth: Option<Date>,
}

impl Record {
    pub(crate) fn new(person: &Person) -> Record {
        let mut text = String::new();
        let mut ends = [0u16; SLOTS];
        let mut slot = 0;
        let mut push = |text: &mut String, value: &str| {
            let mut end = value.len().min(MAX_VALUE_BYTES);
            while !value.is_char_boundary(end) {
                end -= 1;
            }
            text.push_str(&value[..end]);
            ends[slot] = text.len() as u16;
            slot += 1;
        };
        let get = |f: Field| person.get(f).unwrap_or("");
        let first = words(get(Field::FirstName));
        let canon = nicknames::canonical(&first).to_owned();
        push(&mut text, &first);
        push(&mut text, &canon);
        push(&mut text, &words(get(Field::LastName)));
        let email = get(Field::Email).to_lowercase();
        let (local, domain) = match email.rsplit_once('@') {
            Some((local, domain)) => (local.split('+').next().unwrap_or(""), domain),
            None => (email.as_str(), ""),
        };
        push(&mut text, local);
        push(&mut text, domain);
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        push(&mut text, &digits(get(Field::Phone)));
        let birth_raw = get(Field::BirthDate);
        push(&mut text, &digits(birth_raw));
        push(&mut text, &words(get(Field::City)));
        push(&mut text, &compact(get(Field::Postcode)));
        push(&mut text, &company(get(Field::Company)));
        push(&mut text, &words(get(Field::Address)));
        push(&mut text, &compact(get(Field::Country)));
        Record {
            text: text.into_boxed_str(),
            ends,
            birth: parse_date(birth_raw),
        }
    }

    /// The normalized text of `slot` ("" when absent).
    pub(crate) fn get(&self, slot: Slot) -> &str {
        let i = slot as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Heap bytes held (for the memory figures).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.len()
    }
}

/// Lowercase, Latin diacritics folded, letters and digits kept, every run
/// of anything else one space, trimmed.
pub(crate) fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            for l in c.to_lowercase() {
                match fold(l) {
                    Some(f) => out.push_str(f),
                    None => out.push(l),
                }
            }
        } else if c != '\'' && c != '’' {
            // O'Brien is obrien; other punctuation separates words.
            space = true;
        }
    }
    out
}

/// Letters and digits only, lowercased (postcodes, country codes).
fn compact(s: &str) -> String {
    words(s).replace(' ', "")
}

/// A company name without its legal form (`Acme Inc.` is `acme`).
fn company(s: &str) -> String {
    const FORMS: &[&str] = &[
        "inc",
        "ltd",
        "llc",
        "plc",
        "gmbh",
        "co",
        "corp",
        "corporation",
        "company",
        "sa",
        "ag",
        "bv",
        "srl",
        "limited",
        "sarl",
        "oy",
        "ab",
        "as",
        "spa",
    ];
    let w = words(s);
    let mut parts: Vec<&str> = w.split(' ').collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| FORMS.contains(p)) {
        parts.pop();
    }
    parts.join(" ")
}

/// The ASCII letters of a lowercase Latin letter with a diacritic.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' | 'ĺ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' | 'ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        'ð' => "d",
        _ => return None,
    })
}

/// Reads a date of birth: `YYYY-MM-DD` (any separators), `YYYYMMDD`,
/// `DD/MM/YYYY` or `MM/DD/YYYY` (read day first when the first number is
/// over 12 or the separator a dot, month first otherwise: the transposed
/// level matches the other reading), `DDMMYYYY`. `None` when it is not a plausible date.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let num = |p: &str| p.parse::<u32>().ok();
    let (y, a, b) = match parts.as_slice() {
        [one] if one.len() == 8 => {
            let (head, tail) = one.split_at(4);
            if head.starts_with("19") || head.starts_with("20") {
                (num(head)?, num(&tail[..2])?, num(&tail[2..])?)
            } else {
                (num(tail)?, num(&head[..2])?, num(&head[2..])?)
            }
        }
        [y, m, d] if y.len() == 4 => (num(y)?, num(m)?, num(d)?),
        [a, b, y] if y.len() == 4 => {
            let (a, b) = (num(a)?, num(b)?);
            // `03.02.1970` is written day first wherever dots are used.
            if a > 12 || s.contains('.') {
                (num(y)?, b, a)
            } else {
                (num(y)?, a, b)
            }
        }
        _ => return None,
    };
    let (month, day) = if a > 12 && b <= 12 { (b, a) } else { (a, b) };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1800..=2200).contains(&y) {
        return None;
    }
    Some(Date {
        year: y as u16,
        month: month as u8,
        day: day as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        let p = Person::new()
            .with(Field::FirstName, " Bob ")
            .with(Field::LastName, "O'Brien-Müller")
            .with(Field::Email, "Rob.Allen+crm@Smith.NET")
            .with(Field::Phone, "+44 (20) 7183-8750")
            .with(Field::Company, "Acme Widgets, Inc.")
            .with(Field::Postcode, "sw1a 1aa");
        let r = Record::new(&p);
        assert_eq!(r.get(Slot::First), "bob");
        assert_eq!(r.get(Slot::FirstCanon), "robert");
        assert_eq!(r.get(Slot::Last), "obrien muller");
        assert_eq!(r.get(Slot::EmailLocal), "rob.allen");
        assert_eq!(r.get(Slot::EmailDomain), "smith.net");
        assert_eq!(r.get(Slot::Phone), "442071838750");
        assert_eq!(r.get(Slot::Company), "acme widgets");
        assert_eq!(r.get(Slot::Postcode), "sw1a1aa");
        assert_eq!(r.get(Slot::City), "");
        assert_eq!(r.birth, None);
    }

    #[test]
    fn long_values_are_cut_on_a_char_boundary() {
        let p = Person::new().with(Field::LastName, &"é".repeat(500));
        let r = Record::new(&p);
        assert_eq!(r.get(Slot::Last), "e".repeat(200));
        let p = Person::new().with(Field::LastName, &"ж".repeat(500));
        assert_eq!(Record::new(&p).get(Slot::Last).chars().count(), 100);
    }

    #[test]
    fn dates() {
        let d = |y, m, d| {
            Some(Date {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(parse_date("1980-04-03"), d(1980, 4, 3));
        assert_eq!(parse_date("19800403"), d(1980, 4, 3));
        assert_eq!(parse_date("04/03/1980"), d(1980, 4, 3));
        assert_eq!(parse_date("25/03/1980"), d(1980, 3, 25));
        assert_eq!(parse_date("03.04.1980"), d(1980, 4, 3));
        assert_eq!(parse_date("25031980"), d(1980, 3, 25));
        assert_eq!(parse_date("1980-13-40"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("99999999999999999999-1-1"), None);
    }
}
