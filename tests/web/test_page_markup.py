"""Every page of every role, parsed: unique ids, and one label for each form control.

The pages are those of the access matrix (its world and its URLs): each GET a role may open,
and each page a refused POST shows again (422), where error messages and summaries appear.
"""

from collections import Counter
from html.parser import HTMLParser

import test_access_matrix as matrix

from forms import csrf_token

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Markup(HTMLParser):
    """The ids, the labels' targets and the form controls of one page."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.label_for: list[str] = []
        self.controls: list[dict] = []
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.append(attrs["for"])
        # A control with the `hidden` attribute (a creation form's key) is shown to no one and
        # read by no screen reader, as an input of type hidden: it needs no label either.
        if (tag in CONTROLS and attrs.get("type", "text") not in UNLABELLED_TYPES
                and "hidden" not in attrs):
            self.controls.append({**attrs, "_tag": tag, "_wrapped": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels = max(0, self.open_labels - 1)

    def problems(self) -> list[str]:
        found = [f"id {i!r} used {n} times" for i, n in Counter(self.ids).items() if n > 1]
        labels = Counter(self.label_for)
        for control in self.controls:
            name = control.get("name") or control["_tag"]
            count = labels.get(control.get("id"), 0) + control["_wrapped"] + (
                1 if control.get("aria-label") or control.get("aria-labelledby") else 0)
            if count != 1:
                found.append(f"{name} (id {control.get('id')!r}) has {count} labels")
        return found


world = matrix.world  # the access matrix's world: its users, objects and their URLs


def _pages():
    """(role, method, endpoint) of every page the matrix shows a role: 200 GETs, 422 POSTs."""
    for (endpoint, method), statuses in matrix.MATRIX.items():
        for role, status in zip(matrix.ROLES, statuses, strict=True):
            if (method, status) in {("GET", 200), ("POST", 422)} and endpoint != "static":
                yield role, method, endpoint


def test_every_page_has_unique_ids_and_one_label_per_control(world):
    problems, checked = {}, 0
    for role, method, endpoint in _pages():
        client = matrix.client_as(world, role)
        url = matrix.url_of(world, endpoint)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": csrf_token(client),
                                               **matrix.POST_BODIES.get(endpoint, {})})
        response.close()
        if response.mimetype != "text/html":
            continue
        checked += 1
        page = Markup()
        page.feed(response.get_data(as_text=True))
        if found := page.problems():
            problems[f"{role} {method} {endpoint}"] = found
    assert checked >= 80
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_a_reference_kept_whole_leaves_the_text_around_it_escaped(app):
    """Flashes and hints carry text people typed (a reason, a name): only the reference in
    them becomes markup."""
    from certtrack.web.templating import keep_references

    shown = keep_references('<script>x</script> A-000042 & KZ-CN-2026-000001.')
    assert shown == ('&lt;script&gt;x&lt;/script&gt; <span class="ref">A-000042</span> &amp; '
                     '<span class="ref">KZ-CN-2026-000001</span>.')
