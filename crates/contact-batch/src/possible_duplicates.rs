//! Possible duplicates of a batch's rows, when
//! [`Config::possible_duplicates`](crate::Config::possible_duplicates) is
//! on: each valid row's normalized contact becomes a matching [`Person`],
//! the [`matching`](crate::matching) model scores the blocked pairs among
//! them, and each row's outcome lists the others at or above the
//! threshold ([`RowOutcome::possible_duplicates`]).
//!
//! Apart from the API's response on purpose: the rendered body and the
//! API's own duplicates (the same phone key) are what they were; this only
//! fills the typed outcome. Off, it costs one branch per batch.

use crate::contact::Contact;
use crate::matching::{Field, Matcher, Pair, Person, Records, MAX_LISTED};
use crate::outcome::{Outcome, PossibleDuplicate, RowOutcome};
use crate::profile::PreparedBatch;
use crate::rules::Rules;

/// The custom fields (contact-book `customFields`, record-list
/// `extra_data`) read as a date of birth, compared without case and
/// punctuation (`birth_date`, `dateOfBirth`, `DOB`, ...).
const BIRTH_DATE_KEYS: &[&str] = &["birthdate", "dateofbirth", "dob", "birthday"];

/// A contact as matching sees it: first and last name (a display name
/// alone is split: its last word the last name, the rest the first
/// name), email, primary phone (E.164), company, street address, city,
/// zip, and a date of birth from a custom field of one of
/// [`BIRTH_DATE_KEYS`]'s names. A field the profile does not have stays
/// missing, and a missing field neither agrees nor disagrees: a contact
/// without names still matches on its email or phone.
pub(crate) fn person_of(contact: &Contact) -> Person {
    let mut p = Person::new();
    let mut set = |field: Field, value: Option<&str>| {
        if let Some(v) = value {
            p.set(field, v);
        }
    };
    match (
        &contact.first_name,
        &contact.last_name,
        &contact.display_name,
    ) {
        (None, None, Some(display)) => {
            let display = display.trim();
            match display.rsplit_once(' ') {
                Some((first, last)) => {
                    set(Field::FirstName, Some(first));
                    set(Field::LastName, Some(last));
                }
                None => set(Field::FirstName, Some(display)),
            }
        }
        (first, last, _) => {
            set(Field::FirstName, first.as_deref());
            set(Field::LastName, last.as_deref());
        }
    }
    set(Field::Email, contact.email.as_deref());
    set(
        Field::Phone,
        contact.phones.first().map(|phone| phone.e164.as_str()),
    );
    set(Field::Company, contact.company.as_deref());
    set(Field::Address, contact.address.as_deref());
    set(Field::City, contact.city.as_deref());
    set(Field::Postcode, contact.zip.as_deref());
    let birth = contact.custom_fields.iter().find_map(|(key, value)| {
        let key: String = key
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        BIRTH_DATE_KEYS
            .contains(&key.as_str())
            .then(|| value.as_str())
            .flatten()
    });
    set(Field::BirthDate, birth);
    p
}

/// Each row's possible duplicates, by row index (`rows` lists), or `None`
/// when matching is off.
pub(crate) fn find(rules: &Rules, batch: &PreparedBatch) -> Option<Vec<Vec<PossibleDuplicate>>> {
    let matcher = rules.matcher.as_ref()?;
    Some(of_rows(rules, matcher, &batch.valid_contacts()))
}

/// The possible duplicates among `valid` (each valid row's index and
/// contact), indexed by row.
fn of_rows(
    rules: &Rules,
    matcher: &Matcher,
    valid: &[(usize, &Contact)],
) -> Vec<Vec<PossibleDuplicate>> {
    let rows = valid.iter().map(|(i, _)| i + 1).max().unwrap_or(0);
    let mut lists: Vec<Vec<PossibleDuplicate>> = vec![Vec::new(); rows];
    if valid.len() < 2 {
        return lists;
    }
    let mut records = Records::new();
    for (_, contact) in valid {
        records.push(&person_of(contact));
    }
    let (pairs, _) = matcher.pairs_on(rules.pool(), &records, records.len());
    for Pair {
        a,
        b,
        score,
        reasons,
    } in pairs
    {
        let (ra, rb) = (valid[a].0, valid[b].0);
        for (me, other) in [(ra, rb), (rb, ra)] {
            lists[me].push(PossibleDuplicate {
                row: Some(other),
                id: None,
                score,
                reasons: reasons.clone(),
            });
        }
    }
    for list in &mut lists {
        // Best first; ties: earlier rows first.
        list.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.row.cmp(&y.row)));
        list.truncate(MAX_LISTED);
    }
    lists
}

/// Puts each row's possible duplicates into its outcome.
pub(crate) fn attach(outcome: &mut Outcome, mut found: Vec<Vec<PossibleDuplicate>>) {
    for RowOutcome {
        index,
        possible_duplicates,
        ..
    } in &mut outcome.rows
    {
        if let Some(list) = found.get_mut(*index) {
            *possible_duplicates = std::mem::take(list);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::ContactPhone;
    use crate::json::Node;
    use crate::phone::NumberType;

    #[test]
    fn a_contact_maps_onto_a_person() {
        let mut c = Contact {
            first_name: Some("Rob".into()),
            last_name: Some("Allen".into()),
            email: Some("rob@smith.net".into()),
            company: Some("Acme".into()),
            address: Some("1 Main St".into()),
            city: Some("Springfield".into()),
            zip: Some("12345".into()),
            display_name: Some("Robbie".into()),
            ..Contact::default()
        };
        c.phones.push(ContactPhone {
            e164: "+14155552671".into(),
            label: None,
            region: Some("US".into()),
            number_type: NumberType::Mobile,
            extension: None,
        });
        c.custom_fields
            .insert("Date of Birth", Node::Str("1980-04-03".into()));
        let p = person_of(&c);
        assert_eq!(p.get(Field::FirstName), Some("Rob"));
        assert_eq!(p.get(Field::LastName), Some("Allen"));
        assert_eq!(p.get(Field::Email), Some("rob@smith.net"));
        assert_eq!(p.get(Field::Phone), Some("+14155552671"));
        assert_eq!(p.get(Field::Company), Some("Acme"));
        assert_eq!(p.get(Field::Address), Some("1 Main St"));
        assert_eq!(p.get(Field::City), Some("Springfield"));
        assert_eq!(p.get(Field::Postcode), Some("12345"));
        assert_eq!(p.get(Field::BirthDate), Some("1980-04-03"));
        assert_eq!(p.get(Field::Country), None);
        // A display name alone is split; no name at all is no name.
        let d = Contact {
            display_name: Some("Mary Ann Lee".into()),
            ..Contact::default()
        };
        let p = person_of(&d);
        assert_eq!(p.get(Field::FirstName), Some("Mary Ann"));
        assert_eq!(p.get(Field::LastName), Some("Lee"));
        assert_eq!(person_of(&Contact::default()), Person::new());
    }
}
