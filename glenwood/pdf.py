"""HTML to PDF with WeasyPrint, fetching nothing but the portal's own static files.

Rendered HTML carries user text (a report, a note); if it ever held a URL, WeasyPrint would fetch
it from the server: `file:///etc/passwd`, or a cloud metadata address. So the fetcher answers only
for our static files, read from disk, and refuses every other URL with an error.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Templates link `{% static %}` paths ("/static/..."); they resolve against this made-up origin,
# which no network can answer, so only the fetcher below can.
BASE_URL = "https://pdf.glenwood.invalid/"


class FetchRefused(ValueError):
    """A URL outside the portal's static files: never fetched."""


class StaticFilesOnly(URLFetcher):
    """Static files, and the few in-memory files a render is given (a case's images, already
    checked on upload), each under its own made-up URL: nothing else."""

    def __init__(self, resources: dict[str, tuple[bytes, str]] | None = None):
        super().__init__(allowed_protocols=["https"], allow_redirects=False, timeout=1)
        self.resources = {BASE_URL + name.lstrip("/"): item for name, item in (resources or {}).items()}

    def fetch(self, url, headers=None):
        if url in self.resources:
            body, content_type = self.resources[url]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        path = static_path_for(url)
        if path is None:
            logger.warning("PDF rendering refused to fetch %s", url)
            raise FetchRefused(f"Only the portal's static files may be used in a PDF, not {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def static_path_for(url: str) -> Path | None:
    """The static file a URL names, or None when it names anything else."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if found is None and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    if found is None:
        return None
    path = Path(found).resolve()
    roots = [Path(d).resolve() for d in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT] if d]
    return path if any(path.is_relative_to(root) for root in roots) and path.is_file() else None


def render_pdf(html: str, resources: dict[str, tuple[bytes, str]] | None = None) -> bytes:
    """The PDF of this HTML; `resources` maps a path ("/evidence/7") to (bytes, content type)."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly(resources)).write_pdf()
