"""The authorised-official profile on the account page: how a registrar or inspector is named on
the certificates and dossiers they sign."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from certtrack.domain.workflow import Role
from certtrack.services import officials
from certtrack.services.errors import Conflict, ValidationFailed
from certtrack.web.access import roles_required
from certtrack.web.forms import BaseForm, render_form

bp = Blueprint("official", __name__, url_prefix="/account/official")
bp.before_request(roles_required(Role.registrar, Role.inspector))


def _entry(label, required: bool = False, max_length: int = 200):
    first = DataRequired() if required else Optional()
    return StringField(label, validators=[first, Length(max=max_length)])


class OfficialForm(BaseForm):
    """Name and position in Kazakh and English (required), Russian and Chinese."""

    name_kk = _entry(_l("Full name in Kazakh"), required=True)
    name_en = _entry(_l("Full name in English"), required=True)
    name_ru = _entry(_l("Full name in Russian"))
    name_zh = _entry(_l("Full name in Chinese"))
    position_kk = _entry(_l("Position in Kazakh"), required=True, max_length=300)
    position_en = _entry(_l("Position in English"), required=True, max_length=300)
    position_ru = _entry(_l("Position in Russian"), max_length=300)
    position_zh = _entry(_l("Position in Chinese"), max_length=300)
    version = HiddenField()


@bp.route("", methods=["GET", "POST"])
def edit():
    profile = officials.official_profile(g.user)
    form = OfficialForm(request.form if request.method == "POST" else None, obj=profile)
    if request.method == "POST" and form.validate():
        try:
            officials.save_official_profile(g.user, officials.OfficialInput.from_mapping(form.data))
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except Conflict as error:
            form.keep_after_conflict(error.message, getattr(officials.official_profile(g.user),
                                                             "version", None))
            return render_template("auth/official.html", form=form, profile=profile), 409
        else:
            flash(_("Your official profile was saved. Documents you issue from now on name you "
                    "this way."), "success")
            return redirect(url_for(".edit"))
    return render_form("auth/official.html", form, profile=profile)
