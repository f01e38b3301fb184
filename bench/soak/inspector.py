"""The inspector: works the queue one application at a time, each time the next step its
state allows: take it, check completeness, schedule and record the inspection, sample, enter
the laboratory's results, conclude."""

import csv
import re

from bench.soak.client import Page, Unexpected
from bench.soak.people import STATE_RE, Person, outside_hours, state_of, today
from certtrack.services.reference import reference_dir

INSPECTORS = ("phyto@demo.certtrack.kz", "vet@demo.certtrack.kz")
APPLICATION_RE = re.compile(r'href="(/inspector/applications/(\d+))"')
CONSIGNMENT_RE = re.compile(r'href="(/inspector/consignments/\d+)"')
RESULTS_RE = re.compile(r'href="(/inspector/applications/\d+/samples/\d+/results)"')
POSITIVE_POSSIBLE = 'id="panel-conclusion" class="card card-ok"'
# The states an inspector moves on, in the order an application goes through them.
PROGRESS = ("submitted", "under_review", "inspection_scheduled", "inspected", "lab_testing")
LIMIT_RE = re.compile(r"≤\s*([\d.]+)\s*(\S+?)\)")


def _required_parameters() -> frozenset[str]:
    """The names, in every language, of the parameters limits.csv marks as required for some
    product (lab_parameters.csv names them)."""
    with open(reference_dir() / "limits.csv", encoding="utf-8") as rows:
        codes = {row["parameter_code"] for row in csv.DictReader(rows) if row["required"] == "1"}
    with open(reference_dir() / "lab_parameters.csv", encoding="utf-8") as rows:
        return frozenset(row[f"name_{locale}"] for row in csv.DictReader(rows)
                         if row["code"] in codes for locale in ("en", "ru", "kk", "zh"))


def _is_required(option_text: str) -> bool:
    """Whether a parameter list's option ("name — limit" or "name (matrix) — limit") names a
    required parameter."""
    label = option_text.split(" — ")[0]
    return any(label == name or label.startswith(f"{name} (") for name in REQUIRED)


REQUIRED = _required_parameters()


def compliant_result(option_text: str) -> dict:
    """A result within the limit an option of the parameter list names: half a maximum, or
    not detected for a substance or pest that must be absent."""
    found = LIMIT_RE.search(option_text)
    if found is None:
        return {"detected": "no"}
    return {"value": f"{float(found.group(1)) / 2:g}", "unit": found.group(2)}


class Inspector(Person):
    role = "inspector"

    def __init__(self, shared, email, number, think) -> None:
        super().__init__(shared, email, number, think)
        self.stuck: dict[str, int] = {}  # applications whose step failed, with how often

    def step(self) -> None:
        queue = self.get(self.rng.choice(("/inspector/", "/inspector/?sort=age",
                                          "/inspector/?show=open")))
        candidates = self.candidates(queue)
        if self.rng.random() < 0.3 or not candidates:
            self.consignment()
            return
        address = self.rng.choice(candidates[:3])
        try:
            for _step in range(3):  # a few steps of one file while it is open
                if not self.work(self.get(address)):
                    break
        except Unexpected:
            self.stuck[address] = self.stuck.get(address, 0) + 1
            raise

    def candidates(self, queue: Page) -> list[str]:
        """The soak's own applications of the queue, the furthest along first (as an inspector
        finishes work before starting more). The demo's have products of every kind, some of
        which no laboratory limit covers; their journeys are the demo's own."""
        rows = []
        for row in queue.text.split("<tr")[1:]:
            link, state = APPLICATION_RE.search(row), STATE_RE.search(row)
            if (link and state and int(link.group(2)) >= self.shared.first_application
                    and self.stuck.get(link.group(1), 0) < 3 and state.group(1) in PROGRESS):
                rows.append((-PROGRESS.index(state.group(1)), link.group(1)))
        return [address for _rank, address in sorted(rows)]

    def consignment(self) -> None:
        """A consignment of the queue: start the inspection, record it, issue the phytosanitary
        or veterinary certificate (rendered and sealed while the inspector waits)."""
        queue = self.get("/inspector/consignments/")
        waiting = [a for a in dict.fromkeys(CONSIGNMENT_RE.findall(queue.text))
                   if self.stuck.get(a, 0) < 3]
        if not waiting:
            return
        address = self.rng.choice(waiting[:6])
        try:
            page = self.inspect_consignment(self.get(address))
            if page.has_form(r"/issue$"):
                self.issue(page)
            else:
                self.stuck[address] = 3
        except Unexpected:
            self.stuck[address] = self.stuck.get(address, 0) + 1
            raise

    def inspect_consignment(self, page: Page) -> Page:
        """Start the inspection of the consignment on `page`, record it and choose the
        protocol's wording, as far as not done yet; the page after."""
        if page.has_form(r"/start_inspection$"):
            page = self.submit(page, r"/start_inspection$")
        if page.has_form(r"/inspection$"):
            page = self.submit(page, r"/inspection$", {
                "inspected_on": today().isoformat(), "place": "Loading station",
                "result": "satisfactory", "notes": "Goods and seals as declared."})
        if page.has_form(r"/declarations$"):  # every statement the protocol requires
            wording = page.form(r"/declarations$")
            unticked = wording.boxes.get("codes", [])
            if unticked and not any(name == "codes" for name, _value in wording.fields):
                page = self.submit(page, r"/declarations$", {"codes": unticked})
        return page

    def issue(self, page: Page) -> None:
        """Issue; or, when the registration no longer allows it (the registrar suspended or
        revoked it meanwhile, and the gate says so), refuse the certificate with the reason."""
        answer = self.submit(page, r"/issue$", {"confirm": True}, expect=(200, 422))
        if answer.status == 200:
            self.shared.done(self.role, "consignment certificate issued")
            return
        self.submit(answer, r"/refuse$", {"confirm": True, "reason": "The registration is "
                                          "suspended or revoked: no certificate can be issued."})
        self.shared.done(self.role, "consignment certificate refused")

    def work(self, page: Page) -> bool:
        """The next step of the application on `page`; False when there is none to take."""
        state = state_of(page)
        action = {"submitted": self.start_review, "under_review": self.schedule,
                  "inspection_scheduled": self.record_inspection, "inspected": self.after_visit,
                  "lab_testing": self.enter_results}.get(state)
        if action is None:
            return False
        action(page)
        self.shared.done(self.role, state)
        return True

    def start_review(self, page: Page) -> None:
        if page.has_form(r"/claim$"):
            page = self.submit(page, r"/claim$")
        self.submit(page, r"/start_review$")

    def schedule(self, page: Page) -> None:
        if page.has_form(r"/accept_remaining$"):
            page = self.submit(page, r"/accept_remaining$")
        inspectors = page.form(r"/schedule$").selects["inspector_ids"].options
        self.submit(page, r"/schedule$", outside_hours({
            "mode": self.rng.choice(("on_site", "video", "document")),
            "scheduled_for": today().isoformat(), "inspector_ids": inspectors[0][0]}))

    def record_inspection(self, page: Page) -> None:
        form = page.form(r"/inspection$")
        answers = {name: "yes" for name in form.selects if name.startswith("answer_")}
        self.submit(page, r"/inspection$", {**answers, "performed_on": today().isoformat(),
                                            "summary": "Premises clean and dry; records kept.",
                                            "confirm": True})

    def after_visit(self, page: Page) -> None:
        """Conclude once nothing blocks a positive conclusion (the panel says so: every
        required result in, valid and compliant); else take a sample and send it."""
        if POSITIVE_POSSIBLE in page.text:
            self.submit(page, r"/conclusion/positive$",
                        {"conclusion": "The establishment meets China's requirements.",
                         "confirm": True})
            return
        form = page.form(r"/samples$")
        page = self.submit(page, r"/samples$", {
            "code": f"SOAK-{self.shared.run}-{self.shared.next_serial()}",
            "product_code": form.selects["product_code"].options[0][0],
            "taken_on": today().isoformat(), "matrix": "as exported",
            "laboratory": "National Reference Laboratory, Astana"})
        self.submit(page, r"/send-to-lab$", {"confirm": True})

    def enter_results(self, page: Page) -> None:
        """Every required parameter of each sample, then testing complete."""
        for address in dict.fromkeys(RESULTS_RE.findall(page.text)):
            results = self.get(address)
            options = results.form(r"^$", "limit_id").selects["limit_id"].options
            wanted = [(value, text) for value, text in options if _is_required(text)] \
                or options
            for value, text in wanted:
                results = self.submit(results, r"^$", {
                    "limit_id": value, "method": "GB 5009", "tested_on": today().isoformat(),
                    **compliant_result(text)}, field="limit_id")
        self.submit(self.get(page.path), r"/lab-results-complete$", {"confirm": True})
