#!/usr/bin/env bash
# THE one command that moves the engine to another libphonenumber metadata
# release (then run the tests: `cargo test --workspace`):
#
#     scripts/update-phone-metadata.sh 9.0.44
#
# It installs `phonenumbers==VERSION` from PyPI into a venv under target/,
# writes the metadata with scripts/gen_phone_metadata.py, regenerates the
# phone-type tables from it, regenerates the phone vectors with the same
# reference (scripts/gen_phone_vectors.py), sets the version the engine
# reports, and rewrites data/PROVENANCE.md's record (version, sizes,
# SHA-256). Review `git diff` (the vectors' diff lists every verdict that
# changed) and commit.
set -euo pipefail
version=${1:?usage: scripts/update-phone-metadata.sh VERSION (a phonenumbers release, e.g. 9.0.44)}
case "$version" in
  *[!0-9.]* | "") echo "not a version: $version" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
data=crates/contact-batch/data
venv=$(bash scripts/phone-metadata-venv.sh "$version")

"$venv/bin/python" scripts/gen_phone_metadata.py --version "$version" --out "$data/phone_metadata.bin"
sed -i "s/^pub const PHONE_METADATA_VERSION: &str = \".*\";/pub const PHONE_METADATA_VERSION: \&str = \"$version\";/" \
  crates/contact-batch/src/phone_version.rs
sed -i "s/^PHONENUMBERS_VERSION = \".*\"/PHONENUMBERS_VERSION = \"$version\"/" scripts/gen_phone_vectors.py
CONTACT_BATCH_WRITE_PHONE_TYPES=1 cargo test -q -p contact-batch --lib phone_types::tests::committed_table_is_fresh
"$venv/bin/python" scripts/gen_phone_vectors.py
python3 scripts/phone_provenance.py "$version"
echo "phone metadata is now $version; run: cargo test --workspace"
