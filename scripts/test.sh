#!/usr/bin/env bash
# `npm test`: the whole suite, on a fresh Debian machine with Node 20 (as root in CI).
#
#   install what is missing -> compile the CLI -> tsc -> eslint -> prettier -> import rules -> schema drift check
#   -> throwaway PostgreSQL cluster -> vitest (unit + integration, SQLite and PostgreSQL)
#   -> next build -> Playwright against `next start`, project sqlite and project postgresql
#
# Fails fast at the first failing step, and always ends with one line:
#   tests: N passed, M failed
# (N and M summed over vitest and Playwright, read from their JSON reports).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CI="${CI:-}"
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1

WORK="$(mktemp -d /tmp/wimm-test.XXXXXX)"
# The PostgreSQL cluster runs as user postgres, which must be able to enter this directory.
chmod 755 "$WORK"
REPORTS="$WORK/reports"
mkdir -p "$REPORTS"
PG_DIR="$WORK/pg"
PG_STARTED=""
PASSED=0
FAILED=0
CURRENT_STEP="setup"
SUITE_START=$SECONDS

step() {
  CURRENT_STEP="$1"
  STEP_START=$SECONDS
  printf '\n\033[1m==> %s\033[0m\n' "$1"
}
done_step() { printf '    (%s: %ss)\n' "$CURRENT_STEP" "$((SECONDS - STEP_START))"; }

# Adds the counts of a vitest or Playwright JSON report to PASSED / FAILED.
count_report() {
  local kind=$1 file=$2
  [ -s "$file" ] || return 0
  local counts
  counts=$(node -e '
    const [kind, file] = process.argv.slice(1);
    const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
    let passed, failed;
    if (kind === "vitest") {
      passed = r.numPassedTests ?? 0;
      failed = (r.numFailedTests ?? 0) + (r.success === false && !r.numFailedTests ? 1 : 0);
    } else {
      const s = r.stats ?? {};
      passed = (s.expected ?? 0) + (s.flaky ?? 0);
      failed = (s.unexpected ?? 0) + (r.errors?.length && !s.unexpected ? 1 : 0);
    }
    console.log(passed + " " + failed);
  ' "$kind" "$file") || return 0
  PASSED=$((PASSED + ${counts% *}))
  FAILED=$((FAILED + ${counts#* }))
}

finish() {
  local status=$?
  set +e
  if [ -n "$PG_STARTED" ]; then
    bash scripts/pg-cluster.sh stop "$PG_DIR" >/dev/null 2>&1
  fi
  rm -rf "$WORK"
  if [ "$status" -ne 0 ]; then
    printf '\n\033[31mFAILED at step: %s (exit %s)\033[0m\n' "$CURRENT_STEP" "$status"
  fi
  printf '\ntotal time: %ss\n' "$((SECONDS - SUITE_START))"
  echo "tests: $PASSED passed, $FAILED failed"
  [ "$status" -eq 0 ] && [ "$FAILED" -gt 0 ] && status=1
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM


as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2
    return 1
  fi
}

# ---------------------------------------------------------------------------
step "install what is missing"
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "node_modules missing or older than package-lock.json: npm ci"
  bash scripts/npm-ci.sh
elif [ ! -d lib/generated/sqlite ] || [ ! -d lib/generated/postgresql ]; then
  npm run generate
fi
# Debian packages the tests use, each found by a file it installs; one apt-get for all missing.
#   chromium            Playwright's browser
#   python3-aiosmtpd    the SMTP server of the alert tests
#   rclone              off-site copies, and the WebDAV server of their tests
#   openssh-server      the SFTP server of the off-site tests
#   age                 the encrypted-backup tests decrypt and encrypt with the real CLI
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/aiosmtpd ] || missing+=(python3-aiosmtpd)
[ -x /usr/bin/rclone ] || missing+=(rclone)
{ [ -x /usr/sbin/sshd ] && [ -x /usr/bin/ssh-keygen ]; } || missing+=(openssh-server)
[ -x /usr/bin/age ] || missing+=(age)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian's ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
done_step

# bin/wimm would compile it on its first run anyway; here a CLI that does not compile stops
# the suite at once, instead of every test running the sources through tsx.
step "compile the command line (scripts/build-cli.mjs)"
node scripts/build-cli.mjs
done_step

step "tsc --noEmit"
npx tsc --noEmit
done_step

if [ -f eslint.config.mjs ] || [ -f eslint.config.js ]; then
  step "eslint ."
  npx eslint .
  done_step
fi

if [ -f .prettierrc.json ] || [ -f .prettierrc ] || [ -f prettier.config.mjs ]; then
  step "prettier --check ."
  npx prettier --check . --log-level warn
  done_step
fi

step "import rules (depcruise: no cycles in lib/, the backup wing's layers)"
npm run --silent lint:imports
done_step

step "schema drift (tsx scripts/derive-schemas.ts --check)"
npx tsx scripts/derive-schemas.ts --check
done_step

step "throwaway PostgreSQL cluster"
PG_STARTED=1
eval "$(bash scripts/pg-cluster.sh start "$PG_DIR")"
export WIMM_PG_DIR WIMM_PG_PORT WIMM_PG_ADMIN_URL WIMM_PG_URL
echo "PostgreSQL on 127.0.0.1:$WIMM_PG_PORT"
done_step

step "vitest (unit + integration, SQLite and PostgreSQL)"
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest.json"
rc=$?
set -e
count_report vitest "$REPORTS/vitest.json"
done_step
[ "$rc" -eq 0 ] || exit "$rc"

step "next build"
npx next build
done_step

step "Playwright e2e against next start (sqlite, postgresql)"
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
export WIMM_E2E_DIR="$WORK/wimm-e2e" WIMM_E2E_JSON="$REPORTS/playwright.json"
WIMM_E2E_SQLITE_PORT=$(free_port)
WIMM_E2E_PG_PORT=$(free_port)
while [ "$WIMM_E2E_PG_PORT" = "$WIMM_E2E_SQLITE_PORT" ]; do WIMM_E2E_PG_PORT=$(free_port); done
export WIMM_E2E_SQLITE_PORT WIMM_E2E_PG_PORT
set +e
npx playwright test
rc=$?
set -e
count_report playwright "$REPORTS/playwright.json"
done_step
[ "$rc" -eq 0 ] || exit "$rc"
