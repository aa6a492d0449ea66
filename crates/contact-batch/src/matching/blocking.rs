//! Blocking: which pairs are compared at all. Two records are compared
//! when they share a blocking key; everything else is taken to be
//! different people without a look (comparing every pair of a million
//! rows would be 5 × 10^11 comparisons).
//!
//! The keys of a record (each present only when its fields are):
//!
//! | kind | key | catches |
//! |------|-----|---------|
//! | `e:` | the email, lowercased, without a `+tag` | same email, any name |
//! | `p:` | the phone's last nine digits | same phone, any name |
//! | `n:` | surname's Double Metaphone code + first name's initial | typos in the surname (`Alen`/`Allen`), nicknames (`Bob`: `r`obert) |
//! | `nd:` | `n:` + birth date, and the same with first and last name exchanged | swapped names |
//! | `np:`, `nc:`, `nw:` | `n:` + postcode, city, email domain or company | the same person, everything else changed |
//! | `fd:` | first name's code + birth date | a changed surname (marriage) |
//! | `dp:` | birth date + postcode | both names changed or misspelled |
//!
//! The first name's initial and code are those of its nickname table form
//! (Bob is `r`, for Robert). Phonetic codes are Double Metaphone (the
//! `rphonetic` crate, a port of Apache Commons Codec), primary code, at
//! most four letters, of the name's ASCII letters; a name with letters
//! outside ASCII after folding (Cyrillic, CJK, ...) is its own code.
//!
//! A block of more than [`MAX_BLOCK`] records (the bare name key of a
//! common name in a large file) is not compared all against all: its
//! records are sorted by name and each is compared with the next
//! [`WINDOW`] (sorted neighbourhood), so no block costs more than
//! `WINDOW` comparisons a record. A pair is compared once: in the first
//! (by key hash) block of at most [`MAX_BLOCK`] records both are in, or,
//! when they share only oversized blocks, in their windows.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use rphonetic::{DoubleMetaphone, Encoder};

use super::person::{Record, Slot};

/// The most records of one block compared all against all (at most
/// 20,100 comparisons for the block).
pub const MAX_BLOCK: usize = 201;

/// In a larger block, each record (in name order) is compared with this
/// many next ones.
pub const WINDOW: usize = 20;

/// The blocking keys of a record, as strings a host can store and look up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockingKeys {
    /// `e:` keys (at most one).
    pub email: Vec<String>,
    /// `p:` keys (at most one).
    pub phone: Vec<String>,
    /// Every name-based key (`n:`, `nd:`, `np:`, `nc:`, `nw:`, `fd:`, `dp:`).
    pub name: Vec<String>,
}

impl BlockingKeys {
    /// Every key, email first.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.email.iter().chain(&self.phone).chain(&self.name)
    }
}

/// A name's phonetic code (see the module docs).
fn code(name: &str) -> String {
    let letters: String = name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return String::new();
    }
    if letters.is_ascii() {
        DoubleMetaphone::default().encode(&letters)
    } else {
        letters
    }
}

/// The blocking keys of `r`.
pub(crate) fn keys(r: &Record) -> BlockingKeys {
    let mut k = BlockingKeys::default();
    let local = r.get(Slot::EmailLocal);
    let domain = r.get(Slot::EmailDomain);
    if !local.is_empty() {
        k.email.push(format!("e:{local}@{domain}"));
    }
    let phone = r.get(Slot::Phone);
    if phone.len() >= 7 {
        k.phone
            .push(format!("p:{}", &phone[phone.len().saturating_sub(9)..]));
    }
    let first = r.get(Slot::FirstCanon);
    let last = r.get(Slot::Last);
    let birth = match r.birth {
        Some(d) => format!("{:04}{:02}{:02}", d.year, d.month, d.day),
        None => r.get(Slot::BirthRaw).to_owned(),
    };
    let postcode = r.get(Slot::Postcode);
    let initial = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let last_code = code(last);
    if !last_code.is_empty() && !first.is_empty() {
        let n = format!("{last_code}{}", initial(first));
        k.name.push(format!("n:{n}"));
        if !birth.is_empty() {
            k.name.push(format!("nd:{n}:{birth}"));
            let swapped = format!("{}{}", code(first), initial(last));
            if swapped != n {
                k.name.push(format!("nd:{swapped}:{birth}"));
            }
        }
        for (kind, value) in [
            ("np", postcode),
            ("nc", r.get(Slot::City)),
            ("nw", domain),
            ("nw", r.get(Slot::Company)),
        ] {
            if !value.is_empty() {
                k.name.push(format!("{kind}:{n}:{value}"));
            }
        }
    }
    if !first.is_empty() && !birth.is_empty() {
        k.name.push(format!("fd:{}:{birth}", code(first)));
    }
    if !birth.is_empty() && !postcode.is_empty() {
        k.name.push(format!("dp:{birth}:{postcode}"));
    }
    k.name.sort();
    k.name.dedup();
    k
}

/// A key's hash: the same in every run of the same build (SipHash with
/// fixed keys). Equal hashes of different keys only add comparisons.
pub(crate) fn hash(key: &str) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// The blocks of a set of records: every key's records, and which blocks
/// are oversized.
pub(crate) struct Index {
    /// Rows, grouped by key hash (each group in row order).
    rows: Vec<u32>,
    /// Where each block of `rows` ends; blocks of one record are dropped.
    ends: Vec<u32>,
    /// Each record's key hashes, sorted: `keys[key_ends[i-1]..key_ends[i]]`.
    keys: Vec<u64>,
    key_ends: Vec<u32>,
    /// Hashes of the oversized blocks.
    large: HashSet<u64>,
}

/// One block to compare: a range of [`Index::rows`] and its key hash.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Block {
    start: u32,
    end: u32,
    hash: u64,
}

impl Block {
    pub(crate) fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
}

impl Index {
    /// Builds the index from each record's key hashes.
    pub(crate) fn new(record_keys: impl Iterator<Item = Vec<u64>>) -> (Index, Vec<Block>) {
        let mut keys = Vec::new();
        let mut key_ends = Vec::new();
        for mut k in record_keys {
            k.sort_unstable();
            k.dedup();
            keys.extend_from_slice(&k);
            key_ends.push(keys.len() as u32);
        }
        let mut entries: Vec<(u64, u32)> = Vec::with_capacity(keys.len());
        let mut start = 0;
        for (row, &end) in key_ends.iter().enumerate() {
            for &h in &keys[start..end as usize] {
                entries.push((h, row as u32));
            }
            start = end as usize;
        }
        entries.sort_unstable();
        let mut rows = Vec::new();
        let mut ends = Vec::new();
        let mut blocks = Vec::new();
        let mut large = HashSet::new();
        let mut i = 0;
        while i < entries.len() {
            let h = entries[i].0;
            let mut j = i + 1;
            while j < entries.len() && entries[j].0 == h {
                j += 1;
            }
            if j - i > 1 {
                let start = rows.len() as u32;
                rows.extend(entries[i..j].iter().map(|e| e.1));
                ends.push(rows.len() as u32);
                blocks.push(Block {
                    start,
                    end: rows.len() as u32,
                    hash: h,
                });
                if j - i > MAX_BLOCK {
                    large.insert(h);
                }
            }
            i = j;
        }
        drop(entries);
        (
            Index {
                rows,
                ends,
                keys,
                key_ends,
                large,
            },
            blocks,
        )
    }

    fn keys_of(&self, row: u32) -> &[u64] {
        let row = row as usize;
        let start = if row == 0 {
            0
        } else {
            self.key_ends[row - 1] as usize
        };
        &self.keys[start..self.key_ends[row] as usize]
    }

    /// The first (smallest) hash of a block of at most [`MAX_BLOCK`]
    /// records that both rows are in.
    fn owner(&self, a: u32, b: u32) -> Option<u64> {
        let (x, y) = (self.keys_of(a), self.keys_of(b));
        let (mut i, mut j) = (0, 0);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if !self.large.contains(&x[i]) {
                        return Some(x[i]);
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        None
    }

    /// Blocks over [`MAX_BLOCK`] records.
    pub(crate) fn large_blocks(&self) -> usize {
        self.large.len()
    }

    /// Bytes the index holds (for the memory figures).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.rows.capacity() * 4
            + self.ends.capacity() * 4
            + self.keys.capacity() * 8
            + self.key_ends.capacity() * 4
            + self.large.capacity() * 16
    }

    /// Calls `f(a, b)` (with `a < b`) for every pair this block owns (see
    /// the module docs); `name_order` sorts an oversized block's rows.
    pub(crate) fn pairs(
        &self,
        block: Block,
        name_order: impl Fn(u32, u32) -> std::cmp::Ordering,
        mut f: impl FnMut(u32, u32),
    ) {
        let rows = &self.rows[block.start as usize..block.end as usize];
        if block.len() <= MAX_BLOCK {
            for (i, &a) in rows.iter().enumerate() {
                for &b in &rows[i + 1..] {
                    if self.owner(a, b) == Some(block.hash) {
                        f(a, b);
                    }
                }
            }
        } else {
            let mut sorted = rows.to_vec();
            sorted.sort_by(|&a, &b| name_order(a, b).then(a.cmp(&b)));
            for (i, &a) in sorted.iter().enumerate() {
                for &b in sorted.iter().skip(i + 1).take(WINDOW) {
                    if self.owner(a, b).is_none() {
                        f(a.min(b), a.max(b));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::person::{Field, Person};

    #[test]
    fn keys_of_a_full_record() {
        let p = Person::new()
            .with(Field::FirstName, "Bob")
            .with(Field::LastName, "Allen")
            .with(Field::Email, "Rob@Smith.net")
            .with(Field::Phone, "+1 415 555 2671")
            .with(Field::BirthDate, "1980-04-03")
            .with(Field::Postcode, "94103");
        let k = keys(&Record::new(&p));
        assert_eq!(k.email, ["e:rob@smith.net"]);
        assert_eq!(k.phone, ["p:155552671"]);
        assert!(k.name.contains(&"n:ALNr".to_owned()), "{:?}", k.name);
        assert!(k.name.contains(&"nd:ALNr:19800403".to_owned()));
        assert!(k.name.contains(&"np:ALNr:94103".to_owned()));
        assert!(k.name.contains(&"nw:ALNr:smith.net".to_owned()));
        assert!(k.name.contains(&"dp:19800403:94103".to_owned()));
        // A typo and a nickname share the name key.
        let q = Person::new()
            .with(Field::FirstName, "Robert")
            .with(Field::LastName, "Alen");
        assert!(keys(&Record::new(&q)).name.contains(&"n:ALNr".to_owned()));
    }

    #[test]
    fn no_fields_no_keys() {
        let k = keys(&Record::new(&Person::new().with(Field::City, "Paris")));
        assert_eq!(k, BlockingKeys::default());
        // Non-Latin names are their own code.
        let p = Person::new()
            .with(Field::FirstName, "Иван")
            .with(Field::LastName, "Петров");
        assert_eq!(keys(&Record::new(&p)).name, ["n:петрови"]);
    }

    #[test]
    fn a_pair_is_owned_by_one_block() {
        // Rows 0 and 1 share keys 1 and 2; row 2 shares key 2 only.
        let (index, blocks) = Index::new([vec![1, 2], vec![2, 1], vec![2]].into_iter());
        let mut seen = Vec::new();
        for b in &blocks {
            index.pairs(*b, |a, b| a.cmp(&b), |a, b| seen.push((a, b)));
        }
        seen.sort();
        assert_eq!(seen, [(0, 1), (0, 2), (1, 2)]);
    }

    #[test]
    fn oversized_blocks_are_windowed() {
        let n = MAX_BLOCK as u64 + 100;
        let (index, blocks) = Index::new((0..n).map(|_| vec![7]));
        assert_eq!(index.large_blocks(), 1);
        let mut count = 0;
        index.pairs(blocks[0], |a, b| a.cmp(&b), |_, _| count += 1);
        let n = n as usize;
        let expected: usize = (0..n).map(|i| WINDOW.min(n - 1 - i)).sum();
        assert_eq!(count, expected);
    }
}
