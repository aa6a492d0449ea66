//! The two-phase protocol with an arbitrary existing set.
//!
//! Input: 4 header bytes, then the request body, then optionally a 0xFF
//! byte (never part of valid UTF-8 JSON) followed by extra existing data.
//! - byte 0: the profile;
//! - bytes 1-2: which of the prepared keys the host reports as existing;
//! - byte 3: flags (stored ids as numbers or strings, the stored contact
//!   of rasl-update and whose phone it has);
//! - the bytes after 0xFF: 8-byte words, each an extra phone, id or
//!   external ref that the host also holds.
//!
//! Checks: `resolve(prepare(body))` on the sequential engine equals
//! `respond(body)` on the parallel one; resolving twice gives the same
//! outcome; keys are the same whatever the thread count; extra existing
//! data that is not among the prepared keys changes nothing (the host only
//! has to answer for the keys it is asked about); and every invariant of
//! `fuzz_checks::check_outcome`.
#![no_main]

use contact_batch::{Existing, Node, Object, PhoneKey, Profile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let profile = Profile::ALL[usize::from(data[0]) % Profile::ALL.len()];
    let mask = u16::from_le_bytes([data[1], data[2]]);
    let flags = data[3];
    let rest = &data[4..];
    let (body, extra) = match rest.iter().position(|&b| b == 0xFF) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };

    let (seq, par) = fuzz_checks::engines(profile);
    let prepared = seq.prepare(body);
    let keys = prepared.keys().clone();
    assert_eq!(&keys, par.prepare(body).keys(), "keys depend on threads");

    let stored_id = |i: usize| -> Node<'static> {
        if flags & 1 == 0 {
            Node::from((i + 1) as u64)
        } else {
            Node::from(format!("ct_{}", i + 1))
        }
    };
    let bit = |i: usize| mask & (1 << (i % 16)) != 0;

    // What the host found among the keys it was asked about.
    let mut sub = Existing::new();
    for (i, p) in keys.phones.iter().enumerate() {
        if bit(i) {
            let key = PhoneKey::from_e164(p).expect("prepared keys are E.164");
            sub.add_phone(key, stored_id(i));
        }
    }
    for (i, id) in keys.ids.iter().enumerate() {
        if bit(i) {
            sub.add_id(*id);
        }
    }
    for (i, (provider, id)) in keys.external_refs.iter().enumerate() {
        if bit(i) {
            sub.add_external_ref(provider, id);
        }
    }
    if flags & 2 != 0 {
        // rasl-update's stored contact: id 1 (or "1"), with the first
        // prepared phone when flag 4 says so.
        let phone = match keys.phones.first() {
            Some(p) if flags & 4 != 0 => Node::from(p.as_str()),
            _ => Node::from("+442071838750"),
        };
        let mut contact = Object::new();
        contact.insert("id", stored_id(0));
        contact.insert("firstname", Node::from("Stored"));
        contact.insert("phone", phone);
        sub.contact = Some(contact);
    }
    if flags & 8 != 0 {
        sub.record_list_id = Some("rl/../x?y".into());
    }

    // The same plus entries the host was not asked about.
    let mut full = sub.clone();
    for word in extra.chunks_exact(8) {
        let n = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        match n % 3 {
            0 => {
                let e164 = format!("+{}", (n / 3) % 1_000_000_000_000_000);
                if let Some(k) = PhoneKey::from_e164(&e164) {
                    if !keys.phones.contains(&k.to_string()) {
                        full.add_phone(k, n);
                    }
                }
            }
            1 => {
                let id = ((n / 3) % 5000) as i64;
                if !keys.ids.contains(&id) {
                    full.add_id(id);
                }
            }
            _ => {
                let pair = (format!("p{}", n % 7), format!("{}", (n / 7) % 100));
                if !keys.external_refs.contains(&pair) {
                    full.add_external_ref(&pair.0, &pair.1);
                }
            }
        }
    }

    let outcome = seq.resolve(&prepared, &full);
    assert_eq!(
        outcome,
        seq.resolve(&prepared, &full),
        "resolve is not repeatable"
    );
    assert_eq!(
        outcome,
        par.respond(body, &full),
        "one-call and two-phase differ"
    );
    assert_eq!(
        outcome,
        seq.resolve(&prepared, &sub),
        "existing data outside the prepared keys changed the outcome"
    );
    fuzz_checks::check_outcome(seq, body, &prepared, &outcome, &full);
});
