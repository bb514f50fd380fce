"""A local double of the remote signing service (:mod:`signing.remote`'s protocol), for tests
and benches: a threaded HTTP server on 127.0.0.1 with its own demo CA and one key per
identity, that can be told to refuse or to answer late. No network beyond the loopback."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils
from cryptography.hazmat.primitives.hashes import SHA256

from . import demo


class DoubleSigningService:
    """``with DoubleSigningService() as service: service.enrol(user, "pass")`` …; ``url`` is
    the base address for ``settings.ESIGN_REMOTE_URL``. ``refuse`` (a message) makes every
    signing request a 403; ``delay`` (seconds) holds every answer."""

    def __init__(self):
        self.authority = demo.new_authority("Double TTE CA")
        self.people: dict[str, tuple[str, object, object]] = {}
        self.refuse: str = ""
        self.delay: float = 0.0
        self.requests: list[dict] = []
        self._server: ThreadingHTTPServer | None = None

    def enrol(self, nik: str, common_name: str, passphrase: str) -> None:
        # The service signs RSA PKCS#1 v1.5 over the digest (the protocol of signing.remote).
        key, cert = demo.issue_certificate(self.authority, common_name, nik, key=demo.rsa_key())
        self.people[nik] = (passphrase, key, cert)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def ca_pem(self) -> bytes:
        return self.authority.pem

    def __enter__(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet in tests
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                service.requests.append({"path": self.path, **body})
                if service.delay:
                    time.sleep(service.delay)
                person = service.people.get(body.get("nik", ""))
                if person is None:
                    return self._answer(404, {"error": "Unknown signer."})
                passphrase, key, cert = person
                der = lambda c: base64.b64encode(  # noqa: E731
                    c.public_bytes(serialization.Encoding.DER)
                ).decode()
                if self.path == "/api/v1/certificate":
                    return self._answer(
                        200, {"certificate": der(cert), "chain": [der(service.authority.cert)]}
                    )
                if self.path != "/api/v1/sign/hash":
                    return self._answer(404, {"error": "No such endpoint."})
                if service.refuse:
                    return self._answer(403, {"error": service.refuse})
                if body.get("passphrase") != passphrase:
                    return self._answer(401, {"error": "Passphrase is wrong."})
                digest = base64.b64decode(body["hash"])
                signature = key.sign(digest, padding.PKCS1v15(), utils.Prehashed(SHA256()))
                return self._answer(200, {"signature": base64.b64encode(signature).decode()})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


class DoubleTimestampAuthority:
    """A local RFC 3161 timestamp authority for tests (``ESIGN_TSA_URL``): pyHanko's
    ``DummyTimeStamper`` behind an HTTP endpoint, with a TSA certificate from its own CA."""

    def __init__(self):
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from cryptography import x509 as crypto_x509
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
        )
        from cryptography.x509.oid import ExtendedKeyUsageOID
        from pyhanko.sign.timestamps import DummyTimeStamper

        self.authority = demo.new_authority("Double TSA CA")
        key = demo.rsa_key()
        cert = demo.issue_certificate(
            self.authority,
            "Double TSA",
            key=key,
            extended_usage=crypto_x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
        )[1]
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
            ),
        )
        self.requests = 0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    @property
    def ca_pem(self) -> bytes:
        return self.authority.pem

    def __enter__(self):
        from asn1crypto import tsp

        authority = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                request = tsp.TimeStampReq.load(self.rfile.read(length))
                authority.requests += 1
                answer = authority.stamper.request_tsa_response(request).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
