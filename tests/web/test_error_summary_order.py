"""The error summary on top of a refused form lists its fields in the order the page shows
them: it listed the enterprise's English name before its legal form, shown first, and the
current password last, though it is the first box of its form."""

import re

import pytest

from factories import ENTERPRISE, make_exporter_with_application, make_user
from forms import login, post


def _summary_order(page: str) -> list[str]:
    summary = re.search(r"data-error-summary>(.*?)</div>", page, re.S).group(1)
    return re.findall(r'<a href="#([\w-]+)">', summary)


def _page_order(page: str, ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda id_: page.index(f'id="{id_}"'))


@pytest.mark.parametrize("case", ["enterprise", "establishment", "password"])
def test_the_summary_follows_the_page(ctx, client, case):
    if case == "enterprise":
        login(client, make_user("exporter").email)
        url, body = "/exporter/enterprise/new", {**ENTERPRISE, "name_en": "", "legal_form": "",
                                                  "legal_representative": "", "address": ""}
    elif case == "establishment":
        exporter, _enterprise, establishment, _application = make_exporter_with_application()
        login(client, exporter.email)
        url = f"/exporter/establishments/{establishment.id}"
        body = {"name": "", "type": "", "address": "", "kz_registration_number": "",
                "version": str(establishment.version)}
    else:
        login(client, make_user("exporter").email)
        url, body = "/account/password", {"new_password": "", "repeat_password": ""}
    response = post(client, url, body, csrf_url="/account")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    listed = _summary_order(page)
    assert len(listed) >= 3
    assert listed == _page_order(page[page.index("<main"):], listed)


def test_the_summary_follows_the_rendered_page_not_the_forms_class(app):
    """Any form: its fields are listed where the page shows them, whatever their declared
    order; an id within another attribute (data-id) is not the field's place."""
    from wtforms import Form, StringField
    from wtforms.validators import InputRequired

    from certtrack.web.templating import failed_fields

    class Declared(Form):
        first = StringField("First", [InputRequired()])
        second = StringField("Second", [InputRequired()])
        third = StringField("Third", [InputRequired()])

    form = Declared()
    form.validate()
    page = ('<p data-id="first"></p><input id="third"><input id="second">'
            '<input id="first">')
    assert [field.name for field in failed_fields([form], page)] == [
        "third", "second", "first"]
    assert [field.name for field in failed_fields([form], '<input id="second">')] == [
        "second", "first", "third"]  # fields the page does not show come last, as declared
