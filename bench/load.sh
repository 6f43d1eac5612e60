#!/usr/bin/env bash
# Load and abuse test of serving (issue 20), on this machine's loopback, bounded in time
# (about 5 minutes): `handbook serve` directly, and nginx (deploy/nginx/handbook.conf) in
# front of the static tree serve keeps. Writes the "## Serving" section of bench/RESULTS.md.
#
#   bash bench/load.sh                # DURATION=5 seconds per wrk run
#
# Requests per second (wrk, keep-alive, Accept-Encoding: gzip) for the feed, the snapshot
# and the app files at 1, 64 and 512 concurrent clients; then bench/abuse.py: an ordinary
# request's latency while 64 slowloris and 500 idle keep-alive connections are open, and
# memory under a header flood.
# wrk's clients all come from 127.0.0.1, so the per-client connection limits (256 in serve
# and in the nginx configuration) are raised to 2048 for the throughput runs only; the
# abuse runs keep them and spread their clients over several loopback addresses.
# wrk and the servers share the machine's 2 cores: the figures are what this machine does
# with the load generator on it, not the servers' ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
DURATION=${DURATION:-5}
bin=build/native/src/server/handbook
[ -x "$bin" ] || { echo "bench/load.sh: build first (scripts/build.sh)"; exit 1; }
command -v wrk >/dev/null || { echo "bench/load.sh: wrk is missing (scripts/setup.sh installs it)"; exit 1; }
[ -f build/web/src/web/handbook.wasm ] || { echo "bench/load.sh: the web app is not built (scripts/build.sh web)"; exit 1; }

tmp=$(mktemp -d /tmp/handbook-load-XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$bin" import articles --db "$tmp/handbook.db" >/dev/null
start_serve() { # per-client limit -> sets serve_pid, serve_port
  serve_port=$(free_port)
  "$bin" serve --db "$tmp/handbook.db" --port "$serve_port" --static-dir "$tmp/static" --max-connections-per-client "$1" \
    >"$tmp/serve.log" 2>&1 &
  serve_pid=$!
  pids+=("$serve_pid")
  for _ in $(seq 100); do grep -q "running at" "$tmp/serve.log" && break; sleep 0.1; done
  for _ in $(seq 100); do [ -f "$tmp/static/content/latest" ] && break; sleep 0.1; done
}
start_nginx() { # per-client limit -> sets nginx_port, nginx_pids
  nginx_port=$(free_port)
  mkdir -p "$tmp/nginx"
  sed -e "s|    listen 80;|    listen 127.0.0.1:$nginx_port backlog=4096;|" -e "s|    root /srv/handbook/static;|    root $tmp/static;|" \
      -e "s|    server 127.0.0.1:8080;|    server 127.0.0.1:$serve_port;|" -e "s|limit_conn handbook_per_client 256;|limit_conn handbook_per_client $1;|" \
      deploy/nginx/handbook.conf > "$tmp/nginx/handbook.conf"
  local user=""; [ "$(id -u)" = 0 ] && user="user root;"
  cat > "$tmp/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log error;
$user
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
  include /etc/nginx/mime.types;
  sendfile on;  # as Debian's /etc/nginx/nginx.conf has it
  tcp_nopush on;
  access_log off;
  client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy; fastcgi_temp_path $tmp/nginx/fcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi; scgi_temp_path $tmp/nginx/scgi;
  include $tmp/nginx/handbook.conf;
}
EOF
  /usr/sbin/nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nginx_port/sw.js" >/dev/null && break; sleep 0.1; done
  nginx_pids="$(pgrep -P "$!" | tr '\n' ' ') $!"
}
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }

results="$tmp/results.txt"
: > "$results"
run_wrk() { # label url clients
  local threads=2; [ "$3" = 1 ] && threads=1
  local out
  out=$(wrk -t"$threads" -c"$3" -d"${DURATION}s" --latency -H 'Accept-Encoding: gzip' "$2" 2>&1)
  local rps p50 p99 errs
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}')
  echo "$1|$3|$rps|$p50|$p99|${errs:-none}" >> "$results"
  echo "  $1 c=$3: $rps req/s (p50 $p50, p99 $p99) ${errs}"
}

echo "throughput (wrk, ${DURATION} s a run)"
start_serve 2048
start_nginx 2048
version=$(grep -o 'version [0-9a-f]*' "$tmp/serve.log" | cut -d' ' -f2)
pointer_body=$(tail -n +2 "$tmp/static/content/latest")
page=$(echo "$pointer_body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pages"][0]["file"])')
snapshot=$(echo "$pointer_body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["snapshot"]["file"])')
head=$(echo "$pointer_body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["head"])')
direct="http://127.0.0.1:$serve_port"
proxied="http://127.0.0.1:$nginx_port"
for c in 1 64 512; do
  run_wrk "direct: feed, a whole page (api/feed?after=0)" "$direct/api/feed?after=0" "$c"
  run_wrk "direct: feed, nothing new (the poll)" "$direct/api/feed?after=$head" "$c"
  run_wrk "direct: snapshot (api/snapshot)" "$direct/api/snapshot" "$c"
  run_wrk "direct: app file (handbook.wasm)" "$direct/v/$version/handbook.wasm" "$c"
  run_wrk "direct: app file (shell.js)" "$direct/v/$version/shell.js" "$c"
  run_wrk "nginx: feed page (content/feed/...)" "$proxied/$page" "$c"
  run_wrk "nginx: pointer, the poll (content/latest)" "$proxied/content/latest" "$c"
  run_wrk "nginx: snapshot (content/snapshot/...)" "$proxied/$snapshot" "$c"
  run_wrk "nginx: app file (handbook.wasm)" "$proxied/v/$version/handbook.wasm" "$c"
  run_wrk "nginx: app file (shell.js)" "$proxied/v/$version/shell.js" "$c"
done
stop_all

echo "abuse (default limits)"
start_serve 256
direct_abuse=$(python3 bench/abuse.py "$serve_port" "$serve_pid")
echo "  direct: $direct_abuse"
start_nginx 256
nginx_abuse=$(python3 bench/abuse.py "$nginx_port" $nginx_pids)
echo "  nginx:  $nginx_abuse"
stop_all

python3 - "$results" "$direct_abuse" "$nginx_abuse" "$root/bench/RESULTS.md" "$DURATION" <<'PY'
import json, os, subprocess, sys, datetime
results, direct, proxied, out_path, duration = sys.argv[1:6]
rows = [l.rstrip('\n').split('|') for l in open(results) if l.strip()]
commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
cpu = subprocess.run(['sh', '-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
load = open('/proc/loadavg').read().split()[:3]
lines = ['## Serving (issue 20)', '',
         'Written by `bench/load.sh` (wrk and bench/abuse.py on the loopback; see the script for what is measured). ',
         f'- Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; commit {commit}; {cpu}, {os.cpu_count()} cores shared by wrk, the servers '
         f'and other work (load average at the end: {" ".join(load)})',
         f'- wrk: keep-alive, Accept-Encoding: gzip, {duration} s a run, all clients from 127.0.0.1 (per-client limits raised to 2048 for these runs)', '',
         '| what | clients | requests/s | latency p50 | p99 | errors |', '|---|---|---|---|---|---|']
order = {}
for label, c, rps, p50, p99, errs in rows:
    order.setdefault(label, []).append((int(c), rps, p50, p99, errs))
for label, runs in order.items():
    for c, rps, p50, p99, errs in sorted(runs):
        lines.append(f'| {label} | {c} | {rps} | {p50} | {p99} | {errs.strip()} |')
d, n = json.loads(direct), json.loads(proxied)
lines += ['', 'Abuse (default limits: 256 connections per address): an ordinary request (GET /sw.js) 20 times while 500 idle keep-alive',
          'connections (ten addresses) and 64 slowloris connections are open; then a header flood (32 connections sending 1 KB header',
          'lines as fast as they can for 8 s) and the resident memory of the serving processes (serve; nginx\'s master and worker).', '',
          '| | ordinary request p50 | max | answered within 1 s | failed | flood offered | memory before | peak | 3 s after | answers after |',
          '|---|---|---|---|---|---|---|---|---|---|']
for name, r in (('handbook serve, directly', d), ('nginx in front', n)):
    lines.append(f"| {name} | {r['ordinary_p50_ms']} ms | {r['ordinary_max_ms']} ms | {r['ordinary_within_1s']} of 20 | {r['ordinary_failures']} | "
                 f"{r['flood_sent_mb']} MB | {r['rss_before_flood_mb']} MB | {r['rss_peak_mb']} MB | {r['rss_after_mb']} MB | {'yes' if r['answers_after_flood'] else 'NO'} |")
lines += ['', '"flood offered" is what the flooding clients pushed into their sockets (the server reads at most 16 KiB of a request head, answers 431',
          'and closes; the rest is dropped by the kernel).', '',
          'Targets (issue 20): an ordinary request answered within 1 s under the abuse above; memory under a header flood bounded and returned.',
          'Before (issue 20\'s findings, main at e81ab7f, same machine): the feed 60-160 requests/s (rebuilt and gzipped per request); eight',
          'slow or idle connections stopped every other request (436 of 500 keep-alive clients unanswered in 30 s); eight requests with 41 MB of',
          'headers took the process to 2.6 GB, never returned.', '']
text = open(out_path).read() if os.path.exists(out_path) else '# Results\n'
marker = '## Serving (issue 20)'
section = '\n'.join(lines) + '\n'
if marker in text:
    start = text.index(marker)
    rest = text.find('\n## ', start + 1)
    text = text[:start] + section + (text[rest + 1:] if rest != -1 else '')
else:
    hist = text.find('\n## History')
    text = text[:hist + 1] + section + '\n' + text[hist + 1:] if hist != -1 else text + '\n' + section
open(out_path, 'w').write(text)
print('bench/load.sh: wrote the Serving section of', out_path)
PY
