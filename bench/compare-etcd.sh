#!/usr/bin/env bash
# Side-by-side benchmark of etcetera and real etcd 3.4 on this machine; writes the table of
# medians and etcetera/etcd ratios into docs/performance.md (between the compare-etcd markers).
#
# Usage (from a clean clone, after the README's build `mvn -B package -DskipTests`):
#   bench/compare-etcd.sh
# Environment:
#   PAIRS=3          measured runs per server and row, alternating etcd, etcetera, etcd, ... (>= 3)
#   MEMBERS=1        cluster size; only 1 until etcetera has multi-member Raft (issue 3)
#   ETCD=/usr/bin/etcd                       the reference etcd 3.4 binary
#   ETCETERA=dist/target/etcetera/bin/etcetera  the image launcher (also runs the benchmark)
#   OUT=docs/performance.md                   where the table goes
#   BUDGET_SECONDS=840                        rows not started by then are marked skipped
#
# Both servers: one member, fresh data dirs in a temp dir, default durability (each write is
# fsync'd before it is acknowledged), client and peer URLs on free 127.0.0.1 ports. The load
# generator for both is `etcetera benchmark` (a plain etcd v3 gRPC client). Everything this
# script starts is stopped by PID when it exits, also on failure or Ctrl-C.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
PAIRS="${PAIRS:-3}"
MEMBERS="${MEMBERS:-1}"
ETCD="${ETCD:-/usr/bin/etcd}"
ETCETERA="${ETCETERA:-$root/dist/target/etcetera/bin/etcetera}"
OUT="${OUT:-$root/docs/performance.md}"
BUDGET_SECONDS="${BUDGET_SECONDS:-840}"
RUN_TIMEOUT_SECONDS=240
LOAD_TIMEOUT_SECONDS=600
READY_TIMEOUT_SECONDS=60

# --- Switch: cluster size ------------------------------------------------------------------
# MEMBERS=3 will start three members of each server (peer URLs on free ports, --initial-cluster
# naming all three) and pass --target-leader for writes. It needs etcetera's multi-member Raft.
if [ "$MEMBERS" != 1 ]; then
    echo "error: MEMBERS=$MEMBERS is not supported yet: etcetera serves single-member clusters only until" >&2
    echo "multi-member Raft lands (issue 3). Run with MEMBERS=1." >&2
    exit 2
fi
if [ "$PAIRS" -lt 3 ]; then
    echo "error: PAIRS must be at least 3 (medians of fewer runs say little): PAIRS=$PAIRS" >&2
    exit 2
fi
[ -x "$ETCD" ] || { echo "error: no etcd at $ETCD (apt-get install -y etcd-server, or set ETCD=)" >&2; exit 2; }
[ -x "$ETCETERA" ] || { echo "error: no etcetera image at $ETCETERA (run: mvn -B package -DskipTests)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/compare-etcd.XXXXXX")"
pids=()
cleanup() {
    local status=$?
    for pid in "${pids[@]+"${pids[@]}"}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]+"${pids[@]}"}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [ "$status" -eq 0 ]; then rm -rf "$work"; else echo "kept logs in $work" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# A port nothing listens on now (a connect to it fails), from a random high range.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

# start_member NAME EXECUTABLE -> sets ${NAME}_pid and ${NAME}_endpoint
start_member() {
    local name="$1" executable="$2" client peer
    client="$(free_port)"; peer="$(free_port)"
    while [ "$peer" = "$client" ]; do peer="$(free_port)"; done
    mkdir -p "$work/$name"
    "$executable" --name default --data-dir "$work/$name/data" \
        --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
        --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
        --initial-cluster "default=http://127.0.0.1:$peer" >"$work/$name/server.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    printf -v "${name}_pid" '%s' "$pid"
    printf -v "${name}_endpoint" '%s' "127.0.0.1:$client"
    local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    until "$ETCETERA" benchmark --endpoints "127.0.0.1:$client" range probe --total 1 >/dev/null 2>&1; do
        if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
            echo "error: $name did not start serving on 127.0.0.1:$client; its log:" >&2
            tail -20 "$work/$name/server.log" >&2
            exit 1
        fi
        sleep 0.5
    done
    log "$name serves on 127.0.0.1:$client (pid $pid)"
}

# json_field JSON NAME -> the number after "NAME":
json_field() {
    grep -o "\"$2\":[0-9.eE+-]*" <<<"$1" | head -1 | cut -d: -f2
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench SERVER ROW ARGS... : one run; appends "rps p50 p99" to $work/ROW.SERVER or records why it failed.
bench() {
    local server="$1" row="$2"; shift 2
    local endpoint_var="${server}_endpoint" output status=0
    output="$(timeout "$run_timeout" "$ETCETERA" benchmark --endpoints "${!endpoint_var}" -w json "$@" \
        2>"$work/last.err")" || status=$?
    if [ "$status" -eq 0 ] && [ -n "$output" ]; then
        echo "$(json_field "$output" requests_per_second) $(json_field "$output" p50) $(json_field "$output" p99)" \
            >>"$work/$row.$server"
        log "  $server $row: $(json_field "$output" requests_per_second) req/s"
    else
        if grep -q UNIMPLEMENTED "$work/last.err" || grep -q UNIMPLEMENTED <<<"$output"; then
            echo "n/a (not implemented)" >"$work/$row.$server.failed"
        elif [ "$status" -eq 124 ]; then
            echo "n/a (timed out)" >"$work/$row.$server.failed"
        else
            echo "n/a (failed, exit $status)" >"$work/$row.$server.failed"
        fi
        log "  $server $row: $(cat "$work/$row.$server.failed"): $(head -c 300 "$work/last.err")"
    fi
}

rows=()
declare -A row_title row_args
# add_row ID TITLE ARGS...: ARGS are split on spaces when run (none of them contains one).
add_row() { local id="$1"; rows+=("$id"); row_title[$id]="$2"; shift 2; row_args[$id]="$*"; }

# Totals keep the whole script under 15 minutes on 2 cores; writes are 8-byte keys, 256-byte values.
write_flags="--key-size 8 --val-size 256 --sequential-keys --key-space-size 100000"
add_row put1 "put, 1 client" --conns 1 --clients 1 put --total 1000 $write_flags
add_row put16 "put, 16 clients" --conns 4 --clients 16 put --total 5000 $write_flags
add_row put256 "put, 256 clients" --conns 16 --clients 256 put --total 10000 $write_flags
add_row rangel16 "range linearizable, 16 clients" --conns 4 --clients 16 range "$(printf '\002')" "$(printf '\003')" --consistency l --total 10000
add_row rangel256 "range linearizable, 256 clients" --conns 16 --clients 256 range "$(printf '\002')" "$(printf '\003')" --consistency l --total 20000
add_row ranges16 "range serializable, 16 clients" --conns 4 --clients 16 range "$(printf '\002')" "$(printf '\003')" --consistency s --total 10000
add_row ranges256 "range serializable, 256 clients" --conns 16 --clients 256 range "$(printf '\002')" "$(printf '\003')" --consistency s --total 20000
add_row txnput16 "txn-put (1 put/txn), 16 clients" --conns 4 --clients 16 txn-put --total 5000 --key-size 8 --val-size 256 --key-space-size 100000
add_row watch "watch latency (100 watchers, 100 puts/s)" --conns 10 watch --put-total 100 --put-rate 100 --streams 10 --watchers-per-stream 10

started_at="$(date -u +%Y-%m-%dT%H:%MZ)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "work dir $work; load average $load_before"
start_member etcd "$ETCD"
start_member etcetera "$ETCETERA"

# Phase 1: load 100k keys into each server (also warms up both the same way), then read RSS.
declare -A rss
run_timeout="$LOAD_TIMEOUT_SECONDS"
for server in etcd etcetera; do
    log "loading 100000 keys into $server"
    bench "$server" load --conns 16 --clients 256 put --total 100000 $write_flags
    pid_var="${server}_pid"
    rss[$server]="$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/${!pid_var}/status" 2>/dev/null || true)"
    log "  $server RSS ${rss[$server]:-n/a} MiB"
done
run_timeout="$RUN_TIMEOUT_SECONDS"

# Phase 2: every row PAIRS times, alternating etcd and etcetera.
declare -A skipped
for row in "${rows[@]}"; do
    if [ "$SECONDS" -ge "$BUDGET_SECONDS" ]; then
        skipped[$row]=1
        log "skip $row: time budget of $BUDGET_SECONDS s used"
        continue
    fi
    log "row $row: ${row_title[$row]}"
    for _ in $(seq 1 "$PAIRS"); do
        for server in etcd etcetera; do
            # A server that failed a row once (for instance: not implemented) is not asked again.
            [ -e "$work/$row.$server.failed" ] && continue
            # shellcheck disable=SC2086
            bench "$server" "$row" ${row_args[$row]}
        done
    done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# cell ROW SERVER COLUMN(1 rps, 2 p50, 3 p99) -> median, p50/p99 in ms
cell() {
    local row="$1" server="$2" column="$3" value
    if [ -n "${skipped[$row]:-}" ]; then echo "skipped"; return; fi
    if [ -e "$work/$row.$server.failed" ]; then cat "$work/$row.$server.failed"; return; fi
    value="$(awk -v c="$column" '{ print $c }' "$work/$row.$server" 2>/dev/null | median)"
    if [ -z "$value" ]; then echo "n/a"; return; fi
    if [ "$column" = 1 ]; then awk -v v="$value" 'BEGIN { printf "%.0f", v }'; else awk -v v="$value" 'BEGIN { printf "%.2f", v * 1000 }'; fi
}
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "–" }'
}

table="$work/table.md"
{
    echo "<!-- compare-etcd:begin (generated by bench/compare-etcd.sh; do not edit by hand) -->"
    echo "Run $started_at on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
    echo "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GiB RAM; load average before/after: $load_before / $load_after."
    echo "etcd: $("$ETCD" --version | head -1). etcetera: $("$ETCETERA" --version | head -1), $("$ETCETERA" --version | grep 'Java Version')."
    echo "Medians of $PAIRS runs per server and row (alternating etcd, etcetera); 1 member each; latencies in ms."
    echo
    echo "| benchmark | etcd req/s | etcetera req/s | etcetera/etcd req/s | etcd p50 | etcetera p50 | etcd p99 | etcetera p99 | etcetera/etcd p99 |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for row in "${rows[@]}"; do
        e_rps="$(cell "$row" etcd 1)"; x_rps="$(cell "$row" etcetera 1)"
        e_p50="$(cell "$row" etcd 2)"; x_p50="$(cell "$row" etcetera 2)"
        e_p99="$(cell "$row" etcd 3)"; x_p99="$(cell "$row" etcetera 3)"
        echo "| ${row_title[$row]} | $e_rps | $x_rps | $(ratio "$x_rps" "$e_rps") | $e_p50 | $x_p50 | $e_p99 | $x_p99 | $(ratio "$x_p99" "$e_p99") |"
    done
    echo
    echo "| memory | etcd | etcetera | etcetera/etcd |"
    echo "|---|---:|---:|---:|"
    echo "| RSS after loading 100k keys (8-byte keys, 256-byte values), MiB | ${rss[etcd]:-n/a} | ${rss[etcetera]:-n/a} | $(ratio "${rss[etcetera]:-}" "${rss[etcd]:-}") |"
    echo "<!-- compare-etcd:end -->"
} >"$table"

mkdir -p "$(dirname "$OUT")"
if [ -f "$OUT" ] && grep -q '<!-- compare-etcd:begin' "$OUT"; then
    awk -v table="$table" '
        /<!-- compare-etcd:begin/ { while ((getline line < table) > 0) print line; skipping = 1; next }
        /<!-- compare-etcd:end/ { skipping = 0; next }
        !skipping { print }' "$OUT" >"$work/out.md"
    cp "$work/out.md" "$OUT"
else
    { [ -f "$OUT" ] && cat "$OUT" && echo; cat "$table"; } >"$work/out.md"
    cp "$work/out.md" "$OUT"
fi
cat "$table"
log "wrote $OUT in $SECONDS s"
