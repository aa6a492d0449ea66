//! An owned JSON object whose members keep their order: what the engine
//! renders (custom fields, echoed rows, grouped errors) and what a host's
//! existing contact holds.
//!
//! The order of an object's members is part of a response's bytes, so it
//! is the engine's own: it never depends on whether some crate in the
//! build turned on serde_json's `preserve_order` feature (which changes
//! `serde_json::Map` from sorted to insertion order for every crate).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::json::Node;

/// An owned JSON object: members in insertion order, keys unique. Setting
/// a key already present replaces its value in place.
///
/// ```
/// use contact_batch::{Node, Object};
/// let mut o = Object::new();
/// o.insert("zeta", Node::from("last"));
/// o.insert("alpha", Node::from(1_i64));
/// o.insert("zeta", Node::from("replaced"));
/// assert_eq!(o.to_json(), r#"{"zeta":"replaced","alpha":1}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object {
    members: Vec<(Cow<'static, str>, Node<'static>)>,
}

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object::default()
    }

    /// Sets `key` to `value`, keeping the key's place when it is already
    /// there; returns the value it replaced.
    pub fn insert(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: Node<'static>,
    ) -> Option<Node<'static>> {
        let key = key.into();
        match self.members.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.members.push((key, value));
                None
            }
        }
    }

    /// The value of `key`, when present.
    pub fn get(&self, key: &str) -> Option<&Node<'static>> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The value of `key`, set to `default()` first when absent.
    pub(crate) fn get_or_insert_with(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        default: impl FnOnce() -> Node<'static>,
    ) -> &mut Node<'static> {
        let key = key.into();
        let at = match self.members.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                self.members.push((key, default()));
                self.members.len() - 1
            }
        };
        &mut self.members[at].1
    }

    /// How many members the object has.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node<'static>)> {
        self.members.iter().map(|(k, v)| (&**k, v))
    }

    /// Serializes to compact JSON, members in order.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

impl From<Object> for Node<'static> {
    fn from(o: Object) -> Node<'static> {
        Node::Object(o.members)
    }
}

/// `object["key"]`: the member's value; panics when the key is absent,
/// as indexing a `serde_json::Map` does.
impl std::ops::Index<&str> for Object {
    type Output = Node<'static>;
    fn index(&self, key: &str) -> &Node<'static> {
        self.get(key)
            .unwrap_or_else(|| panic!("no member `{key}` in the object"))
    }
}

impl<'o> IntoIterator for &'o Object {
    type Item = (&'o str, &'o Node<'static>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'o, (Cow<'static, str>, Node<'static>)>,
        fn(&'o (Cow<'static, str>, Node<'static>)) -> (&'o str, &'o Node<'static>),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.members.iter().map(|(k, v)| (&**k, v))
    }
}

impl<K: Into<Cow<'static, str>>> FromIterator<(K, Node<'static>)> for Object {
    /// Collects members; a repeated key keeps its first place and its last
    /// value.
    fn from_iter<I: IntoIterator<Item = (K, Node<'static>)>>(iter: I) -> Object {
        let mut o = Object::new();
        for (k, v) in iter {
            o.insert(k, v);
        }
        o
    }
}

impl Serialize for Object {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.members.len()))?;
        for (k, v) in &self.members {
            map.serialize_entry(k.as_ref(), v)?;
        }
        map.end()
    }
}

/// Read as a host's JSON is read: a repeated key keeps its first place and
/// its last value, numbers as serde_json reads them (`-0.0` stays a float);
/// anything but an object is refused as `serde_json::Map` refuses it.
impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Object, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_unit<E>(self) -> Result<Object, E> {
                Ok(Object::new())
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object, A::Error> {
                read_members(map)
            }
        }
        d.deserialize_map(ObjectVisitor)
    }
}

fn read_members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Object, A::Error> {
    let mut o = Object::new();
    while let Some((k, Owned(v))) = map.next_entry::<String, Owned>()? {
        o.insert(k, v);
    }
    Ok(o)
}

/// Any JSON value read into an owned [`Node`], as a host's existing keys
/// are read (repeated keys allowed, see [`Object`]'s `Deserialize`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Owned(pub(crate) Node<'static>);

impl<'de> Deserialize<'de> for Owned {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Owned, D::Error> {
        d.deserialize_any(OwnedVisitor).map(Owned)
    }
}

struct OwnedVisitor;

impl<'de> Visitor<'de> for OwnedVisitor {
    type Value = Node<'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node<'static>, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node<'static>, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node<'static>, D::Error> {
        Owned::deserialize(d).map(|o| o.0)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node<'static>, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node<'static>, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node<'static>, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node<'static>, E> {
        // As serde_json::Value: a float JSON cannot hold is null.
        Ok(crate::json::Number::from_f64(v).map_or(Node::Null, Node::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node<'static>, E> {
        Ok(Node::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node<'static>, E> {
        Ok(Node::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'static>, A::Error> {
        let mut items = Vec::new();
        while let Some(Owned(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Node<'static>, A::Error> {
        read_members(map).map(Node::from)
    }
}

impl From<&str> for Node<'static> {
    fn from(s: &str) -> Node<'static> {
        Node::Str(Cow::Owned(s.to_owned()))
    }
}

impl From<String> for Node<'static> {
    fn from(s: String) -> Node<'static> {
        Node::Str(Cow::Owned(s))
    }
}

impl From<i64> for Node<'static> {
    fn from(n: i64) -> Node<'static> {
        Node::Number(n.into())
    }
}

impl From<u64> for Node<'static> {
    fn from(n: u64) -> Node<'static> {
        Node::Number(n.into())
    }
}

impl From<bool> for Node<'static> {
    fn from(b: bool) -> Node<'static> {
        Node::Bool(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_insertion_order_not_alphabetical() {
        let o: Object = [("b", Node::from(1_i64)), ("a", Node::from(2_i64))]
            .into_iter()
            .collect();
        assert_eq!(o.to_json(), r#"{"b":1,"a":2}"#);
        assert_eq!(
            serde_json::to_string(&Node::from(o)).unwrap(),
            r#"{"b":1,"a":2}"#
        );
    }

    #[test]
    fn reads_as_serde_json_value_reads_with_preserve_order() {
        let o: Object =
            serde_json::from_str(r#"{"z": -0.0, "a": [1, "x", {"q": null, "p": true}], "z": 5}"#)
                .unwrap();
        assert_eq!(o.to_json(), r#"{"z":5,"a":[1,"x",{"q":null,"p":true}]}"#);
        let o: Object = serde_json::from_str(r#"{"n": -0.0, "f": 1.50}"#).unwrap();
        assert_eq!(o.to_json(), r#"{"n":-0.0,"f":1.5}"#);
        // Refused in serde_json::Map's words.
        for bad in ["[1]", "5", "\"x\""] {
            let ours = serde_json::from_str::<Object>(bad).unwrap_err().to_string();
            let theirs = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(bad)
                .unwrap_err()
                .to_string();
            assert_eq!(ours, theirs);
        }
    }
}
