#!/usr/bin/env python3
"""Rewrite the record block of crates/contact-batch/data/PROVENANCE.md.

    python3 scripts/phone_provenance.py VERSION

The block (between the ``record`` comment lines) names the metadata version
and, for each vendored phone data file, its size, SHA-256 and FNV-1a 64. The
crate's tests read the block back and check it against the embedded bytes
and the version the engine reports, so a changed file must come with a
changed record. scripts/update-phone-metadata.sh runs this.
"""
import hashlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "contact-batch", "data")
FILES = ["phone_metadata.bin", "phone_types.bin"]
BEGIN = "<!-- record: written by scripts/phone_provenance.py, checked by the crate's tests -->"
END = "<!-- end of record -->"


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def record(version):
    lines = [BEGIN, f"- metadata version: `{version}`"]
    for name in FILES:
        data = open(os.path.join(DATA, name), "rb").read()
        lines.append(
            f"- `{name}`: {len(data)} bytes, SHA-256 `{hashlib.sha256(data).hexdigest()}`, "
            f"FNV-1a 64 `{fnv1a64(data):#018x}`"
        )
    lines.append(END)
    return "\n".join(lines)


def main():
    version = sys.argv[1]
    path = os.path.join(DATA, "PROVENANCE.md")
    text = open(path, encoding="utf-8").read()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    text = text[:start] + record(version) + text[end:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
