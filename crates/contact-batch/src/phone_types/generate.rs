//! Builds `data/phone_types.bin` from the vendored metadata (tests only:
//! the committed file is what the engine reads).

use prost::Message;
use regex_automata::dfa::dense;
use regex_automata::nfa::thompson;
use regex_automata::{util::syntax, MatchKind};

use super::{LEADING_ALWAYS, SAME_MOBILE_AND_FIXED};
use crate::phone_metadata::ascii_digits;

/// `rlibphonenumber`'s shortest wrapped pattern, `^(?:)$`: shorter bases
/// compile as the empty regex.
const MIN_WRAPPED: usize = 6;

/// What a desc asks of a number, besides its pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DescRule {
    /// Bit `n` set: length `n` is possible. Only read when `checked`.
    lengths: u64,
    /// The desc lists possible lengths (an empty list checks nothing).
    checked: bool,
    /// 0: the desc has no pattern (never matches); 1: its pattern is in the
    /// DFA; 2: its pattern is too short to be wrapped and, as in
    /// `rlibphonenumber`, matches everything.
    pattern: u8,
}

/// The whole file's bytes, from the vendored metadata.
pub(crate) fn table_bytes() -> Vec<u8> {
    table_bytes_from(crate::phone_metadata::metadata_bytes())
}

/// The whole file's bytes, from a `PhoneMetadataCollection` protobuf.
#[allow(deprecated)]
pub(crate) fn table_bytes_from(metadata: &[u8]) -> Vec<u8> {
    let collection =
        rlibphonenumber::PhoneMetadataCollection::decode(metadata).expect("the metadata decodes");
    let mut out = Vec::new();
    for m in &collection.metadata {
        let descs = [
            &m.general_desc,
            &m.premium_rate,
            &m.toll_free,
            &m.shared_cost,
            &m.voip,
            &m.personal_number,
            &m.pager,
            &m.uan,
            &m.voicemail,
            &m.fixed_line,
            &m.mobile,
        ];
        let mut rules = [DescRule {
            lengths: 0,
            checked: false,
            pattern: 0,
        }; 11];
        // Patterns the DFA holds: one per desc (a never-matching one where
        // the desc has none) and the leading digits.
        let mut patterns: Vec<String> = Vec::with_capacity(12);
        for (rule, desc) in rules.iter_mut().zip(descs) {
            let base = desc
                .as_ref()
                .and_then(|d| d.national_number_pattern.clone());
            if let Some(d) = desc {
                rule.checked = !d.possible_length.is_empty();
                for &l in &d.possible_length {
                    if (0..64).contains(&l) {
                        rule.lengths |= 1 << l;
                    }
                }
            }
            rule.pattern = match &base {
                None => 0,
                Some(b) if b.len() < MIN_WRAPPED => 2,
                Some(_) => 1,
            };
            patterns.push(match base {
                Some(b) if b.len() >= MIN_WRAPPED => ascii_digits(&b),
                _ => r"[^\s\S]".to_owned(),
            });
        }
        let mut flags = 0;
        if m.same_mobile_and_fixed_line_pattern == Some(true) {
            flags |= SAME_MOBILE_AND_FIXED;
        }
        match &m.leading_digits {
            None => patterns.push(r"[^\s\S]".to_owned()),
            Some(ld) => {
                // `rlibphonenumber` drops the base's final `$`.
                if ld.len() < MIN_WRAPPED {
                    flags |= LEADING_ALWAYS;
                    patterns.push(r"[^\s\S]".to_owned());
                } else {
                    let ld = ascii_digits(ld);
                    patterns.push(ld[..ld.len() - 1].to_owned());
                }
            }
        }
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .match_kind(MatchKind::All)
                    .start_kind(regex_automata::dfa::StartKind::Anchored)
                    .minimize(true),
            )
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .thompson(thompson::Config::new().utf8(false))
            .build_many(&patterns)
            .unwrap_or_else(|e| panic!("region {}: {e}", m.id));
        let flat = flatten(&dfa);

        out.push(u8::try_from(m.id.len()).expect("short ids"));
        out.extend_from_slice(m.id.as_bytes());
        out.extend_from_slice(&m.country_code.unwrap_or(0).to_le_bytes());
        out.push(flags);
        let (len_ok, unchecked, patterned, always) = desc_masks(&rules);
        for m in len_ok.iter().chain(&[unchecked, patterned, always]) {
            out.extend_from_slice(&m.to_le_bytes());
        }
        let states = flat.state_flags.len();
        out.extend_from_slice(&u16::try_from(states).expect("few states").to_le_bytes());
        for &n in &flat.next {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&flat.state_flags);
        for &m in &flat.eoi {
            out.extend_from_slice(&m.to_le_bytes());
        }
    }
    out
}

/// A DFA's states reachable from its anchored start over the ten ASCII
/// digits (a national significant number has no other byte), renumbered
/// from 0 (the start) in breadth-first order.
fn flatten(dfa: &dense::DFA<Vec<u32>>) -> Flat {
    use regex_automata::dfa::Automaton;
    use regex_automata::util::primitives::StateID;
    use regex_automata::{Anchored, Input};
    use std::collections::HashMap;

    let start = dfa
        .start_state_forward(&Input::new(b"0").anchored(Anchored::Yes))
        .expect("an anchored start state");
    let mut ids: HashMap<StateID, u16> = HashMap::from([(start, 0)]);
    let mut order = vec![start];
    let mut flat = Flat::default();
    let mut at = 0;
    while at < order.len() {
        let state = order[at];
        at += 1;
        for b in b'0'..=b'9' {
            let next = dfa.next_state(state, b);
            let len = ids.len();
            let id = *ids.entry(next).or_insert_with(|| {
                order.push(next);
                u16::try_from(len).expect("at most 65,535 states")
            });
            flat.next.push(id);
        }
        let mut state_flags = 0;
        if dfa.is_match_state(state) {
            state_flags |= super::STATE_MATCH;
        }
        if dfa.is_dead_state(state) {
            state_flags |= super::STATE_DEAD;
        }
        flat.state_flags.push(state_flags);
        let end = dfa.next_eoi_state(state);
        let mut eoi = 0u16;
        if dfa.is_match_state(end) {
            for i in 0..dfa.match_len(end) {
                eoi |= 1 << dfa.match_pattern(end, i).as_usize();
            }
        }
        flat.eoi.push(eoi);
    }
    flat
}

/// [`flatten`]'s tables, as the file holds them.
#[derive(Default)]
struct Flat {
    /// `next[state * 10 + digit]`.
    next: Vec<u16>,
    /// [`super::STATE_MATCH`], [`super::STATE_DEAD`] per state.
    state_flags: Vec<u8>,
    /// Per state: bit `i` set when pattern `i` (the leading digits at
    /// [`super::LEADING`] included) matches if the digits end there.
    eoi: Vec<u16>,
}

/// The masks of a [`super::RegionTable`] from its descs' rules.
fn desc_masks(descs: &[DescRule; 11]) -> ([u16; 64], u16, u16, u16) {
    let (mut len_ok, mut unchecked, mut patterned, mut always) = ([0u16; 64], 0, 0, 0);
    for (i, d) in descs.iter().enumerate() {
        let bit = 1u16 << i;
        if !d.checked {
            unchecked |= bit;
        }
        for (n, ok) in len_ok.iter_mut().enumerate() {
            if !d.checked || d.lengths & (1 << n) != 0 {
                *ok |= bit;
            }
        }
        match d.pattern {
            0 => {}
            2 => always |= bit,
            _ => patterned |= bit,
        }
    }
    (len_ok, unchecked, patterned, always)
}
