#!/usr/bin/env bash
# Fuzzes a running system's API from its own OpenAPI document with schemathesis (issue #19; issue #20 will
# run it in CI): public operations without a session, then every operation with an administrator's and
# the general office's bearer tokens. Checks: no 5xx, statuses, content types, headers and bodies as
# documented. Operations that end the caller's own session (logout, password changes, revoking or
# disabling accounts) run last, alone, so they cannot spoil the other runs' tokens.
# Usage: scripts/fuzz-api.sh [BASE_URL] [EXAMPLES]   (defaults http://127.0.0.1:3000, 40; demo accounts)
# FUZZ_CONFIG: a schemathesis.toml (scripts/fuzz-ci.mjs writes one offering a real letter's tracking number
# and access code); FUZZ_HANDLER: a department handler's username, fuzzed with its own token too.
# One worker: with two, hypothesis sometimes fails inside itself ("AST constructor recursion depth mismatch").
# Schemathesis is installed once into a virtual environment in the tool cache (like the Temporal tools).
set -euo pipefail
base=${1:-http://127.0.0.1:3000}
examples=${2:-40}
password=${DEMO_PASSWORD:-Demo-Passw0rd!}
cache=${AMR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/amr-portal}
venv="$cache/schemathesis-4.32.5"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis==4.32.5
fi
token() {
  # From an address of its own (the default TRUST_PROXY believes loopback), not the fuzzed one's.
  curl -sf -X POST "$base/api/auth/login" -H 'content-type: application/json' -H 'x-forwarded-for: 192.0.2.19' \
    -d "{\"username\":\"$1\",\"password\":\"$password\"}" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])'
}
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance
self_ending='^/api/(auth/(logout|password)|admin/staff/\{id\}(/password|/revoke-sessions)?)$'
run() {
  local name=$1; shift
  echo "== $name"
  "$venv/bin/schemathesis" ${FUZZ_CONFIG:+--config-file "$FUZZ_CONFIG"} run "$base/docs/json" --checks "$checks" -n "$examples" --seed 19 --workers 1 --no-color \
    --report junit --report-dir "${FUZZ_REPORT_DIR:-/tmp/amr-fuzz}/$name" "$@"
}
# Tokens first: the public run's login attempts soon have this address held back and rate limited.
admin=$(token admin)
office=$(token office)
handler=${FUZZ_HANDLER:+$(token "$FUZZ_HANDLER")}
status=0
run public || status=1
run admin -H "Authorization: Bearer $admin" --exclude-path-regex "$self_ending" || status=1
run office -H "Authorization: Bearer $office" --exclude-path-regex "$self_ending" || status=1
if [ -n "$handler" ]; then run handler -H "Authorization: Bearer $handler" --exclude-path-regex "$self_ending" || status=1; fi
run self-ending -H "Authorization: Bearer $admin" --include-path-regex "$self_ending" || status=1
exit $status
