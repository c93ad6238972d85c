#!/usr/bin/python3
"""Builds the bus fixtures from a real redis-server 7.0.15 cluster on loopback.

Starts 6 nodes in a temp dir, runs `redis-cli --cluster create` (3 masters + 3 replicas), opens a
migrating/importing slot, copies each nodes.conf, then plays a minimal fake bus node against
node 0 (which announces hostname host-a.example) to record real PONG/PING/UPDATE/PUBLISH frames.
Every process started is stopped by PID. Usage: capture.py OUT_DIR BASE_PORT
"""
import os, socket, struct, subprocess, sys, tempfile, time, random, shutil

out, base = sys.argv[1], int(sys.argv[2])
ports = [base + i for i in range(6)]
tmp = tempfile.mkdtemp(prefix="tessera-bus-capture-")
procs = []

def cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True,
                          timeout=20).stdout.strip()

def read_frame(sock):
    buf = b""
    while len(buf) < 8:
        chunk = sock.recv(65536)
        if not chunk: raise EOFError
        buf += chunk
    totlen = struct.unpack(">I", buf[4:8])[0]
    while len(buf) < totlen:
        chunk = sock.recv(65536)
        if not chunk: raise EOFError
        buf += chunk
    return buf[:totlen], buf[totlen:]

def frames(sock, deadline, want):
    got, rest = [], b""
    sock.settimeout(0.2)
    while time.time() < deadline and len(got) < want:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk: break
        rest += chunk
        while len(rest) >= 8 and len(rest) >= struct.unpack(">I", rest[4:8])[0]:
            n = struct.unpack(">I", rest[4:8])[0]
            got.append(rest[:n]); rest = rest[n:]
    return got

def header(mtype, name, port, cport, epoch=0, slots=b"", flags=0x11):
    h = bytearray(2256)
    h[0:4] = b"RCmb"
    struct.pack_into(">IHHHH", h, 4, 2256, 1, port, mtype, 0)
    struct.pack_into(">QQQ", h, 16, epoch, epoch, 0)
    h[40:80] = name
    h[80:80 + len(slots)] = slots
    struct.pack_into(">HHHB", h, 2246, 0, cport, flags, 0)
    return bytes(h)

try:
    for i, p in enumerate(ports):
        d = os.path.join(tmp, str(p)); os.mkdir(d)
        args = ["redis-server", "--port", str(p), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
                "--save", "", "--appendonly", "no", "--dir", d, "--logfile", d + "/redis.log"]
        if i == 0: args += ["--cluster-announce-hostname", "host-a.example"]
        procs.append(subprocess.Popen(args))
    for p in ports:
        for _ in range(100):
            if cli(p, "ping") == "PONG": break
            time.sleep(0.05)
    subprocess.run(["redis-cli", "--cluster", "create", *[f"127.0.0.1:{p}" for p in ports],
                    "--cluster-replicas", "1", "--cluster-yes"], check=True, capture_output=True,
                   timeout=60)
    for _ in range(200):
        if all("cluster_state:ok" in cli(p, "cluster", "info") for p in ports): break
        time.sleep(0.1)
    ids = {p: cli(p, "cluster", "myid") for p in ports}
    owner100 = [p for p in ports[:3] if cli(p, "cluster", "countkeysinslot", "100") and
                " 0-" in " " + cli(p, "cluster", "nodes").split("myself")[1].split("\n")[0] + " "]
    src = ports[0]; dst = ports[1]  # create gives node 0 slots 0-5460
    cli(dst, "cluster", "setslot", "100", "importing", ids[src])
    cli(src, "cluster", "setslot", "100", "migrating", ids[dst])

    # Fake node: MEET node 0 from a listener so node 0 connects back and PINGs us.
    name = "".join(random.choice("0123456789abcdef") for _ in range(40)).encode()
    lst = socket.socket(); lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", base + 10050)); lst.listen(4)
    out_sock = socket.create_connection(("127.0.0.1", ports[0] + 10000))
    out_sock.sendall(header(2, name, base + 50, base + 10050))
    pong, _ = read_frame(out_sock)
    open(os.path.join(out, "pong_real_hostname.bin"), "wb").write(pong)
    lst.settimeout(5)
    in_sock, _ = lst.accept()
    ping, _ = read_frame(in_sock)
    open(os.path.join(out, "ping_real.bin"), "wb").write(ping)
    in_sock.sendall(header(1, name, base + 50, base + 10050))  # completes node 0's handshake
    time.sleep(0.3)
    # Claim slot 0 with epoch 0: node 0 owns it with a higher epoch and answers with UPDATE.
    out_sock.sendall(header(0, name, base + 50, base + 10050, slots=b"\x01"))
    cli(ports[0], "publish", "mychan", "hello-world")
    got = frames(in_sock, time.time() + 3, 50)
    for t, fname in ((7, "update_real.bin"), (4, "publish_real.bin")):
        for f in got:
            if struct.unpack(">H", f[12:14])[0] == t:
                open(os.path.join(out, fname), "wb").write(f); break
    for s in (out_sock, in_sock, lst): s.close()
    time.sleep(0.2)
    for i, p in enumerate(ports):
        cli(p, "cluster", "forget", name.decode())
        cli(p, "cluster", "saveconfig")
        shutil.copy(os.path.join(tmp, str(p), "nodes.conf"), os.path.join(out, f"nodes_{i}.conf"))
    print("ok", sorted(os.listdir(out)))
finally:
    for pr in procs: pr.terminate()
    for pr in procs:
        try: pr.wait(10)
        except subprocess.TimeoutExpired: pr.kill()
    shutil.rmtree(tmp, ignore_errors=True)
