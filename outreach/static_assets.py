"""Static files under URLs that change with their content, cached by browsers for a year.

`url_for('static', filename=...)` gets `?v=<first 12 hex digits of the file's SHA-256>`.
A request carrying the file's current version is answered `Cache-Control: public,
max-age=31536000, immutable`: the phone fetches app.css and htmx once, and again only when
the file, and so its URL, changes. A request without the version or with an old one keeps
Flask's default (revalidate with the ETag). Pages stay `no-store` (`security_headers`).

Werkzeug sends a file as a stream; Flask-Compress leaves streamed responses alone (the CSV
exports must stream, see COMPRESS_STREAMS), so the few small static text files are read
whole here to be compressed like pages.

Written by hand: Flask has no content-hashed static URLs, and the extensions that add them
need a build step that writes copies of the files.
"""

import hashlib
import os
import stat
from functools import lru_cache

from flask import Flask, request
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=256)
def _digest(path: str, _mtime_ns: int, _size: int) -> str:
    """Hashed once per file; a file changed while the server runs has a new mtime or size."""
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:12]


def static_version(app: Flask, filename: str) -> str | None:
    """The version of a file in the static folder, None if there is no such file."""
    path = safe_join(app.static_folder or "", filename)
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return _digest(path, info.st_mtime_ns, info.st_size)


def init_app(app: Flask) -> None:
    """Call after Flask-Compress's init_app: after_request hooks run last-registered first,
    and the static response must be made whole before Flask-Compress looks at it."""

    @app.url_defaults
    def versioned_static_url(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or not values.get("filename"):
            return
        if version := static_version(app, values["filename"]):
            values["v"] = version

    compressible = set(app.config.get("COMPRESS_MIMETYPES", ()))

    @app.after_request
    def static_caching(response):
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        version = request.args.get("v")
        if version and version == static_version(app, filename):
            response.headers["Cache-Control"] = IMMUTABLE
            response.headers.pop("Expires", None)
        if (response.status_code == 200 and response.direct_passthrough
                and response.mimetype in compressible):
            response.direct_passthrough = False
            response.make_sequence()  # reads the file; its handle is closed with the response
        return response
