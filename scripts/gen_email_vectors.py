#!/usr/bin/env python3
"""Generate the email domain vectors of the contact-batch core crate.

Output: crates/contact-batch/tests/data/email_domain_vectors.jsonl (committed;
do not edit by hand). Checked by crates/contact-batch/tests/it/email_vectors.rs.

The expected A-label (ASCII) form of each domain comes from the Python
``idna`` package, the reference implementation of IDNA 2008 with the UTS #46
mapping: ``idna.encode(domain, uts46=True, std3_rules=True,
transitional=False)``, after lowercasing as the engine lowercases a domain
(one character at a time, a character whose lowercase is several kept, the
ideographic and full-width full stops read as ``.``). The engine checks a
domain with strict UTS #46 (the Rust ``idna`` crate's
``domain_to_ascii_strict``: STD3 ASCII rules, hyphen checks, DNS lengths) and
the address rules on top (at least one dot, labels through ``email_address``).

Regenerate (from the repository root):

    python3 -m venv /tmp/idnav && /tmp/idnav/bin/pip install idna==3.20
    /tmp/idnav/bin/python scripts/gen_email_vectors.py

``--check`` exits 1, writing nothing, when the committed file differs.

One JSON object per line:

    {"domain": "...", "ascii": "xn--..." | null, "error": "..." | null,
     "note": "..." (only where the engine deliberately differs)}

``ascii`` null means the reference refuses the domain (``error`` says why);
the engine must then refuse ``user@<domain>``, and otherwise accept it with
``ascii`` as the domain of its key.

DELIBERATE DIFFERENCES, marked here with ``engine_valid: false`` and a note:

* A domain without a dot is refused by the engine (a bulk API wants a
  public address), which the reference accepts.
* A trailing dot (the DNS root label) is refused: it is no part of an
  address's domain in RFC 5321.

Python ``idna`` is IDNA 2008 with the UTS #46 mapping; the engine uses
strict UTS #46, which allows some code points IDNA 2008 disallows (symbols,
emoji). The Rust test lists every domain where the two answer differently,
with the reason, in its ``IDNA2008_ONLY`` table, and fails when one of them
starts agreeing.
"""

import json
import os
import sys
import unicodedata

import idna

IDNA_VERSION = "3.20"
if idna.__version__ != IDNA_VERSION:
    sys.exit(f"idna {idna.__version__} found, {IDNA_VERSION} required: pip install idna=={IDNA_VERSION}")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "contact-batch", "tests", "data", "email_domain_vectors.jsonl")


def lowercase_domain(domain):
    out = []
    for c in domain:
        if c in "\u3002\uff0e\uff61":
            out.append(".")
            continue
        lower = c.lower()
        out.append(lower if len(lower) == 1 else c)
    return "".join(out)


DOMAINS = [
    # Plain and case.
    "example.com",
    "Example.COM",
    "mail.example.co.uk",
    "a.b",
    "localhost",
    # Labels of 63 and 64, on the A-label.
    "a" * 63 + ".com",
    "a" * 64 + ".com",
    "ж" * 40 + ".com",
    "ж" * 56 + ".com",
    "ж" * 57 + ".com",
    "ж" * 58 + ".com",
    "ж" * 62 + ".com",
    "Ⱥ" + "w" * 55 + ".com",
    "Ⱥ" + "w" * 56 + ".com",
    "Ⱥ" + "w" * 61 + ".com",
    "ⱥ" + "w" * 61 + ".com",
    "ü" * 30 + ".de",
    "日本語" * 8 + ".jp",
    "日本語" * 6 + ".jp",
    # The whole domain's 253 on the A-label (an address's 254 characters
    # leave the domain 252 at most).
    ".".join(["a" * 63] * 3 + ["a" * 60]),
    ".".join(["a" * 63] * 3 + ["a" * 62]),
    ".".join(["日本語" * 8] * 5),
    ".".join(["日本語" * 8] * 6),
    ".".join(["ж" * 20] * 4) + ".com",
    # Internationalized: scripts with combining marks, full-width.
    "उदाहरण.भारत",
    "डाकघर.भारत",
    "संगणक.भारत",
    "例え.テスト",
    "bücher.example",
    "BÜCHER.example",
    "ＥＸＡＭＰＬＥ.ｃｏｍ",
    "ｅｘａｍｐｌｅ．ｃｏｍ",
    "example。com",
    "例子｡中国",
    "пример.рф",
    "ПРИМЕР.РФ",
    "παράδειγμα.δοκιμή",
    "ΠΑΡΆΔΕΙΓΜΑ.ΔΟΚΙΜΉ",
    "מבחן.ישראל",
    "مثال.إختبار",
    "faß.de",
    "FASS.de",
    "ς.gr",
    "σ.gr",
    "İstanbul.tr",
    "café.fr",
    "cafe\u0301.fr",
    "x\u0301.com",
    "\u0301x.com",
    "xn--bcher-kva.example",
    "XN--BCHER-KVA.example",
    "xn--p1ai",
    "пример.xn--p1ai",
    "xn--.com",
    "xn--a.com",
    "xn--zz-.com",
    # Symbols, punctuation-like characters, spaces after mapping.
    "ex ample.com",
    "ex\u3000ample.com",
    "ex\u00a0ample.com",
    "ex（ample.com",
    "ex(ample.com",
    "ex＿ample.com",
    "ex_ample.com",
    "ex＄ample.com",
    "ex!ample.com",
    "ex⁄ample.com",
    "exa\u2488mple.com",
    "ex\u2024ample.com",
    "ex＠ample.com",
    "☃.net",
    "i❤.ws",
    "😀.example",
    "ex\u00admple.com",
    "ex\u200bample.com",
    "ex\u200dample.com",
    "ex\u200cample.com",
    "ex\u2060ample.com",
    "ex\ufe0fample.com",
    "ex\u0080ample.com",
    "\u0663\u0664.com",
    "a\u0663\u06f4.com",
    "ex\u3002\u3002ample.com",
    # Hyphens.
    "-example.com",
    "example-.com",
    "ex-ample.com",
    "ex--ample.com",
    "ab--cd.com",
    "a-b-c.com",
    "ｅｘ－ａｍｐｌｅ.com",
    "ex\u2010ample.com",
    # Empty labels, dots.
    ".example.com",
    "example..com",
    "example.com.",
    "example.c",
    "1.2.3.4",
    "123.com",
    "example.123",
]


def vector(domain):
    rec = {"domain": domain, "ascii": None, "error": None}
    lowered = lowercase_domain(domain)
    try:
        rec["ascii"] = idna.encode(lowered, uts46=True, std3_rules=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError) as e:
        rec["error"] = str(e) or type(e).__name__
    note = None
    engine_valid = None
    if rec["ascii"] is not None and rec["ascii"].endswith("."):
        engine_valid = False
        note = "deliberate: a trailing dot (the root label) is no part of an address's domain (RFC 5321)"
    elif rec["ascii"] is not None and "." not in rec["ascii"]:
        engine_valid = False
        note = "deliberate: a domain without a dot is refused"
    if note is not None:
        rec["note"] = note
    if engine_valid is not None:
        rec["engine_valid"] = engine_valid
    return rec


def main():
    check = "--check" in sys.argv[1:]
    seen = set()
    lines = []
    for d in DOMAINS:
        if d in seen:
            continue
        seen.add(d)
        lines.append(json.dumps(vector(d), ensure_ascii=False) + "\n")
    text = "".join(lines)
    if check:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{OUT} is out of date; run {sys.argv[0]}", file=sys.stderr)
                sys.exit(1)
        return
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {len(lines)} vectors to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
