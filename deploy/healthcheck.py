"""The container's HEALTHCHECK: a web container answers GET /health/live on its own port.

Python's standard library, not curl (the image has no curl). A worker or release container
has no web server: it is healthy while it runs (its entrypoint wrote which it is).
"""

import os
import sys
import urllib.request
from pathlib import Path


def main() -> int:
    marker = Path(os.environ.get("VAR_DIR", "/tmp")) / ".process"  # noqa: S108
    if marker.exists() and marker.read_text().strip() != "web":
        return 0
    bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").split(",")[0]
    port = bind.rsplit(":", 1)[-1]
    try:
        with urllib.request.urlopen(  # noqa: S310 - a fixed http URL on this host
            f"http://127.0.0.1:{port}/health/live", timeout=4
        ) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
