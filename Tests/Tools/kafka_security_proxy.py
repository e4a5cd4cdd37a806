#!/usr/bin/env python3
"""A TLS- and SASL-terminating proxy in front of a plaintext Kafka broker, for tests.

swift-rdkafka's security tests run it on loopback: it gives a broker that speaks neither
TLS nor SASL (librdkafka's mock, noida-db) a TLS listener (optionally requiring a client
certificate) and SASL authentication (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER) that checks
credentials. It rewrites broker addresses in Metadata and FindCoordinator responses so that
every connection the client makes goes through the proxy, one listener per broker.

Standard library only. Prints "READY <port>" once the bootstrap listener is up, then one
line per event ("AUTH OK <mechanism> <user>", "AUTH FAIL ...", "OAUTH <token> <extensions>",
"TLS CLIENT <subject>") on stdout.
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import os
import signal
import ssl
import struct
import sys
import threading

SASL_HANDSHAKE, SASL_AUTHENTICATE, API_VERSIONS, METADATA, FIND_COORDINATOR = 17, 36, 18, 3, 10
# Highest versions passed on, so that every response rewritten here is a non-flexible one.
CLAMPED = {METADATA: 8, FIND_COORDINATOR: 2, SASL_HANDSHAKE: 1, SASL_AUTHENTICATE: 1}
UNSUPPORTED_SASL_MECHANISM, SASL_AUTHENTICATION_FAILED, ILLEGAL_SASL_STATE = 33, 58, 34


def emit(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Reader:
    def __init__(self, data, offset=0):
        self.data, self.offset = data, offset

    def take(self, fmt):
        values = struct.unpack_from(fmt, self.data, self.offset)
        self.offset += struct.calcsize(fmt)
        return values[0] if len(values) == 1 else values

    def string(self):
        length = self.take(">h")
        if length < 0:
            return None
        value = self.data[self.offset:self.offset + length].decode()
        self.offset += length
        return value

    def bytes(self):
        length = self.take(">i")
        value = self.data[self.offset:self.offset + max(length, 0)]
        self.offset += max(length, 0)
        return value

    def uvarint(self):
        shift = result = 0
        while True:
            byte = self.data[self.offset]
            self.offset += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7


def string(value):
    if value is None:
        return struct.pack(">h", -1)
    encoded = value.encode()
    return struct.pack(">h", len(encoded)) + encoded


def uvarint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def frame(payload):
    return struct.pack(">i", len(payload)) + payload


async def read_frame(reader):
    size = struct.unpack(">i", await reader.readexactly(4))[0]
    return await reader.readexactly(size)


class Scram:
    def __init__(self, mechanism, users):
        self.hash = hashlib.sha256 if mechanism.endswith("256") else hashlib.sha512
        self.users, self.state = users, None

    def step(self, message):
        text = message.decode()
        if self.state is None:
            bare = text.split(",", 2)[2]
            attributes = dict(item.split("=", 1) for item in bare.split(","))
            self.user, client_nonce = attributes["n"], attributes["r"]
            self.salt, self.iterations = os.urandom(16), 4096
            self.nonce = client_nonce + base64.b64encode(os.urandom(18)).decode()
            self.server_first = "r=%s,s=%s,i=%d" % (self.nonce, base64.b64encode(self.salt).decode(), self.iterations)
            self.client_first_bare, self.state = bare, "first"
            return True, self.server_first.encode(), False
        without_proof, proof = text.rsplit(",p=", 1)
        password = self.users.get(self.user)
        # Kafka checks that the nonce ends with the server's: librdkafka 2.0 sends its own
        # nonce again in front of it.
        if password is None or not dict(item.split("=", 1) for item in without_proof.split(","))["r"].endswith(self.nonce):
            return False, b"", True
        salted = hashlib.pbkdf2_hmac(self.hash().name, password.encode(), self.salt, self.iterations)
        client_key = hmac.new(salted, b"Client Key", self.hash).digest()
        auth_message = ",".join([self.client_first_bare, self.server_first, without_proof]).encode()
        signature = hmac.new(self.hash(client_key).digest(), auth_message, self.hash).digest()
        expected = bytes(a ^ b for a, b in zip(client_key, signature))
        if not hmac.compare_digest(expected, base64.b64decode(proof)):
            return False, b"", True
        server_key = hmac.new(salted, b"Server Key", self.hash).digest()
        final = "v=" + base64.b64encode(hmac.new(server_key, auth_message, self.hash).digest()).decode()
        return True, final.encode(), True


class Proxy:
    def __init__(self, options):
        self.options = options
        self.users = dict(user.split(":", 1) for user in options.user)
        self.listeners = {}  # backend (host, port) -> local port
        self.tls = None
        if options.tls_cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(options.tls_cert, options.tls_key)
            if options.client_ca:
                self.tls.verify_mode = ssl.CERT_REQUIRED
                self.tls.load_verify_locations(options.client_ca)

    async def listen(self, backend):
        if backend in self.listeners:
            return self.listeners[backend]

        async def handle(reader, writer):
            await self.connection(reader, writer, backend)

        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=self.tls)
        port = server.sockets[0].getsockname()[1]
        try:  # "localhost" may resolve to ::1 first.
            await asyncio.start_server(handle, "::1", port, ssl=self.tls)
        except OSError:
            pass
        self.listeners[backend] = port
        return port

    async def connection(self, client_reader, client_writer, backend):
        peer = client_writer.get_extra_info("peercert")
        if peer:
            subject = dict(item[0] for item in peer.get("subject", ()))
            emit("TLS CLIENT %s" % subject.get("commonName", "?"))
        try:
            backend_reader, backend_writer = await asyncio.open_connection(*backend)
        except OSError:
            client_writer.close()
            return
        session = {"authenticated": not self.options.sasl, "mechanism": None, "scram": None, "pending": {}}
        tasks = [
            asyncio.ensure_future(self.upstream(client_reader, client_writer, backend_writer, session)),
            asyncio.ensure_future(self.downstream(backend_reader, client_writer, session)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        for writer in (client_writer, backend_writer):
            try:
                writer.close()
            except Exception:
                pass

    async def upstream(self, client_reader, client_writer, backend_writer, session):
        try:
            while True:
                request = await read_frame(client_reader)
                key, version, correlation = struct.unpack_from(">hhi", request)
                if key in (SASL_HANDSHAKE, SASL_AUTHENTICATE):
                    response = self.sasl(key, version, request, session)
                    client_writer.write(frame(struct.pack(">i", correlation) + response))
                    await client_writer.drain()
                    if session.get("failed"):
                        return
                    continue
                if not session["authenticated"] and key != API_VERSIONS:
                    return  # as a broker does: no requests before authentication
                session["pending"][correlation] = (key, version)
                backend_writer.write(frame(request))
                await backend_writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            return

    async def downstream(self, backend_reader, client_writer, session):
        try:
            while True:
                response = await read_frame(backend_reader)
                correlation = struct.unpack_from(">i", response)[0]
                key, version = session["pending"].pop(correlation, (None, None))
                if key == API_VERSIONS:
                    response = self.api_versions(response, version)
                elif key == METADATA:
                    response = await self.metadata(response, version)
                elif key == FIND_COORDINATOR:
                    response = await self.find_coordinator(response, version)
                client_writer.write(frame(response))
                await client_writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            return

    def sasl(self, key, version, request, session):
        body = Reader(request, 8)
        body.string()  # client id
        if key == SASL_HANDSHAKE:
            mechanism = body.string()
            supported = self.options.sasl or ""
            error = 0 if mechanism == supported else UNSUPPORTED_SASL_MECHANISM
            session["mechanism"] = mechanism if error == 0 else None
            return struct.pack(">hi", error, 1) + string(supported)
        auth = body.bytes()
        ok, reply, done, user = self.authenticate(session, auth)
        if done:
            emit("AUTH %s %s %s" % ("OK" if ok else "FAIL", session["mechanism"], user))
            session["authenticated"] = ok
            session["failed"] = not ok
        error = 0 if ok else SASL_AUTHENTICATION_FAILED
        message = None if ok else "Authentication failed: invalid credentials"
        response = struct.pack(">h", error) + string(message) + struct.pack(">i", len(reply)) + reply
        if version >= 1:
            response += struct.pack(">q", 0)
        return response

    def authenticate(self, session, auth):
        mechanism = session["mechanism"]
        if mechanism == "PLAIN":
            _, user, password = auth.decode().split("\0")
            return self.users.get(user) == password, b"", True, user
        if mechanism and mechanism.startswith("SCRAM-"):
            if session["scram"] is None:
                session["scram"] = Scram(mechanism, self.users)
            ok, reply, done = session["scram"].step(auth)
            return ok, reply, done, session["scram"].user
        if mechanism == "OAUTHBEARER":
            fields = dict(item.split("=", 1) for item in auth.decode().split("\x01")[1:] if "=" in item)
            token = fields.pop("auth", "").removeprefix("Bearer ")
            extensions = ",".join("%s=%s" % item for item in sorted(fields.items()))
            emit("OAUTH %s %s" % (token, extensions or "-"))
            return token == self.options.oauth_token, b"", True, token
        return False, b"", True, "?"

    def api_versions(self, response, version):
        reader = Reader(response, 4)
        error = reader.take(">h")
        if error != 0:
            return response
        flexible = version >= 3
        count = reader.uvarint() - 1 if flexible else reader.take(">i")
        apis = {}
        for _ in range(count):
            api, low, high = reader.take(">hhh")
            if flexible:
                reader.uvarint()  # tagged fields: none expected
            apis[api] = (low, high)
        tail = response[reader.offset:]
        if self.options.sasl:
            apis.setdefault(SASL_HANDSHAKE, (0, 1))
            apis.setdefault(SASL_AUTHENTICATE, (0, 1))
        for api, highest in CLAMPED.items():
            if api in apis:
                apis[api] = (apis[api][0], min(apis[api][1], highest))
        out = response[:4] + struct.pack(">h", 0)
        out += uvarint(len(apis) + 1) if flexible else struct.pack(">i", len(apis))
        for api in sorted(apis):
            out += struct.pack(">hhh", api, *apis[api]) + (b"\0" if flexible else b"")
        return out + tail

    async def address(self, host, port):
        local = await self.listen((host, port))
        return self.options.advertise_host, local

    async def metadata(self, response, version):
        reader = Reader(response, 4)
        head = response[:4]
        if version >= 3:
            head += struct.pack(">i", reader.take(">i"))
        count = reader.take(">i")
        brokers = b""
        for _ in range(count):
            node = reader.take(">i")
            host, port = reader.string(), reader.take(">i")
            rack = reader.string() if version >= 1 else None
            host, port = await self.address(host, port)
            brokers += struct.pack(">i", node) + string(host) + struct.pack(">i", port)
            if version >= 1:
                brokers += string(rack)
        return head + struct.pack(">i", count) + brokers + response[reader.offset:]

    async def find_coordinator(self, response, version):
        reader = Reader(response, 4)
        head = response[:4]
        if version >= 1:
            throttle, error = reader.take(">ih")
            head += struct.pack(">ih", throttle, error) + string(reader.string())
        else:
            head += struct.pack(">h", reader.take(">h"))
        node = reader.take(">i")
        host, port = reader.string(), reader.take(">i")
        if node >= 0 and host:
            host, port = await self.address(host, port)
        return head + struct.pack(">i", node) + string(host) + struct.pack(">i", port) + response[reader.offset:]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", required=True, help="host:port of the plaintext broker")
    parser.add_argument("--advertise-host", default="127.0.0.1")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--client-ca", help="require client certificates signed by this CA")
    parser.add_argument("--sasl", choices=["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"])
    parser.add_argument("--user", action="append", default=[], help="user:password")
    parser.add_argument("--oauth-token", help="the only OAUTHBEARER token accepted")
    options = parser.parse_args()
    host, port = options.backend.rsplit(":", 1)
    proxy = Proxy(options)
    local = await proxy.listen((host, int(port)))
    emit("READY %d" % local)
    await asyncio.Event().wait()


def exit_with_parent():
    """Ends the proxy when the test process goes away (its stdin closes) or sends SIGTERM,
    which a parent may have left ignored or blocked for its children."""
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()


if __name__ == "__main__":
    exit_with_parent()
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
