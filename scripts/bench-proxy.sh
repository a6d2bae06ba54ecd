#!/usr/bin/env bash
# bench-proxy.sh: the SwiftNIO reverse proxy against nginx on loopback.
#
#   1. wrk -t2 -c64 -d10s against the upstream directly, the proxy and nginx (same upstream,
#      same run, interleaved ROUNDS times): median and best req/s, p50, p99, proxy/nginx ratio.
#      On a shared machine the best round is the least disturbed one; both are printed, with
#      the CPU time per request of the proxy and of nginx.
#   1b. The cost of a Lua balancer in the request path (LUA_BALANCER, below).
#   2. A 1000 req/s rate-limited run against all three (wrk with a Lua delay; wrk2 is not in
#      Debian): p50/p99 at that rate, added p99 vs direct, and the proxy's RSS (ps -o rss).
#   3. A fault run: 30 s of wrk load through a proxy over two upstream instances, one killed
#      (SIGKILL) midway: the proxy must stay up, fail over (error counts reported) and return to
#      its baseline of open connections (file descriptors) afterwards.
#
# Usage: scripts/bench-proxy.sh            (from the package root; builds release binaries)
# Environment (defaults): DURATION=10s CONNECTIONS=64 WRK_THREADS=2 PROXY_THREADS=2
#   UPSTREAM_THREADS=2 ROUNDS=3 RATE=1000 RATE_SECONDS=15 FAULT_SECONDS=30 SKIP_RATE=0 SKIP_FAULT=0
#   LUA_ROUNDS=20 LUA_DURATION=4s ONLY_LUA=0 (1: only the Lua cost below)
#   PROXY_CMD: command that runs the proxy, given `--registry FILE --port P --threads N`; it must
#     print `listening HOST:PORT`. Default: `aiotwin-proxy --balancer $BALANCER`, the deployable
#     proxy binary as scripts/build-proxy.sh builds it into .build-static (a first build there
#     takes a few minutes).
#   BALANCER: the routing policy of the default proxy (slo_aware).
#   LUA_BALANCER: the Lua balancer plugin whose cost in the request path is measured (section 1b;
#     random_in_pool: the SLO-aware pool with the plugin's pick; empty: skip). Each of LUA_ROUNDS
#     rounds starts a fresh `aiotwin proxy serve` with the built-in slo_aware and one with the
#     plugin (two processes of one binary and configuration differ by about 1%) and loads both at once,
#     one `wrk -t1 -c32 -d$LUA_DURATION` each, so that both see the same machine: their ratio of
#     CPU time per request (user + system, /proc ticks) is the cost of Lua, reported with a
#     bootstrap 95% interval; the ratio of their request counts is printed beside it.
#   TAU_MS: the service's latency threshold in the registry (1000). At saturation a 2-core box
#     has latency spikes far above 80 ms; each would suspend the only instance and empty the
#     pool, and a balancer is not consulted on an empty pool. The pool sizes are reported.
#   UPSTREAM_CMD: the trivial upstream (default: the `proxy-bench-upstream` product).
# Needs: swift, and wrk + nginx (installed from Debian with apt-get when missing).
# All traffic stays on 127.0.0.1; every process started here is stopped on exit.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
PROXY_THREADS=${PROXY_THREADS:-2}
UPSTREAM_THREADS=${UPSTREAM_THREADS:-2}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-1000}
RATE_SECONDS=${RATE_SECONDS:-15}
FAULT_SECONDS=${FAULT_SECONDS:-30}
SKIP_RATE=${SKIP_RATE:-0}
SKIP_FAULT=${SKIP_FAULT:-0}
LUA_BALANCER=${LUA_BALANCER-random_in_pool}
TAU_MS=${TAU_MS:-1000}
LUA_ROUNDS=${LUA_ROUNDS:-20}
LUA_DURATION=${LUA_DURATION:-4s}
ONLY_LUA=${ONLY_LUA:-0}
if [ "$ONLY_LUA" = 1 ]; then SKIP_RATE=1; SKIP_FAULT=1; fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/bench-proxy.XXXXXX)
PIDS=()

cleanup() {
    local pid file
    # Processes started by start() run in a command substitution: their pids are in $WORK/*.pid.
    for file in "$WORK"/*.pid; do
        [ -f "$file" ] && PIDS+=("$(cat "$file")")
    done
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    sleep 0.2
    rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '[bench] %s\n' "$*" >&2; }

# --- tools --------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    log "installing wrk and nginx from Debian"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk nginx >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# --- binaries -----------------------------------------------------------------------------------
cd "$ROOT"
log "building release binaries"
swift build -c release --product proxy-bench-upstream >&2
swift build -c release --product aiotwin >&2
BIN=$(swift build -c release --show-bin-path)
if [ -z "${PROXY_CMD:-}" ]; then
    PROXY_BIN=$("$ROOT/scripts/build-proxy.sh")
fi
UPSTREAM_CMD=${UPSTREAM_CMD:-$BIN/proxy-bench-upstream}
PROXY_CMD=${PROXY_CMD:-$PROXY_BIN --balancer ${BALANCER:-slo_aware}}
SERVE_CMD="$BIN/aiotwin proxy serve"

# --- helpers ------------------------------------------------------------------------------------
# start NAME LOGFILE CMD...: runs CMD in the background, waits for "listening HOST:PORT", prints PORT.
start() {
    local name=$1 logfile=$2
    shift 2
    "$@" >"$logfile" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    echo "$pid" >"$WORK/$name.pid"
    local i
    for i in $(seq 1 100); do
        if grep -q '^listening ' "$logfile" 2>/dev/null; then
            sed -n 's/^listening .*:\([0-9]*\)$/\1/p' "$logfile" | head -1
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$logfile" >&2; log "$name exited"; exit 1; }
        sleep 0.1
    done
    log "$name did not start"
    exit 1
}
pid_of() { cat "$WORK/$1.pid"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# to_ms VALUE: wrk latency ("850.00us", "1.23ms", "1.10s") → milliseconds
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else printf "nan" }'
}

# cpu_ticks PID...: user + system CPU time of the processes so far, in clock ticks (all threads)
cpu_ticks() { local pid; for pid in "$@"; do cat "/proc/$pid/stat"; done | awk '{s += $14 + $15} END {print s}'; }

# run_wrk LABEL URL [wrk args...]: appends "LABEL rps p50 p99 errors cpu" to $WORK/results, where
# cpu is the CPU time per request (µs, user + system) of the processes whose pids are in $CPU_PID
# ("-" without one): the steadier measure on a shared machine, since other load changes req/s
# far more than it changes the work per request.
run_wrk() {
    local label=$1 url=$2
    shift 2
    local out before=0 after=0
    [ -n "${CPU_PID:-}" ] && before=$(cpu_ticks $CPU_PID)
    out=$(wrk --latency "$@" "$url")
    [ -n "${CPU_PID:-}" ] && after=$(cpu_ticks $CPU_PID)
    echo "$out" >"$WORK/wrk-$label-$(date +%s%N).txt"
    local rps p50 p99 non2xx sockerr requests cpu=-
    rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    sockerr=$(echo "$out" | awk -F'[ ,]+' '/Socket errors/ {print $5+$7+$9+$11}')
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    if [ -n "${CPU_PID:-}" ] && [ "${requests:-0}" -gt 0 ]; then
        cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.3f", t / hz * 1e6 / n }')
    fi
    echo "$label ${rps:-0} $p50 $p99 $(( ${non2xx:-0} + ${sockerr:-0} )) $cpu" >>"$WORK/results"
    log "$label: ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms, errors $(( ${non2xx:-0} + ${sockerr:-0} )), CPU ${cpu} µs/request"
}

# median LABEL FIELD: median of a column of $WORK/results for LABEL
median() {
    awk -v l="$1" -v f="$2" '$1 == l {print $f}' "$WORK/results" | sort -g |
        awk '{a[NR] = $1} END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# best LABEL: highest req/s of LABEL
best() { awk -v l="$1" '$1 == l {print $2}' "$WORK/results" | sort -g | tail -1; }

fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }

# --- processes ----------------------------------------------------------------------------------
UP1=$(start upstream1 "$WORK/upstream1.log" "$UPSTREAM_CMD" --port 0 --threads "$UPSTREAM_THREADS" --name s1)
log "upstream s1 on $UP1"

cat >"$WORK/registry.json" <<EOF
{"services": {"echo": {"instances": [{"name": "s1", "address": "127.0.0.1:$UP1"}], "latencyThresholdMs": $TAU_MS}}}
EOF
PROXY=$(start proxy "$WORK/proxy.log" $PROXY_CMD --registry "$WORK/registry.json" --port 0 --threads "$PROXY_THREADS")
log "proxy on $PROXY"
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx.conf" <<EOF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    upstream echo_upstream {
        server 127.0.0.1:$UP1;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://echo_upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx.conf" -g 'daemon off;' >"$WORK/nginx.log" 2>&1 &
NGINX_PID=$!
echo "$NGINX_PID" >"$WORK/nginx.pid"
for i in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$NGINX_PORT") 2>/dev/null && break
    sleep 0.1
done
log "nginx on $NGINX_PORT (pid $NGINX_PID)"

DIRECT_URL="http://127.0.0.1:$UP1/"
PROXY_URL="http://127.0.0.1:$PROXY/"
NGINX_URL="http://127.0.0.1:$NGINX_PORT/"
SERVICE_HEADER="X-Service: echo"

# --- 1. throughput ------------------------------------------------------------------------------
: >"$WORK/results"
log "warm-up"
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d2s "$DIRECT_URL" >/dev/null
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d2s -H "$SERVICE_HEADER" "$PROXY_URL" >/dev/null
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d2s "$NGINX_URL" >/dev/null

WRK_ARGS=(-t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION")
if [ "$ONLY_LUA" != 1 ]; then
    for round in $(seq 1 "$ROUNDS"); do
        log "throughput round $round/$ROUNDS: wrk ${WRK_ARGS[*]}"
        run_wrk direct "$DIRECT_URL" "${WRK_ARGS[@]}"
        CPU_PID=$(pid_of proxy) run_wrk proxy "$PROXY_URL" "${WRK_ARGS[@]}" -H "$SERVICE_HEADER"
        CPU_PID="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" run_wrk nginx "$NGINX_URL" "${WRK_ARGS[@]}"
    done
fi
pool_size() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^aiotwin_routing_pool_size/ {print $2}'; }
POOL_AFTER=$(pool_size "$PROXY")

# --- 1b. the cost of a Lua balancer ---------------------------------------------------------------
if [ -n "$LUA_BALANCER" ]; then
    # start_serve NAME BALANCER: a fresh `aiotwin proxy serve` on the registry; prints its port.
    start_serve() {
        start "$1" "$WORK/$1.log" $SERVE_CMD --balancer "$2" --registry "$WORK/registry.json" --port 0 --threads "$PROXY_THREADS"
    }
    : >"$WORK/lua-rounds"
    for round in $(seq 1 "$LUA_ROUNDS"); do
        # Start order alternates; both are warmed up, then loaded at the same time.
        if [ $((round % 2)) = 1 ]; then
            B_PORT=$(start_serve lua-builtin slo_aware); L_PORT=$(start_serve lua-plugin "$LUA_BALANCER")
        else
            L_PORT=$(start_serve lua-plugin "$LUA_BALANCER"); B_PORT=$(start_serve lua-builtin slo_aware)
        fi
        B_PID=$(pid_of lua-builtin); L_PID=$(pid_of lua-plugin)
        wrk -t1 -c32 -d1s -H "$SERVICE_HEADER" "http://127.0.0.1:$B_PORT/" >/dev/null & WARM=$!
        wrk -t1 -c32 -d1s -H "$SERVICE_HEADER" "http://127.0.0.1:$L_PORT/" >/dev/null
        wait "$WARM"
        B0=$(cpu_ticks "$B_PID"); L0=$(cpu_ticks "$L_PID")
        wrk -t1 -c32 -d"$LUA_DURATION" -H "$SERVICE_HEADER" "http://127.0.0.1:$B_PORT/" >"$WORK/lua-builtin.wrk" & LOAD=$!
        wrk -t1 -c32 -d"$LUA_DURATION" -H "$SERVICE_HEADER" "http://127.0.0.1:$L_PORT/" >"$WORK/lua-plugin.wrk"
        wait "$LOAD"
        B1=$(cpu_ticks "$B_PID"); L1=$(cpu_ticks "$L_PID")
        LUA_POOL_AFTER=$(pool_size "$L_PORT")
        kill "$B_PID" "$L_PID"
        wait "$B_PID" "$L_PID" 2>/dev/null || true
        BN=$(awk '/requests in/ {print $1}' "$WORK/lua-builtin.wrk"); LN=$(awk '/requests in/ {print $1}' "$WORK/lua-plugin.wrk")
        awk -v r="$round" -v bt=$((B1 - B0)) -v lt=$((L1 - L0)) -v bn="$BN" -v ln="$LN" -v hz="$(getconf CLK_TCK)" 'BEGIN {
            b = bt / hz * 1e6 / bn; l = lt / hz * 1e6 / ln
            printf "%d %.3f %.3f %.4f %d %d %.4f\n", r, b, l, l / b, bn, ln, ln / bn }' >>"$WORK/lua-rounds"
        log "Lua cost round $round/$LUA_ROUNDS: $(tail -1 "$WORK/lua-rounds" | awk '{printf "built-in %s µs, %s %s µs per request (×%s); requests %s vs %s", $2, "'"$LUA_BALANCER"'", $3, $4, $5, $6}')"
    done
fi

# --- 2. fixed rate ------------------------------------------------------------------------------
RATE_CONNECTIONS=10
if [ "$SKIP_RATE" != 1 ]; then
    # Each connection waits DELAY ms before its next request: about RATE req/s in total.
    DELAY_MS=$(awk -v c="$RATE_CONNECTIONS" -v r="$RATE" 'BEGIN { printf "%.3f", 1000 * c / r }')
    cat >"$WORK/rate.lua" <<EOF
function delay()
    return $DELAY_MS
end
EOF
    RATE_ARGS=(-t1 -c"$RATE_CONNECTIONS" -d"${RATE_SECONDS}s" -s "$WORK/rate.lua")
    log "fixed rate ~$RATE req/s: wrk ${RATE_ARGS[*]}"
    run_wrk rate-direct "$DIRECT_URL" "${RATE_ARGS[@]}"
    PROXY_PID=$(pid_of proxy)
    RSS_BEFORE=$(rss_kb "$PROXY_PID")
    : >"$WORK/rss"
    ( while kill -0 "$PROXY_PID" 2>/dev/null; do rss_kb "$PROXY_PID" >>"$WORK/rss"; sleep 1; done ) &
    SAMPLER=$!
    echo "$SAMPLER" >"$WORK/sampler.pid"
    run_wrk rate-proxy "$PROXY_URL" "${RATE_ARGS[@]}" -H "$SERVICE_HEADER"
    kill "$SAMPLER" 2>/dev/null || true
    wait "$SAMPLER" 2>/dev/null || true
    RSS_MAX=$(sort -n "$WORK/rss" | tail -1)
    RSS_AFTER=$(rss_kb "$PROXY_PID")
    run_wrk rate-nginx "$NGINX_URL" "${RATE_ARGS[@]}"
    NGINX_RSS=0
    for pid in $(pgrep -P "$NGINX_PID") "$NGINX_PID"; do NGINX_RSS=$((NGINX_RSS + $(rss_kb "$pid"))); done
fi

# --- 3. fault run -------------------------------------------------------------------------------
if [ "$SKIP_FAULT" != 1 ]; then
    log "fault run: two instances, s1 killed after $((FAULT_SECONDS / 2)) s of ${FAULT_SECONDS} s"
    FUP1=$(start fault-s1 "$WORK/fault-s1.log" "$UPSTREAM_CMD" --port 0 --threads 1 --name s1)
    FUP2=$(start fault-s2 "$WORK/fault-s2.log" "$UPSTREAM_CMD" --port 0 --threads 1 --name s2)
    cat >"$WORK/fault-registry.json" <<EOF
{"services": {"echo": {"instances": [{"name": "s1", "address": "127.0.0.1:$FUP1"}, {"name": "s2", "address": "127.0.0.1:$FUP2"}]}}}
EOF
    FPROXY=$(start fault-proxy "$WORK/fault-proxy.log" $PROXY_CMD --registry "$WORK/fault-registry.json" --port 0 \
        --threads "$PROXY_THREADS" --upstream-idle-ms 2000)
    FPROXY_PID=$(pid_of fault-proxy)
    sleep 0.5
    FD_BASELINE=$(fd_count "$FPROXY_PID")
    wrk --latency -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${FAULT_SECONDS}s" -H "$SERVICE_HEADER" \
        "http://127.0.0.1:$FPROXY/" >"$WORK/fault-wrk.txt" 2>&1 &
    FAULT_WRK=$!
    echo "$FAULT_WRK" >"$WORK/fault-wrk.pid"
    sleep $((FAULT_SECONDS / 2))
    FD_DURING=$(fd_count "$FPROXY_PID")
    kill -9 "$(pid_of fault-s1)"
    log "killed s1 (fds during load: $FD_DURING)"
    wait "$FAULT_WRK" || true
    PROXY_ALIVE=no
    kill -0 "$FPROXY_PID" 2>/dev/null && PROXY_ALIVE=yes
    sleep 4  # pooled upstream connections idle out after 2 s
    FD_AFTER=$(fd_count "$FPROXY_PID")
    curl -s -H "$SERVICE_HEADER" "http://127.0.0.1:$FPROXY/" >/dev/null && AFTER_OK=yes || AFTER_OK=no
    FAULT_METRICS=$(curl -s "http://127.0.0.1:$FPROXY/metrics")
    FAULT_REQUESTS=$(awk '/requests in/ {print $1}' "$WORK/fault-wrk.txt")
    FAULT_RPS=$(awk '/^Requests\/sec/ {print $2}' "$WORK/fault-wrk.txt")
    FAULT_NON2XX=$(awk '/Non-2xx/ {print $NF}' "$WORK/fault-wrk.txt")
    FAULT_SOCKERR=$(awk -F'[ ,]+' '/Socket errors/ {print "connect " $5 ", read " $7 ", write " $9 ", timeout " $11}' "$WORK/fault-wrk.txt")
fi

# --- report -------------------------------------------------------------------------------------
D_RPS=$(median direct 2); D_P50=$(median direct 3); D_P99=$(median direct 4)
P_RPS=$(median proxy 2); P_P50=$(median proxy 3); P_P99=$(median proxy 4)
N_RPS=$(median nginx 2); N_P50=$(median nginx 3); N_P99=$(median nginx 4)
RATIO=$(awk -v p="$P_RPS" -v n="$N_RPS" 'BEGIN { printf "%.2f", p / n }')
D_BEST=$(best direct); P_BEST=$(best proxy); N_BEST=$(best nginx)
RATIO_BEST=$(awk -v p="$P_BEST" -v n="$N_BEST" 'BEGIN { printf "%.2f", p / n }')
ROUND_RATIOS=$(paste -d' ' <(awk '$1 == "proxy" {print $2}' "$WORK/results") <(awk '$1 == "nginx" {print $2}' "$WORK/results") |
    awk '{printf "%s%.2f", (NR > 1 ? ", " : ""), $1 / $2}')
ADD_P=$(awk -v a="$P_P99" -v b="$D_P99" 'BEGIN { printf "%+.2f", a - b }')
ADD_N=$(awk -v a="$N_P99" -v b="$D_P99" 'BEGIN { printf "%+.2f", a - b }')

echo
echo "## Proxy benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
if [ "$ONLY_LUA" != 1 ]; then
    echo "Saturation: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION, GET / (13-byte body), median of $ROUNDS round(s);"
    echo "proxy: $(echo "$PROXY_CMD" | awk '{print $1}' | xargs basename), $PROXY_THREADS event loops; nginx: 2 workers, keepalive 64; upstream: $UPSTREAM_THREADS threads."
    echo
    echo "| target | req/s (median) | req/s (best) | p50 ms | p99 ms | added p99 vs direct |"
    echo "|---|---|---|---|---|---|"
    echo "| upstream direct | $D_RPS | $D_BEST | $D_P50 | $D_P99 | |"
    echo "| **NIO proxy** | **$P_RPS** | **$P_BEST** | $P_P50 | $P_P99 | $ADD_P ms |"
    echo "| nginx | $N_RPS | $N_BEST | $N_P50 | $N_P99 | $ADD_N ms |"
    echo
    echo "proxy / nginx throughput: median **$RATIO**, best **$RATIO_BEST**; per round: $ROUND_RATIOS"
    echo "CPU time per request (user + system): proxy median $(median proxy 6) µs, nginx (master + workers) $(median nginx 6) µs:"
    echo "nginx / proxy **$(awk -v p="$(median proxy 6)" -v n="$(median nginx 6)" 'BEGIN { printf "%.2f", n / p }')** (steadier than req/s on a shared machine)."
    echo "QoS pool size after the rounds: proxy ${POOL_AFTER:-?} (τ $TAU_MS ms)."
fi
if [ -n "$LUA_BALANCER" ]; then
    echo
    echo "Lua balancer cost: $LUA_ROUNDS rounds, each a fresh aiotwin proxy serve with the built-in slo_aware and one with"
    echo "the Lua balancer $LUA_BALANCER (pool size after: ${LUA_POOL_AFTER:-?}), loaded at once by wrk -t1 -c32 -d$LUA_DURATION each."
    echo
    python3 - "$WORK/lua-rounds" <<'PY'
import random, statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def summary(values):
    random.seed(1)
    means = sorted(statistics.mean(random.choices(values, k=len(values))) for _ in range(4000))
    return statistics.mean(values), statistics.median(values), means[100], means[3899]
cpu = summary([float(r[3]) for r in rows])
req = summary([float(r[6]) for r in rows])
print("| measure | mean | median | 95% interval of the mean |")
print("|---|---|---|---|")
print("| Lua / built-in CPU time per request | **%.4f** | %.4f | %.4f – %.4f |" % cpu)
print("| Lua / built-in requests served (same load, same time) | %.4f | %.4f | %.4f – %.4f |" % req)
print()
print("CPU µs per request, built-in: median %.2f; Lua: median %.2f." % (
    statistics.median(float(r[1]) for r in rows), statistics.median(float(r[2]) for r in rows)))
PY
fi
if [ "$SKIP_RATE" != 1 ]; then
    RD_P50=$(median rate-direct 3); RD_P99=$(median rate-direct 4); RD_RPS=$(median rate-direct 2)
    RP_P50=$(median rate-proxy 3); RP_P99=$(median rate-proxy 4); RP_RPS=$(median rate-proxy 2)
    RN_P50=$(median rate-nginx 3); RN_P99=$(median rate-nginx 4); RN_RPS=$(median rate-nginx 2)
    echo
    echo "Fixed rate: wrk -t1 -c$RATE_CONNECTIONS -d${RATE_SECONDS}s with a ${DELAY_MS} ms Lua delay per connection (~$RATE req/s)."
    echo
    echo "| target | req/s | p50 ms | p99 ms | added p99 vs direct | RSS |"
    echo "|---|---|---|---|---|---|"
    echo "| upstream direct | $RD_RPS | $RD_P50 | $RD_P99 | | |"
    mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
    echo "| **NIO proxy** | $RP_RPS | $RP_P50 | $RP_P99 | $(awk -v a="$RP_P99" -v b="$RD_P99" 'BEGIN { printf "%+.2f", a - b }') ms | before $(mb "$RSS_BEFORE"), max $(mb "$RSS_MAX"), after $(mb "$RSS_AFTER") |"
    echo "| nginx | $RN_RPS | $RN_P50 | $RN_P99 | $(awk -v a="$RN_P99" -v b="$RD_P99" 'BEGIN { printf "%+.2f", a - b }') ms | $(mb "$NGINX_RSS") (master + workers) |"
fi
if [ "$SKIP_FAULT" != 1 ]; then
    echo
    echo "Fault run: wrk -t$WRK_THREADS -c$CONNECTIONS -d${FAULT_SECONDS}s through a proxy over s1 + s2; s1 SIGKILLed at $((FAULT_SECONDS / 2)) s."
    echo
    echo "| measure | value |"
    echo "|---|---|"
    echo "| requests (req/s) | $FAULT_REQUESTS ($FAULT_RPS) |"
    echo "| non-2xx responses | ${FAULT_NON2XX:-0} |"
    echo "| socket errors | ${FAULT_SOCKERR:-none} |"
    echo "| proxy alive after | $PROXY_ALIVE (request after the run ok: $AFTER_OK) |"
    echo "| proxy fds: before / during / 4 s after | $FD_BASELINE / $FD_DURING / $FD_AFTER |"
    echo "| retries (proxy metric) | $(echo "$FAULT_METRICS" | awk '/^aiotwin_proxy_retries_total/ {print $2}') |"
    echo "| attempts on s1 by outcome | $(echo "$FAULT_METRICS" | awk -F'[{}]' '/^aiotwin_proxy_requests_total/ && /upstream="s1"/ {split($2, a, "outcome=\""); sub(/".*/, "", a[2]); printf "%s=%s ", a[2], $3}') |"
    echo "| attempts on s2 by outcome | $(echo "$FAULT_METRICS" | awk -F'[{}]' '/^aiotwin_proxy_requests_total/ && /upstream="s2"/ {split($2, a, "outcome=\""); sub(/".*/, "", a[2]); printf "%s=%s ", a[2], $3}') |"
    echo "| client / upstream connections after | $(echo "$FAULT_METRICS" | awk '/^aiotwin_proxy_client_connections / {print $2}') / $(echo "$FAULT_METRICS" | awk '/^aiotwin_proxy_upstream_connections\{/ {s += $2} END {print s + 0}') |"
fi
