//! Builds `data/phone_parse.bin` (tests only: the committed file is what
//! the engine reads).
//!
//! Sources: the vendored metadata the engine loads
//! (`phone_metadata::metadata_bytes`, with `\d` spelled `[0-9]` as there),
//! and libphonenumber's global patterns as `rlibphonenumber` 2.2.15 builds
//! them (valid number, extensions for parsing, RFC 3966 phone context),
//! written out below from libphonenumber's constants. Each pattern is
//! compiled with `regex-automata` (the engine of the `regex` crate the
//! library matches with, so `\p{Nd}`, `(?i)` case folding and `$` mean the
//! same) into a DFA, and flattened to the states its start reaches.
//!
//! Unicode tables (decimal digits, the characters trimmed from the end of a
//! number) are read from the `regex` crate's Unicode 16 tables, the
//! version of the `UnicodeData.txt` `rlibphonenumber` builds its own from;
//! a test compares every code point with the library.

use prost::Message;
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::nfa::thompson;
use regex_automata::util::primitives::StateID;
use regex_automata::{util::syntax, Anchored, Input, MatchKind};
use std::collections::HashMap;

use super::tables::{F_DEAD, F_EOI, F_MATCH, GROUP_REF, MAGIC};
use crate::phone_metadata::ascii_digits;

/// `rlibphonenumber`'s shortest wrapped pattern, `^(?:)$`: shorter bases
/// compile as the empty regex.
const MIN_WRAPPED: usize = 6;

// libphonenumber's constants, as rlibphonenumber 2.2.15 spells them.
const DIGITS: &str = r"\p{Nd}";
const PLUS_CHARS: &str = "+\u{FF0B}";
const VALID_PUNCTUATION: &str = "-x\u{2010}-\u{2015}\u{2212}\u{30FC}\u{FF0D}-\u{FF0F} \u{00A0}\u{00AD}\u{200B}\u{2060}\u{3000}()\u{FF08}\u{FF09}\u{FF3B}\u{FF3D}.\\[\\]/~\u{2053}\u{223C}";

/// The extension pattern for parsing (`createExtnPattern(true)`).
pub(crate) fn extension_pattern() -> String {
    let digits = |max: u32| format!("([{DIGITS}]{{1,{max}}})");
    let explicit_labels =
        "(?:e?xt(?:ensi(?:o\u{0301}?|\u{00F3}))?n?|(?:\u{FF45})?\u{FF58}\u{FF54}(?:\u{FF4E})?|\u{0434}\u{043E}\u{0431}|anexo)";
    let ambiguous_labels = "(?:[x\u{FF58}#\u{FF03}~\u{FF5E}]|int|\u{FF49}\u{FF4E}\u{FF54})";
    let separators = "[ \u{00A0}\\t,]*";
    let after_label = "[:\\.\u{FF0E}]?[ \u{00A0}\\t,-]*";
    let rfc = format!(";ext={}", digits(20));
    let explicit = format!("{separators}{explicit_labels}{after_label}{}#?", digits(20));
    let ambiguous = format!("{separators}{ambiguous_labels}{after_label}{}#?", digits(9));
    let american = format!("[- ]+{}#", digits(6));
    let no_comma = "[ \u{00A0}\t]*";
    let auto_dialling = format!("{no_comma}(?:,{{2}}|;){after_label}{}#?", digits(15));
    let only_commas = format!("{no_comma}(?:,)+{after_label}{}#?", digits(9));
    format!("{rfc}|{explicit}|{ambiguous}|{american}|{auto_dialling}|{only_commas}")
}

/// `VALID_PHONE_NUMBER` with the extension pattern, anchored.
fn valid_pattern() -> String {
    let valid = format!(
        "[{PLUS_CHARS}]*(?:[{VALID_PUNCTUATION}*]*[{DIGITS}]){{3,}}[{VALID_PUNCTUATION}*a-z{DIGITS}]*|[{DIGITS}]{{2}}"
    );
    format!("(?i)^(?:{valid})(?:{})?$", extension_pattern())
}

fn context_patterns() -> (String, String) {
    let phone_digit = format!(r"([{DIGITS}]|[\-\.\(\)]?)");
    let digits = format!(r"^\+{phone_digit}*[{DIGITS}]{phone_digit}*$");
    let alphanum = format!("A-Za-z{DIGITS}");
    let label = format!(r"[{alphanum}]+((\-)*[{alphanum}])*");
    let top = format!(r"[A-Za-z]+((\-)*[{alphanum}])*");
    let domain = format!(r"^({label}\.)*{top}\.?$");
    (digits, domain)
}

/// A flattened DFA: `next[state * width + symbol]`, flags per state.
#[derive(Debug, Default, Clone)]
pub(crate) struct Flat {
    pub(crate) width: usize,
    pub(crate) next: Vec<u16>,
    pub(crate) flags: Vec<u8>,
}

/// Flattens `dfa` from its anchored start over `symbols` (bytes).
fn flatten(dfa: &dense::DFA<Vec<u32>>, symbols: &[u8], reverse: bool) -> Flat {
    let input = Input::new(b"").anchored(Anchored::Yes);
    let start = if reverse {
        dfa.start_state_reverse(&input)
    } else {
        dfa.start_state_forward(&input)
    }
    .expect("an anchored start state");
    let mut ids: HashMap<StateID, u16> = HashMap::from([(start, 0)]);
    let mut order = vec![start];
    let mut flat = Flat {
        width: symbols.len(),
        ..Flat::default()
    };
    let mut at = 0;
    while at < order.len() {
        let state = order[at];
        at += 1;
        for &b in symbols {
            let next = dfa.next_state(state, b);
            let len = ids.len();
            let id = *ids.entry(next).or_insert_with(|| {
                order.push(next);
                u16::try_from(len).expect("at most 65,535 states")
            });
            flat.next.push(id);
        }
        let mut f = 0;
        if dfa.is_match_state(state) {
            f |= F_MATCH;
        }
        if dfa.is_dead_state(state) {
            f |= F_DEAD;
        }
        assert!(!dfa.is_quit_state(state), "no quit states");
        if dfa.is_match_state(dfa.next_eoi_state(state)) {
            f |= F_EOI;
        }
        flat.flags.push(f);
    }
    flat
}

fn build(pattern: &str, kind: MatchKind, unicode: bool, reverse: bool) -> dense::DFA<Vec<u32>> {
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(kind)
                .start_kind(StartKind::Anchored)
                .minimize(true),
        )
        .syntax(syntax::Config::new().unicode(unicode).utf8(unicode))
        .thompson(thompson::Config::new().utf8(unicode).reverse(reverse))
        .build(pattern)
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
}

/// A byte DFA's bytes: its class map, then the flat table over one
/// representative byte per class.
fn byte_dfa(pattern: &str, reverse: bool) -> Vec<u8> {
    let dfa = build(pattern, MatchKind::All, true, reverse);
    let classes = dfa.byte_classes();
    let width = classes.alphabet_len() - 1; // without the end-of-input class
    let mut reps = vec![None; width];
    for b in 0..=255u8 {
        let c = usize::from(classes.get(b));
        if reps[c].is_none() {
            reps[c] = Some(b);
        }
    }
    let reps: Vec<u8> = reps
        .into_iter()
        .map(|r| r.expect("a byte per class"))
        .collect();
    let flat = flatten(&dfa, &reps, reverse);
    let mut out = Vec::new();
    out.extend_from_slice(&u16::try_from(width).unwrap().to_le_bytes());
    out.extend_from_slice(&u16::try_from(flat.flags.len()).unwrap().to_le_bytes());
    for b in 0..=255u8 {
        out.push(classes.get(b));
    }
    for n in &flat.next {
        out.extend_from_slice(&n.to_le_bytes());
    }
    out.extend_from_slice(&flat.flags);
    out
}

/// The symbols of digit DFAs, and of marked ones (markers after digits).
const DIGIT_SYMBOLS: &[u8] = b"0123456789";
const MARKED_SYMBOLS: &[u8] = b"0123456789abcde";

pub(crate) fn sym_dfa(pattern: &str, kind: MatchKind, symbols: &[u8]) -> Flat {
    flatten(&build(pattern, kind, false, false), symbols, false)
}

fn push_sym(out: &mut Vec<u8>, flat: &Flat) {
    out.push(u8::try_from(flat.width).unwrap());
    out.extend_from_slice(&u16::try_from(flat.flags.len()).unwrap().to_le_bytes());
    for n in &flat.next {
        out.extend_from_slice(&n.to_le_bytes());
    }
    out.extend_from_slice(&flat.flags);
}

/// `^(?:pattern)` of a wrapped metadata pattern (`^(?:pattern)$`), with
/// ASCII digits: what `rlibphonenumber` compiles as `anchor_start`.
/// `None`: no pattern; `Some(None)`: too short, the empty regex.
fn anchor_start(base: Option<&String>) -> Option<Option<String>> {
    let base = base?;
    if base.len() < MIN_WRAPPED {
        return Some(None);
    }
    Some(Some(ascii_digits(&base[..base.len() - 1])))
}

fn push_pattern(out: &mut Vec<u8>, base: Option<&String>) {
    match anchor_start(base) {
        None => out.push(0),
        Some(None) => out.push(1),
        Some(Some(p)) => {
            out.push(2);
            push_sym(out, &sym_dfa(&p, MatchKind::LeftmostFirst, DIGIT_SYMBOLS));
        }
    }
}

/// A pattern with each capture group's parentheses spelled as markers
/// (`a`/`b` open and close group 1, `c`/`d` group 2) and each `$` as `e`.
pub(crate) fn marked(pattern: &str) -> String {
    let mut out = String::new();
    let mut groups = 0;
    let mut stack: Vec<Option<usize>> = Vec::new();
    let mut class = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                out.push(chars.next().expect("no trailing backslash"));
            }
            '[' => {
                class += 1;
                out.push(c);
            }
            ']' if class > 0 => {
                class -= 1;
                out.push(c);
            }
            _ if class > 0 => out.push(c),
            '(' if chars.peek() == Some(&'?') => {
                stack.push(None);
                out.push(c);
            }
            '(' => {
                groups += 1;
                assert!(groups <= 2, "{pattern}: more than two groups");
                stack.push(Some(groups));
                out.push_str("(?:");
                out.push(if groups == 1 { 'a' } else { 'c' });
                out.push_str("(?:");
            }
            ')' => {
                if let Some(g) = stack.pop().expect("balanced") {
                    out.push(')');
                    out.push(if g == 1 { 'b' } else { 'd' });
                }
                out.push(c);
            }
            '$' => out.push('e'),
            _ => out.push(c),
        }
    }
    out
}

/// The top-level alternatives of a marked `^(?:...)` pattern, in order
/// (the priority `regex` gives them).
pub(crate) fn branches(marked: &str) -> Vec<String> {
    let inner = marked
        .strip_prefix("^(?:")
        .and_then(|p| p.strip_suffix(')'))
        .expect("an anchored pattern");
    let mut out = vec![String::new()];
    let (mut depth, mut class) = (0usize, 0usize);
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.last_mut().unwrap().push(c);
                out.last_mut().unwrap().push(chars.next().unwrap());
                continue;
            }
            '[' => class += 1,
            ']' if class > 0 => class -= 1,
            _ if class > 0 => {}
            '(' => depth += 1,
            ')' => depth -= 1,
            '|' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().unwrap().push(c);
    }
    out
}

/// The transform rule as `regex`'s `replace` reads it: `$n`/`${n}` a
/// group, `$$` a dollar, else literal bytes.
pub(crate) fn encode_rule(rule: &str) -> Vec<u8> {
    let b = rule.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let name_char = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let group = |out: &mut Vec<u8>, name: &[u8]| {
        // A name that is not a number names no group of these patterns.
        if let Ok(n) = std::str::from_utf8(name).unwrap().parse::<u8>() {
            if n <= 2 {
                out.push(GROUP_REF + n);
            }
        }
    };
    while i < b.len() {
        if b[i] != b'$' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'$') {
            out.push(b'$');
            i += 2;
        } else if b.get(i + 1) == Some(&b'{') {
            match b[i + 2..].iter().position(|&c| c == b'}') {
                Some(len) if len > 0 => {
                    group(&mut out, &b[i + 2..i + 2 + len]);
                    i += len + 3;
                }
                _ => {
                    out.push(b'$');
                    i += 1;
                }
            }
        } else {
            let len = b[i + 1..].iter().take_while(|&&c| name_char(c)).count();
            if len == 0 {
                out.push(b'$');
                i += 1;
            } else {
                group(&mut out, &b[i + 1..i + 1 + len]);
                i += len + 1;
            }
        }
    }
    out
}

/// True when two different marker placements spell the same text: the
/// captures of a match would then depend on `regex`'s priorities, which the
/// marked DFA does not keep.
pub(crate) fn ambiguous(dfa: &Flat) -> bool {
    let step = |s: usize, sym: usize| usize::from(dfa.next[s * dfa.width + sym]);
    let dead = |s: usize| dfa.flags[s] & F_DEAD != 0;
    // The states reachable by markers alone, with the markers taken.
    let closure = |s: usize| -> Vec<(usize, Vec<usize>)> {
        let mut out = vec![(s, Vec::new())];
        let mut at = 0;
        while at < out.len() {
            let (state, taken) = out[at].clone();
            at += 1;
            if taken.len() >= 5 {
                continue;
            }
            for m in 10..dfa.width {
                let n = step(state, m);
                if !dead(n) && !taken.contains(&m) {
                    let mut t = taken.clone();
                    t.push(m);
                    out.push((n, t));
                }
            }
        }
        out
    };
    let mut seen = std::collections::HashSet::new();
    let mut queue = vec![(0usize, 0usize, false)];
    while let Some((a, b, differ)) = queue.pop() {
        if !seen.insert((a, b, differ)) {
            continue;
        }
        for (ta, wa) in closure(a) {
            for (tb, wb) in closure(b) {
                let d = differ || wa != wb;
                if d && dfa.flags[ta] & F_EOI != 0 && dfa.flags[tb] & F_EOI != 0 {
                    return true;
                }
                for digit in 0..10 {
                    let (na, nb) = (step(ta, digit), step(tb, digit));
                    if !dead(na) && !dead(nb) {
                        queue.push((na, nb, d));
                    }
                }
            }
        }
    }
    false
}

fn length_mask(lengths: &[i32]) -> u64 {
    let mut mask = 0u64;
    for &l in lengths {
        if l == -1 {
            mask = 0;
        } else if (0..64).contains(&l) {
            mask |= 1 << l;
        }
    }
    mask
}

/// Runs of code points for which `test` holds, as (first, last).
fn runs(test: impl Fn(char) -> bool) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        if test(c) {
            match out.last_mut() {
                Some((_, last)) if *last + 1 == c as u32 => *last = c as u32,
                _ => out.push((c as u32, c as u32)),
            }
        }
    }
    out
}

fn push_runs(out: &mut Vec<u8>, runs: &[(u32, u32)]) {
    out.extend_from_slice(&u32::try_from(runs.len()).unwrap().to_le_bytes());
    for (a, b) in runs {
        out.extend_from_slice(&a.to_le_bytes());
        out.extend_from_slice(&b.to_le_bytes());
    }
}

/// The decimal digit runs, split so each starts at a digit zero: the
/// digits `rlibphonenumber`'s `normalize_digits_only` knows (its Unicode 17
/// `UnicodeData.txt`), asked character by character.
pub(crate) fn digit_runs(util: &rlibphonenumber::PhoneNumberUtil) -> Vec<(u32, u32)> {
    let value = |c: char| {
        util.normalize_digits_only(c.encode_utf8(&mut [0; 4]))
            .bytes()
            .next()
    };
    let mut out = Vec::new();
    for (first, last) in runs(|c| value(c).is_some()) {
        for c in first..=last {
            let want = b'0' + ((c - first) % 10) as u8;
            assert_eq!(value(char::from_u32(c).unwrap()), Some(want), "{c:#x}");
        }
        assert_eq!((last - first + 1) % 10, 0, "digits {first:#x}..{last:#x}");
        let mut at = first;
        while at <= last {
            out.push((at, at + 9));
            at += 10;
        }
    }
    out
}

/// The characters `rlibphonenumber` trims from the end of a number: those
/// its Unicode 17 tables call assigned and neither a letter nor a number,
/// `#` aside. The `regex` crate's tables (Unicode 16) give the categories
/// of the characters assigned by 16; for those unassigned in 16 in the
/// planes Unicode 17 assigns in (0-3, 14), the library is asked: `+1 650
/// 253 0000` and the character parses when it trims the character (such a
/// character is no viable-number character for its Unicode 16 patterns).
fn unwanted_runs(util: &rlibphonenumber::PhoneNumberUtil) -> Vec<(u32, u32)> {
    let unwanted = regex::Regex::new(r"^[^\p{N}\p{L}\p{Cn}#]$").unwrap();
    let unassigned = regex::Regex::new(r"^\p{Cn}$").unwrap();
    runs(|c| {
        let s = c.encode_utf8(&mut [0; 4]).to_owned();
        if unassigned.is_match(&s) {
            let plane = c as u32 >> 16;
            (plane <= 3 || plane == 14) && util.parse(format!("+16502530000{s}"), None).is_ok()
        } else {
            unwanted.is_match(&s)
        }
    })
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
    let util = crate::phone_metadata::load_util_from(metadata).expect("the oracle");
    let mut out = MAGIC.to_vec();
    push_runs(&mut out, &digit_runs(&util));
    push_runs(&mut out, &unwanted_runs(&util));
    out.extend(byte_dfa(&valid_pattern(), false));
    out.extend(byte_dfa(&format!("(?i)(?:{})", extension_pattern()), true));
    let (digits, domain) = context_patterns();
    out.extend(byte_dfa(&digits, false));
    out.extend(byte_dfa(&domain, false));

    let entries: Vec<_> = collection
        .metadata
        .iter()
        .filter(|m| m.country_code.is_some())
        .collect();
    out.extend_from_slice(&u16::try_from(entries.len()).unwrap().to_le_bytes());
    let mut codes: std::collections::BTreeMap<u16, std::collections::VecDeque<u16>> =
        Default::default();
    for (i, m) in entries.iter().enumerate() {
        let code = u16::try_from(m.country_code.unwrap()).expect("a calling code");
        let list = codes.entry(code).or_default();
        let i = u16::try_from(i).unwrap();
        if m.main_country_for_code() && !list.is_empty() {
            list.push_front(i);
        } else {
            list.push_back(i);
        }
        out.push(u8::try_from(m.id.len()).unwrap());
        out.extend_from_slice(m.id.as_bytes());
        out.extend_from_slice(&code.to_le_bytes());
        let general = m.general_desc.clone().unwrap_or_default();
        out.extend_from_slice(&length_mask(&general.possible_length).to_le_bytes());
        out.extend_from_slice(&length_mask(&general.possible_length_local_only).to_le_bytes());
        push_pattern(&mut out, m.international_prefix.as_ref());
        push_pattern(&mut out, m.national_prefix_for_parsing.as_ref());
        let rule = m
            .national_prefix_transform_rule
            .as_deref()
            .filter(|r| !r.is_empty());
        match rule {
            None => out.push(0),
            Some(r) => {
                let enc = encode_rule(r);
                out.push(1);
                out.push(u8::try_from(enc.len()).unwrap());
                out.extend(enc);
            }
        }
        match (rule, anchor_start(m.national_prefix_for_parsing.as_ref())) {
            (Some(_), Some(Some(p))) => {
                let branches = branches(&marked(&p));
                out.push(u8::try_from(branches.len()).unwrap());
                for branch in branches {
                    let flat = sym_dfa(&format!("^(?:{branch})"), MatchKind::All, MARKED_SYMBOLS);
                    assert!(
                        !ambiguous(&flat),
                        "{}: the national prefix pattern {p} has ambiguous captures in {branch}",
                        m.id
                    );
                    push_sym(&mut out, &flat);
                }
            }
            _ => out.push(0),
        }
    }
    out.extend_from_slice(&u16::try_from(codes.len()).unwrap().to_le_bytes());
    for (code, list) in codes {
        out.extend_from_slice(&code.to_le_bytes());
        out.push(u8::try_from(list.len()).unwrap());
        for i in list {
            out.extend_from_slice(&i.to_le_bytes());
        }
    }
    out
}
