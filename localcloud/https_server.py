"""The local cloud's HTTP server: moto's application, plain HTTP and, given a TLS context, HTTPS
on the same port (as S3 answers both on one host), recording each request's transport."""

from __future__ import annotations

import socket
import ssl

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import ThreadedWSGIServer

from localcloud import request_context
from localcloud.request_context import WITHOUT_TLS, Transport

TLS_HANDSHAKE = b"\x16"  # the first byte of every TLS record that opens a connection


class TransportRecordingHandler(MotoRequestHandler):
    """moto's request handler, telling each request's scheme and TLS version apart."""

    # A TLS response leaves in several records; with Nagle's algorithm each waits for the client's
    # delayed ACK (about 40 ms a request).
    disable_nagle_algorithm = True

    def make_environ(self) -> dict:
        environ = super().make_environ()
        if isinstance(self.connection, ssl.SSLSocket):
            environ["wsgi.url_scheme"] = "https"
            environ["uploadtrail.transport"] = Transport(True, self.connection.version().removeprefix("TLSv"))
        elif self.server.tls is not None:
            environ["uploadtrail.transport"] = Transport(False, None)
        return environ


def recording(app):
    """The WSGI application, recording each request's context before moto handles it."""

    def application(environ, start_response):
        request_context.record(environ.get("uploadtrail.transport", WITHOUT_TLS), environ)
        return app(environ, start_response)

    return application


class EitherSchemeServer(ThreadedWSGIServer):
    """moto's server, one thread per connection; with a TLS context, a connection that opens with a
    TLS handshake is served over TLS and any other over plain HTTP."""

    def __init__(self, host: str, port: int, tls: ssl.SSLContext | None = None):
        super().__init__(
            host, port, recording(DomainDispatcherApplication(create_backend_app)), handler=TransportRecordingHandler
        )
        self.tls = tls

    def finish_request(self, request: socket.socket, client_address) -> None:
        if self.tls is None or request.recv(1, socket.MSG_PEEK) != TLS_HANDSHAKE:
            super().finish_request(request, client_address)
            return
        try:
            secure = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):  # e.g. a client that does not trust the certificate
            return
        try:
            super().finish_request(secure, client_address)
        finally:
            self.shutdown_request(secure)
