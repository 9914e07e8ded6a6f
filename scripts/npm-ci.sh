#!/usr/bin/env bash
# Used by setup.sh and test.sh (from the repo root).
set -uo pipefail
#
# `npm ci`, and when npm itself rejects the committed lock file as "not in sync" (npm 11.16+
# does so for an optional dependency that is not published, e.g. vite 8.4's
# napi-windows-process-start-time: npm/cli#9846), `npm install --no-save`, which installs the
# same locked versions and leaves package-lock.json untouched.
log="$(mktemp)"
set +e
npm ci --no-audit --no-fund 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ] && grep -q "package.json and package-lock.json" "$log"; then
  echo "WARNING: npm ci rejected package-lock.json (see npm/cli#9846); falling back to npm install --no-save" >&2
  rm -f "$log"
  npm install --no-save --no-audit --no-fund
  exit 0
fi
rm -f "$log"
exit "$rc"
