#!/usr/bin/env python3
"""Time from saving a scenario to its page served again by `upgrade-atlas serve`.

    python3 benches/serve_latency.py BINARY KB   (KB: a copy of a knowledge base; it is edited)

Starts serve on a free port, edits the first scenario ten times, and prints the
median milliseconds to the reload event and to the page fetched again."""
import socket, subprocess, sys, time, os, re, statistics
binary, kb = sys.argv[1], sys.argv[2]
p = subprocess.Popen([binary, "--root", kb, "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
port = None
while port is None:
    line = p.stdout.readline()
    m = re.search(r"127\.0\.0\.1:(\d+)", line)
    if m: port = int(m.group(1))
time.sleep(3)
def get(path):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        b = s.recv(65536)
        if not b: break
        data += b
    return data
folder = os.path.join(kb, "content", "scenarios"); name = sorted(os.listdir(folder))[0]
page = "/scenarios/" + name[:-5] + "/index.html"
get(page)
results = []
for i in range(10):
    ev = socket.create_connection(("127.0.0.1", port)); ev.sendall(b"GET /__upgrade-atlas/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    ev.settimeout(5); buf = b""
    while b"\r\n\r\n" not in buf: buf += ev.recv(4096)
    time.sleep(0.3)
    path = os.path.join(folder, name); text = open(path).read()
    text = re.sub(r"\ntitle: .*", f"\ntitle: Edited {i}", text, count=1)
    t0 = time.perf_counter(); open(path, "w").write(text)
    while b"reload" not in buf: buf += ev.recv(4096)
    t1 = time.perf_counter(); body = get(page); t2 = time.perf_counter()
    assert f"Edited {i}".encode() in body
    results.append(((t1 - t0) * 1000, (t2 - t0) * 1000)); ev.close()
p.terminate()
print("to reload event ms: median %.1f" % statistics.median(r[0] for r in results), "to page served ms: median %.1f" % statistics.median(r[1] for r in results), [round(r[1]) for r in results])
