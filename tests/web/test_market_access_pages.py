"""Market access on the exporter's application page: no protocol refuses, trial warns."""

from certtrack.extensions import db

from factories import make_exporter_with_application
from forms import login, post


def _oilseed_draft(client):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    application.gacc_category_code = "oilseeds"
    db.session.commit()
    login(client, user.email)
    return f"/exporter/applications/{application.id}/products"


def test_a_product_without_protocol_is_refused_with_the_reason(ctx, client):
    url = _oilseed_draft(client)
    response = post(client, url, {"product_code": "rapeseed", "annual_volume": "5",
                                  "volume_unit": "t"})
    assert response.status_code == 422
    assert "No protocol with China covers Rapeseed (HS 1205)" in response.get_data(as_text=True)


def test_a_trial_product_is_added_with_a_warning(ctx, client):
    url = _oilseed_draft(client)
    response = post(client, url, {"product_code": "sunflower_seed", "annual_volume": "5",
                                  "volume_unit": "t"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The product was added." in page
    assert "flash-warning" in page and "under a trial arrangement only" in page


def test_the_trial_warning_names_the_protocol_in_the_exporters_language(app, client):
    with app.app_context():
        url = _oilseed_draft(client)
    assert post(client, "/language", {"locale": "kk"}).status_code == 302
    page = post(client, url, {"product_code": "sunflower_seed", "annual_volume": "5",
                              "volume_unit": "t"}, follow_redirects=True).get_data(as_text=True)
    assert "Сауда жеткізілімдері тіркелген, хаттама мәтіні табылмаған" in page
    assert "Trade reported" not in page and "trial arrangement" not in page
