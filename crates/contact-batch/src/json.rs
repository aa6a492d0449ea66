//! A borrowed JSON tree for request bodies.
//!
//! `serde_json::Value` silently keeps the last of two equal keys and sorts or
//! copies every string; [`Node`] keeps object members in order, borrows
//! strings from the body where it can, and refuses duplicate keys (a request
//! that says `"phone"` twice is ambiguous, so it is an error, not a guess).
//! Nesting is bounded by serde_json's recursion limit (128 levels), so a
//! 100,000-deep body is an error, not a stack overflow.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// One JSON value, borrowing its strings from the input where possible.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as serde_json reads it (i64, u64 or f64).
    Number(serde_json::Number),
    /// A string.
    Str(Cow<'a, str>),
    /// An array.
    Array(Vec<Node<'a>>),
    /// An object, members in document order, keys unique.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// Why a body is not acceptable JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// A sentence saying what is wrong and where.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parses a whole body. Invalid UTF-8, lone surrogates, numbers out of
/// range, trailing data, duplicate keys and nesting deeper than 128 levels
/// are all errors with a message naming line and column.
pub fn parse(body: &[u8]) -> Result<Node<'_>, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let node = Node::deserialize(&mut de).map_err(describe)?;
    de.end().map_err(describe)?;
    Ok(node)
}

fn describe(e: serde_json::Error) -> JsonError {
    let mut message = e.to_string();
    if message.starts_with("recursion limit exceeded") {
        message = format!(
            "the body is nested deeper than 128 levels (line {} column {})",
            e.line(),
            e.column()
        );
    }
    JsonError { message }
}

impl<'a> Node<'a> {
    /// The member `key` of an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match self {
            Node::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The members, when this is an object.
    pub fn as_object(&self) -> Option<&[(Cow<'a, str>, Node<'a>)]> {
        match self {
            Node::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements, when this is an array.
    pub fn as_array(&self) -> Option<&[Node<'a>]> {
        match self {
            Node::Array(a) => Some(a),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    /// An integer value: a JSON integer, or a float with no fractional part
    /// that fits (`5.0`), as Laravel's `integer` rule accepts. Strings are
    /// not integers.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Node::Number(n) => n.as_i64().or_else(|| {
                let f = n.as_f64()?;
                (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
            }),
            _ => None,
        }
    }

    /// The JSON type name with an article, for messages: "a string", "an array".
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::Str(_) => "a string",
            Node::Array(_) => "an array",
            Node::Object(_) => "an object",
        }
    }

    /// Serializes to compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "null".to_owned())
    }

    /// Converts into an owned `serde_json::Value` (member order is kept only
    /// when serde_json's `preserve_order` feature is on).
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Node::Null => serde_json::Value::Null,
            Node::Bool(b) => serde_json::Value::Bool(*b),
            Node::Number(n) => serde_json::Value::Number(n.clone()),
            Node::Str(s) => serde_json::Value::String(s.to_string()),
            Node::Array(a) => serde_json::Value::Array(a.iter().map(Node::to_value).collect()),
            Node::Object(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// Detaches the tree from the buffer it was parsed from.
    pub fn into_owned(self) -> Node<'static> {
        match self {
            Node::Null => Node::Null,
            Node::Bool(b) => Node::Bool(b),
            Node::Number(n) => Node::Number(n),
            Node::Str(s) => Node::Str(Cow::Owned(s.into_owned())),
            Node::Array(a) => Node::Array(a.into_iter().map(Node::into_owned).collect()),
            Node::Object(m) => Node::Object(
                m.into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect(),
            ),
        }
    }
}

impl Node<'_> {
    /// A detached copy of the tree, made without cloning it first. Object
    /// keys found in `names` (a profile's field names) borrow the static
    /// name instead of allocating a copy.
    pub fn to_detached(&self, names: &[&'static str]) -> Node<'static> {
        match self {
            Node::Null => Node::Null,
            Node::Bool(b) => Node::Bool(*b),
            Node::Number(n) => Node::Number(n.clone()),
            Node::Str(s) => Node::Str(Cow::Owned(String::from(&**s))),
            Node::Array(a) => Node::Array(a.iter().map(|v| v.to_detached(names)).collect()),
            Node::Object(m) => Node::Object(
                m.iter()
                    .map(|(k, v)| {
                        let key = match names.iter().find(|n| **n == &**k) {
                            Some(name) => Cow::Borrowed(*name),
                            None => Cow::Owned(String::from(&**k)),
                        };
                        (key, v.to_detached(names))
                    })
                    .collect(),
            ),
        }
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Number(n) => n.serialize(s),
            Node::Str(v) => s.serialize_str(v),
            Node::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Node::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k.as_ref(), v)?;
                }
                map.end()
            }
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node<'de>, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node<'de>, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node<'de>, E> {
        serde_json::Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        // serde_json gives no size hint for objects; room for 8 members
        // serves most rows with one allocation instead of growing 4 -> 8.
        let mut members: Vec<(Cow<'de, str>, Node<'de>)> =
            Vec::with_capacity(map.size_hint().unwrap_or(8).min(4096));
        let mut seen: Option<std::collections::HashSet<String>> = None;
        while let Some(key) = map.next_key::<KeyStr<'de>>()? {
            let key = key.0;
            let duplicate = match &mut seen {
                Some(set) => !set.insert(key.to_string()),
                None => {
                    let dup = members.iter().any(|(k, _)| *k == key);
                    if members.len() >= 16 {
                        seen = Some(members.iter().map(|(k, _)| k.to_string()).collect());
                        if let Some(set) = &mut seen {
                            set.insert(key.to_string());
                        }
                    }
                    dup
                }
            };
            if duplicate {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let value = map.next_value()?;
            members.push((key, value));
        }
        Ok(Node::Object(members))
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct KeyStr<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for KeyStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<KeyStr<'de>, E> {
                Ok(KeyStr(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyStr<'de>, E> {
                Ok(KeyStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<KeyStr<'de>, E> {
                Ok(KeyStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detached_copy_equals_the_tree_and_borrows_known_names() {
        let body = br#"{"phone":"1","x\u0041":[{"phone":2.5,"n":null}],"e":{},"b":true}"#;
        let node = parse(body).expect("parse");
        let copy = node.to_detached(&["phone", "b"]);
        assert_eq!(copy, node.clone().into_owned());
        assert_eq!(
            serde_json::to_string(&copy).expect("json"),
            serde_json::to_string(&node).expect("json")
        );
        let Node::Object(members) = &copy else {
            panic!("object")
        };
        assert!(matches!(members[0].0, Cow::Borrowed("phone")));
        assert!(matches!(members[1].0, Cow::Owned(_)));
        assert!(matches!(members[3].0, Cow::Borrowed("b")));
    }

    #[test]
    fn keeps_order_and_borrows() {
        let body = br#"{"b":1,"a":"x","c":[true,null]}"#;
        let n = parse(body).unwrap();
        assert_eq!(n.to_json(), r#"{"b":1,"a":"x","c":[true,null]}"#);
        assert!(matches!(n.get("a"), Some(Node::Str(Cow::Borrowed("x")))));
    }

    #[test]
    fn duplicate_keys_rejected_small_and_large() {
        let e = parse(br#"{"a":1,"a":2}"#).unwrap_err();
        assert!(e.message.contains("duplicate key `a`"), "{}", e.message);
        let mut big = String::from("{");
        for i in 0..40 {
            big.push_str(&format!("\"k{i}\":{i},"));
        }
        big.push_str("\"k7\":0}");
        let e = parse(big.as_bytes()).unwrap_err();
        assert!(e.message.contains("duplicate key `k7`"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let body = "[".repeat(100_000);
        let e = parse(body.as_bytes()).unwrap_err();
        assert!(
            e.message.contains("nested deeper than 128"),
            "{}",
            e.message
        );
    }

    #[test]
    fn bad_bytes_and_numbers() {
        assert!(parse(b"{\"a\":\"\xff\"}").is_err());
        assert!(parse(br#"{"a":"\ud800"}"#).is_err());
        assert!(parse(br#"{"a":1e400}"#).is_err());
        assert!(parse(br#"{"a":1} x"#).is_err());
        assert!(parse(b"").is_err());
    }

    #[test]
    fn integers() {
        let n = parse(br#"[5, 5.0, 5.5, "5", -0, 9007199254740993]"#).unwrap();
        let a = n.as_array().unwrap();
        assert_eq!(a[0].as_i64(), Some(5));
        assert_eq!(a[1].as_i64(), Some(5));
        assert_eq!(a[2].as_i64(), None);
        assert_eq!(a[3].as_i64(), None);
        assert_eq!(a[4].as_i64(), Some(0));
        assert_eq!(a[5].as_i64(), Some(9007199254740993));
    }
}
