//! The bytes of `data/phone_parse.bin`, read in place: flat automata and
//! the Unicode tables the parse needs (the layout is at the end).
//!
//! Every read is checked: an index past a table reads as the dead state or
//! "no entry", so a damaged file can make answers wrong (the freshness test
//! rules that out for the committed file) but never panics.

/// The first bytes of the file (format version 1).
pub(crate) const MAGIC: &[u8; 8] = b"CBPARSE1";

/// A state flag: the state is a match state (a match ended just before the
/// byte that led here: `regex-automata`'s delayed matches).
pub(crate) const F_MATCH: u8 = 1;
/// A state flag: the dead state (no match can follow).
pub(crate) const F_DEAD: u8 = 2;
/// A state flag: a match ends here if the input ends here.
pub(crate) const F_EOI: u8 = 4;

/// The `i`th little-endian u16 of `bytes`.
fn u16_at(bytes: &[u8], i: usize) -> Option<u16> {
    let b = bytes.get(2 * i..2 * i + 2)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

/// A DFA over bytes (UTF-8 text), its 256 bytes mapped to classes first.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ByteDfa<'a> {
    /// The class of each byte (256 entries).
    classes: &'a [u8],
    /// Classes per state.
    width: usize,
    /// `next[state * width + class]` (u16 LE); state 0 is the start.
    next: &'a [u8],
    flags: &'a [u8],
}

impl ByteDfa<'_> {
    fn flags(&self, state: usize) -> u8 {
        self.flags.get(state).copied().unwrap_or(F_DEAD)
    }

    fn step(&self, state: usize, byte: u8) -> usize {
        let class = usize::from(self.classes.get(usize::from(byte)).copied().unwrap_or(0));
        u16_at(self.next, state * self.width + class).map_or(usize::MAX, usize::from)
    }

    /// True when the whole of `text` matches (the pattern is anchored at
    /// both ends).
    pub(crate) fn full_match(&self, text: &[u8]) -> bool {
        if self.width == 0 {
            return false;
        }
        let mut state = 0;
        for &b in text {
            state = self.step(state, b);
            if self.flags(state) & F_DEAD != 0 {
                return false;
            }
        }
        self.flags(state) & F_EOI != 0
    }

    /// For a DFA of a reversed pattern, anchored at the end of `text`: the
    /// smallest `start` such that `text[start..]` matches the pattern.
    pub(crate) fn leftmost_suffix_start(&self, text: &[u8]) -> Option<usize> {
        if self.width == 0 {
            return None;
        }
        let mut state = 0;
        let mut found = None;
        for at in (0..text.len()).rev() {
            state = self.step(state, text[at]);
            let flags = self.flags(state);
            if flags & F_MATCH != 0 {
                found = Some(at + 1);
            }
            if flags & F_DEAD != 0 {
                return found;
            }
        }
        if self.flags(state) & F_EOI != 0 {
            found = Some(0);
        }
        found
    }
}

/// A DFA over a small alphabet of symbols (the ten ASCII digits, and for a
/// marked national-prefix pattern five markers after them).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SymDfa<'a> {
    width: usize,
    next: &'a [u8],
    flags: &'a [u8],
}

/// The start state of every flat DFA.
pub(crate) const START: usize = 0;

impl SymDfa<'_> {
    pub(crate) fn flags(&self, state: usize) -> u8 {
        self.flags.get(state).copied().unwrap_or(F_DEAD)
    }

    /// The next state on symbol `sym` (`usize::MAX`, which reads as dead,
    /// past the table).
    pub(crate) fn step(&self, state: usize, sym: usize) -> usize {
        if sym >= self.width {
            return usize::MAX;
        }
        u16_at(self.next, state * self.width + sym).map_or(usize::MAX, usize::from)
    }

    /// The end of the leftmost-first match of the anchored pattern at the
    /// start of `digits` (ASCII digits), as `regex`'s `find` reports it for
    /// `^(?:pattern)`: the DFA is built with leftmost-first match semantics,
    /// so the last match position seen before the dead state is that end.
    pub(crate) fn leftmost_first_end(&self, digits: &[u8]) -> Option<usize> {
        if self.width == 0 {
            return None;
        }
        let mut state = START;
        let mut found = None;
        for (at, &b) in digits.iter().enumerate() {
            state = self.step(state, usize::from(b.wrapping_sub(b'0')));
            let flags = self.flags(state);
            if flags & F_MATCH != 0 {
                found = Some(at);
            }
            if flags & F_DEAD != 0 {
                return found;
            }
        }
        if self.flags(state) & F_EOI != 0 {
            found = Some(digits.len());
        }
        found
    }
}

/// One region's (or one non-geographic calling code's) parsing data.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RegionParse<'a> {
    /// `US`, or `001` for a non-geographic calling code.
    pub(crate) id: &'a str,
    pub(crate) country_code: u16,
    /// Bit `n`: the general description allows `n` digits.
    pub(crate) possible: u64,
    /// Bit `n`: `n` digits is possible for local dialling only.
    pub(crate) local_only: u64,
    /// The international (IDD) prefix.
    pub(crate) idd: Pattern<'a>,
    /// The national prefix for parsing.
    pub(crate) npp: Pattern<'a>,
    /// The national prefix transform rule, when the metadata has a
    /// non-empty one: literal bytes, and [`GROUP_REF`]` + k` for group `k`.
    pub(crate) rule: Option<&'a [u8]>,
    /// Each top-level alternative of the national prefix for parsing, in
    /// order, with its capture groups spelled as markers (see
    /// `phone_parse::captures`); none without a rule.
    pub(crate) marked: &'a [u8],
    pub(crate) marked_count: u8,
}

/// A transform rule byte at or past this is a reference to group
/// `byte - GROUP_REF`.
pub(crate) const GROUP_REF: u8 = 0xF0;

/// A metadata pattern used as a prefix (`^(?:pattern)`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) enum Pattern<'a> {
    /// No pattern: never matches.
    #[default]
    None,
    /// A pattern too short to be wrapped, which `rlibphonenumber` compiles
    /// as the empty regex: it matches the empty prefix.
    Empty,
    Dfa(SymDfa<'a>),
}

impl Pattern<'_> {
    /// The end of the leftmost-first match at the start of `digits`.
    pub(crate) fn prefix_end(&self, digits: &[u8]) -> Option<usize> {
        match self {
            Pattern::None => None,
            Pattern::Empty => Some(0),
            Pattern::Dfa(dfa) => dfa.leftmost_first_end(digits),
        }
    }
}

/// Everything the parse reads from the file.
#[derive(Debug, Default)]
pub(crate) struct ParseTables<'a> {
    /// Runs of Unicode decimal digits (`Nd`), each starting at a zero:
    /// (first, last) code points.
    pub(crate) digits: &'a [u8],
    /// Code points libphonenumber trims from the end of a number: assigned,
    /// neither a letter nor a number (general category `L*`, `N*`), not `#`.
    pub(crate) unwanted: &'a [u8],
    /// `^(?:valid phone number)(?:extension)?$`, case-insensitive.
    pub(crate) valid: ByteDfa<'a>,
    /// The extension pattern, reversed, for a search anchored at the end.
    pub(crate) extension: ByteDfa<'a>,
    /// RFC 3966 `global-number-digits`, the whole text.
    pub(crate) context_digits: ByteDfa<'a>,
    /// RFC 3966 `domainname`, the whole text.
    pub(crate) context_domain: ByteDfa<'a>,
    pub(crate) regions: Vec<RegionParse<'a>>,
    /// Calling codes in increasing order, each with its regions (indices
    /// into `regions`, the main region first).
    pub(crate) codes: Vec<(u16, Vec<u16>)>,
}

/// Is `c` in one of the `(first, last)` u32 LE pairs of `ranges` (sorted)?
/// Returns the pair's first code point.
pub(crate) fn range_start(ranges: &[u8], c: u32) -> Option<u32> {
    let pair = |i: usize| -> Option<(u32, u32)> {
        let b = ranges.get(8 * i..8 * i + 8)?;
        Some((
            u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        ))
    };
    let (mut lo, mut hi) = (0, ranges.len() / 8);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let (first, last) = pair(mid)?;
        if c < first {
            hi = mid;
        } else if c > last {
            lo = mid + 1;
        } else {
            return Some(first);
        }
    }
    None
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> RegionParse<'a> {
    /// The marked DFAs of the national prefix's alternatives, in order.
    pub(crate) fn marked(&self) -> impl Iterator<Item = SymDfa<'a>> {
        let mut r = Reader {
            bytes: self.marked,
            at: 0,
        };
        (0..self.marked_count).map_while(move |_| r.sym_dfa())
    }
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        let b = self.take(2)?;
        Some(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn byte_dfa(&mut self) -> Option<ByteDfa<'a>> {
        let width = usize::from(self.u16()?);
        let states = usize::from(self.u16()?);
        Some(ByteDfa {
            classes: self.take(256)?,
            width,
            next: self.take(states * width * 2)?,
            flags: self.take(states)?,
        })
    }
    fn sym_dfa(&mut self) -> Option<SymDfa<'a>> {
        let width = usize::from(self.u8()?);
        let states = usize::from(self.u16()?);
        Some(SymDfa {
            width,
            next: self.take(states * width * 2)?,
            flags: self.take(states)?,
        })
    }
    fn pattern(&mut self) -> Option<Pattern<'a>> {
        Some(match self.u8()? {
            0 => Pattern::None,
            1 => Pattern::Empty,
            _ => Pattern::Dfa(self.sym_dfa()?),
        })
    }
    fn region(&mut self) -> Option<RegionParse<'a>> {
        let id_len = usize::from(self.u8()?);
        let id = std::str::from_utf8(self.take(id_len)?).ok()?;
        let country_code = self.u16()?;
        let possible = self.u64()?;
        let local_only = self.u64()?;
        let idd = self.pattern()?;
        let npp = self.pattern()?;
        let rule = match self.u8()? {
            0 => None,
            _ => {
                let len = usize::from(self.u8()?);
                Some(self.take(len)?)
            }
        };
        let marked_count = self.u8()?;
        let from = self.at;
        for _ in 0..marked_count {
            self.sym_dfa()?;
        }
        let marked = &self.bytes[from..self.at];
        Some(RegionParse {
            id,
            country_code,
            possible,
            local_only,
            idd,
            npp,
            rule,
            marked,
            marked_count,
        })
    }
}

impl<'a> ParseTables<'a> {
    /// Reads the tables of `bytes`; `None` for bytes that are not a whole
    /// file of this format.
    pub(crate) fn read(bytes: &'a [u8]) -> Option<ParseTables<'a>> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let n = r.u32()? as usize;
        let digits = r.take(n.checked_mul(8)?)?;
        let n = r.u32()? as usize;
        let unwanted = r.take(n.checked_mul(8)?)?;
        let valid = r.byte_dfa()?;
        let extension = r.byte_dfa()?;
        let context_digits = r.byte_dfa()?;
        let context_domain = r.byte_dfa()?;
        let n = usize::from(r.u16()?);
        let mut regions = Vec::with_capacity(n);
        for _ in 0..n {
            regions.push(r.region()?);
        }
        let n = usize::from(r.u16()?);
        let mut codes = Vec::with_capacity(n);
        for _ in 0..n {
            let code = r.u16()?;
            let count = usize::from(r.u8()?);
            let mut list = Vec::with_capacity(count);
            for _ in 0..count {
                let i = r.u16()?;
                if usize::from(i) >= regions.len() {
                    return None;
                }
                list.push(i);
            }
            codes.push((code, list));
        }
        (r.at == bytes.len()).then_some(ParseTables {
            digits,
            unwanted,
            valid,
            extension,
            context_digits,
            context_domain,
            regions,
            codes,
        })
    }

    /// The regions of a calling code, the main one first.
    pub(crate) fn regions_of(&self, code: u16) -> &[u16] {
        match self.codes.binary_search_by_key(&code, |(c, _)| *c) {
            Ok(i) => &self.codes[i].1,
            Err(_) => &[],
        }
    }

    /// The value of a Unicode decimal digit.
    pub(crate) fn digit_value(&self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return c.is_ascii_digit().then(|| c as u8 - b'0');
        }
        let first = range_start(self.digits, c as u32)?;
        Some(((c as u32 - first) % 10) as u8)
    }

    /// A character libphonenumber trims from the end of a number.
    pub(crate) fn is_unwanted_end(&self, c: char) -> bool {
        if c.is_ascii() {
            return !c.is_ascii_alphanumeric() && c != '#';
        }
        range_start(self.unwanted, c as u32).is_some()
    }
}

// The file, in order (integers little-endian):
//   MAGIC;
//   u32 n, n × (u32 first, u32 last): the digit runs;
//   u32 n, n × (u32 first, u32 last): the unwanted end characters;
//   four byte DFAs: valid, extension (reversed), context digits, context
//     domain; each u16 classes, u16 states, 256 class bytes,
//     states × classes u16 next states, states u8 flags;
//   u16 n, n regions: u8 id length, id, u16 calling code, u64 possible
//     lengths, u64 local-only lengths, IDD pattern, national prefix
//     pattern (each u8 0 none / 1 empty / 2 followed by a symbol DFA: u8
//     symbols, u16 states, states × symbols u16, states u8 flags), u8 rule
//     present, [u8 length, rule bytes], u8 count of marked alternatives,
//     that many symbol DFAs;
//   u16 n, n calling codes: u16 code, u8 count, count × u16 region index.
