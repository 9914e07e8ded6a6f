#!/usr/bin/env bash
# `npm run setup`: install, seed an empty database with demo data, build, and start (`npm start`)
# WIMM-Finance on http://localhost:${PORT:-3000}, printing the admin login.
#
# The database is DATABASE_URL (default: the embedded SQLite file ./data/wimm.sqlite3).
# WIMM_ADMIN_PASSWORD / WIMM_MEMBER_PASSWORD fix the seeded passwords; otherwise they are
# generated and printed once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
PORT="${PORT:-3000}"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }


say "npm ci (installs dependencies and generates the Prisma clients)"
bash scripts/npm-ci.sh

say "seeding the database if it is empty (./bin/wimm seed)"
set +e
seed_json="$(./bin/wimm seed)"
seed_rc=$?
set -e
case "$seed_rc" in
  0) ;;
  2) echo "The database already holds data: not seeded." ;;
  *) echo "./bin/wimm seed failed (exit $seed_rc)" >&2; exit "$seed_rc" ;;
esac

# The logins to print, from seed's JSON (passwords appear there only when seed set them).
logins="$(SEED_JSON="$seed_json" SEED_RC="$seed_rc" node -e '
  const fromEnv = process.env.WIMM_ADMIN_PASSWORD ? "(the value of WIMM_ADMIN_PASSWORD)" : null;
  let users = [];
  if (process.env.SEED_RC === "0") users = JSON.parse(process.env.SEED_JSON).users ?? [];
  const admin = users.find((u) => u.role === "admin");
  const lines = [];
  const adminPassword = admin?.password ?? fromEnv ?? "(shown when the database was first created; reset it with ./bin/wimm reset-password admin)";
  lines.push(`  admin login:  username admin   password ${adminPassword}`);
  for (const u of users.filter((u) => u.role !== "admin" && u.password)) {
    lines.push(`  member login: username ${u.username}   password ${u.password}`);
  }
  console.log(lines.join("\n"));
')"

say "next build"
npx next build

say "next start on port $PORT (npm start)"
# Its own process group (setsid), so stopping this script stops npm, node and next-server.
setsid npm start -- -p "$PORT" &
server=$!
stop_server() { kill -TERM -- "-$server" 2>/dev/null || true; }
trap 'stop_server; wait "$server" 2>/dev/null; exit 130' INT TERM
trap stop_server EXIT

for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.status < 500 ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$PORT/login"; then
    break
  fi
  kill -0 "$server" 2>/dev/null || { echo "next start exited" >&2; exit 1; }
  sleep 0.5
done

cat <<BANNER

======================================================================
  WIMM-Finance is running: http://localhost:$PORT
$logins
  Stop it with Ctrl+C. Start it again later with: PORT=$PORT npm start
======================================================================

BANNER
wait "$server"
