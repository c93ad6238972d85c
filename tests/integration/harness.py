"""Process-test helpers: start tessera-server / redis-server on free loopback ports in temp dirs,
wait for readiness with a deadline, always stop what was started, and talk raw RESP."""
import atexit, os, shutil, signal, socket, subprocess, tempfile, time

TESSERA = os.environ.get("TESSERA_SERVER") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "tessera-server")
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
_procs = []


def free_port():
    """A free TCP port p such that p+10000 is free too (cluster bus)."""
    for _ in range(100):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        s.close()
        if p + 10000 > 65535:
            continue
        t = socket.socket()
        try:
            t.bind(("127.0.0.1", p + 10000))
            return p
        except OSError:
            continue
        finally:
            t.close()
    raise RuntimeError("no free port pair")


def wait_for(cond, timeout=10.0, what="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            v = cond()
            if v:
                return v
        except Exception as e:  # the process may still be starting
            last = e
        time.sleep(0.02)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what} (last error: {last})")


class Server:
    def __init__(self, binary=None, args=(), port=None, dir=None):
        self.binary = binary or TESSERA
        self.port = port or free_port()
        self.dir = dir or tempfile.mkdtemp(prefix="tessera-test-")
        self.log = os.path.join(self.dir, "server.log")
        cmd = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
               "--save", "", "--logfile", self.log] + list(args)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        _procs.append(self.proc)
        wait_for(self._ready, 15, f"{os.path.basename(self.binary)} on port {self.port}")

    def _ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log_text()}")
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(100) in (b"+PONG\r\n", b"-NOAUTH Authentication required.\r\n")

    def log_text(self):
        try:
            with open(self.log) as f:
                return f.read()
        except OSError:
            return ""

    def conn(self):
        return Raw(self.port)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def redis(args=()):
    """A real redis-server 7.0.15 for differential tests."""
    return Server(binary=REDIS, args=args)


class Raw:
    """A raw RESP connection: send bytes or commands, read exactly one reply's raw bytes."""

    def __init__(self, port, timeout=10):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def close(self):
        self.s.close()

    def send_raw(self, data):
        self.s.sendall(data)

    def send(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            if isinstance(a, int):
                a = str(a)
            if isinstance(a, str):
                a = a.encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(out)

    def call(self, *args):
        self.send(*args)
        return self.read()

    def _fill(self, n):
        while len(self.buf) < n:
            d = self.s.recv(1 << 16)
            if not d:
                raise EOFError("connection closed")
            self.buf += d

    def _line_end(self, pos):
        while True:
            i = self.buf.find(b"\r\n", pos)
            if i >= 0:
                return i
            self._fill(len(self.buf) + 1)

    def _skip(self, pos):
        self._fill(pos + 1)
        t = self.buf[pos:pos + 1]
        e = self._line_end(pos)
        head = self.buf[pos + 1:e]
        pos = e + 2
        if t in b"$=!":
            n = int(head)
            if n < 0:
                return pos
            self._fill(pos + n + 2)
            return pos + n + 2
        if t in b"*~>%|":
            n = int(head)
            if t in b"%|":
                n *= 2
            for _ in range(max(n, 0)):
                pos = self._skip(pos)
            return pos
        return pos

    def read(self):
        end = self._skip(0)
        raw, self.buf = self.buf[:end], self.buf[end:]
        return raw

    def read_all_until_close(self, timeout=5):
        self.s.settimeout(timeout)
        data = self.buf
        self.buf = b""
        while True:
            try:
                d = self.s.recv(1 << 16)
            except socket.timeout:
                return data, False
            if not d:
                return data, True
            data += d


def _cleanup():
    for p in _procs:
        if p.poll() is None:
            p.kill()
            p.wait()


atexit.register(_cleanup)
signal.signal(signal.SIGTERM, lambda *a: (_cleanup(), os._exit(1)))
