"""What the renderer hands back and what it raises; importable without WeasyPrint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class PdfRenderError(RuntimeError):
    """Raised when a document cannot be rendered exactly as designed."""


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """The bytes of a rendered PDF, their SHA-256 (hex) and the number of pages."""

    content: bytes
    sha256: str
    pages: int


@dataclass(frozen=True, slots=True)
class PdfAttachment:
    """A file embedded in the PDF as a PDF/A-3 associated file."""

    name: str
    content: bytes
    description: str
    relationship: str  # Data, Source, Alternative, Supplement or Unspecified
    created: dt.datetime
