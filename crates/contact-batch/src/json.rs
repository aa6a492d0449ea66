//! A borrowed JSON tree for request bodies.
//!
//! `serde_json::Value` silently keeps the last of two equal keys and sorts or
//! copies every string; [`Node`] keeps object members in order, borrows
//! strings from the body where it can, and refuses duplicate keys (a request
//! that says `"phone"` twice is ambiguous, so it is an error, not a guess).
//! Nesting is bounded by serde_json's recursion limit (128 levels), so a
//! 100,000-deep body is an error, not a stack overflow.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// One JSON value, borrowing its strings from the input where possible.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number: an integer (signed or unsigned 64-bit) or a finite double.
    Number(Number),
    /// A string.
    Str(Cow<'a, str>),
    /// An array.
    Array(Vec<Node<'a>>),
    /// An object, members in document order, keys unique.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// A JSON number as the body spelled it: an integer that fits 64 bits
/// (signed or unsigned) or a finite double. Its own type, so the public API
/// does not name the parser's.
///
/// ```
/// use contact_batch::Node;
/// let n = Node::parse(b"[42, -7, 1.5, 18446744073709551615]").unwrap();
/// let nums: Vec<_> = n
///     .as_array()
///     .unwrap()
///     .iter()
///     .map(|v| match v {
///         Node::Number(n) => n.clone(),
///         _ => unreachable!(),
///     })
///     .collect();
/// assert_eq!((nums[0].as_u64(), nums[0].is_f64()), (Some(42), false));
/// assert_eq!((nums[1].as_i64(), nums[1].as_u64()), (Some(-7), None));
/// assert_eq!((nums[2].as_i64(), nums[2].as_f64()), (None, Some(1.5)));
/// assert_eq!(nums[3].as_u64(), Some(u64::MAX));
/// assert_eq!(nums[2].to_string(), "1.5");
/// assert!(contact_batch::Number::from_f64(f64::NAN).is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Number(serde_json::Number);

impl Number {
    /// The number as an `i64`, when it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.as_i64()
    }

    /// The number as a `u64`, when it is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.as_u64()
    }

    /// The number as an `f64` (integers converted, possibly rounded).
    pub fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }

    /// True for a double (`1.5`, `1e3`); false for an integer.
    pub fn is_f64(&self) -> bool {
        self.0.is_f64()
    }

    /// A finite double as a number; `None` for NaN and the infinities,
    /// which JSON cannot hold.
    pub fn from_f64(v: f64) -> Option<Number> {
        serde_json::Number::from_f64(v).map(Number)
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Number {
        Number(v.into())
    }
}

impl From<u64> for Number {
    fn from(v: u64) -> Number {
        Number(v.into())
    }
}

impl fmt::Display for Number {
    /// The number as JSON writes it (`42`, `-1.5`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// Why a body is not acceptable JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    message: String,
}

impl JsonError {
    /// A sentence saying what is wrong and where (line and column).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

/// Parses a whole body. Invalid UTF-8, lone surrogates, numbers out of
/// range, trailing data, duplicate keys and nesting deeper than 128 levels
/// are all errors with a message naming line and column.
pub fn parse(body: &[u8]) -> Result<Node<'_>, JsonError> {
    match parse_bounded(body, &Budget::UNLIMITED) {
        Ok(parsed) => Ok(parsed.root),
        Err(BoundedError::Json(e)) => Err(e),
        // Unreachable with an unlimited budget; an error all the same.
        Err(e @ BoundedError::TooManyValues { .. }) => Err(JsonError {
            message: e.to_string(),
        }),
    }
}

/// How much of a request body a parse keeps (see [`parse_bounded`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Budget {
    /// The root member holding the batch's rows (`contacts`, `ids`, `records`).
    pub batch_key: Option<&'static str>,
    /// Rows the profile accepts. The batch array keeps one row more than
    /// this (so a profile still sees that there are too many) and only
    /// counts the rest, checking their syntax as it goes.
    pub batch_limit: usize,
    /// Most values and object keys the tree may hold, the kept rows and
    /// everything else; the parse stops at the first one past it.
    pub max_values: usize,
    /// The body must be an object: a root array is checked and kept empty
    /// (refused for its kind alone).
    pub object_root: bool,
}

impl Budget {
    /// Keeps everything.
    pub(crate) const UNLIMITED: Budget = Budget {
        batch_key: None,
        batch_limit: usize::MAX,
        max_values: usize::MAX,
        object_root: false,
    };
}

/// A body parsed within a [`Budget`].
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    /// The tree (the batch array holds at most `batch_limit + 1` rows).
    pub root: Node<'a>,
    /// How many items the batch array had, kept or only counted, when the
    /// root's batch member is an array.
    pub batch_len: Option<usize>,
}

/// Why a bounded parse gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BoundedError {
    /// The body is not acceptable JSON.
    Json(JsonError),
    /// The body holds more values than the budget (it may hold other errors
    /// further on: the parse stopped here).
    TooManyValues {
        /// The budget.
        max: usize,
        /// Where the count passed it, e.g. `contacts.0.groups.1320000`.
        at: String,
    },
}

impl fmt::Display for BoundedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BoundedError::Json(e) => e.fmt(f),
            BoundedError::TooManyValues { max, at } => {
                write!(
                    f,
                    "more than {max} JSON values (the count passed it at {at})"
                )
            }
        }
    }
}

/// Parses a body keeping no more than `budget` allows: the memory a body
/// takes is bounded by what the profile can accept, not by its size. A body
/// within the budget gives the same tree (and the same errors) as [`parse`],
/// but for the batch rows past the limit, which are checked and counted only.
/// With `object_root`, a root array is checked the same way and kept empty,
/// as is a batch member that is an object: a profile refuses them by their
/// kind alone.
pub(crate) fn parse_bounded<'a>(
    body: &'a [u8],
    budget: &Budget,
) -> Result<Parsed<'a>, BoundedError> {
    let ctx = Ctx::new(*budget);
    let mut de = serde_json::Deserializer::from_slice(body);
    let seed = NodeSeed {
        ctx: &ctx,
        path: Path::ROOT,
        role: Role::Root,
    };
    let root = match seed.deserialize(&mut de) {
        Ok(root) => root,
        Err(e) => return Err(ctx.failure(e)),
    };
    de.end().map_err(|e| BoundedError::Json(describe(e)))?;
    Ok(Parsed {
        root,
        batch_len: ctx.batch_len.get(),
    })
}

fn describe(e: serde_json::Error) -> JsonError {
    let mut message = e.to_string();
    let at = || format!("line {} column {}", e.line(), e.column());
    if message.starts_with("recursion limit exceeded") {
        message = format!("the body is nested deeper than 128 levels ({})", at());
    } else if message.starts_with("unexpected end of hex escape")
        || message.starts_with("lone leading surrogate in hex escape")
    {
        // serde_json's words for both are about hex escapes in general.
        message = format!(
            "a lone UTF-16 surrogate escape ({}): \\uD800-\\uDBFF must be followed by \
             \\uDC00-\\uDFFF, which may not stand alone; a surrogate pair encodes one \
             character outside the Basic Multilingual Plane",
            at()
        );
    }
    JsonError { message }
}

impl<'a> Node<'a> {
    /// Parses one JSON document, e.g. an NDJSON line of an import, into
    /// the tree [`ImportRow::fields`](crate::ImportRow::fields) holds.
    /// Invalid UTF-8, lone surrogates, numbers out of range, trailing data,
    /// duplicate keys and nesting deeper than 128 levels are all errors with
    /// a message naming line and column.
    ///
    /// ```
    /// let row = contact_batch::Node::parse(br#"{"phone": "+14155552671"}"#).unwrap();
    /// assert_eq!(row.get("phone").and_then(|n| n.as_str()), Some("+14155552671"));
    /// assert!(contact_batch::Node::parse(br#"{"a": 1, "a": 2}"#).is_err());
    /// ```
    pub fn parse(body: &'a [u8]) -> Result<Node<'a>, JsonError> {
        parse(body)
    }

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
            Node::Number(n) => serde_json::Value::Number(n.0.clone()),
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
    /// A detached copy of the tree, members in order.
    pub(crate) fn to_owned_node(&self) -> Node<'static> {
        self.to_detached(&[])
    }

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

/// What is left of a parse's budget, and what it found out on the way.
struct Ctx {
    budget: Budget,
    left: Cell<usize>,
    batch_len: Cell<Option<usize>>,
    stopped_at: RefCell<Option<String>>,
}

/// The custom error a parse stops with when the budget runs out (the
/// message is never shown: [`Ctx::failure`] replaces it).
const OUT_OF_BUDGET: &str = "the value budget ran out";

impl Ctx {
    fn new(budget: Budget) -> Ctx {
        Ctx {
            budget,
            left: Cell::new(budget.max_values),
            batch_len: Cell::new(None),
            stopped_at: RefCell::new(None),
        }
    }

    /// Takes one value from the budget.
    fn charge<E: de::Error>(&self, path: &Path<'_>) -> Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => {
                *self.stopped_at.borrow_mut() = Some(path.to_string());
                Err(E::custom(OUT_OF_BUDGET))
            }
        }
    }

    /// Gives back values taken for memory that is freed again.
    fn refund(&self, n: usize) {
        self.left.set(self.left.get().saturating_add(n));
    }

    fn failure(&self, e: serde_json::Error) -> BoundedError {
        match self.stopped_at.borrow_mut().take() {
            Some(at) => BoundedError::TooManyValues {
                max: self.budget.max_values,
                at,
            },
            None => BoundedError::Json(describe(e)),
        }
    }
}

/// Where a value sits, for messages: a chain of links on the parser's stack.
#[derive(Clone, Copy)]
struct Path<'p> {
    parent: Option<&'p Path<'p>>,
    step: Step<'p>,
}

#[derive(Clone, Copy)]
enum Step<'p> {
    Root,
    Key(&'p str),
    Index(usize),
}

impl Path<'_> {
    const ROOT: Path<'static> = Path {
        parent: None,
        step: Step::Root,
    };
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            steps.push(p.step);
            at = p.parent;
        }
        let mut first = true;
        for step in steps.iter().rev() {
            let sep = if first { "" } else { "." };
            match step {
                Step::Root => continue,
                Step::Index(i) => write!(f, "{sep}{i}")?,
                // Keys are the sender's: shown JSON-escaped and cut short.
                Step::Key(k) => {
                    let short: String = k.chars().take(40).collect();
                    let quoted = serde_json::to_string(&short).unwrap_or_default();
                    let inner = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or("");
                    let more = if short.len() < k.len() { "..." } else { "" };
                    write!(f, "{sep}{inner}{more}")?
                }
            }
            first = false;
        }
        if first {
            f.write_str("the top level")?;
        }
        Ok(())
    }
}

/// What a value is to its profile, which decides what the parse keeps.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The body: an object is kept, anything else only checked.
    Root,
    /// The root's batch member: rows past the limit are only counted.
    Batch,
    /// Anything else: kept, within the budget.
    Kept,
}

#[derive(Clone, Copy)]
struct NodeSeed<'c, 'p> {
    ctx: &'c Ctx,
    path: Path<'p>,
    role: Role,
}

impl<'de> de::DeserializeSeed<'de> for NodeSeed<'_, '_> {
    type Value = Node<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
        self.ctx.charge(&self.path)?;
        d.deserialize_any(NodeVisitor(self))
    }
}

struct NodeVisitor<'c, 'p>(NodeSeed<'c, 'p>);

impl<'de> Visitor<'de> for NodeVisitor<'_, '_> {
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
        // Negative zero (`-0`, `-0.0`) is kept as the integer 0: serde_json
        // reads both as the double -0.0, which it writes back as `-0.0`, a
        // spelling the sender never used for `-0`. PHP's json_decode and
        // JavaScript's JSON.parse give 0 for `-0` too.
        if v == 0.0 && v.is_sign_negative() {
            return Ok(Node::Number(0u64.into()));
        }
        Number::from_f64(v)
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
        let NodeSeed { ctx, path, role } = self.0;
        let keep = match role {
            // A root array is refused for its kind: check it, keep nothing.
            Role::Root if ctx.budget.object_root => 0,
            Role::Root => usize::MAX,
            Role::Batch => ctx.budget.batch_limit.saturating_add(1),
            Role::Kept => usize::MAX,
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        let mut n = 0usize;
        loop {
            let path = Path {
                parent: Some(&path),
                step: Step::Index(n),
            };
            if n < keep {
                let seed = NodeSeed {
                    ctx,
                    path,
                    role: Role::Kept,
                };
                match seq.next_element_seed(seed)? {
                    Some(v) => items.push(v),
                    None => break,
                }
            } else if seq.next_element_seed(Skip { ctx, path })?.is_none() {
                break;
            }
            n += 1;
        }
        if role == Role::Batch {
            ctx.batch_len.set(Some(n));
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let NodeSeed { ctx, path, role } = self.0;
        if role == Role::Batch {
            // A batch member that is an object is refused for its kind.
            Skip { ctx, path }.skip_members(&mut map)?;
            return Ok(Node::Object(Vec::new()));
        }
        // serde_json gives no size hint for objects; room for 8 members
        // serves most rows with one allocation instead of growing 4 -> 8.
        let mut members: Vec<(Cow<'de, str>, Node<'de>)> =
            Vec::with_capacity(map.size_hint().unwrap_or(8).min(4096));
        let mut seen = KeySet::default();
        while let Some(KeyStr(key)) = map.next_key()? {
            if seen.is_repeat(members.iter().map(|(k, _)| k), &key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let role = match ctx.budget.batch_key {
                Some(batch) if role == Role::Root && batch == key => Role::Batch,
                _ => Role::Kept,
            };
            let path = Path {
                parent: Some(&path),
                step: Step::Key(&key),
            };
            // The key is kept too (and held in the repeat check): it counts.
            ctx.charge(&path)?;
            let value = map.next_value_seed(NodeSeed { ctx, path, role })?;
            members.push((key, value));
        }
        Ok(Node::Object(members))
    }
}

/// Duplicate-key detection for one object: a linear scan of the keys so far
/// while there are few, a hash set of them (borrowed from the body where
/// the keys are) past 16.
#[derive(Default)]
struct KeySet<'de> {
    set: Option<HashSet<Cow<'de, str>>>,
}

impl<'de> KeySet<'de> {
    /// True when `key` is among `earlier` (the object's keys so far);
    /// otherwise remembers it.
    // A `Cow`, not a `&str`: the set keeps a clone, borrowed when the key is.
    #[allow(clippy::ptr_arg)]
    fn is_repeat<'k>(
        &mut self,
        earlier: impl Iterator<Item = &'k Cow<'de, str>> + Clone,
        key: &Cow<'de, str>,
    ) -> bool
    where
        'de: 'k,
    {
        if let Some(set) = &mut self.set {
            return !set.insert(key.clone());
        }
        let repeat = earlier.clone().any(|k| k == key);
        if !repeat && earlier.clone().count() >= 16 {
            self.set = Some(earlier.cloned().chain([key.clone()]).collect());
        }
        repeat
    }
}

/// Checks a value without keeping it: syntax, duplicate keys, nesting. The
/// keys of the objects being checked are held (to find repeats) and taken
/// from the budget until the object ends.
#[derive(Clone, Copy)]
struct Skip<'c, 'p> {
    ctx: &'c Ctx,
    path: Path<'p>,
}

impl<'de> de::DeserializeSeed<'de> for Skip<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Skip<'_, '_> {
    fn skip_members<'de, A: MapAccess<'de>>(self, map: &mut A) -> Result<(), A::Error> {
        let mut keys: Vec<Cow<'de, str>> = Vec::new();
        let mut seen = KeySet::default();
        let result = (|| {
            while let Some(KeyStr(key)) = map.next_key()? {
                if seen.is_repeat(keys.iter(), &key) {
                    return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
                }
                let path = Path {
                    parent: Some(&self.path),
                    step: Step::Key(&key),
                };
                self.ctx.charge(&path)?;
                map.next_value_seed(Skip {
                    ctx: self.ctx,
                    path,
                })?;
                keys.push(key);
            }
            Ok(())
        })();
        self.ctx.refund(keys.len());
        result
    }
}

impl<'de> Visitor<'de> for Skip<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        match v.is_finite() {
            true => Ok(()),
            false => Err(E::custom("number out of range")),
        }
    }
    fn visit_borrowed_str<E>(self, _: &'de str) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0usize;
        loop {
            let path = Path {
                parent: Some(&self.path),
                step: Step::Index(n),
            };
            let seed = Skip {
                ctx: self.ctx,
                path,
            };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(());
            }
            n += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.skip_members(&mut map)
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let ctx = Ctx::new(Budget::UNLIMITED);
        let seed = NodeSeed {
            ctx: &ctx,
            path: Path::ROOT,
            role: Role::Kept,
        };
        de::DeserializeSeed::deserialize(seed, d)
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

    #[test]
    fn negative_zero_is_written_back_as_zero() {
        // serde_json alone writes `-0` back as `-0.0`.
        let n = parse(br#"[-0, -0.0, -0e3, 0.0, 0, -1.5]"#).unwrap();
        let back: Vec<String> = n
            .as_array()
            .unwrap()
            .iter()
            .map(|v| serde_json::to_string(&v.to_value()).unwrap())
            .collect();
        assert_eq!(back, ["0", "0", "0", "0.0", "0", "-1.5"]);
    }

    fn bounded(body: &[u8], max_values: usize) -> Result<Parsed<'_>, BoundedError> {
        let budget = Budget {
            batch_key: Some("rows"),
            batch_limit: 2,
            max_values,
            object_root: true,
        };
        parse_bounded(body, &budget)
    }

    #[test]
    fn the_budget_counts_every_kept_value_and_names_where_it_ran_out() {
        // The root, a and its key, b and its key, b's three items, c and
        // its key: 10.
        let body = br#"{"a":null,"b":[1,{"c\n":"x"},3]}"#;
        assert_eq!(bounded(body, 10).unwrap().root, parse(body).unwrap());
        let at = |max| match bounded(body, max) {
            Err(BoundedError::TooManyValues { at, .. }) => at,
            other => panic!("{other:?}"),
        };
        assert_eq!(at(9), "b.2");
        assert_eq!(at(8), "b.1.c\\n");
        assert_eq!(at(7), "b.1.c\\n");
        assert_eq!(at(3), "b");
        let e = bounded(br#"{"a":1}"#, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "more than 0 JSON values (the count passed it at the top level)"
        );
        let long = format!(r#"{{"{}":[1,2]}}"#, "k".repeat(100));
        let BoundedError::TooManyValues { at, .. } = bounded(long.as_bytes(), 3).unwrap_err()
        else {
            panic!("budget")
        };
        assert_eq!(at, format!("{}....0", "k".repeat(40)));
    }

    #[test]
    fn batch_rows_past_the_limit_are_counted_and_checked_not_kept() {
        let body = br#"{"rows":[{"x":1},{"x":2},{"x":3},{"x":4},{"x":5}]}"#;
        // Three rows kept (one past the limit of 2), five counted; rows past
        // the limit take from the budget only while they are checked.
        let p = bounded(body, 14).unwrap();
        assert_eq!(p.batch_len, Some(5));
        let full = parse(body).unwrap();
        let kept = &full.get("rows").unwrap().as_array().unwrap()[..3];
        assert_eq!(p.root.get("rows").unwrap().as_array().unwrap(), kept);
        // ... but they are checked: a repeated key, a bad escape, bad syntax.
        for (bad, needle) in [
            (
                &br#"{"rows":[1,2,3,4,{"x":1,"x":2}]}"#[..],
                "duplicate key `x` at line 1 column 27",
            ),
            (br#"{"rows":[1,2,3,4,["\ud800"]]}"#, "lone UTF-16 surrogate"),
            (
                br#"{"rows":[1,2,3,4,[1,]]}"#,
                "trailing comma at line 1 column 21",
            ),
            (br#"{"rows":[1,2,3,4,1e999]}"#, "number out of range"),
        ] {
            let whole = parse(bad).unwrap_err();
            assert!(whole.message.contains(needle), "{}", whole.message);
            assert_eq!(bounded(bad, 100).unwrap_err(), BoundedError::Json(whole));
        }
        // Keys of objects being checked are held, so they take from the
        // budget while their object lasts.
        let wide = br#"{"rows":[1,2,3,{"a":1,"b":2,"c":3},{"a":1,"b":2,"c":3}]}"#;
        assert_eq!(bounded(wide, 9).unwrap().batch_len, Some(5));
        assert!(matches!(
            bounded(wide, 8),
            Err(BoundedError::TooManyValues { .. })
        ));
    }

    #[test]
    fn a_root_array_and_an_object_batch_are_checked_and_kept_empty() {
        let p = bounded(b"[1,2,[3,{}]]", 2).unwrap();
        assert_eq!(p.root, Node::Array(Vec::new()));
        let p = bounded(br#"{"rows":{"a":[1,2,3]}}"#, 4).unwrap();
        assert_eq!(p.root.get("rows"), Some(&Node::Object(Vec::new())));
        assert_eq!(p.batch_len, None);
        assert!(bounded(br#"[{"a":1,"a":1}]"#, 100).is_err());
        // Only the root's member is the batch.
        let p = bounded(br#"{"x":{"rows":[1,2,3,4]}}"#, 100).unwrap();
        assert_eq!(p.batch_len, None);
        assert_eq!(p.root, parse(br#"{"x":{"rows":[1,2,3,4]}}"#).unwrap());
    }

    /// Any JSON value, up to a few levels deep, keys from a small alphabet
    /// (so that repeats occur).
    fn any_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            (-1e6f64..1e6).prop_map(serde_json::Value::from),
            "[a-c\\\\\"\u{e9}]{0,3}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                proptest::collection::vec(("[a-c]{1,2}", inner), 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Within its budget, a bounded parse is the plain parse (but for
        /// the rows past the batch limit); past it, it says so.
        #[test]
        fn bounded_parse_is_the_plain_parse_within_budget(
            v in any_json(),
            rows in proptest::collection::vec(any_json(), 0..6),
            max_values in 0usize..80,
            text_twist in 0usize..3,
        ) {
            let mut body = serde_json::json!({"x": v, "rows": rows}).to_string();
            // Hand-written forms serde_json never prints: a repeated key,
            // a root array.
            match text_twist {
                1 => body = body.replacen("{\"x\"", "{\"x\":0,\"x\"", 1),
                2 => body = format!("[{body}]"),
                _ => {}
            }
            let plain = parse(body.as_bytes());
            match (bounded(body.as_bytes(), max_values), plain) {
                (Ok(p), Ok(whole)) => {
                    if let Node::Object(members) = &whole {
                        let mut members = members.clone();
                        for (k, v) in &mut members {
                            if k == "rows" {
                                if let Node::Array(items) = v {
                                    proptest::prop_assert_eq!(p.batch_len, Some(items.len()));
                                    items.truncate(3);
                                }
                            }
                        }
                        proptest::prop_assert_eq!(p.root, Node::Object(members));
                    } else {
                        proptest::prop_assert_eq!(p.root, Node::Array(Vec::new()));
                    }
                }
                (Err(BoundedError::Json(e)), Err(whole)) => proptest::prop_assert_eq!(e, whole),
                (Err(BoundedError::TooManyValues { max, .. }), _) => {
                    proptest::prop_assert_eq!(max, max_values)
                }
                (got, whole) => proptest::prop_assert!(false, "{got:?} vs {whole:?}"),
            }
        }
    }
}
