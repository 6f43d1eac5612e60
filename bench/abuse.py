#!/usr/bin/env python3
"""Abuse of a Handbook server on this machine's loopback (bench/load.sh runs it).

  abuse.py PORT PIDS...      PIDS: the processes whose memory counts (serve, or nginx's)

1. 500 idle keep-alive connections (from 127.0.0.2-11: ten clients as far as per-client
   limits go), each after one answered request, and 64 slowloris connections (from
   127.0.0.20: a request begun and a header line sent every second, reconnecting when
   the server closes them), then 20 ordinary requests from 127.0.0.1, half a second
   apart: their latency (target: each answered within 1 s).
2. A header flood: 32 connections from 127.0.0.30-33 sending 1 KB header lines as fast
   as they can for 8 s (reconnecting when refused); the processes' resident memory
   before, at its peak, and 3 s after (target: bounded, and returned).
Prints one JSON object.
"""
import json
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
PIDS = [int(p) for p in sys.argv[2:]]


def rss_kb():
    total = 0
    for pid in PIDS:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def connect(source="127.0.0.1", timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", PORT))
    return s


def read_response(s):
    """One whole HTTP response (by Content-Length); returns the status code."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(head.split(b" ")[1])


def ordinary_request():
    start = time.monotonic()
    try:
        s = connect()
        s.sendall(b"GET /sw.js HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
        status = read_response(s)
        s.close()
    except OSError:
        status = 0
    return status, time.monotonic() - start


stop = threading.Event()


def slowloris():
    conns = []
    while not stop.is_set():
        while len(conns) < 64 and not stop.is_set():
            try:
                s = connect("127.0.0.20", timeout=2)
                s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\n")
                conns.append(s)
            except OSError:
                time.sleep(0.05)
        time.sleep(1)
        alive = []
        for s in conns:
            try:
                s.sendall(b"X-Slow: 1\r\n")
                alive.append(s)
            except OSError:
                s.close()
        conns = alive
    for s in conns:
        s.close()


def main():
    result = {}
    base = rss_kb()
    idle = []
    for i in range(500):
        s = connect(f"127.0.0.{2 + i % 10}")
        s.sendall(b"GET /sw.js HTTP/1.1\r\nHost: bench\r\n\r\n")
        read_response(s)
        idle.append(s)
    slow = threading.Thread(target=slowloris)
    slow.start()
    time.sleep(2)
    latencies, failures = [], 0
    for _ in range(20):
        status, seconds = ordinary_request()
        if status != 200:
            failures += 1
        latencies.append(seconds)
        time.sleep(0.5)
    latencies.sort()
    result["ordinary_p50_ms"] = round(latencies[len(latencies) // 2] * 1000, 1)
    result["ordinary_max_ms"] = round(latencies[-1] * 1000, 1)
    result["ordinary_failures"] = failures
    result["ordinary_within_1s"] = sum(1 for t in latencies if t < 1.0)
    stop.set()
    slow.join()
    for s in idle:
        s.close()
    stop.clear()

    # Header flood.
    time.sleep(1)
    before = rss_kb()
    line = b"X-Flood: " + b"a" * 1000 + b"\r\n"
    sent = [0]

    def flood(source):
        while not stop.is_set():
            try:
                s = connect(source, timeout=2)
                s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\n")
                while not stop.is_set():
                    s.sendall(line * 16)
                    sent[0] += 16 * len(line)
            except OSError:
                pass
            finally:
                try:
                    s.close()
                except Exception:
                    pass

    threads = [threading.Thread(target=flood, args=(f"127.0.0.{30 + i % 4}",)) for i in range(32)]
    for t in threads:
        t.start()
    peak = before
    end = time.monotonic() + 8
    while time.monotonic() < end:
        peak = max(peak, rss_kb())
        time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join()
    time.sleep(3)
    after = rss_kb()
    result["flood_sent_mb"] = round(sent[0] / 1e6, 1)
    result["rss_start_mb"] = round(base / 1024, 1)
    result["rss_before_flood_mb"] = round(before / 1024, 1)
    result["rss_peak_mb"] = round(peak / 1024, 1)
    result["rss_after_mb"] = round(after / 1024, 1)
    ok_after = ordinary_request()[0] == 200
    result["answers_after_flood"] = ok_after
    print(json.dumps(result))


main()
