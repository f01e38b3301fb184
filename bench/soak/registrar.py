"""The registrar: assigns inspectors, recommends positive conclusions to GACC and sends them in
batches, records GACC's registrations, issues the certificates, suspends, resumes and revokes
registrations with a reason; reads the dashboard."""

import re

from bench.soak.client import Page
from bench.soak.people import Person, state_of, today

REGISTRAR = "registrar@demo.certtrack.kz"
APPLICATION_RE = re.compile(r'href="(/registrar/applications/\d+)"')
REGISTRATION_RE = re.compile(r'href="(/registrar/registrations/\d+)"')


def _listed(page: Page) -> list[str]:
    """The applications of the page's filtered list (below its filter form)."""
    _before, _mark, listed = page.text.partition('id="all"')
    return list(dict.fromkeys(APPLICATION_RE.findall(listed)))


class Registrar(Person):
    role = "registrar"

    def step(self) -> None:
        work = self.rng.choices(
            (self.recommend_and_send, self.record_registrations, self.issue_certificates,
             self.change_registration, self.assign, self.read_dashboard),
            weights=(3, 3, 3, 2, 1, 1))[0]
        work()

    def recommend_and_send(self) -> None:
        page = self.get("/registrar/")
        if page.has_form(r"/registrar/recommend$"):
            ticked = page.form(r"/registrar/recommend$").boxes.get("application_id", [])
            page = self.submit(page, r"/registrar/recommend$", {"application_id": ticked[:8],
                                                                   "confirm": True})
            self.shared.done(self.role, "recommended to GACC")
        if page.has_form(r"/registrar/batches$"):
            batch = page.form(r"/registrar/batches$").boxes.get("application_id", [])
            reference = f"SOAK-{self.shared.run}-{self.shared.next_serial()}"
            self.submit(page, r"/registrar/batches$", {
                "application_id": batch[:8], "reference": reference,
                "submitted_on": today().isoformat(), "confirm": True})
            self.shared.done(self.role, "batch sent to GACC")

    def record_registrations(self) -> None:
        """GACC's decision: registration, with a China number of this run; or, for an
        establishment already registered in the category (a new application where a renewal
        was due, which the registration form refuses), GACC's refusal with its reason."""
        listed = _listed(self.get("/registrar/?state=submitted_to_gacc"))
        for address in listed[:3]:
            decision = self.get(f"{address}/registration")
            number = f"CKAZS{self.shared.run}{self.shared.next_serial():08d}"
            page = self.submit(decision, r"^$", {
                "china_number": number, "listing_date": today().isoformat(),
                "route": self.rng.choice(("under_guarantee", "after_gacc_inspection")),
                "confirm": True},
                expect=(200, 422))
            if page.status == 422:
                self.submit(self.get(f"{address}/gacc-refusal"), r"^$", {
                    "reasons": "Already registered in this category: a renewal is due.",
                    "confirm": True})
                self.shared.done(self.role, "GACC refusal recorded")
                continue
            self.shared.done(self.role, "registration recorded")
            registration = REGISTRATION_RE.search(page.text)
            if registration:
                self.issue(self.get(registration.group(1)))

    def issue(self, page: Page) -> None:
        if page.has_form(r"/certificates$"):
            self.submit(page, r"/certificates$", {"confirm": True})
            self.shared.done(self.role, "certificate issued")

    def _this_runs_registrations(self, status: str = "") -> list[str]:
        page = self.get(f"/registrar/registrations?q=CKAZS{self.shared.run}&status={status}")
        return list(dict.fromkeys(REGISTRATION_RE.findall(page.text)))

    def issue_certificates(self) -> None:
        """The certificate of a registration that has none yet (a decision recorded before an
        interruption)."""
        for address in self._this_runs_registrations("active")[:4]:
            self.issue(self.get(address))

    def change_registration(self) -> None:
        """Suspend a registration (GACC's decision, with a reason), resume one, or revoke one."""
        suspended = self._this_runs_registrations("suspended")
        if suspended and self.rng.random() < 0.6:
            page = self.get(self.rng.choice(suspended))
            self.submit(page, r"/resume$", {"reason": "GACC lifted the suspension",
                                            "products_produced_from": today().isoformat()})
            self.shared.done(self.role, "registration resumed")
            return
        active = self._this_runs_registrations("active")
        if not active:
            return
        page = self.get(self.rng.choice(active))
        if self.rng.random() < 0.25:
            self.submit(page, r"/revoke$", {
                "reference": f"GACC notice {self.shared.next_serial()}", "confirm": True,
                "reason": "GACC found non-compliant consignments"})
            self.shared.done(self.role, "registration revoked")
        else:
            self.submit(page, r"/suspend$", {
                "authority": "gacc", "suspended_from": today().isoformat(), "confirm": True,
                "reason": "GACC notice of a detected quarantine pest"})
            self.shared.done(self.role, "registration suspended")

    def assign(self) -> None:
        """An inspector for a submitted application nobody has taken yet."""
        for address in _listed(self.get("/registrar/?state=submitted"))[:2]:
            page = self.get(address)
            if state_of(page) != "submitted" or not page.has_form(r"/assign$"):
                continue
            select = page.form(r"/assign$").selects["inspector_id"]
            if select.selected and select.selected != ["0"]:
                continue
            inspectors = [v for v, _t in select.options if v != "0"]
            if inspectors:
                self.submit(page, r"/assign$", {"inspector_id": inspectors[0]})
                self.shared.done(self.role, "inspector assigned")

    def read_dashboard(self) -> None:
        self.get("/dashboard")
        self.get("/registrar/registrations")
        self.shared.done(self.role, "pages read")
