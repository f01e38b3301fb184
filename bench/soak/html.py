"""The forms and links of a page, read as a browser reads them: fields with their current values,
labels, the buttons that send them, and the ids of the sections around each form."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Select:
    """A select's options as (value, text) and the values selected."""

    options: list[tuple[str, str]] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    """One form: where it goes, its fields in order, its buttons and the ids around it."""

    action: str
    method: str
    enctype: str
    ids: list[str]
    fields: list[tuple[str, str]] = field(default_factory=list)  # hidden, text, checked boxes
    boxes: dict[str, list[str]] = field(default_factory=dict)  # name -> values of unticked boxes
    radios: dict[str, list[str]] = field(default_factory=dict)
    selects: dict[str, Select] = field(default_factory=dict)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (text, name, value)
    names_by_id: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # label text -> field name
    text: str = ""

    def name_of(self, label_or_name: str) -> str:
        """The field name for a label's text (exact, then the label beginning with it) or a name."""
        if label_or_name in self.labels:
            return self.labels[label_or_name]
        for label, name in self.labels.items():
            if label.startswith(label_or_name):
                return name
        return label_or_name

    def has_field(self, name: str) -> bool:
        return (any(n == name for n, _v in self.fields) or name in self.boxes
                or name in self.selects or name in self.radios)


@dataclass
class Link:
    href: str
    text: str


class _PageParser(HTMLParser):
    """Collects forms, labels, links and the id stack (sections, cards) of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[Link] = []
        self.label_for: list[tuple[str, str]] = []  # (for id, text)
        self._stack: list[tuple[str, str | None]] = []
        self._form: Form | None = None
        self._select: tuple[str, Select] | None = None
        self._option: list | None = None
        self._text: list[str] | None = None  # label, button, link or textarea text
        self._text_target: tuple | None = None

    def handle_starttag(self, tag, attrs):  # noqa: C901 - one branch per element kind
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag not in ("input", "br", "img", "meta", "link", "hr", "option"):
            self._stack.append((tag, a.get("id")))
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(),
                              a.get("enctype", ""), [i for _t, i in self._stack if i])
        elif tag == "a" and a.get("href"):
            self._start_text(("link", a["href"]))
        elif tag == "label":
            self._start_text(("label", a.get("for", "")))
        elif self._form is not None:
            self._form_tag(tag, a)

    def _input(self, a: dict, name: str) -> None:
        form, kind = self._form, a.get("type", "text").lower()
        if kind in ("submit", "button"):
            form.buttons.append((a.get("value", ""), name, a.get("value", "")))
        elif kind == "checkbox":
            if "checked" in a:
                form.fields.append((name, a.get("value", "on")))
            else:
                form.boxes.setdefault(name, []).append(a.get("value", "on"))
        elif kind == "radio":
            form.radios.setdefault(name, []).append(a.get("value", ""))
            if "checked" in a:
                form.fields.append((name, a.get("value", "")))
        elif kind != "file" and name:
            form.fields.append((name, a.get("value", "")))

    def _form_tag(self, tag, a):
        form, name = self._form, a.get("name", "")
        if a.get("id") and name:
            form.names_by_id[a["id"]] = name
        if tag == "input":
            self._input(a, name)
        elif tag == "select":
            self._select = (name, Select(multiple="multiple" in a))
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), [], "selected" in a]
        elif tag == "textarea":
            self._start_text(("textarea", name))
        elif tag == "button":
            self._start_text(("button", a.get("name", ""), a.get("value", ""),
                              a.get("type", "submit")))

    def _start_text(self, target: tuple) -> None:
        self._text, self._text_target = [], target

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)
        if self._option is not None:
            self._option[1].append(data)
        if self._form is not None:
            self._form.text += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            value, text, selected = self._option
            text = " ".join("".join(text).split())
            value = text if value is None else value
            self._select[1].options.append((value, text))
            if selected:
                self._select[1].selected.append(value)
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, select = self._select
            self._form.selects[name] = select
            self._select = None
        if tag in ("a", "label", "textarea", "button") and self._text is not None:
            self._end_text(tag)
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        while self._stack:
            popped, _id = self._stack.pop()
            if popped == tag:
                break

    def _end_text(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        target, self._text, self._text_target = self._text_target, None, None
        if tag == "a" and target[0] == "link":
            self.links.append(Link(target[1], text))
        elif tag == "label" and target[0] == "label":
            self.label_for.append((target[1], text))
        elif tag == "textarea" and target[0] == "textarea" and self._form is not None:
            self._form.fields.append((target[1], text))
        elif (tag == "button" and target[0] == "button" and self._form is not None
              and target[3] != "button"):
            self._form.buttons.append((text, target[1], target[2]))


def parse(page: str) -> tuple[list[Form], list[Link]]:
    """The page's forms (with their labels resolved to field names) and links."""
    parser = _PageParser()
    parser.feed(page)
    parser.close()
    for form in parser.forms:
        for for_id, text in parser.label_for:
            name = form.names_by_id.get(for_id)
            if name:
                form.labels.setdefault(text, name)
    return parser.forms, parser.links
