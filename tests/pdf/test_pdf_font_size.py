"""The embedded Chinese font is cut to the glyphs used (certtrack/pdf/compact.py): the
certificate shrinks to a third, and every glyph is still drawn and still reads as text."""

import subprocess

from PIL import Image, ImageChops

from certtrack.demo.certificate import demo_certificate_context
from certtrack.pdf import engine, render_certificate


def _pixels(content: bytes, folder, name: str) -> Image.Image:
    path = folder / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(path),
                    str(folder / name)], check=True)
    with Image.open(folder / f"{name}.png") as image:
        return image.convert("L")


def test_the_cjk_font_is_cut_and_every_glyph_still_drawn(tmp_path, monkeypatch):
    compact = render_certificate(demo_certificate_context()).content
    monkeypatch.setattr(engine, "compact_cid_fonts", lambda _document, _pdf: None)
    full = render_certificate(demo_certificate_context()).content
    assert len(compact) < 80_000 < 150_000 < len(full)
    (tmp_path / "compact.pdf").write_bytes(compact)
    listing = subprocess.run(["pdffonts", str(tmp_path / "compact.pdf")], capture_output=True,
                             text=True, check=True).stdout
    cjk = next(line for line in listing.splitlines() if "Noto-Sans-CJK-SC" in line)
    assert "CID Type 0C" in cjk and cjk.split()[-5:-2] == ["yes", "yes", "yes"]  # emb sub uni
    text = subprocess.run(["pdftotext", str(tmp_path / "compact.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "出口资格证书" in "".join(text.split()) and "塔尔迪库尔干" in text
    difference = ImageChops.difference(_pixels(compact, tmp_path, "compact"),
                                       _pixels(full, tmp_path, "full"))
    changed = sum(difference.point(lambda value: 255 if value > 96 else 0).histogram()[255:])
    assert changed < 0.002 * difference.width * difference.height  # hinting only, no glyph lost
