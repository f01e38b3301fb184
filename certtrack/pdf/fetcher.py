"""The only URL fetcher WeasyPrint gets: data: URIs and files under certtrack/static/pdf/."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class ResourceRefused(ValueError):
    """Raised for a URL outside the allow-list; WeasyPrint turns it into a fatal error."""


class StrictFetcher(URLFetcher):
    """Serve ``data:`` URIs and regular files inside ``root``; refuse everything else.

    No network, no redirects, no other local file: a ``file:`` URL is resolved (symlinks and
    ``..`` included) and must land inside ``root``. Built with ``fail_on_errors=True`` so that a
    refused or missing resource stops the render instead of leaving a hole in the document.
    Every URL asked for is appended to ``requested`` and every refusal to ``refused``.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False,
                         fail_on_errors=True)
        self.root = root.resolve()
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        """Return the resource at ``url``; raise ResourceRefused outside the allow-list."""
        self.requested.append(url)
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._local_path(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                          headers={"Content-Type": content_type})
        self.refused.append(url)
        raise ResourceRefused(f"refused to fetch {url[:200]!r}: only data: and static/pdf/")

    def _local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if path.is_relative_to(self.root) and path.is_file():
            return path
        return None
