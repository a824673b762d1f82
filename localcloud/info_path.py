"""GET /_localcloud/info: the local cloud names itself (and the moto it runs) before moto sees the
request, so a client can tell which emulator answers at an endpoint."""

from __future__ import annotations

import json
from importlib.metadata import version

INFO_PATH = "/_localcloud/info"
NAME = "uploadtrail local cloud"


def info() -> dict[str, str]:
    return {"name": NAME, "version": version("moto"), "edition": "moto server"}


def answering(app):
    """The WSGI application app, with GET INFO_PATH answered in front of it."""

    def application(environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != INFO_PATH:
            return app(environ, start_response)
        body = json.dumps(info()).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return application
