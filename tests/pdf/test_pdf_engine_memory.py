"""A worker renders PDFs all day: each render leaves the garbage collector as it found it and
frees its own reference cycles before returning."""

import gc

import pytest

from certtrack.demo.certificate import demo_certificate_context
from certtrack.pdf import PdfRenderError, engine, render_certificate

# A certificate's render creates tens of thousands of objects in reference cycles; what a full
# collection still finds after one must be a small fraction of that.
LEFT_FOR_A_FULL_COLLECTION = 2_000


@pytest.fixture
def collected():
    """A fully collected heap before the test, and the collector enabled again after it."""
    gc.collect()
    yield
    gc.enable()


def test_a_render_frees_its_own_cycles_and_leaves_the_collector_on(collected):
    gc.disable()
    render_certificate(demo_certificate_context())
    without_our_collection = gc.collect()
    gc.enable()

    render_certificate(demo_certificate_context())
    assert gc.isenabled()
    assert gc.collect() < LEFT_FOR_A_FULL_COLLECTION < without_our_collection


def test_a_refused_render_leaves_the_collector_on(collected):
    html = '<html><body><img src="file:///etc/passwd"></body></html>'
    with pytest.raises(PdfRenderError):
        engine.write_pdf(html, ("base.css",))
    assert gc.isenabled()


def test_a_render_leaves_a_disabled_collector_disabled(collected):
    gc.disable()
    render_certificate(demo_certificate_context())
    assert not gc.isenabled()
