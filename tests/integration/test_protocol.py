#!/usr/bin/python3
"""RESP hardening through the real server: Redis's error texts, then the connection closes; the
limits Redis learned through CVEs (before AUTH); no CR/LF injection into replies."""
import os, sys, unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness


class ProtocolTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = harness.Server()
        cls.auth = harness.Server(args=["--requirepass", "s3cret"])

    @classmethod
    def tearDownClass(cls):
        cls.srv.__exit__()
        cls.auth.__exit__()

    def closes_with(self, server, payload, reply):
        c = server.conn()
        c.send_raw(payload)
        data, closed = c.read_all_until_close()
        self.assertEqual(data, reply)
        self.assertTrue(closed, "the server must close the connection after a protocol error")
        c.close()

    def test_invalid_multibulk_length(self):
        self.closes_with(self.srv, b"*-10a\r\n", b"-ERR Protocol error: invalid multibulk length\r\n")

    def test_multibulk_count_overflow(self):
        self.closes_with(self.srv, b"*99999999999999999999\r\n",
                         b"-ERR Protocol error: invalid multibulk length\r\n")

    def test_bulk_length_overflow(self):
        self.closes_with(self.srv, b"*1\r\n$9223372036854775808\r\n",
                         b"-ERR Protocol error: invalid bulk length\r\n")

    def test_expected_dollar(self):
        self.closes_with(self.srv, b"*1\r\n+PING\r\n", b"-ERR Protocol error: expected '$', got '+'\r\n")

    def test_unbalanced_quotes(self):
        self.closes_with(self.srv, b'SET "a b\r\n', b"-ERR Protocol error: unbalanced quotes in request\r\n")

    def test_before_auth_at_most_ten_elements(self):
        self.closes_with(self.auth, b"*11\r\n", b"-ERR Protocol error: unauthenticated multibulk length\r\n")

    def test_before_auth_bulks_of_at_most_16384_bytes(self):
        self.closes_with(self.auth, b"*1\r\n$16385\r\n", b"-ERR Protocol error: unauthenticated bulk length\r\n")

    def test_after_auth_the_limits_are_lifted(self):
        c = self.auth.conn()
        self.assertEqual(c.call("AUTH", "s3cret"), b"+OK\r\n")
        self.assertEqual(c.call("SET", "k", "x" * 20000), b"+OK\r\n")
        self.assertEqual(c.call("ECHO", *["a"] * 1)[:4], b"$1\r\n")
        c.close()

    def test_before_auth_queued_replies_are_bounded(self):
        c = self.auth.conn()
        # Each NOAUTH error is 34 bytes; a client that never reads may not make us queue more
        # than 1 KB of them.
        c.send_raw(b"GET a\r\n" * 200)
        data, closed = c.read_all_until_close()
        self.assertTrue(closed)
        self.assertLessEqual(len(data), 2048)
        c.close()

    def test_bulk_must_end_in_crlf(self):
        c = self.srv.conn()
        c.send_raw(b"*1\r\n$4\r\nPINGxx")
        data, closed = c.read_all_until_close(timeout=3)
        self.assertNotIn(b"+PONG", data)
        c.close()

    def test_no_crlf_reaches_an_error_reply(self):
        c = self.srv.conn()
        reply = c.call("NO\r\nSUCH", "a\r\n-ERR injected")
        self.assertTrue(reply.startswith(b"-ERR unknown command 'NO  SUCH'"), reply)
        self.assertEqual(reply.count(b"\r\n"), 1)
        c.close()

    def test_inline_and_pipelined_requests(self):
        c = self.srv.conn()
        c.send_raw(b"PING\r\nECHO hi\r\n*1\r\n$4\r\nPING\r\n")
        self.assertEqual(c.read(), b"+PONG\r\n")
        self.assertEqual(c.read(), b"$2\r\nhi\r\n")
        self.assertEqual(c.read(), b"+PONG\r\n")
        c.close()

    def test_server_survives_garbage(self):
        import random
        rnd = random.Random(7)
        for _ in range(50):
            c = self.srv.conn()
            c.send_raw(bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 300))))
            c.read_all_until_close(timeout=0.2)
            c.close()
        c = self.srv.conn()
        self.assertEqual(c.call("PING"), b"+PONG\r\n")
        c.close()


if __name__ == "__main__":
    unittest.main()
