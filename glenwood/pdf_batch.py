"""Many sealed PDFs from one WeasyPrint run, on every core of the machine.

A batch is one HTML document with a section per PDF (`<section id="section-<key>">`): WeasyPrint
lays it out once, the pages are split where each section's anchor falls, shared front pages (an
agreement's text, rendered once) are put before each, and each result is sealed. The work is pure:
HTML and bytes in, bytes out, so batches can run in other processes. Rendering and sealing are
Python-bound (one core each), so `BatchPool` spreads batches over processes; it uses billiard,
Celery's own multiprocessing, because a Celery worker's processes may not start children with the
standard library's. The processes are spawned (fresh interpreters), never forked from a worker
that may hold threads and database connections.
"""

import contextlib
import ctypes
import io
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from glenwood.pdf import BASE_URL, StaticFilesOnly
from glenwood.seal import SealConfig, Sealer

SECTION = "section-"


@dataclass
class Batch:
    """One WeasyPrint document: a section per PDF, in `keys` order, each after its front pages.

    Front pages (an agreement version's text) are rendered once, elsewhere, and shared: `fronts`
    maps a name to their PDF, and `front_for` names the front pages of each section, if any."""

    html: str
    keys: list[str]
    fronts: dict[str, bytes] = field(default_factory=dict)
    front_for: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    # Files attached to each section's PDF (name to bytes), under the seal like the pages.
    attachments: list[dict[str, bytes]] = field(default_factory=list)


def render(html: str):
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render()


def split_sections(document, keys: list[str]) -> list[list]:
    """The pages of each section, found by the page its anchor falls on."""
    starts = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith(SECTION):
                starts.setdefault(anchor.removeprefix(SECTION), number)
    reader = PdfReader(io.BytesIO(document.write_pdf()))
    bounds = [starts[key] for key in keys] + [len(reader.pages)]
    return [reader.pages[bounds[i] : bounds[i + 1]] for i in range(len(keys))]


class BatchMaker:
    """Makes the sealed PDFs of batches, keeping the sealer and the parsed front pages between them."""

    def __init__(self, sealer: Sealer):
        self.sealer = sealer
        self._fronts: dict[str, PdfReader] = {}

    def _front(self, batch: Batch, index: int) -> list:
        name = batch.front_for[index] if batch.front_for else ""
        if not name:
            return []
        if name not in self._fronts:
            self._fronts[name] = PdfReader(io.BytesIO(batch.fronts[name]))
        return list(self._fronts[name].pages)

    def make(self, batch: Batch) -> list[bytes]:
        sections = split_sections(render(batch.html), batch.keys)
        sealed = []
        for index, pages in enumerate(sections):
            writer = PdfWriter()
            for page in [*self._front(batch, index), *pages]:
                writer.add_page(page)
            metadata = {"/Title": batch.titles[index]} if batch.titles else {}
            if batch.authors:
                metadata["/Author"] = batch.authors[index]
            writer.add_metadata(metadata)
            for name, data in (batch.attachments[index] if batch.attachments else {}).items():
                writer.add_attachment(name, data)
            buffer = io.BytesIO()
            writer.write(buffer)
            sealed.append(self.sealer.seal(buffer.getvalue()))
        return sealed


# In a pool's process: one BatchMaker, made by the initializer, used for every batch it is given.
_maker: BatchMaker | None = None
PR_SET_PDEATHSIG = 1


def _die_with(parent: int):
    """A rendering process must not outlive the worker that started it (a killed worker would
    leave it rendering for nobody): the kernel kills it when its parent goes (Linux), and a
    watchdog thread checks the parent every second (anywhere)."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the watchdog alone
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)  # it went before the kernel was told

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _start_process(config: SealConfig, parent: int | None = None):
    global _maker
    if parent is not None:
        _die_with(parent)
    import django

    django.setup()  # the static-files fetcher asks the app registry where static files live
    _maker = BatchMaker(Sealer(config.load_signer(), config))


def _make_in_process(batch: Batch) -> list[bytes]:
    return _maker.make(batch)


class BatchPool:
    """Runs batches on `processes` spawned processes, a few at a time, results in order.

    At most two batches per process are in flight, so memory holds a handful of batches however
    many there are; `run` yields each batch's PDFs as soon as it and those before it are done.
    """

    def __init__(self, processes: int, config: SealConfig):
        from billiard import get_context

        self.processes = processes
        self._pool = get_context("spawn").Pool(
            processes, initializer=_start_process, initargs=(config, os.getpid())
        )

    def run(self, batches: Iterable[tuple[object, Batch]]) -> Iterator[tuple[object, list[bytes]]]:
        pending = deque()
        for tag, batch in batches:
            pending.append((tag, self._pool.apply_async(_make_in_process, (batch,))))
            if len(pending) >= 2 * self.processes:
                tag, result = pending.popleft()
                yield tag, result.get()
        while pending:
            tag, result = pending.popleft()
            yield tag, result.get()

    def close(self):
        self._pool.terminate()
        self._pool.join()
