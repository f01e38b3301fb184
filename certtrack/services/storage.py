"""Where uploaded documents and issued PDFs are kept, for every server alike: a folder (the
instance's uploads folder, or a network folder every server mounts) or S3-compatible object
storage (boto3) when STORAGE_URL is `s3://bucket/prefix`.

Objects are named by the SHA-256 of their bytes (`ab/abcdef…`), so the same bytes are kept once.
The digest is checked on the way in (computed while the bytes are copied; S3 is sent it and
refuses a body that does not match) and again on the way out: bytes that no longer match their
name are refused with StoredFileCorrupted, never served. Reads stream through a temporary file
that spills to disk beyond SPOOL_IN_MEMORY, so a large object never sits whole in memory.
"""

import base64
import hashlib
import io
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from certtrack.services.errors import NotFound, ServiceError

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1024 * 1024
# A read from object storage is kept in memory up to this size, then in a temporary file.
SPOOL_IN_MEMORY = 1024 * 1024
_EXTENSION = "certtrack.storage"


class StoredFileMissing(NotFound):
    """No object has this SHA-256."""


class StoredFileCorrupted(ServiceError):
    """The object's bytes no longer match the SHA-256 they were stored under."""

    status = 500


class StorageUnavailable(ServiceError):
    """The object storage did not answer (network, credentials, bucket)."""

    status = 503


def object_key(sha256: str) -> str:
    """The name of the object with this SHA-256: `<first two hex digits>/<sha256>`.

    :raise ValueError: not a lowercase SHA-256 hex digest (never a path of the caller's).
    """
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return f"{sha256[:2]}/{sha256}"


class FolderStorage:
    """Objects as files under one folder: <root>/<ab>/<sha256>; a temporary file is renamed
    into place, so a reader never sees half an object."""

    kind = "folder"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def staging_folder(self) -> Path:
        """Where uploads are copied before they are checked: the same file system, so that
        keeping one is a rename."""
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root

    def path(self, key: str) -> Path:
        """The file of an object."""
        return self.root / key

    def put_file(self, key: str, source: Path, sha256: str) -> None:
        """Move `source` (already hashed to `sha256`) into place."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)

    def put_bytes(self, key: str, data: bytes, sha256: str) -> None:
        """Write `data` through a temporary file renamed into place."""
        handle, temp_name = tempfile.mkstemp(dir=self.staging_folder(), prefix=".object-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        self.put_file(key, Path(temp_name), sha256)

    def open(self, key: str) -> BinaryIO | None:
        """The object's file opened for reading, or None when there is none."""
        try:
            return open(self.path(key), "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        """Remove the object if it exists."""
        self.path(key).unlink(missing_ok=True)


class S3Storage:
    """Objects in an S3 bucket (AWS or any S3-compatible server: MinIO, Ceph, moto) under a
    prefix; credentials and region from the standard AWS_* variables or the instance's role."""

    kind = "s3"

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None):
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint_url = endpoint_url
        self._client = None
        self._client_pid = None
        self._lock = threading.Lock()

    @property
    def client(self):
        """One boto3 client per process (clients are thread-safe; a forked child makes its own)."""
        with self._lock:
            if self._client is None or self._client_pid != os.getpid():
                import boto3  # only deployments with object storage need it
                from botocore.config import Config

                config = Config(connect_timeout=5, read_timeout=30,
                                retries={"max_attempts": 3, "mode": "standard"})
                self._client = boto3.session.Session().client(
                    "s3", endpoint_url=self.endpoint_url, config=config)
                self._client_pid = os.getpid()
            return self._client

    def staging_folder(self) -> None:
        """Uploads are checked in the system's temporary folder, then sent."""
        return None

    def name(self, key: str) -> str:
        """The object's name in the bucket."""
        return self.prefix + key

    def put_file(self, key: str, source: Path, sha256: str) -> None:
        """Send `source` (already hashed to `sha256`), then remove it."""
        try:
            with open(source, "rb") as body:
                self._put(key, body, sha256)
        finally:
            os.unlink(source)

    def put_bytes(self, key: str, data: bytes, sha256: str) -> None:
        """Send `data`."""
        self._put(key, io.BytesIO(data), sha256)

    def _put(self, key: str, body: BinaryIO, sha256: str) -> None:
        # S3 checks the body against ChecksumSHA256 and refuses a mismatch.
        self.client.put_object(Bucket=self.bucket, Key=self.name(key), Body=body,
                               ContentType="application/octet-stream",
                               ChecksumSHA256=base64.b64encode(bytes.fromhex(sha256)).decode())

    def open(self, key: str) -> BinaryIO | None:
        """The object's body as a stream, or None when there is none."""
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.name(key))["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise

    def delete(self, key: str) -> None:
        """Remove the object if it exists."""
        self.client.delete_object(Bucket=self.bucket, Key=self.name(key))


def storage_from_config(config) -> FolderStorage | S3Storage:
    """The storage STORAGE_URL names (`s3://bucket/prefix`), else the folder UPLOAD_FOLDER.

    :raise ValueError: a STORAGE_URL that is not `s3://` with a bucket.
    """
    url = (config.get("STORAGE_URL") or "").strip()
    if not url:
        return FolderStorage(config["UPLOAD_FOLDER"])
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"STORAGE_URL must look like s3://bucket/prefix, not {url!r}")
    prefix = parts.path.strip("/")
    return S3Storage(parts.netloc, prefix + "/" if prefix else "",
                     config.get("S3_ENDPOINT_URL") or None)


def init_app(app) -> None:
    """Check STORAGE_URL when the application starts.

    :raise RuntimeError: STORAGE_URL is not a storage certtrack knows.
    """
    try:
        storage_from_config(app.config)
    except ValueError as error:
        raise RuntimeError(f"Refusing to start: {error}.") from None


def backend() -> FolderStorage | S3Storage:
    """The current application's storage, made on first use."""
    extensions = current_app.extensions
    if _EXTENSION not in extensions:
        extensions[_EXTENSION] = storage_from_config(current_app.config)
    return extensions[_EXTENSION]


def _unavailable(error: Exception) -> StorageUnavailable:
    current_app.logger.error("object storage failed: %r", error)
    return StorageUnavailable(_("The file storage cannot be reached right now. "
                                "Try again in a few minutes."))


def _storage_errors() -> tuple[type[BaseException], ...]:
    """The exceptions meaning the storage itself failed (OSError; botocore's when loaded)."""
    errors: tuple[type[BaseException], ...] = (OSError,)
    if isinstance(backend(), S3Storage):
        from botocore.exceptions import BotoCoreError, ClientError

        errors += (BotoCoreError, ClientError)
    return errors


def staging_folder() -> Path | None:
    """Where an upload may be copied before it is checked (None: the system's temporary
    folder); a file there is handed over by keep_file.

    :raise StorageUnavailable: the storage folder cannot be made.
    """
    try:
        return backend().staging_folder()
    except OSError as error:
        raise _unavailable(error) from error


def keep_file(source: Path, sha256: str) -> str:
    """Take a file whose bytes hash to `sha256` (computed while it was written) and keep it
    under that name; the file is moved or removed. Returns the object's key.

    :raise StorageUnavailable: the object storage refused or did not answer.
    """
    key = object_key(sha256)
    try:
        backend().put_file(key, Path(source), sha256)
    except _storage_errors() as error:
        raise _unavailable(error) from error
    return key


def keep_bytes(data: bytes, sha256: str | None = None) -> str:
    """Keep `data` under its SHA-256; returns the object's key.

    :raise ValueError: `sha256` is given and is not the digest of `data`.
    :raise StorageUnavailable: the object storage refused or did not answer.
    """
    actual = hashlib.sha256(data).hexdigest()
    if sha256 is not None and sha256 != actual:
        raise ValueError("the bytes do not match the SHA-256 they are to be stored under")
    key = object_key(actual)
    try:
        backend().put_bytes(key, data, actual)
    except _storage_errors() as error:
        raise _unavailable(error) from error
    return key


def open_verified(sha256: str) -> BinaryIO:
    """The bytes stored under `sha256`, as a file positioned at its start, after checking that
    they still hash to it. The caller closes it.

    :raise StoredFileMissing: nothing is stored under this SHA-256.
    :raise StoredFileCorrupted: the bytes do not match (logged; never returned).
    :raise StorageUnavailable: the object storage did not answer.
    """
    key = object_key(sha256)
    store = backend()
    try:
        source = store.open(key)
        if source is None:
            raise StoredFileMissing(_("The file is missing from storage."))
        checked = _checked_copy(source, isinstance(store, FolderStorage))
    except _storage_errors() as error:
        raise _unavailable(error) from error
    digest, copy = checked
    if digest != sha256:
        copy.close()
        current_app.logger.error("stored object %s hashes to %s: refused", key, digest)
        raise StoredFileCorrupted(corrupted_message())
    return copy


def _checked_copy(source: BinaryIO, local: bool) -> tuple[str, BinaryIO]:
    """Hash `source` while reading it; return the digest and a file of the same bytes at its
    start: the local file itself, or a spooled copy of a remote stream."""
    digest = hashlib.sha256()
    copy = source if local else tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    try:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            if copy is not source:
                copy.write(chunk)
        copy.seek(0)
    except BaseException:
        copy.close()
        raise
    finally:
        if copy is not source:
            source.close()
    return digest.hexdigest(), copy


def read_verified(sha256: str) -> bytes:
    """The bytes stored under `sha256`, checked (see open_verified)."""
    with open_verified(sha256) as stored:
        return stored.read()


def corrupted_message() -> str:
    """What a user is told when stored bytes do not match their SHA-256."""
    return _("The stored file does not match the SHA-256 recorded when it was stored, so it is "
             "not served. The error was logged; please tell the administrator.")
