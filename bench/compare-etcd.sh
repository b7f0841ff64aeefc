#!/usr/bin/env bash
# Side-by-side benchmark of etcetera and real etcd 3.4 on this machine; writes the table of
# medians and etcetera/etcd ratios into docs/performance.md (between the compare-etcd markers).
#
# Usage (from a clean clone, after the README's build `mvn -B package -DskipTests`):
#   bench/compare-etcd.sh
# Environment:
#   PAIRS=3          measured runs per server and row, alternating etcd, etcetera, etcd, ... (>= 3)
#   WARMUP_RUNS=3    unrecorded runs per server before a row's measured ones (JIT warm-up, >= 1)
#   MEMBERS="1 3"    cluster sizes to run, in order (1, 3 or 5 each); the table has a row set per size
#   ETCD=/usr/bin/etcd                       the reference etcd 3.4 binary
#   ETCETERA=dist/target/etcetera/bin/etcetera  the image launcher (also runs the benchmark)
#   OUT=docs/performance.md                   where the table goes
#   BUDGET_SECONDS=840                        rows not started by then are marked skipped (each
#                                             cluster size gets its share of what is left)
#   KEEP_WORK=1                               keep the temp dir (server logs, raw results)
#
# Both servers: static clusters of each size (members m1..mN started together), fresh data dirs in
# a temp dir, default durability (each write is acknowledged once its WAL record is fsync'd, on a
# quorum for several members), client and peer URLs on free 127.0.0.1 ports. One cluster of each
# runs at a time; the one not being measured is idle. The load
# generator for both is `etcetera benchmark` (a plain etcd v3 gRPC client). Everything this
# script starts is stopped by PID when it exits, also on failure or Ctrl-C.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
PAIRS="${PAIRS:-3}"
WARMUP_RUNS="${WARMUP_RUNS:-3}"
MEMBERS="${MEMBERS:-1 3}"
ETCD="${ETCD:-/usr/bin/etcd}"
ETCETERA="${ETCETERA:-$root/dist/target/etcetera/bin/etcetera}"
OUT="${OUT:-$root/docs/performance.md}"
BUDGET_SECONDS="${BUDGET_SECONDS:-840}"
RUN_TIMEOUT_SECONDS=240
LOAD_TIMEOUT_SECONDS=600
READY_TIMEOUT_SECONDS=60

if [ "$WARMUP_RUNS" -lt 1 ]; then
    echo "error: WARMUP_RUNS must be at least 1: WARMUP_RUNS=$WARMUP_RUNS" >&2
    exit 2
fi
if [ "$PAIRS" -lt 3 ]; then
    echo "error: PAIRS must be at least 3 (medians of fewer runs say little): PAIRS=$PAIRS" >&2
    exit 2
fi
for size in $MEMBERS; do
    case "$size" in
        1|3|5) ;;
        *) echo "error: MEMBERS takes cluster sizes 1, 3 or 5 (space-separated): MEMBERS=$MEMBERS" >&2; exit 2 ;;
    esac
done
[ -x "$ETCD" ] || { echo "error: no etcd at $ETCD (apt-get install -y etcd-server, or set ETCD=)" >&2; exit 2; }
[ -x "$ETCETERA" ] || { echo "error: no etcetera image at $ETCETERA (run: mvn -B package -DskipTests)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/compare-etcd.XXXXXX")"
pids=()
# stop_pids PID...: TERM, up to 10 s to exit, then KILL. Only processes this script started.
stop_pids() {
    local pid
    for pid in "$@"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "$@"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
}
cleanup() {
    local status=$?
    stop_pids "${pids[@]+"${pids[@]}"}"
    if [ "$status" -eq 0 ] && [ -z "${KEEP_WORK:-}" ]; then rm -rf "$work"; else echo "kept logs in $work" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# A port nothing listens on now (a connect to it fails) and not handed out before, from a random
# high range.
declare -A ports_taken
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        [ -n "${ports_taken[$port]:-}" ] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            ports_taken[$port]=1
            echo "$port"
            return
        fi
    done
}

# start_cluster NAME EXECUTABLE SIZE -> sets ${NAME}_pids (space-separated) and ${NAME}_endpoints
# (comma-separated): SIZE members named m1..mSIZE with the same static --initial-cluster, started
# all at once (a member of a larger cluster serves only once a quorum is up), each on its own
# client and peer port and in its own data dir.
start_cluster() {
    local name="$1" executable="$2" size="$3" i
    local -a clients=() peers=() member_pids=()
    local initial_cluster=""
    for i in $(seq 1 "$size"); do
        clients+=("$(free_port)"); peers+=("$(free_port)")
        initial_cluster+="${initial_cluster:+,}m$i=http://127.0.0.1:${peers[$((i - 1))]}"
    done
    for i in $(seq 1 "$size"); do
        local client="${clients[$((i - 1))]}" peer="${peers[$((i - 1))]}" dir="$work/$size/$name/m$i"
        mkdir -p "$dir"
        "$executable" --name "m$i" --data-dir "$dir/data" \
            --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
            --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
            --initial-cluster "$initial_cluster" --initial-cluster-state new \
            --initial-cluster-token "compare-$name" >"$dir/server.log" 2>&1 &
        pids+=("$!")
        member_pids+=("$!")
    done
    local endpoints
    endpoints="$(printf '127.0.0.1:%s,' "${clients[@]}")"
    endpoints="${endpoints%,}"
    printf -v "${name}_pids" '%s' "${member_pids[*]}"
    printf -v "${name}_endpoints" '%s' "$endpoints"
    local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    for i in $(seq 1 "$size"); do
        local client="${clients[$((i - 1))]}" pid="${member_pids[$((i - 1))]}"
        until "$ETCETERA" benchmark --endpoints "127.0.0.1:$client" range probe --total 1 >/dev/null 2>&1; do
            if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
                echo "error: $name member m$i did not start serving on 127.0.0.1:$client; its log:" >&2
                tail -20 "$work/$size/$name/m$i/server.log" >&2
                exit 1
            fi
            sleep 0.5
        done
    done
    log "$name: $size member(s) serve on $endpoints (pids ${member_pids[*]})"
}

# stop_cluster NAME: stops the members start_cluster started for NAME.
stop_cluster() {
    local pids_var="${1}_pids"
    # shellcheck disable=SC2086
    stop_pids ${!pids_var}
}

# json_field JSON NAME -> the number after "NAME":
json_field() {
    grep -o "\"$2\":[0-9.eE+-]*" <<<"$1" | head -1 | cut -d: -f2
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench SERVER ROW TARGET ARGS... : one run against SERVER's cluster of the current size; TARGET
# is "leader" (--target-leader: writes, as etcd's performance guide) or "all" (every member's
# endpoint, round-robin over the connections). Appends "rps p50 p99" to $out_dir/ROW.SERVER or
# records why it failed.
bench() {
    local server="$1" row="$2" target="$3"; shift 3
    local endpoints_var="${server}_endpoints" output status=0 leader_flag=()
    [ "$target" = leader ] && leader_flag=(--target-leader)
    output="$(timeout "$run_timeout" "$ETCETERA" benchmark --endpoints "${!endpoints_var}" \
        ${leader_flag[@]+"${leader_flag[@]}"} -w json "$@" 2>"$work/last.err")" || status=$?
    if [ "$status" -eq 0 ] && [ -n "$output" ]; then
        echo "$(json_field "$output" requests_per_second) $(json_field "$output" p50) $(json_field "$output" p99)" \
            >>"$out_dir/$row.$server"
        log "  $server $row: $(json_field "$output" requests_per_second) req/s"
    else
        if grep -q UNIMPLEMENTED "$work/last.err" || grep -q UNIMPLEMENTED <<<"$output"; then
            echo "n/a (not implemented)" >"$out_dir/$row.$server.failed"
        elif [ "$status" -eq 124 ]; then
            echo "n/a (timed out)" >"$out_dir/$row.$server.failed"
        else
            echo "n/a (failed, exit $status)" >"$out_dir/$row.$server.failed"
        fi
        log "  $server $row: $(cat "$out_dir/$row.$server.failed"): $(head -c 300 "$work/last.err")"
    fi
}

rows=()
declare -A row_title row_target row_args
# add_row ID TITLE TARGET ARGS...: ARGS are split on spaces when run (none of them contains one).
add_row() { local id="$1"; rows+=("$id"); row_title[$id]="$2"; row_target[$id]="$3"; shift 3; row_args[$id]="$*"; }

# Totals keep the whole script (1 and 3 members) under 15 minutes on 2 cores; each run is a fresh
# load-generator JVM, so runs are a few seconds each. Writes: 8-byte keys, 256-byte values. Put at
# 1 client runs 2,000 puts (about 4 s): its JIT warm-up is the slowest (C2 settles after several
# thousand lone writes), and runs of 500 measured mostly that. Ranges at 16 clients run 10,000
# reads for the same reason (a fresh client and server paths need a few thousand to settle).
write_flags="--key-size 8 --val-size 256 --sequential-keys --key-space-size 100000"
low="$(printf '\002')"; high="$(printf '\003')"
add_row put1 "put, 1 client" leader --conns 1 --clients 1 put --total 2000 $write_flags
add_row put16 "put, 16 clients" leader --conns 4 --clients 16 put --total 2000 $write_flags
add_row put256 "put, 256 clients" leader --conns 16 --clients 256 put --total 6000 $write_flags
add_row rangel16 "range linearizable, 16 clients" all --conns 4 --clients 16 range "$low" "$high" --consistency l --total 10000
add_row rangel256 "range linearizable, 256 clients" all --conns 16 --clients 256 range "$low" "$high" --consistency l --total 8000
add_row ranges16 "range serializable, 16 clients" all --conns 4 --clients 16 range "$low" "$high" --consistency s --total 10000
add_row ranges256 "range serializable, 256 clients" all --conns 16 --clients 256 range "$low" "$high" --consistency s --total 8000
add_row txnput16 "txn-put (1 put/txn), 16 clients" leader --conns 4 --clients 16 txn-put --total 2000 --key-size 8 --val-size 256 --key-space-size 100000
add_row watch "watch latency (100 watchers, 100 puts/s)" all --conns 10 watch --put-total 100 --put-rate 100 --streams 10 --watchers-per-stream 10

# The 100k-key load (and the RSS row) is for 1 member; a larger cluster is warmed up with fewer keys.
LOAD_KEYS=100000
WARMUP_KEYS_CLUSTER=10000

started_at="$(date -u +%Y-%m-%dT%H:%MZ)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "work dir $work; load average $load_before; cluster sizes: $MEMBERS"
declare -A rss skipped
sizes=($MEMBERS)
size_index=0
for size in "${sizes[@]}"; do
    out_dir="$work/$size"
    mkdir -p "$out_dir"
    size_index=$((size_index + 1))
    # Each size gets its share of what is left of the budget, so a larger cluster is not starved.
    size_deadline=$((SECONDS + (BUDGET_SECONDS - SECONDS) / (${#sizes[@]} - size_index + 1)))
    start_cluster etcd "$ETCD" "$size"
    start_cluster etcetera "$ETCETERA" "$size"

    # Phase 1: load keys into each server (also warms both up the same way); RSS of a lone member.
    run_timeout="$LOAD_TIMEOUT_SECONDS"
    keys="$LOAD_KEYS"; [ "$size" -gt 1 ] && keys="$WARMUP_KEYS_CLUSTER"
    for server in etcd etcetera; do
        log "loading $keys keys into $server ($size member(s))"
        bench "$server" load leader --conns 16 --clients 256 put --total "$keys" $write_flags
        if [ "$size" = 1 ]; then
            pids_var="${server}_pids"
            rss[$server]="$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/${!pids_var}/status" 2>/dev/null || true)"
            log "  $server RSS ${rss[$server]:-n/a} MiB"
        fi
    done
    run_timeout="$RUN_TIMEOUT_SECONDS"

    # Phase 2: every row WARMUP_RUNS times per server to warm up, then PAIRS times, alternating.
    for row in "${rows[@]}"; do
        if [ "$SECONDS" -ge "$size_deadline" ]; then
            skipped[$size.$row]=1
            log "skip $row ($size member(s)): time budget used"
            continue
        fi
        log "row $row ($size member(s)): ${row_title[$row]}"
        # WARMUP_RUNS unrecorded runs per server first: the row's own code paths get compiled by
        # the JVM (a 1-client write takes other paths than the batched load; C2 needs about three
        # runs of a row to settle) and both servers' caches warm.
        for _ in $(seq 1 "$WARMUP_RUNS"); do
            for server in etcd etcetera; do
                # shellcheck disable=SC2086
                bench "$server" "warmup-$row" "${row_target[$row]}" ${row_args[$row]}
            done
        done
        for _ in $(seq 1 "$PAIRS"); do
            for server in etcd etcetera; do
                # A server that failed a row once (for instance: not implemented) is not asked again.
                [ -e "$out_dir/$row.$server.failed" ] && continue
                # shellcheck disable=SC2086
                bench "$server" "$row" "${row_target[$row]}" ${row_args[$row]}
            done
        done
    done
    stop_cluster etcd
    stop_cluster etcetera
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# cell SIZE ROW SERVER COLUMN(1 rps, 2 p50, 3 p99) -> median, p50/p99 in ms
cell() {
    local size="$1" row="$2" server="$3" column="$4" value
    if [ -n "${skipped[$size.$row]:-}" ]; then echo "skipped"; return; fi
    if [ -e "$work/$size/$row.$server.failed" ]; then cat "$work/$size/$row.$server.failed"; return; fi
    value="$(awk -v c="$column" '{ print $c }' "$work/$size/$row.$server" 2>/dev/null | median)"
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
    echo "Medians of $PAIRS runs per server and row (alternating etcd, etcetera) after $WARMUP_RUNS unrecorded warm-up runs each; latencies in ms. Writes go to the"
    echo "leader (\`--target-leader\`), reads and watches to every member's endpoint."
    echo
    echo "| members | benchmark | etcd req/s | etcetera req/s | etcetera/etcd req/s | etcd p50 | etcetera p50 | etcd p99 | etcetera p99 | etcetera/etcd p99 |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for size in "${sizes[@]}"; do
        for row in "${rows[@]}"; do
            e_rps="$(cell "$size" "$row" etcd 1)"; x_rps="$(cell "$size" "$row" etcetera 1)"
            e_p50="$(cell "$size" "$row" etcd 2)"; x_p50="$(cell "$size" "$row" etcetera 2)"
            e_p99="$(cell "$size" "$row" etcd 3)"; x_p99="$(cell "$size" "$row" etcetera 3)"
            echo "| $size | ${row_title[$row]} | $e_rps | $x_rps | $(ratio "$x_rps" "$e_rps") | $e_p50 | $x_p50 | $e_p99 | $x_p99 | $(ratio "$x_p99" "$e_p99") |"
        done
    done
    echo
    echo "| memory (1 member) | etcd | etcetera | etcetera/etcd |"
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
