//! What the host's store already holds, as far as one batch needs to know.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::json::Node;
use crate::object::{Object, Owned};
use crate::phone::PhoneKey;

/// The existing keys the host found for a batch, plus the stored objects a
/// profile renders (the contact being updated, the contact book, the list).
///
/// Its JSON form is the command line's `--existing` file:
/// `{"phones": {"+14155552671": "ct_1"}, "ids": [1, 2], "external_refs":
/// [["crm", "42"]], "contact": {...}, "contact_book": {"contactBookUid": "grp_abc",
/// "name": "Retail Leads"}, "record_list_id": "..."}`, every member optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Existing {
    phones: HashMap<PhoneKey, Node<'static>>,
    ids: HashSet<i64>,
    external_refs: HashSet<(String, String)>,
    /// rasl-update: the stored contact being updated.
    pub contact: Option<Object>,
    /// contact-book: the book the contacts go into.
    pub contact_book: Option<ContactBookInfo>,
    /// record-list: the list the records go into.
    pub record_list_id: Option<String>,
}

/// The contact book of an upload, as the response names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactBookInfo {
    /// e.g. `grp_abc`.
    pub contact_book_uid: String,
    /// e.g. `Retail Leads`.
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExistingFile {
    #[serde(default)]
    phones: HashMap<String, Owned>,
    #[serde(default)]
    ids: Vec<i64>,
    #[serde(default)]
    external_refs: Vec<(String, String)>,
    #[serde(default)]
    contact: Option<Object>,
    #[serde(default)]
    contact_book: Option<ContactBookInfo>,
    #[serde(default)]
    record_list_id: Option<String>,
}

/// The existing-keys JSON is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingError {
    message: String,
}

impl ExistingError {
    /// What is wrong, and where.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ExistingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed existing data: {}", self.message)
    }
}

impl std::error::Error for ExistingError {}

impl Existing {
    /// Nothing exists.
    pub fn new() -> Existing {
        Existing::default()
    }

    /// Reads the JSON form (see the type's docs). Phones must be E.164.
    /// `json` is text or bytes (`&str`, `String`, `&[u8]`, `Vec<u8>`).
    pub fn from_json(json: impl AsRef<[u8]>) -> Result<Existing, ExistingError> {
        let json = json.as_ref();
        // serde reads a struct from a JSON array too (`[]` would be an empty
        // store); the format is an object.
        if json.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ExistingError {
                message: "expected a JSON object such as {\"phones\": {...}}".into(),
            });
        }
        let file: ExistingFile = serde_json::from_slice(json).map_err(|e| ExistingError {
            message: e.to_string(),
        })?;
        let mut existing = Existing {
            contact: file.contact,
            contact_book: file.contact_book,
            record_list_id: file.record_list_id,
            ..Existing::default()
        };
        for (phone, id) in file.phones {
            let key = PhoneKey::from_e164(&phone).ok_or_else(|| ExistingError {
                message: format!(
                    "phone `{phone}` is not in E.164 form (+ and up to 20 digits, no leading 0)"
                ),
            })?;
            existing.phones.insert(key, id.0);
        }
        existing.ids.extend(file.ids);
        existing.external_refs.extend(file.external_refs);
        Ok(existing)
    }

    /// Records that a phone exists, with the stored contact's id (any
    /// JSON value: `"ct_1"`, `42`).
    pub fn add_phone(&mut self, key: PhoneKey, id: impl Into<Node<'static>>) {
        self.phones.insert(key, id.into());
    }

    /// Records that a contact id exists.
    pub fn add_id(&mut self, id: i64) {
        self.ids.insert(id);
    }

    /// Records that an external provider/id pair exists.
    pub fn add_external_ref(&mut self, provider: &str, id: &str) {
        self.external_refs
            .insert((provider.to_owned(), id.to_owned()));
    }

    /// The stored id of a phone, when it exists.
    pub fn phone(&self, key: PhoneKey) -> Option<&Node<'static>> {
        self.phones.get(&key)
    }

    /// True when the id exists.
    pub fn has_id(&self, id: i64) -> bool {
        self.ids.contains(&id)
    }

    /// True when the provider/id pair exists.
    pub fn has_external_ref(&self, provider: &str, id: &str) -> bool {
        // Lookups allocate; pairs are checked once per record, not per byte.
        self.external_refs
            .contains(&(provider.to_owned(), id.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_member() {
        let e = Existing::from_json(
            br#"{"phones":{"+14155552671":"ct_1"},"ids":[1,2],"external_refs":[["crm","9"]],
                "contact_book":{"contactBookUid":"grp_abc","name":"Retail Leads"},"record_list_id":"rl"}"#,
        )
        .unwrap();
        let key = PhoneKey::from_e164("+14155552671").unwrap();
        assert_eq!(e.phone(key), Some(&Node::from("ct_1")));
        assert!(e.has_id(2) && !e.has_id(3));
        assert!(e.has_external_ref("crm", "9"));
        assert_eq!(e.contact_book.unwrap().name, "Retail Leads");
    }

    /// The stored contact keeps the host's member order (not sorted, as a
    /// `serde_json::Map` without `preserve_order` would), and a repeated
    /// key keeps its first place and its last value.
    #[test]
    fn the_contact_keeps_its_member_order() {
        let e =
            Existing::from_json(br#"{"contact":{"zip":"1","id":7,"city":"x","zip":"2"}}"#).unwrap();
        assert_eq!(
            e.contact.unwrap().to_json(),
            r#"{"zip":"2","id":7,"city":"x"}"#
        );
    }

    #[test]
    fn rejects_malformed() {
        assert!(Existing::from_json(br#"{"phones":{"4155552671":"x"}}"#).is_err());
        assert!(Existing::from_json(br#"{"ids":"1"}"#).is_err());
        assert!(Existing::from_json(br#"{"unknown":1}"#).is_err());
        assert!(Existing::from_json(b"[").is_err());
        assert!(Existing::from_json(b"[]").is_err());
        assert!(Existing::from_json(b" [{}, [], [], []]").is_err());
        assert_eq!(Existing::from_json(b"{}").unwrap(), Existing::new());
    }
}
