"""`flask sweep-storage`: the stored files no row names are found, and removed only when asked
and only when older than the grace period; a file a row names, or one written anew meanwhile,
stays. On the folder and on S3 alike."""

import hashlib
import io
import os
import time
from datetime import timedelta
from pathlib import Path

from certtrack.models.base import utcnow
from certtrack.services import documents, storage, storage_sweep

from factories import PDF_BYTES, make_exporter_with_application

ORPHAN = PDF_BYTES + b"% left behind by a request that failed after storing it\n"


def _keys(kind: str, app) -> set[str]:
    if kind == "folder":
        root = Path(app.config["UPLOAD_FOLDER"])
        return {p.relative_to(root).as_posix() for p in root.glob("??/*")}
    return {item.key for item in storage_sweep.listing().objects()}


def _a_document_and_an_orphan() -> tuple[str, str]:
    """An upload a document row names, and bytes stored by a request that then failed."""
    user, _e, _s, application = make_exporter_with_application(complete=False)
    document = documents.upload_document(user, application, "haccp", io.BytesIO(PDF_BYTES),
                                         "plan.pdf")
    return storage.object_key(document.sha256), storage.keep_bytes(ORPHAN)


def test_an_unnamed_object_is_counted_and_removed_only_with_delete(ctx, storage_backend):
    named, orphan = _a_document_and_an_orphan()
    time.sleep(1.1)  # S3 keeps the time of writing to the second

    counted = storage_sweep.sweep(grace=timedelta(seconds=1))
    assert (counted.checked, counted.unreferenced, counted.deleted) == (2, 1, 0)
    assert counted.unreferenced_bytes == len(ORPHAN) and counted.examples == [orphan]
    assert _keys(storage_backend, ctx) == {named, orphan}

    young = storage_sweep.sweep(delete=True)  # a day's grace: the orphan is minutes old
    assert (young.unreferenced, young.recent, young.deleted) == (1, 1, 0)
    assert _keys(storage_backend, ctx) == {named, orphan}

    removed = storage_sweep.sweep(delete=True, grace=timedelta(seconds=1))
    assert removed.deleted == 1
    assert _keys(storage_backend, ctx) == {named}
    with storage.open_verified(named.split("/")[1]) as kept:
        assert kept.read() == PDF_BYTES


def test_an_object_written_anew_during_the_sweep_stays(ctx, storage_backend):
    """An upload of the very same bytes after the object was listed writes it again: the sweep
    reads its time once more before removing it. Another orphan, not written again, goes."""
    orphan, other = storage.keep_bytes(ORPHAN), storage.keep_bytes(ORPHAN + b"%2\n")
    time.sleep(1.1)  # S3 keeps the time of writing to the second
    cutoff = utcnow()  # the sweep lists them: both older than this
    time.sleep(1.1)
    storage.keep_bytes(ORPHAN)  # the same bytes kept again, after the listing
    assert storage_sweep.listing().delete_if_older(orphan, cutoff) is False
    assert storage_sweep.listing().delete_if_older(other, cutoff) is True
    assert _keys(storage_backend, ctx) == {orphan}
    assert storage.read_verified(hashlib.sha256(ORPHAN).hexdigest()) == ORPHAN


def test_the_files_of_unfinished_uploads_in_the_folder_are_removed_when_old(ctx, runner):
    root = storage.staging_folder()
    stale, fresh = root / ".upload-stale", root / ".upload-fresh"
    stale.write_bytes(b"half an upload")
    fresh.write_bytes(b"an upload being checked right now")
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))

    listed = runner.invoke(args=["sweep-storage"])
    assert "Leftover files of unfinished writes: 1" in listed.output
    assert "run again with --delete" in listed.output and stale.exists()

    removed = runner.invoke(args=["sweep-storage", "--delete"])
    assert removed.exit_code == 0, removed.output
    assert "Removed: 0 objects and 1 leftover files" in removed.output
    assert not stale.exists() and fresh.exists()


def test_the_command_reports_what_it_found(ctx, runner):
    _named, orphan = _a_document_and_an_orphan()
    output = runner.invoke(args=["sweep-storage", "--older-than", "1"]).output
    assert "Objects checked: 2" in output
    assert f"Named by no row: 1 ({len(ORPHAN):,} bytes), of which 1 written in the last 1 hours" \
        in output
    assert runner.invoke(args=["sweep-storage", "--older-than", "0"]).exit_code == 2
    assert orphan in _keys("folder", ctx)
