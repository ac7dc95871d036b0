#!/usr/bin/env bash
# Runs Herald's units (units/) under a real systemd booted in a private sandbox and checks what
# operators rely on: the units verify cleanly and rate "OK" or better in `systemd-analyze security`,
# herald.target starts the four socket-activated stages, an event published over HTTP reaches a
# WebSocket client, restarting or killing a stage loses nothing, the watchdog is fed, the JWT secret
# comes from the systemd credential, reloads keep the processes, logs carry HERALD_* fields, extra
# edges share the port, and a configuration error (exit 78) does not loop.
#
# Usage (from the repository root, as root, after `swift build`):
#   Tests/systemd/run-units-test.sh
# Environment:
#   BIN_DIR          where herald-ingress, herald-authorizer, herald-batcher, herald-ws-edge and
#                    heraldctl live (default .build/debug)
#   SYSTEMD_SANDBOX  the sandbox tool (default ../shared/tools/systemd-sandbox)
#   UNITS_TEST_WAIT  seconds to wait for each state change (default 30)
#   VERIFY_ONLY=1    stop after the static checks (systemd-analyze verify and security)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
SANDBOX=${SYSTEMD_SANDBOX:-../shared/tools/systemd-sandbox}
BIN_DIR=${BIN_DIR:-.build/debug}
WAIT_S=${UNITS_TEST_WAIT:-30}
NAME=herald-units-$$
STAGES=(ingress authorizer batcher ws-edge)
SERVICES=(herald-ingress herald-authorizer herald-batcher herald-ws-edge)
SOCKETS=(herald-ingress.socket herald-ingress-admin.socket herald-authorizer.socket herald-authorizer-admin.socket
    herald-batcher.socket herald-batcher-admin.socket herald-ws-edge.socket herald-ws-edge-admin.socket)
HERALD_BIN=/opt/herald/bin
PROBE="python3 /opt/herald/tests/ws_probe.py"

passed=0
failed=0
sandbox_up=0
probe_pids=()
WORK=""

pass() { passed=$((passed + 1)); echo "ok    $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*" >&2; exit 1; }
die() { failed=$((failed + 1)); echo "FAIL  run-units-test: $*" >&2; exit 2; }
sb() { "$SANDBOX" -n "$NAME" exec "$@"; }

# Polls a command until it succeeds or WAIT_S (or $2 when given as --within N) seconds pass.
wait_until() {
    local limit=$WAIT_S
    if [ "$1" = --within ]; then limit=$2; shift 2; fi
    local end=$((SECONDS + limit))
    until "$@"; do
        [ "$SECONDS" -lt "$end" ] || return 1
        sleep 0.2
    done
}

prop() { sb systemctl show -p "$2" --value "$1"; }
all_active() { local u; for u in "$@"; do [ "$(sb systemctl is-active "$u")" = active ] || return 1; done; }
in_state() { [ "$(prop "$1" ActiveState)" = "$2" ]; }
log_has() { grep -qxF -- "$2" "$WORK/$1.log"; }
log_has_prefix() { grep -q -- "^$2" "$WORK/$1.log"; }

finish() {
    local rc=$?
    trap - EXIT
    set +e
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        failed=1
        echo "FAIL  unexpected error (exit status $rc)" >&2
    fi
    if [ "$failed" -ne 0 ] && [ "$sandbox_up" = 1 ]; then
        echo "----- systemctl status 'herald*' -----" >&2
        sb systemctl --no-pager --full status 'herald*' >&2
        echo "----- journalctl -b (last 200 lines) -----" >&2
        sb journalctl -b --no-pager | tail -200 >&2
        local log
        for log in "$WORK"/*.log; do
            [ -f "$log" ] || continue
            echo "----- $(basename "$log") -----" >&2
            cut -c1-300 "$log" >&2
        done
    fi
    local pid
    for pid in "${probe_pids[@]+"${probe_pids[@]}"}"; do kill "$pid" 2>/dev/null; done
    [ "$sandbox_up" = 1 ] && "$SANDBOX" -n "$NAME" down
    [ -n "$WORK" ] && rm -rf -- "$WORK"
    echo "units: $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && exit 0 || exit 1
}
trap finish EXIT

# ---------------------------------------------------------------- preflight
[ "$(id -u)" = 0 ] || die "must run as root (the sandbox boots systemd in new namespaces)"
[ -x "$SANDBOX" ] || die "systemd-sandbox not found at $SANDBOX (expected ../shared/tools/systemd-sandbox next to the repository; set SYSTEMD_SANDBOX)"
SANDBOX=$(readlink -f "$SANDBOX")
[ -d "$BIN_DIR" ] || die "BIN_DIR $BIN_DIR does not exist: run 'swift build' first or set BIN_DIR"
BIN_DIR=$(readlink -f "$BIN_DIR")
for exe in herald-ingress herald-authorizer herald-batcher herald-ws-edge heraldctl; do
    [ -x "$BIN_DIR/$exe" ] || die "$BIN_DIR/$exe is missing: run 'swift build' first or set BIN_DIR"
done
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed inside the sandbox for the WebSocket probe"
[ -x /usr/bin/curl ] || die "/usr/bin/curl is needed inside the sandbox for publishing"
command -v systemd-nspawn >/dev/null 2>&1 || "$SANDBOX" deps

WORK=$(mktemp -d /tmp/herald-units-test.XXXXXX)
mkdir -p "$WORK/units"
# The sandbox's /usr is the host's, read-only: the binaries are bound at /opt/herald/bin instead.
cp units/*.service units/*.socket units/*.target "$WORK/units/"
sed -i "s|/usr/bin/herald-|$HERALD_BIN/herald-|g" "$WORK/units/"*.service
# Ingress logs each answered request (with HERALD_REQUEST_ID) at debug level.
mkdir -p "$WORK/units/herald-ingress.service.d"
printf '[Service]\nEnvironment=HERALD_LOG_LEVEL=debug\n' > "$WORK/units/herald-ingress.service.d/log-level.conf"

# ---------------------------------------------------------------- boot and install
"$SANDBOX" -n "$NAME" up --bind-ro "$BIN_DIR:$HERALD_BIN" --bind-ro "$REPO/Tests/systemd:/opt/herald/tests"
sandbox_up=1
"$SANDBOX" -n "$NAME" install-units "$WORK/units"
sb mkdir -p /etc/sysusers.d /etc/tmpfiles.d
sb sh -c 'cat > /etc/sysusers.d/herald.conf' < units/sysusers.d/herald.conf
sb sh -c 'cat > /etc/tmpfiles.d/herald.conf' < units/tmpfiles.d/herald.conf
sb systemd-sysusers
sb systemd-tmpfiles --create /etc/tmpfiles.d/herald.conf
sb sh -c 'cat > /etc/herald/herald.yaml && chgrp herald /etc/herald/herald.yaml && chmod 0640 /etc/herald/herald.yaml' \
    < etc/herald/herald.yaml
SECRET=$(head -c 32 /dev/urandom | base64)
printf '%s\n' "$SECRET" | sb sh -c 'umask 077; cat > /etc/herald/jwt_secret'
[ "$(sb stat -c '%U:%G %a' /run/herald)" = "herald:herald 755" ] \
    && [ "$(sb stat -c '%U:%G %a' /etc/herald)" = "root:herald 750" ] \
    && sb getent passwd herald >/dev/null \
    && pass "sysusers.d and tmpfiles.d: user herald, /run/herald, /etc/herald" \
    || fail "sysusers.d/tmpfiles.d entries did not create the herald user and directories"

# ---------------------------------------------------------------- static checks
verify_output=$(sb sh -c 'cd /etc/systemd/system && systemd-analyze verify herald.target herald-*.socket \
    herald-*.service herald-ws-edge@2.service herald-ws-edge@2.socket herald-ws-edge-admin@2.socket' 2>&1) \
    || fail "systemd-analyze verify failed: $verify_output"
[ -z "$verify_output" ] && pass "systemd-analyze verify prints nothing" \
    || fail "systemd-analyze verify printed: $verify_output"

for unit in "${SERVICES[@]}" herald-ws-edge@2; do
    line=$(sb systemd-analyze security --no-pager "$unit.service" 2>&1 | grep 'Overall exposure level' || true)
    if [[ $line =~ :\ ([0-9.]+)\ (PERFECT|SAFE|OK)([^A-Z]|$) ]]; then
        pass "systemd-analyze security $unit.service: ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
    else
        fail "systemd-analyze security $unit.service is not OK or better: ${line:-no overall line}"
    fi
done

if [ "${VERIFY_ONLY:-0}" = 1 ]; then
    exit 0
fi

# ---------------------------------------------------------------- start
sb systemctl start herald.target
wait_until all_active "${SERVICES[@]}" && pass "herald.target: the four services are active (READY=1 sent)" \
    || fail "not every service became active: $(for s in "${SERVICES[@]}"; do printf '%s=%s ' "$s" "$(sb systemctl is-active "$s")"; done)"
socket_modes() {
    local path
    for path in authorizer.sock batcher.sock ingress-admin.sock authorizer-admin.sock batcher-admin.sock \
        ws-edge-admin.sock; do
        [ "$(sb stat -c '%F %U:%G %a' "/run/herald/$path")" = "socket herald:herald 660" ] || return 1
    done
}
all_active "${SOCKETS[@]}" && socket_modes && pass "the eight sockets are active; Unix ones are herald:herald 0660" \
    || fail "a socket unit is not active or a Unix socket has the wrong owner or mode: $(sb ls -l /run/herald)"

# heraldctl finds the admin sockets in /run/herald, its default runtime directory.
stages_match_units() {
    local json; json=$(sb "$HERALD_BIN/heraldctl" status --json 2>/dev/null) || return 1
    local expected="" i
    for i in "${!STAGES[@]}"; do expected+="${STAGES[$i]}=$(prop "${SERVICES[$i]}" MainPID) "; done
    local actual
    actual=$(printf '%s' "$json" | python3 -c '
import json, sys
rows = {r["stage"]: r for r in json.load(sys.stdin)}
stages = ("ingress", "authorizer", "batcher", "ws-edge")
print(" ".join(s + "=" + str(rows[s]["pid"]) for s in stages if s in rows and rows[s]["state"] != "down") + " ")'
    ) || return 1
    [ "$actual" = "$expected" ]
}
wait_until --within 10 stages_match_units \
    && pass "heraldctl status --json: every stage answers on its admin socket with systemd's MainPID" \
    || fail "heraldctl status --json does not match the services: $(sb "$HERALD_BIN/heraldctl" status --json 2>&1)"

# The watchdog: every service declares 10 s and keeps sending WATCHDOG=1.
declare -A watchdog_start
for s in "${SERVICES[@]}"; do
    [ "$(prop "$s" WatchdogUSec)" = 10s ] || fail "$s: WatchdogUSec is $(prop "$s" WatchdogUSec), not 10s"
    watchdog_start[$s]=$(prop "$s" WatchdogTimestampMonotonic)
done
watchdogs_fed() {
    local s
    for s in "${SERVICES[@]}"; do [ "$(prop "$s" WatchdogTimestampMonotonic)" != "${watchdog_start[$s]}" ] || return 1; done
}
wait_until --within 15 watchdogs_fed && pass "watchdog: WatchdogSec=10s and every stage sends WATCHDOG=1" \
    || fail "a stage stopped feeding its watchdog within 15 s"

# ---------------------------------------------------------------- the secret comes from the credential
token_with_credential() {
    sb systemd-run --wait --pipe --quiet --collect -p LoadCredential=jwt_secret:/etc/herald/jwt_secret \
        "$HERALD_BIN/heraldctl" token --sub "$1" --role member --config /etc/herald/herald.yaml | tail -n1
}
token_from_file() {
    sb "$HERALD_BIN/heraldctl" token --sub "$1" --role member --config /etc/herald/herald.yaml | tail -n1
}
TOKEN=$(token_with_credential 1)
[ -n "$TOKEN" ] || fail "heraldctl token printed nothing"
sb $PROBE --token "$(token_from_file 2)" --expect-refused --timeout 20 > "$WORK/refused.log" 2>&1 \
    && pass "the authorizer verifies with the jwt_secret credential: a token signed with herald.yaml's secret is refused" \
    || fail "a token signed with herald.yaml's secret was not refused: $(cat "$WORK/refused.log")"

# ---------------------------------------------------------------- publish and deliver
sb $PROBE --token "$TOKEN" --channel public.news --count 3 --timeout 180 > "$WORK/probe.log" 2>&1 </dev/null &
probe_pids+=($!)
PROBE_PID=$!
wait_until log_has_prefix probe "subscribed public.news" \
    && pass "WebSocket client connected to :6001 and subscribed to public.news" \
    || fail "the WebSocket client did not subscribe: $(cat "$WORK/probe.log")"

publish() {
    local out status body
    out=$(sb curl -s -w '\n%{http_code}' -X POST http://127.0.0.1:6002/api/broadcast \
        -H 'Authorization: Bearer dev-api-key' -H 'Content-Type: application/json' -H "X-Request-Id: units-test-$1" \
        -d "{\"channel\":\"public.news\",\"event\":\"news.published\",\"data\":{\"n\":$1}}") || true
    status=${out##*$'\n'}
    body=${out%$'\n'*}
    if [ "$status" = 202 ] && [[ $body =~ \"ok\":\ ?true ]]; then
        LAST_ID=$(sed -n 's/.*"id": \{0,1\}"\([^"]*\)".*/\1/p' <<<"$body")
        return 0
    fi
    echo "publish n=$1: HTTP $status $body" >&2
    return 1
}
delivered() { wait_until log_has probe "event public.news news.published {\"n\":$1}"; }

publish 1 && pass "POST /api/broadcast answers 202 {\"ok\":true}" || fail "publish 1 was not accepted"
delivered 1 && pass "event 1 reached the WebSocket client" || fail "event 1 was not delivered"

# ---------------------------------------------------------------- restart one stage: sockets stay, nothing is lost
old_pid=$(prop herald-batcher MainPID)
sb systemctl restart herald-batcher
wait_until all_active herald-batcher && [ "$(prop herald-batcher MainPID)" != "$old_pid" ] \
    && pass "systemctl restart herald-batcher: a new process is active" || fail "herald-batcher did not come back"
publish 2 || fail "publish 2 was not accepted after the batcher restart"
delivered 2 && kill -0 "$PROBE_PID" 2>/dev/null && ! log_has_prefix probe closed \
    && pass "after the batcher restart, event 2 reached the same WebSocket connection" \
    || fail "event 2 was not delivered after the batcher restart"

restarts=$(prop herald-authorizer NRestarts)
old_pid=$(prop herald-authorizer MainPID)
sb systemctl kill -s KILL herald-authorizer
authorizer_restarted() {
    [ "$(prop herald-authorizer NRestarts)" -gt "$restarts" ] && all_active herald-authorizer \
        && [ "$(prop herald-authorizer MainPID)" != "$old_pid" ]
}
wait_until authorizer_restarted && pass "kill -9 herald-authorizer: systemd restarted it (Restart=on-failure)" \
    || fail "herald-authorizer was not restarted after SIGKILL"
publish 3 || fail "publish 3 was not accepted after the authorizer was killed"
delivered 3 && pass "after the authorizer was killed, event 3 reached the same WebSocket connection" \
    || fail "event 3 was not delivered after the authorizer restart"
wait "$PROBE_PID" && pass "the WebSocket client received its three events and nothing closed it" \
    || fail "the WebSocket client exited with an error: $(cat "$WORK/probe.log")"

# ---------------------------------------------------------------- reload keeps the processes
declare -A pid_before
for s in "${SERVICES[@]}"; do pid_before[$s]=$(prop "$s" MainPID); done
sb systemctl reload "${SERVICES[@]}" || fail "systemctl reload failed"
same_processes_serving() {
    local s
    for s in "${SERVICES[@]}"; do [ "$(prop "$s" MainPID)" = "${pid_before[$s]}" ] || return 1; done
    all_active "${SERVICES[@]}" && stages_match_units
}
wait_until --within 10 same_processes_serving \
    && pass "systemctl reload (SIGHUP): every stage keeps its process and answers" \
    || fail "a stage did not survive systemctl reload"

# ---------------------------------------------------------------- structured journal fields
ingress_json=$(sb journalctl -u herald-ingress -o json --no-pager HERALD_REQUEST_ID=units-test-1)
grep '"HERALD_STAGE":"ingress"' <<<"$ingress_json" | grep -q '"HERALD_REQUEST_ID":"units-test-1"' \
    && pass "journalctl -u herald-ingress -o json: the publish's record carries HERALD_STAGE and HERALD_REQUEST_ID" \
    || fail "no herald-ingress journal record carries HERALD_STAGE=ingress and HERALD_REQUEST_ID=units-test-1"
if [ -n "${LAST_ID:-}" ]; then
    echo "info  journalctl -u 'herald-*' HERALD_EVENT_ID=$LAST_ID: $(sb journalctl -u 'herald-*' \
        "HERALD_EVENT_ID=$LAST_ID" -o cat --no-pager | wc -l) record(s)"
fi

# ---------------------------------------------------------------- an extra edge shares the port
sb systemctl start herald-ws-edge@2.service
listeners() { [ "$(sb ss -Hltn 'sport = :6001' | wc -l)" = 2 ]; }
wait_until all_active herald-ws-edge@2.service herald-ws-edge@2.socket herald-ws-edge-admin@2.socket \
    && sb test -S /run/herald/ws-edge-2-admin.sock && listeners \
    && pass "herald-ws-edge@2 runs beside herald-ws-edge: two listeners on :6001, admin at ws-edge-2-admin.sock" \
    || fail "herald-ws-edge@2 did not start beside herald-ws-edge"
sb systemctl stop herald-ws-edge@2.service herald-ws-edge@2.socket herald-ws-edge-admin@2.socket

# ---------------------------------------------------------------- a configuration error stops, it does not loop
sb sh -c 'printf "engine: {type: redis}\n" > /etc/herald/broken.yaml && chgrp herald /etc/herald/broken.yaml &&
    chmod 0640 /etc/herald/broken.yaml && mkdir -p /etc/systemd/system/herald-batcher.service.d &&
    printf "[Service]\nExecStart=\nExecStart='"$HERALD_BIN"'/herald-batcher --config /etc/herald/broken.yaml --runtime-dir /run/herald\n" \
        > /etc/systemd/system/herald-batcher.service.d/broken.conf && systemctl daemon-reload'
restarts=$(prop herald-batcher NRestarts)
sb systemctl restart herald-batcher 2>/dev/null && fail "herald-batcher started with a broken configuration"
# Judged by the exit status, not by the state alone: upstream stages reconnecting re-trigger the socket, so the
# unit can be seen activating again between its failures. What must hold is that it exited 78 and that systemd
# did not restart it on its own (NRestarts unchanged).
exited_78() { [ "$(prop herald-batcher ExecMainStatus)" = 78 ] && ! in_state herald-batcher active; }
wait_until exited_78 \
    && [ "$(prop herald-batcher NRestarts)" = "$restarts" ] \
    && pass "a configuration error exits 78 and systemd does not restart it (RestartPreventExitStatus=78)" \
    || fail "broken configuration: state $(prop herald-batcher ActiveState), status $(prop herald-batcher ExecMainStatus), restarts $(prop herald-batcher NRestarts) (was $restarts)"
# Upstream reconnects re-trigger the socket until systemd's start limit fails the sockets too;
# after fixing the file an operator resets and starts all three units.
sb rm -r /etc/systemd/system/herald-batcher.service.d
sb systemctl daemon-reload
sb systemctl reset-failed herald-batcher.service herald-batcher.socket herald-batcher-admin.socket
sb systemctl start herald-batcher.socket herald-batcher-admin.socket herald-batcher.service
wait_until all_active herald-batcher.service herald-batcher.socket herald-batcher-admin.socket \
    && pass "with the configuration fixed, herald-batcher and its sockets start again" \
    || fail "herald-batcher did not start again after the configuration was fixed"

# ---------------------------------------------------------------- without the credential file, herald.yaml's secret
sb rm /etc/herald/jwt_secret
sb systemctl restart herald-authorizer || true
wait_until all_active herald-authorizer \
    && pass "without /etc/herald/jwt_secret herald-authorizer starts (the credential falls back to empty)" \
    || fail "herald-authorizer does not run without /etc/herald/jwt_secret (state $(prop herald-authorizer ActiveState), exit status $(prop herald-authorizer ExecMainStatus))"
sb $PROBE --token "$(token_from_file 3)" --channel public.news --count 1 --timeout 60 > "$WORK/nocred.log" 2>&1 \
    </dev/null &
probe_pids+=($!)
NOCRED_PID=$!
wait_until log_has_prefix nocred "subscribed public.news" \
    && pass "without the credential the authorizer verifies tokens with herald.yaml's secret" \
    || fail "a token signed with herald.yaml's secret was not accepted without the credential: $(cat "$WORK/nocred.log")"
publish 4 && wait_until log_has nocred 'event public.news news.published {"n":4}' && wait "$NOCRED_PID" \
    && pass "after the batcher and authorizer restarts, event 4 reaches a new WebSocket client" \
    || fail "event 4 was not delivered after the restarts"
