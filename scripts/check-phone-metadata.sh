#!/usr/bin/env bash
# CI's freshness check of the phone metadata (a minute or two; needs PyPI):
#
# 1. the committed metadata is exactly what the generator writes from
#    `phonenumbers` at the version the engine records
#    (`PHONE_METADATA_VERSION` in crates/contact-batch/src/phone_version.rs);
# 2. the committed phone vectors are what scripts/gen_phone_vectors.py
#    writes at that version (the script pins the same version);
# 3. the generator itself, run on phonenumbers 9.0.42, writes the very bytes
#    rlibphonenumber 2.2.15 embeds (its metadata.bin, from cargo's registry
#    copy of the crate): the check that the generator encodes the metadata
#    the way libphonenumber's own tool does.
#
# Exit 1 with a message naming the command that fixes it.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^pub const PHONE_METADATA_VERSION: &str = "\(.*\)";/\1/p' crates/contact-batch/src/phone_version.rs)
[ -n "$version" ] || { echo "PHONE_METADATA_VERSION not found" >&2; exit 1; }
vectors_version=$(sed -n 's/^PHONENUMBERS_VERSION = "\(.*\)"/\1/p' scripts/gen_phone_vectors.py)
if [ "$vectors_version" != "$version" ]; then
  echo "scripts/gen_phone_vectors.py pins $vectors_version, the engine's metadata is $version" >&2
  exit 1
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

venv=$(bash scripts/phone-metadata-venv.sh "$version")
"$venv/bin/python" scripts/gen_phone_metadata.py --version "$version" --out "$tmp/metadata.pb"
if ! cmp -s "$tmp/metadata.pb" crates/contact-batch/data/phone_metadata.bin; then
  echo "crates/contact-batch/data/phone_metadata.bin is not what the generator writes at $version:" >&2
  echo "run scripts/update-phone-metadata.sh $version" >&2
  exit 1
fi
echo "phone metadata $version: the committed bytes are the generator's"
"$venv/bin/python" scripts/gen_phone_vectors.py --check
echo "phone vectors $version: fresh"

# The generator against rlibphonenumber's own bytes, while it is a dependency.
reference=$(cargo metadata --format-version 1 --locked 2>/dev/null | python3 -c '
import json, os, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "rlibphonenumber" and p["version"] == "2.2.15":
        print(os.path.join(os.path.dirname(p["manifest_path"]), "src/generated/metadata/metadata.bin"))
')
if [ -n "$reference" ] && [ -f "$reference" ]; then
  old=$(bash scripts/phone-metadata-venv.sh 9.0.42)
  "$old/bin/python" scripts/gen_phone_metadata.py --version 9.0.42 --out "$tmp/9.0.42.pb"
  if ! cmp -s "$tmp/9.0.42.pb" "$reference"; then
    echo "the generator at 9.0.42 no longer writes rlibphonenumber 2.2.15's metadata.bin ($reference)" >&2
    exit 1
  fi
  echo "generator at 9.0.42: byte-identical to rlibphonenumber 2.2.15's metadata.bin"
else
  echo "note: rlibphonenumber 2.2.15 is not a dependency any more; skipped the 9.0.42 comparison"
fi
