"""A person's browser over HTTP: its own cookies, forms filled from the page as shown, every
request recorded with its role, status and times."""

import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from bench.soak.html import Form, Link, parse

# A request that stalls longer than gunicorn's own 30 s timeout counts as failed.
TIMEOUT = 40


class Unavailable(Exception):
    """The server answered 503 (or could not be reached): the step is abandoned."""


class Unexpected(Exception):
    """A page did not show what the journey expected (a 4xx, a missing button)."""


@dataclass
class Sample:
    """One request: who, what, when (monotonic seconds) and how it ended."""

    role: str
    method: str
    path: str
    status: int  # 0: no answer (connection refused or reset, timeout)
    started: float
    ended: float
    retry_after: str | None = None
    error: str | None = None


@dataclass
class Recorder:
    """Every request of every browser, appended from many threads."""

    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


@dataclass
class Page:
    status: int
    url: str
    text: str
    headers: dict

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def forms(self) -> list[Form]:
        return parse(self.text)[0]

    def links(self) -> list[Link]:
        return parse(self.text)[1]

    def form(self, action: str, field: str | None = None) -> Form:
        """The first form whose address matches the regular expression `action` (and that has
        the field `field`, when given): forms are found by where they go, not by their words,
        which are in each user's language.

        :raise Unexpected: no such form on the page.
        """
        for form in self.forms():
            if re.search(action, form.action) and (field is None or form.has_field(field)):
                return form
        raise Unexpected(f"no form to '{action}' on {self.path}")

    def has_form(self, action: str, field: str | None = None) -> bool:
        try:
            self.form(action, field)
        except Unexpected:
            return False
        return True

    def link(self, pattern: str) -> str | None:
        """The first link whose address matches the regular expression `pattern`."""
        for link in self.links():
            if re.search(pattern, link.href):
                return link.href
        return None


# Paths are recorded with their numbers folded, so that figures group by page.
_NUMBERS = re.compile(r"/\d+(?=/|$)")


def page_of(path: str) -> str:
    return _NUMBERS.sub("/<id>", urlsplit(path).path)


class Browser:
    """One person's browser: a cookie jar, a client address, a role for the figures."""

    def __init__(self, base: str, role: str, recorder: Recorder, address: str) -> None:
        self.base, self.role, self.recorder = base, role, recorder
        self.session = requests.Session()
        self.session.headers.update({"X-Forwarded-For": address,
                                     "Accept-Language": "en"})

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        started = time.monotonic()
        path = page_of(url)
        try:
            response = self.session.request(method, urljoin(self.base, url), timeout=TIMEOUT,
                                            allow_redirects=False, **kwargs)
        except requests.RequestException as error:
            self.recorder.add(Sample(self.role, method, path, 0, started, time.monotonic(),
                                     error=type(error).__name__))
            raise Unavailable(f"{method} {path}: {type(error).__name__}") from error
        self.recorder.add(Sample(self.role, method, path, response.status_code, started,
                                 time.monotonic(), response.headers.get("Retry-After")))
        if response.status_code >= 500:
            raise Unavailable(f"{method} {path}: {response.status_code}")
        return response

    def _follow(self, response: requests.Response) -> Page:
        hops = 0
        while response.is_redirect and hops < 5:
            response = self._request("GET", urljoin(response.url, response.headers["Location"]))
            hops += 1
        return Page(response.status_code, response.url, response.text, dict(response.headers))

    def get(self, url: str, expect: tuple[int, ...] = (200,), **kwargs) -> Page:
        """GET `url` and its redirects; the page.

        :raise Unexpected: the final status is not in `expect`.
        """
        page = self._follow(self._request("GET", url, **kwargs))
        if page.status not in expect:
            raise Unexpected(f"GET {url}: {page.status}")
        return page

    def download(self, url: str) -> bytes | None:
        """The file, or None while it is being prepared (202).

        :raise Unexpected: any other answer.
        """
        response = self._request("GET", url)
        if response.status_code == 202:
            return None
        if response.status_code != 200:
            raise Unexpected(f"GET {url}: {response.status_code}")
        return response.content

    def submit(self, page: Page, action: str, values: dict | None = None, *,
               field: str | None = None, files: dict | None = None,
               expect: tuple[int, ...] = (200,)) -> Page:
        """Fill the form going to `action` (a regular expression) as shown, change `values`
        (field names to values; True ticks a box; a select takes an option's value or text),
        send it as its button does.

        :raise Unexpected: no such form, or the final status is not in `expect`.
        """
        form = page.form(action, field)
        data = fill(form, values or {})
        action = urljoin(page.url, form.action or page.url)
        response = self._request(form.method.upper(), action,
                                 **({"params": data} if form.method == "get" else
                                    {"data": data, "files": files}))
        result = self._follow(response)
        if result.status not in expect:
            raise Unexpected(f"{form.method.upper()} {page_of(action)}: "
                             f"{result.status} {flash_or_error(result.text)}")
        return result


def _option_value(select, value: str) -> str:
    for option_value, text in select.options:
        if value in (option_value, text):
            return option_value
    for option_value, text in select.options:
        if text.startswith(value):
            return option_value
    raise Unexpected(f"no option '{value}' among {[t for _v, t in select.options][:8]}")


def fill(form: Form, values: dict) -> list[tuple[str, str]]:
    """The pairs the browser would send: the form as shown, `values` applied, its first
    button's name and value when it has them."""
    given = dict(values)
    data = [(name, value) for name, value in form.fields if name not in given]
    for name, select in form.selects.items():
        if name in given:
            continue
        chosen = select.selected or ([] if select.multiple or not select.options
                                     else [select.options[0][0]])
        data += [(name, value) for value in chosen]
    for name, value in given.items():
        if value is None or value is False:
            continue
        if value is True:
            value = form.boxes.get(name, ["y"])[0]
        if isinstance(value, list | tuple) and name not in form.selects:
            data += [(name, str(v)) for v in value]  # boxes of one name, ticked
        elif name in form.selects:
            values_ = value if isinstance(value, list | tuple) else [value]
            data += [(name, _option_value(form.selects[name], str(v))) for v in values_]
        else:
            data.append((name, str(value)))
    for _text, name, value in form.buttons[:1]:
        if name:
            data.append((name, value))
    return data


_FLASH = re.compile(r'class="(?:flash flash-\w+|field-error|error)[^"]*"[^>]*>(.*?)<', re.S)
_SUMMARY = re.compile(r'data-error-summary>(.*?)</div>', re.S)


def flash_or_error(page: str) -> str:
    """The page's flash messages, error summary and field errors, for a failure's
    description."""
    summary = _SUMMARY.search(page)
    found = [" ".join(m.split()) for m in _FLASH.findall(page)]
    if summary:
        found += [" ".join(re.sub(r"<[^>]+>", " ", item).split())
                  for item in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)]
    return "; ".join(x for x in found if x)[:300]
