"""Smaller embedded CJK fonts: the CFF font programs WeasyPrint embeds, subset again without
their empty glyph slots.

WeasyPrint subsets fonts with HarfBuzz keeping every glyph's number (RETAIN_GIDS), so the
subset of Noto Sans CJK keeps 63,000 empty slots in its CharStrings and charset: about 159 KB
of a 194 KB certificate for some 140 glyphs used. Noto Sans CJK is CID-keyed (Adobe-Identity-0):
the PDF's text refers to glyphs by CID, and the font's charset maps each glyph to its CID, so
the glyphs can be renumbered without touching the page content, the widths (/W) or the text
(ToUnicode). This runs as a WeasyPrint finisher, on the document's objects before they are
written; a font it cannot subset is left as it was (measured in docs/performance.md).
"""

from __future__ import annotations

import io

import pydyf
from fontTools import subset
from fontTools.ttLib import TTFont, TTLibError


def compact_cid_fonts(_document, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher: re-subset each embedded CID-keyed CFF font to its used CIDs."""
    objects = pdf.objects
    for stream_number, cids in _used_cids(objects).items():
        stream = objects[stream_number]
        content = b"".join(stream.stream)
        smaller = _subset(content, cids)
        if smaller is not None and len(smaller) < len(content):
            stream.stream = [smaller]
            stream.extra["Subtype"] = "/CIDFontType0C"


def _used_cids(objects) -> dict[int, set[int]]:
    """{object number of a FontFile3 stream: the CIDs its CIDFontType0 fonts use (/W)}."""
    used: dict[int, set[int]] = {}
    for obj in objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/CIDFontType0":
            continue
        descriptor = objects[_number(obj["FontDescriptor"])]
        file_number = _number(descriptor.get("FontFile3", b""))
        if file_number is None:
            continue
        cids = used.setdefault(file_number, {0})
        widths = list(obj.get("W", ()))
        for first, values in zip(widths[::2], widths[1::2], strict=False):
            cids.update(range(first, first + len(values)))
    return used


def _number(reference) -> int | None:
    """The object number of a pydyf reference (b"12 0 R"), or None."""
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    head = text.split(" ", 1)[0]
    return int(head) if head.isdigit() else None


def _subset(content: bytes, cids: set[int]) -> bytes | None:
    """The font program keeping the glyphs of `cids` only, renumbered; None when the font is
    not a CID-keyed CFF font (its glyph numbers are then its CIDs) or cannot be read."""
    try:
        font = TTFont(io.BytesIO(content))
        if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
            return None
        options = subset.Options(retain_gids=False, desubroutinize=True, notdef_outline=True,
                                 passthrough_tables=True, ignore_missing_glyphs=True,
                                 hinting=False, layout_features=[], name_IDs=["*"])
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=sorted(cids))
        subsetter.subset(font)
        output = io.BytesIO()
        font.save(output)
        return TTFont(io.BytesIO(output.getvalue())).getTableData("CFF ")
    except (TTLibError, KeyError, AssertionError, IndexError):
        return None
