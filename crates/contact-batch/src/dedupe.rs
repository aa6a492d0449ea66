//! First-wins dedupe of keys inside a batch.

use std::collections::HashMap;
use std::hash::Hash;

/// Remembers the first row that claimed each key.
#[derive(Debug)]
pub struct FirstWins<K> {
    seen: HashMap<K, usize>,
}

impl<K: Hash + Eq> Default for FirstWins<K> {
    fn default() -> Self {
        FirstWins {
            seen: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq> FirstWins<K> {
    /// An empty set of claims.
    pub fn new() -> Self {
        Self::default()
    }

    /// Row `row` claims `key`: `None` if it is the first, otherwise the row
    /// that claimed it first. Only valid rows should claim keys.
    pub fn claim(&mut self, key: K, row: usize) -> Option<usize> {
        match self.seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(row);
                None
            }
        }
    }

    /// The row that claimed `key`, if any, without claiming it.
    pub fn owner(&self, key: &K) -> Option<usize> {
        self.seen.get(key).copied()
    }

    /// Distinct keys claimed so far.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.seen.len()
    }
}

/// First-wins claims of phone keys, compact for imports of millions of
/// rows: a key of up to 19 digits (every E.164 number) as a `u64`, so an
/// entry is 16 bytes (key and row) where a `PhoneKey` entry took 32 (its
/// `u128` aligns the pair to 16); the rare 20-digit key beside them.
#[derive(Debug, Default)]
pub struct PhoneClaims {
    small: FirstWins<u64>,
    large: FirstWins<crate::phone::PhoneKey>,
}

impl PhoneClaims {
    /// [`FirstWins::claim`] for a phone key.
    pub fn claim(&mut self, key: crate::phone::PhoneKey, row: usize) -> Option<usize> {
        match u64::try_from(key.get()) {
            Ok(small) => self.small.claim(small, row),
            Err(_) => self.large.claim(key, row),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_claim_wins() {
        let mut d = FirstWins::new();
        assert_eq!(d.claim(7u64, 0), None);
        assert_eq!(d.claim(8u64, 1), None);
        assert_eq!(d.claim(7u64, 2), Some(0));
        assert_eq!(d.claim(7u64, 3), Some(0));
        assert_eq!(d.owner(&8), Some(1));
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn phone_claims_of_every_width() {
        use crate::phone::PhoneKey;
        let mut c = PhoneClaims::default();
        let short = PhoneKey::from_e164("+14155552671").unwrap();
        let long = PhoneKey::from_e164("+99999999999999999999").unwrap();
        assert_eq!(c.claim(short, 1), None);
        assert_eq!(c.claim(long, 2), None);
        assert_eq!(c.claim(long, 3), Some(2));
        assert_eq!(c.claim(short, 4), Some(1));
    }
}
