"""Every field a person fills or ticks has a label of its own, marked for translation: WTForms
would otherwise make one of the field's name ("Application Id"), in English in every language,
which the error summary then prints before the message."""

import importlib
import pkgutil

from wtforms import HiddenField
from wtforms.fields.core import UnboundField

import certtrack.web
from certtrack.web.forms import BaseForm


def _form_classes() -> set[type]:
    for module in pkgutil.walk_packages(certtrack.web.__path__, "certtrack.web."):
        importlib.import_module(module.name)
    found, todo = set(), [BaseForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.add(subclass)
            todo.append(subclass)
    return found


def _unlabelled(form_class: type) -> list[str]:
    missing = []
    for name in dir(form_class):
        field = getattr(form_class, name, None)
        if not isinstance(field, UnboundField) or issubclass(field.field_class, HiddenField):
            continue
        label = field.args[0] if field.args else field.kwargs.get("label")
        if label is None or isinstance(label, str):  # none, or not marked for translation
            missing.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    return missing


def test_every_visible_field_of_every_form_has_a_translated_label():
    classes = _form_classes()
    assert len(classes) > 40
    assert sorted(name for cls in classes for name in _unlabelled(cls)) == []
