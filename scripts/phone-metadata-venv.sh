#!/usr/bin/env bash
# Prints the path of a Python venv with `phonenumbers==VERSION` installed
# (made under target/phone-metadata-venv/VERSION on first use; pip from PyPI,
# bounded). Used by update-phone-metadata.sh and check-phone-metadata.sh.
set -euo pipefail
version=${1:?usage: phone-metadata-venv.sh VERSION}
cd "$(dirname "$0")/.."
venv="${CARGO_TARGET_DIR:-target}/phone-metadata-venv/$version"
if ! "$venv/bin/python" -c "import phonenumbers, sys; sys.exit(phonenumbers.__version__ != '$version')" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check "phonenumbers==$version" >&2
fi
echo "$venv"
