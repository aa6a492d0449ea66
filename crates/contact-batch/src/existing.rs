//! What the host's store already holds, as far as one batch needs to know.
//!
//! The JSON form (the command line's `--existing` file) is read as a stream
//! ([`Existing::from_reader`]): each phone goes straight into a compact
//! sorted table as it is parsed, so neither the file nor a map of its
//! strings is ever held whole, and the number of keys is bounded
//! ([`DEFAULT_MAX_KEYS`], or a caller's limit) with a clear error.
//!
//! Measured (benches/README.md, "Existing keys"): 1M phones took 403-439 MB
//! of peak RSS read whole into a `HashMap<String, _>`, then a
//! `HashMap<PhoneKey, Node>`; the stream into [`PhoneIds`] takes a fraction.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

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
    phones: PhoneIds,
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

/// Keys an existing file may hold (phones, ids and external refs together)
/// unless the caller sets its own limit: 20 million, about 1.5 GB of memory
/// with string ids, far more than any one batch is checked against.
pub const DEFAULT_MAX_KEYS: usize = 20_000_000;

/// The store's phones and the ids they are stored under, compactly.
///
/// Most phones come from a file, all at once: they are kept in a vector
/// sorted by key (a key of up to 19 digits as a `u64`: 8 bytes and the id,
/// no hash table's slack), found by binary search; the rare 20-digit key
/// and phones added one by one ([`Existing::add_phone`]) go to a hash map.
/// A phone given twice keeps its last id, as a JSON object's last member
/// wins.
#[derive(Debug, Clone, Default, PartialEq)]
struct PhoneIds {
    sorted: Vec<(u64, Node<'static>)>,
    other: HashMap<PhoneKey, Node<'static>>,
}

impl PhoneIds {
    fn get(&self, key: PhoneKey) -> Option<&Node<'static>> {
        if let Some(id) = self.other.get(&key) {
            return Some(id);
        }
        let small = u64::try_from(key.get()).ok()?;
        let at = self.sorted.binary_search_by_key(&small, |(k, _)| *k).ok()?;
        Some(&self.sorted[at].1)
    }

    /// Adds a phone read from a file; [`PhoneIds::seal`] sorts them.
    fn push(&mut self, key: PhoneKey, id: Node<'static>) {
        match u64::try_from(key.get()) {
            Ok(small) => self.sorted.push((small, id)),
            Err(_) => {
                self.other.insert(key, id);
            }
        }
    }

    /// Sorts the phones pushed, the last id of a repeated phone kept.
    fn seal(&mut self) {
        // In place (no second table at the peak). Stable: equal keys stay
        // in file order; reversed, the last of them comes first and is
        // the one `dedup_by_key` keeps.
        self.sorted.sort_by_key(|(k, _)| *k);
        self.sorted.reverse();
        self.sorted.dedup_by_key(|(k, _)| *k);
        self.sorted.reverse();
        self.sorted.shrink_to_fit();
    }

    fn insert(&mut self, key: PhoneKey, id: Node<'static>) {
        if let Ok(small) = u64::try_from(key.get()) {
            if let Ok(at) = self.sorted.binary_search_by_key(&small, |(k, _)| *k) {
                self.sorted[at].1 = id;
                return;
            }
        }
        self.other.insert(key, id);
    }
}

/// Reads the existing file's members into an [`Existing`], counting keys
/// against `max_keys`.
struct FileSeed {
    max_keys: usize,
}

impl<'de> DeserializeSeed<'de> for FileSeed {
    type Value = Existing;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Existing, D::Error> {
        d.deserialize_map(self)
    }
}

/// The members of the existing file, in one place: a new member is one
/// more arm here (and a field of [`Existing`]).
const MEMBERS: &[&str] = &[
    "phones",
    "ids",
    "external_refs",
    "contact",
    "contact_book",
    "record_list_id",
];

impl<'de> Visitor<'de> for FileSeed {
    type Value = Existing;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object such as {\"phones\": {...}}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Existing, A::Error> {
        let mut existing = Existing::default();
        let mut keys = Keys {
            count: 0,
            max: self.max_keys,
        };
        let mut seen: Vec<String> = Vec::new();
        while let Some(member) = map.next_key::<String>()? {
            if seen.contains(&member) {
                return Err(de::Error::custom(format_args!(
                    "duplicate field `{member}`"
                )));
            }
            match member.as_str() {
                "phones" => map.next_value_seed(PhonesSeed {
                    phones: &mut existing.phones,
                    keys: &mut keys,
                })?,
                "ids" => map.next_value_seed(ListSeed {
                    keys: &mut keys,
                    add: |id: i64| {
                        existing.ids.insert(id);
                    },
                    item: std::marker::PhantomData,
                })?,
                "external_refs" => map.next_value_seed(ListSeed {
                    keys: &mut keys,
                    add: |(provider, id): (String, String)| {
                        existing.external_refs.insert((provider, id));
                    },
                    item: std::marker::PhantomData,
                })?,
                "contact" => existing.contact = map.next_value()?,
                "contact_book" => existing.contact_book = map.next_value()?,
                "record_list_id" => existing.record_list_id = map.next_value()?,
                other => return Err(de::Error::unknown_field(other, MEMBERS)),
            }
            seen.push(member);
        }
        existing.phones.seal();
        Ok(existing)
    }
}

/// Keys read so far against the limit.
struct Keys {
    count: usize,
    max: usize,
}

impl Keys {
    fn one_more<E: de::Error>(&mut self) -> Result<(), E> {
        self.count += 1;
        if self.count > self.max {
            return Err(E::custom(format_args!(
                "more than {} keys (phones, ids and external refs together): the limit of \
                 existing keys",
                self.max
            )));
        }
        Ok(())
    }
}

/// `phones`: each member straight into the table, never a map of strings.
struct PhonesSeed<'a> {
    phones: &'a mut PhoneIds,
    keys: &'a mut Keys,
}

impl<'de> DeserializeSeed<'de> for PhonesSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PhonesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of E.164 phones and their ids")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Borrowed when the input allows it (no copy), owned otherwise.
        while let Some(phone) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            self.keys.one_more()?;
            let key = PhoneKey::from_e164(&phone).ok_or_else(|| {
                de::Error::custom(format_args!(
                    "phone `{phone}` is not in E.164 form (+ and up to 20 digits, no leading 0)"
                ))
            })?;
            let id: Owned = map.next_value()?;
            self.phones.push(key, id.0);
        }
        Ok(())
    }
}

/// A JSON array whose elements (`T`) are added one by one, each counted.
struct ListSeed<'a, T, F> {
    keys: &'a mut Keys,
    add: F,
    item: std::marker::PhantomData<T>,
}

impl<'de, T: Deserialize<'de>, F: FnMut(T)> DeserializeSeed<'de> for ListSeed<'_, T, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>, F: FnMut(T)> Visitor<'de> for ListSeed<'_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<T>()? {
            self.keys.one_more()?;
            (self.add)(item);
        }
        Ok(())
    }
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
    /// At most [`DEFAULT_MAX_KEYS`] keys.
    pub fn from_json(json: impl AsRef<[u8]>) -> Result<Existing, ExistingError> {
        Existing::from_json_with_limit(json, DEFAULT_MAX_KEYS)
    }

    /// [`Existing::from_json`] with at most `max_keys` phones, ids and
    /// external refs together.
    pub fn from_json_with_limit(
        json: impl AsRef<[u8]>,
        max_keys: usize,
    ) -> Result<Existing, ExistingError> {
        let json = json.as_ref();
        // serde reads a struct from a JSON array too (`[]` would be an empty
        // store); the format is an object.
        if json.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ExistingError {
                message: "expected a JSON object such as {\"phones\": {...}}".into(),
            });
        }
        let mut de = serde_json::Deserializer::from_slice(json);
        Existing::read(&mut de, max_keys)
    }

    /// Reads the JSON form from `reader` as it arrives (a file of any size:
    /// it is never held whole), with at most `max_keys` keys.
    pub fn from_reader(
        reader: impl std::io::Read,
        max_keys: usize,
    ) -> Result<Existing, ExistingError> {
        let mut de = serde_json::Deserializer::from_reader(reader);
        Existing::read(&mut de, max_keys)
    }

    fn read<'de, R: serde_json::de::Read<'de>>(
        de: &mut serde_json::Deserializer<R>,
        max_keys: usize,
    ) -> Result<Existing, ExistingError> {
        let error = |e: serde_json::Error| ExistingError {
            message: e.to_string(),
        };
        let existing = FileSeed { max_keys }.deserialize(&mut *de).map_err(error)?;
        de.end().map_err(error)?;
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
        self.phones.get(key)
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
    fn streams_phones_into_a_compact_table_with_a_limit() {
        // Issue 33.3: the file was read whole into a map of strings (~400
        // bytes a phone) with no limit.
        let json = br#"{"phones":{"+14155552671":"a","+442071838750":7,"+14155552671":"b",
                       "+99999999999999999999":"long"},"ids":[1,2],"external_refs":[["p","1"]]}"#;
        let whole = Existing::from_json(json).unwrap();
        let streamed = Existing::from_reader(&json[..], 7).unwrap();
        assert_eq!(whole, streamed);
        let key = |s: &str| PhoneKey::from_e164(s).unwrap();
        // A phone given twice keeps its last id, as a JSON object's last
        // member wins.
        assert_eq!(whole.phone(key("+14155552671")), Some(&Node::from("b")));
        assert_eq!(whole.phone(key("+442071838750")), Some(&Node::from(7i64)));
        assert_eq!(
            whole.phone(key("+99999999999999999999")),
            Some(&Node::from("long"))
        );
        assert_eq!(whole.phone(key("+14155552672")), None);
        assert_eq!(whole.phones.sorted.len(), 2);
        // 8 keys in all (a repeated phone counts each time it is read).
        let e = Existing::from_reader(&json[..], 6).unwrap_err();
        assert!(
            e.message()
                .starts_with("more than 6 keys (phones, ids and external refs together)"),
            "{e}"
        );
        assert!(Existing::from_json_with_limit(json, 7).is_ok());
        // Added one by one, after a file: found, and replacing.
        let mut e = whole;
        e.add_phone(key("+14155552672"), "c");
        e.add_phone(key("+14155552671"), "d");
        assert_eq!(e.phone(key("+14155552672")), Some(&Node::from("c")));
        assert_eq!(e.phone(key("+14155552671")), Some(&Node::from("d")));
        // Trailing data and a second member of the same name are errors.
        assert!(Existing::from_reader(&b"{} x"[..], 10).is_err());
        assert!(Existing::from_json(br#"{"ids":[1],"ids":[2]}"#).is_err());
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
