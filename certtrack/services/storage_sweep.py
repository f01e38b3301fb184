"""Finding (and removing) stored objects that no row names any more.

An object is written before the row that names it (`storage`), so a request or job whose
transaction then failed leaves an object behind, and a crash mid-upload a temporary file. The
sweep lists the storage, asks the database which of each page of objects a document, a
consignment document or an issued PDF names, and counts the others; with `delete` it removes
those written before the grace period (default a day: time enough for any write in flight to
commit its row), each only if it was not written anew meanwhile.
"""

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select, union

from certtrack.extensions import db
from certtrack.models import ConsignmentDocument, Document, StoredPdf
from certtrack.models.base import utcnow
from certtrack.services import storage

GRACE = timedelta(hours=24)
PAGE = 500  # objects looked up in the database at a time
_KEY = re.compile(r"^([0-9a-f]{2})/(\1[0-9a-f]{62})$")
# Files a write leaves in the folder while it runs (uploads being checked, objects being written,
# objects this sweep moved aside): a crash can leave one behind.
_UNFINISHED = (".upload-", ".object-", ".sweep-")


class StoredObject(NamedTuple):
    """An object as the storage lists it: its key, SHA-256, size and when it was written."""

    key: str
    sha256: str
    size: int
    written_at: datetime


def _listed(key: str, size: int, written_at: datetime) -> StoredObject | None:
    match = _KEY.match(key)
    return StoredObject(key, match.group(2), size, written_at) if match else None


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


class _Folder:
    """The folder storage's objects (`<root>/<ab>/<sha256>`) and unfinished files."""

    def __init__(self, store: storage.FolderStorage):
        self.root = store.root

    def objects(self) -> Iterator[StoredObject]:
        if not self.root.is_dir():
            return
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and len(p.name) == 2):
            for path in sorted(folder.iterdir()):
                found = _listed(f"{folder.name}/{path.name}", path.stat().st_size, _mtime(path))
                if found is not None:
                    yield found

    def delete_if_older(self, key: str, cutoff: datetime) -> bool:
        """Remove the object unless written at or after `cutoff`; True when removed. It is
        moved aside first and its time read there: a writer that kept the same bytes again
        meanwhile (an upload of the same file) wrote it anew, and it goes back."""
        path = self.root / key
        aside = path.with_name(f".sweep-{path.name}")
        try:
            os.replace(path, aside)
        except FileNotFoundError:
            return False
        if _mtime(aside) >= cutoff:
            os.replace(aside, path)
            return False
        aside.unlink()
        return True

    def leftovers(self, cutoff: datetime) -> list[Path]:
        if not self.root.is_dir():
            return []
        candidates = [*self.root.glob(".*"), *self.root.glob("??/.*")]
        return sorted(path for path in candidates if path.is_file()
                      and path.name.startswith(_UNFINISHED) and _mtime(path) < cutoff)


class _Bucket:
    """The objects under an S3 prefix; object storage leaves no half-written file (uploads are
    checked in a temporary folder of the server's own)."""

    def __init__(self, store: storage.S3Storage):
        self.store = store

    def objects(self) -> Iterator[StoredObject]:
        store = self.store
        pages = store.client.get_paginator("list_objects_v2").paginate(
            Bucket=store.bucket, Prefix=store.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                found = _listed(item["Key"].removeprefix(store.prefix), item["Size"],
                                item["LastModified"])
                if found is not None:
                    yield found

    def delete_if_older(self, key: str, cutoff: datetime) -> bool:
        """Remove the object unless written at or after `cutoff` (read again just before: an
        upload of the same bytes meanwhile wrote it anew); a few milliseconds between that read
        and the delete stay unguarded."""
        from botocore.exceptions import ClientError

        store = self.store
        try:
            head = store.client.head_object(Bucket=store.bucket, Key=store.name(key))
        except ClientError:
            return False
        if head["LastModified"] >= cutoff:
            return False
        store.delete(key)
        return True

    def leftovers(self, cutoff: datetime) -> list[Path]:
        return []


def listing(store=None) -> _Folder | _Bucket:
    """What the sweep reads and removes of the app's storage (or `store`)."""
    store = store or storage.backend()
    return _Folder(store) if isinstance(store, storage.FolderStorage) else _Bucket(store)


@dataclass
class SweepReport:
    """What a sweep found: objects checked, those no row names (and their bytes), how many of
    them were younger than the grace period, how many it removed, and leftover files."""

    checked: int = 0
    unreferenced: int = 0
    unreferenced_bytes: int = 0
    recent: int = 0
    deleted: int = 0
    leftovers: int = 0
    examples: list[str] = field(default_factory=list)


def named(sha256s: list[str]) -> set[str]:
    """Which of these SHA-256 a row names."""
    return set(db.session.scalars(union(*(
        select(column).where(column.in_(sha256s))
        for column in (Document.sha256, ConsignmentDocument.sha256, StoredPdf.sha256)))))


def _pages(objects: Iterable[StoredObject]) -> Iterator[list[StoredObject]]:
    iterator = iter(objects)
    while page := list(islice(iterator, PAGE)):
        yield page


def sweep(delete: bool = False, grace: timedelta = GRACE,
          progress: Callable[[int], None] | None = None) -> SweepReport:
    """List the storage against the database; with `delete`, remove the unreferenced objects
    (and leftover files) written before now − `grace`. `progress` is told the objects checked
    after each page."""
    store, cutoff, report = listing(), utcnow() - grace, SweepReport()
    for page in _pages(store.objects()):
        in_use = named([item.sha256 for item in page])
        db.session.rollback()  # no transaction held open while the storage is listed
        for item in page:
            if item.sha256 not in in_use:
                _unreferenced(store, item, cutoff, delete, report)
        report.checked += len(page)
        if progress is not None:
            progress(report.checked)
    for path in store.leftovers(cutoff):
        report.leftovers += 1
        if delete:
            path.unlink(missing_ok=True)
    return report


def _unreferenced(store, item: StoredObject, cutoff: datetime, delete: bool,
                  report: SweepReport) -> None:
    report.unreferenced += 1
    report.unreferenced_bytes += item.size
    if item.written_at >= cutoff:
        report.recent += 1
        return
    if len(report.examples) < 5:
        report.examples.append(item.key)
    if delete and _still_unnamed(item.sha256) and store.delete_if_older(item.key, cutoff):
        report.deleted += 1


def _still_unnamed(sha256: str) -> bool:
    """Asked again just before removing: a row committed since the page was looked up."""
    in_use = named([sha256])
    db.session.rollback()
    return not in_use
