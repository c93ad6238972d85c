#!/usr/bin/python3
"""Captures COMMAND INFO and COMMAND DOCS from a running redis-server 7.0.15 and writes
src/commands/command_info_data.inc: per command (and subcommand) its arity, flags, key positions
and the exact reply bytes in RESP2 and RESP3, so COMMAND answers what clients expect.
Usage: scripts/gen_command_info.py  (starts and stops its own redis-server on a free port)."""
import os, socket, subprocess, sys, tempfile, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port)); self.buf = b""
    def send(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode(); out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(out)
    def _fill(self, n):
        while len(self.buf) < n:
            d = self.s.recv(1 << 20)
            if not d: raise EOFError
            self.buf += d
    def _line(self, pos):
        while True:
            i = self.buf.find(b"\r\n", pos)
            if i >= 0: return i
            self._fill(len(self.buf) + 1)
    def read(self):
        """Returns the whole raw reply; the buffer is consumed."""
        end = self._skip(0)
        raw, self.buf = self.buf[:end], self.buf[end:]
        return raw
    def _skip(self, pos):
        self._fill(pos + 1)
        t = self.buf[pos:pos + 1]; e = self._line(pos); head = self.buf[pos + 1:e]; pos = e + 2
        if t in b"$=!":
            n = int(head)
            if n < 0: return pos
            self._fill(pos + n + 2); return pos + n + 2
        if t in b"*~>%":
            n = int(head)
            if t == b"%": n *= 2
            for _ in range(max(n, 0)): pos = self._skip(pos)
            return pos
        return pos

def elements(raw):
    """Splits a raw aggregate into raw elements (top level)."""
    c = Conn.__new__(Conn); c.buf = raw; c.s = None
    e = c._line(0); head = raw[1:e]; n = int(head)
    if raw[:1] == b"%": n *= 2
    pos = e + 2; out = []
    for _ in range(n):
        end = c._skip(pos); out.append(raw[pos:end]); pos = end
    return out

def parse(raw):
    c = Conn.__new__(Conn); c.buf = raw; c.s = None
    def p(pos):
        t = raw[pos:pos + 1]; e = c._line(pos); head = raw[pos + 1:e]; pos = e + 2
        if t == b"$":
            n = int(head)
            if n < 0: return None, pos
            return raw[pos:pos + n].decode(), pos + n + 2
        if t == b"+": return head.decode(), pos
        if t == b":": return int(head), pos
        if t == b"*":
            items = []
            for _ in range(int(head)):
                v, pos = p(pos); items.append(v)
            return items, pos
        raise ValueError(t)
    return p(0)[0]

FLAG_BITS = ["write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript", "blocking",
             "loading", "stale", "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth",
             "may_replicate", "sentinel", "only_sentinel", "no_mandatory_keys", "protected",
             "movablekeys", "allow_busy", "no_async_loading", "no_multi"]

def cstr(b):
    out = []
    for ch in b:
        if ch == 0x5c: out.append("\\\\")
        elif ch == 0x22: out.append('\\"')
        elif ch == 0x0d: out.append("\\r")
        elif ch == 0x0a: out.append("\\n")
        elif 32 <= ch < 127: out.append(chr(ch))
        else: out.append("\\%03o" % ch)
    return '"' + "".join(out) + '"'

def main():
    port = free_port(); d = tempfile.mkdtemp()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--dir", d,
                             "--daemonize", "no", "--loglevel", "warning"],
                            stdout=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while True:
            try: c2 = Conn(port); break
            except OSError:
                if time.time() > deadline: raise
                time.sleep(0.05)
        c3 = Conn(port); c3.send("HELLO", "3"); c3.read()
        rows = {}
        c2.send("COMMAND", "LIST"); names = sorted(parse(c2.read()))
        for name in names:
            c2.send("COMMAND", "INFO", name); i2 = elements(c2.read())[0]
            c3.send("COMMAND", "INFO", name); i3 = elements(c3.read())[0]
            c2.send("COMMAND", "DOCS", name); d2 = c2.read()
            c3.send("COMMAND", "DOCS", name); d3 = c3.read()
            # DOCS replies are name -> doc maps; keep the doc (second element).
            d2 = elements(d2)[1]; d3 = elements(d3)[1]
            info = parse(i2)
            add(rows, info, i2, i3, d2, d3)
            subs2 = elements(elements(i2)[9]); subs3 = elements(elements(i3)[9])
            sd2 = subdocs(d2); sd3 = subdocs(d3)
            for s2, s3 in zip(subs2, subs3):
                sinfo = parse(s2); key = ("$%d\r\n%s\r\n" % (len(sinfo[0]), sinfo[0])).encode()
                add(rows, sinfo, s2, s3, sd2.get(key, b"*0\r\n"), sd3.get(key, b"%0\r\n"))
    finally:
        proc.terminate(); proc.wait()
    out = ["// Generated by scripts/gen_command_info.py from redis-server 7.0.15: do not edit.",
           "// {name, arity, flags, first_key, last_key, key_step, info2, info3, docs2, docs3}"]
    for name in sorted(rows):
        r = rows[name]
        out.append("{%s, %d, 0x%xu, %d, %d, %d,\n %s,\n %s,\n %s,\n %s}," % (
            cstr(name.encode()), r[0], r[1], r[2], r[3], r[4], cstr(r[5]), cstr(r[6]), cstr(r[7]), cstr(r[8])))
    path = os.path.join(os.path.dirname(__file__), "..", "src", "commands", "command_info_data.inc")
    with open(path, "w") as f: f.write("\n".join(out) + "\n")
    print("wrote", len(rows), "entries to", path)

def subdocs(doc):
    """The name -> doc elements of a doc's "subcommands" entry, or {}."""
    kv = elements(doc)
    for k, v in zip(kv[0::2], kv[1::2]):
        if k.endswith(b"\r\nsubcommands\r\n") or k == b"+subcommands\r\n":
            sub = elements(v)
            return dict(zip(sub[0::2], sub[1::2]))
    return {}

def add(rows, info, i2, i3, d2, d3):
    name, arity, flags, first, last, step = info[:6]
    bits = 0
    for fl in flags:
        if fl in FLAG_BITS: bits |= 1 << FLAG_BITS.index(fl)
        else: sys.exit("unknown flag " + fl)
    rows[name] = (arity, bits, first, last, step, i2, i3, d2, d3)

main()
