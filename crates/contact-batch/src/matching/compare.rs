//! Field comparisons with graded levels: how two records agree on each
//! field, from "exact" down to "else" (they disagree).
//!
//! String similarity is Jaro-Winkler from the `strsim` crate, with the
//! thresholds Splink's examples use for names (0.92 and 0.80); short
//! codes (postcodes, phone digits) use the optimal-string-alignment
//! distance (an edit or one transposition).

use strsim::{jaro_winkler, osa_distance};

use super::person::{Field, Record, Slot, FIELDS};

/// The levels of each field, best first; a comparison's level `k >= 1` is
/// `levels(field)[k - 1]`, level 0 is "null" (a side has no value: no
/// evidence either way). The last level of every field is `else`.
pub fn levels(field: Field) -> &'static [&'static str] {
    match field {
        Field::FirstName => &[
            "exact", "nickname", "swapped", "jw_0.92", "jw_0.80", "initial", "else",
        ],
        Field::LastName => &["exact", "swapped", "jw_0.92", "jw_0.80", "else"],
        Field::Email => &["exact", "same_local_part", "similar_local_part", "else"],
        Field::Phone => &["exact", "same_subscriber", "one_digit_off", "else"],
        Field::BirthDate => &["exact", "transposed_day_month", "one_field_off", "else"],
        Field::City | Field::Company | Field::Address => &["exact", "jw_0.92", "jw_0.80", "else"],
        Field::Postcode => &["exact", "one_edit", "else"],
        Field::Country => &["exact", "else"],
    }
}

/// The level of every field for one pair (0: null).
pub type Vector = [u8; FIELDS];

/// The level index (1-based) of `name` in `field`'s levels.
fn at(field: Field, name: &str) -> u8 {
    levels(field)
        .iter()
        .position(|l| *l == name)
        .map(|i| i as u8 + 1)
        .expect("a level of the field")
}

/// Compares two records field by field. Symmetric: `compare(a, b) ==
/// compare(b, a)`.
pub(crate) fn compare(a: &Record, b: &Record) -> Vector {
    let mut v = [0u8; FIELDS];
    v[Field::FirstName.index()] = first_name(a, b);
    v[Field::LastName.index()] = last_name(a, b);
    v[Field::Email.index()] = email(a, b);
    v[Field::Phone.index()] = phone(a.get(Slot::Phone), b.get(Slot::Phone));
    v[Field::BirthDate.index()] = birth_date(a, b);
    for (field, slot) in [
        (Field::City, Slot::City),
        (Field::Company, Slot::Company),
        (Field::Address, Slot::Address),
    ] {
        v[field.index()] = similar(field, a.get(slot), b.get(slot));
    }
    v[Field::Postcode.index()] = postcode(a.get(Slot::Postcode), b.get(Slot::Postcode));
    v[Field::Country.index()] = match (a.get(Slot::Country), b.get(Slot::Country)) {
        ("", _) | (_, "") => 0,
        (x, y) if x == y => 1,
        _ => 2,
    };
    v
}

/// Jaro-Winkler bands shared by the names and the free-text fields.
fn jw_band(field: Field, x: &str, y: &str) -> Option<u8> {
    let s = jaro_winkler(x, y);
    if s >= 0.92 {
        Some(at(field, "jw_0.92"))
    } else if s >= 0.80 {
        Some(at(field, "jw_0.80"))
    } else {
        None
    }
}

fn first_name(a: &Record, b: &Record) -> u8 {
    let f = Field::FirstName;
    let (x, y) = (a.get(Slot::First), b.get(Slot::First));
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    if x == y {
        return at(f, "exact");
    }
    if a.get(Slot::FirstCanon) == b.get(Slot::FirstCanon) {
        return at(f, "nickname");
    }
    if swapped(a, b) {
        return at(f, "swapped");
    }
    if let Some(level) = jw_band(f, x, y) {
        return level;
    }
    // "J" and "John", "J." and "Jane": one side is only an initial.
    let initial = |i: &str, n: &str| i.chars().count() == 1 && n.starts_with(i);
    if initial(x, y) || initial(y, x) {
        return at(f, "initial");
    }
    at(f, "else")
}

/// First and last names exchanged (both present on both sides).
fn swapped(a: &Record, b: &Record) -> bool {
    let (af, al, bf, bl) = (
        a.get(Slot::First),
        a.get(Slot::Last),
        b.get(Slot::First),
        b.get(Slot::Last),
    );
    !af.is_empty() && !al.is_empty() && af != al && af == bl && al == bf
}

fn last_name(a: &Record, b: &Record) -> u8 {
    let f = Field::LastName;
    let (x, y) = (a.get(Slot::Last), b.get(Slot::Last));
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    if x == y {
        return at(f, "exact");
    }
    if swapped(a, b) {
        return at(f, "swapped");
    }
    jw_band(f, x, y).unwrap_or_else(|| at(f, "else"))
}

fn email(a: &Record, b: &Record) -> u8 {
    let f = Field::Email;
    let (xl, yl) = (a.get(Slot::EmailLocal), b.get(Slot::EmailLocal));
    if xl.is_empty() || yl.is_empty() {
        return 0;
    }
    let (xd, yd) = (a.get(Slot::EmailDomain), b.get(Slot::EmailDomain));
    if xl == yl && xd == yd {
        return at(f, "exact");
    }
    if xl == yl {
        return at(f, "same_local_part");
    }
    if xd == yd && jaro_winkler(xl, yl) >= 0.88 {
        return at(f, "similar_local_part");
    }
    at(f, "else")
}

/// The last `n` digits of `d` (all of them when shorter).
fn tail(d: &str, n: usize) -> &str {
    &d[d.len().saturating_sub(n)..]
}

fn phone(x: &str, y: &str) -> u8 {
    let f = Field::Phone;
    if x.len() < 5 || y.len() < 5 {
        return 0;
    }
    // The national significant number: `+44 20 7183 8750` and `020 7183
    // 8750` share their last nine digits.
    if x == y || (x.len() >= 9 && y.len() >= 9 && tail(x, 9) == tail(y, 9)) {
        return at(f, "exact");
    }
    if x.len() >= 7 && y.len() >= 7 && tail(x, 7) == tail(y, 7) {
        return at(f, "same_subscriber");
    }
    if osa_distance(tail(x, 9), tail(y, 9)) <= 1 {
        return at(f, "one_digit_off");
    }
    at(f, "else")
}

fn birth_date(a: &Record, b: &Record) -> u8 {
    let f = Field::BirthDate;
    match (a.birth, b.birth) {
        (Some(x), Some(y)) => {
            if x == y {
                at(f, "exact")
            } else if x.year == y.year && x.month == y.day && x.day == y.month {
                at(f, "transposed_day_month")
            } else if u8::from(x.year == y.year)
                + u8::from(x.month == y.month)
                + u8::from(x.day == y.day)
                == 2
            {
                at(f, "one_field_off")
            } else {
                at(f, "else")
            }
        }
        _ => {
            // Not dates: their digits, compared exactly.
            let (x, y) = (a.get(Slot::BirthRaw), b.get(Slot::BirthRaw));
            if x.is_empty() || y.is_empty() {
                0
            } else if x == y {
                at(f, "exact")
            } else {
                at(f, "else")
            }
        }
    }
}

fn similar(field: Field, x: &str, y: &str) -> u8 {
    if x.is_empty() || y.is_empty() {
        0
    } else if x == y {
        at(field, "exact")
    } else {
        jw_band(field, x, y).unwrap_or_else(|| at(field, "else"))
    }
}

fn postcode(x: &str, y: &str) -> u8 {
    let f = Field::Postcode;
    if x.is_empty() || y.is_empty() {
        0
    } else if x == y {
        at(f, "exact")
    } else if osa_distance(x, y) <= 1 {
        at(f, "one_edit")
    } else {
        at(f, "else")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::person::Person;

    fn level(field: Field, a: &Person, b: &Person) -> &'static str {
        let v = compare(&Record::new(a), &Record::new(b));
        match v[field.index()] {
            0 => "null",
            k => levels(field)[k as usize - 1],
        }
    }

    fn p(pairs: &[(Field, &str)]) -> Person {
        pairs.iter().fold(Person::new(), |p, (f, v)| p.with(*f, v))
    }

    #[test]
    fn names() {
        use Field::*;
        let a = p(&[(FirstName, "Robert"), (LastName, "Allen")]);
        assert_eq!(level(FirstName, &a, &p(&[(FirstName, "Bob")])), "nickname");
        assert_eq!(level(FirstName, &a, &p(&[(FirstName, "robert")])), "exact");
        assert_eq!(
            level(FirstName, &a, &p(&[(FirstName, "Robret")])),
            "jw_0.92"
        );
        assert_eq!(level(FirstName, &a, &p(&[(FirstName, "R.")])), "initial");
        assert_eq!(level(FirstName, &a, &p(&[(FirstName, "Zoe")])), "else");
        assert_eq!(level(FirstName, &a, &p(&[])), "null");
        assert_eq!(level(LastName, &a, &p(&[(LastName, "Alen")])), "jw_0.92");
        let b = p(&[(FirstName, "Allen"), (LastName, "Robert")]);
        assert_eq!(level(FirstName, &a, &b), "swapped");
        assert_eq!(level(LastName, &a, &b), "swapped");
    }

    #[test]
    fn emails_phones_dates_places() {
        use Field::*;
        let a = p(&[
            (Email, "roberta25@smith.net"),
            (Phone, "+44 20 7183 8750"),
            (BirthDate, "1980-04-03"),
            (Postcode, "SW1A 1AA"),
            (City, "London"),
        ]);
        let lv = |f, v| level(f, &a, &p(&[(f, v)]));
        assert_eq!(lv(Email, "Roberta25@Smith.net"), "exact");
        assert_eq!(lv(Email, "roberta25@gmail.com"), "same_local_part");
        assert_eq!(lv(Email, "roberta52@smith.net"), "similar_local_part");
        assert_eq!(lv(Email, "zed@smith.net"), "else");
        assert_eq!(lv(Phone, "020 7183 8750"), "exact");
        assert_eq!(lv(Phone, "+44 161 7183 8750"), "same_subscriber");
        assert_eq!(lv(Phone, "020 7183 8751"), "one_digit_off");
        assert_eq!(lv(Phone, "12"), "null");
        assert_eq!(lv(BirthDate, "04/03/1980"), "exact");
        assert_eq!(lv(BirthDate, "03.04.1980"), "exact");
        assert_eq!(lv(BirthDate, "1980-03-04"), "transposed_day_month");
        assert_eq!(lv(BirthDate, "1981-04-03"), "one_field_off");
        assert_eq!(lv(BirthDate, "1970-01-01"), "else");
        assert_eq!(lv(Postcode, "SW1A1AB"), "one_edit");
        assert_eq!(lv(City, "london "), "exact");
        assert_eq!(lv(City, "Londn"), "jw_0.92");
    }

    #[test]
    fn every_level_name_is_unique_and_ends_in_else() {
        for f in Field::ALL {
            let l = levels(f);
            assert_eq!(l.last(), Some(&"else"), "{f:?}");
            let set: std::collections::HashSet<_> = l.iter().collect();
            assert_eq!(set.len(), l.len());
        }
    }
}
