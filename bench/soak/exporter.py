"""The exporter: applies (a draft, a product, every required document, submit), requests
consignments under its registrations in force, and follows the applications, registrations,
certificates and consignments of the enterprise."""

import re
from datetime import timedelta

from bench.soak.people import Person, today
from certtrack.demo.seed import DEMO_PDF

# Demo exporters the soak signs in as, with the GACC category their establishments apply for:
# grain elevators (phytosanitary inspection) and slaughterhouses (veterinary).
# grain elevators (phytosanitary inspection) and slaughterhouses (veterinary), and the region
# their goods come from.
EXPORTERS = (
    ("kostanay-astyk@demo.certtrack.kz", "edible_grains", "KZ-39"),
    ("meat@demo.certtrack.kz", "meat", "KZ-33"),
    ("esil-grain@demo.certtrack.kz", "edible_grains", "KZ-59"),
    ("taraz-et@demo.certtrack.kz", "meat", "KZ-31"),
)
# Products China accepts under a protocol (the others are refused, rightly, when added).
ACCEPTED = frozenset({"wheat", "barley", "maize", "beef_chilled", "beef_frozen", "mutton"})
REQUIRED_RE = re.compile(r'id="required-([a-z_]+)"')
QUESTIONNAIRE = {"kind": "new", "haccp_status": "certified", "traceability": "Lot numbers "
                 "from the farm to the wagon", "production_capacity": "400",
                 "storage_capacity": "5000", "water_source": "municipal", "staff_count": "25"}


class Exporter(Person):
    role = "exporter"

    def __init__(self, shared, email, number, think, category: str, region: str) -> None:
        super().__init__(shared, email, number, think)
        self.category, self.region = category, region

    def step(self) -> None:
        home = self.get("/exporter/")
        chance = self.rng.random()
        if chance < 0.3:
            self.apply(home)
        elif chance < 0.5:
            self.request_consignment()
        else:
            self.follow(home)

    def add_establishment(self) -> None:
        """A new elevator or slaughterhouse of the enterprise, with its Kazakh number."""
        serial = self.shared.next_serial()
        kind = "elevator" if self.category == "edible_grains" else "slaughterhouse"
        form = self.get("/exporter/establishments/new")
        self.submit(form, r"^$", {
            "name": f"{kind.title()} No. {serial}", "name_en": f"{kind.title()} No. {serial}",
            "name_zh": "粮库" if kind == "elevator" else "屠宰厂", "type": kind,
            "region_code": self.region, "address": f"Station street {serial}",
            "address_en": f"{serial} Station Street",
            "kz_registration_number": f"{self.region}-S{self.shared.run}{serial}"})
        self.shared.done(self.role, "establishment added")

    def apply(self, home) -> None:
        """A new application from the draft to its submission; half of them for an
        establishment added for it (a registered establishment applies for a renewal, not
        anew, and GACC refuses a second registration)."""
        if self.rng.random() < 0.5:
            self.add_establishment()
            pick = lambda sites: max(sites, key=int)  # noqa: E731 - the one just added
        else:
            pick = self.rng.choice
        form = self.get("/exporter/applications/new")
        sites = [v for v, _t in form.form(r"^$", "establishment_id")
                 .selects["establishment_id"].options if v not in ("", "0")]
        page = self.submit(form, r"^$", {**QUESTIONNAIRE, "gacc_category_code": self.category,
                                          "establishment_id": pick(sites)})
        self.shared.done(self.role, "draft created")
        products = [v for v, _t in page.form(r"/products$").selects["product_code"].options
                    if v in ACCEPTED]
        page = self.submit(page, r"/products$", {
            "product_code": self.rng.choice(products),
            "annual_volume": str(self.rng.randrange(100, 20000)), "volume_unit": "t"})
        for code in REQUIRED_RE.findall(page.text):
            page = self.submit(page, r"/documents$", {"document_type": code},
                               files={"file": (f"{code}.pdf", DEMO_PDF, "application/pdf")})
            self.shared.done(self.role, "document uploaded")
        self.submit(page, r"/submit$", {"confirm": True})
        self.shared.done(self.role, "application submitted")

    def request_consignment(self) -> None:
        """A consignment under a registration in force: the draft, one lot, submitted."""
        form = self.get("/exporter/consignments/new")
        registrations = [v for v, _t in form.form(r"^$", "registration_id")
                         .selects["registration_id"].options if v not in ("", "0")]
        if not registrations:
            return
        grain = self.category == "edible_grains"
        page = self.submit(form, r"^$", {
            "registration_id": self.rng.choice(registrations),
            "consignee_name": "中粮贸易有限公司", "consignee_address": "新疆阿拉山口市",
            "conveyance": "rail_wagon" if grain else "truck",
            "crossing_code": "dostyk_alashankou" if grain else "nur_zholy_khorgos",
            "origin_region_code": self.region, "place_of_origin": "Kazakhstan",
            "production_from": (today() - timedelta(days=20)).isoformat(),
            "production_to": (today() - timedelta(days=5)).isoformat(),
            **({} if grain else {"storage_temperature": "-18"})}, expect=(200, 422))
        if page.status == 422:
            # China takes none of the registration's products from the region: the header
            # says why beside the region, and nothing is saved.
            self.shared.done(self.role, "consignment refused for its region")
            return
        self.shared.done(self.role, "consignment drafted")
        offered = [v for v, _t in page.form(r"/lots$").selects["product_code"].options
                   if v in ACCEPTED]
        if offered:
            page = self.submit(page, r"/lots$", {
                "product_code": self.rng.choice(offered),
                "net_weight": "60" if grain else "18", "gross_weight": "61" if grain else "19",
                "weight_unit": "t", "packages_kind": "bulk" if grain else "cartons",
                "packages_number": "1" if grain else "900",
                "marks": f"Wagon 5{self.shared.next_serial():07d}, "
                         f"seal KZ{self.rng.randrange(10**6)}"}, expect=(200, 422))
        if not offered or page.status == 422:
            # China takes none of the registration's products from the region (the page says
            # why): the draft is withdrawn.
            self.submit(page, r"/withdraw$", {"reason": "Not accepted from our region",
                                              "confirm": True})
            self.shared.done(self.role, "consignment withdrawn")
            return
        self.submit(page, r"/submit$", {"confirm": True})
        self.shared.done(self.role, "consignment submitted")

    def follow(self, home) -> None:
        """Read what the enterprise has: an application, registrations and a certificate's
        PDF, consignments, notifications."""
        applications = re.findall(r'href="(/exporter/applications/\d+)"', home.text)
        if applications:
            self.get(self.rng.choice(applications))
        registrations = self.get("/exporter/registrations")
        pdfs = re.findall(r'href="(/certificates/\d+\.pdf)"', registrations.text)
        if pdfs and self.rng.random() < 0.5:
            self.pause()
            self.browser.download(self.rng.choice(pdfs))
            self.shared.done(self.role, "certificate downloaded")
        self.get(self.rng.choice(("/exporter/consignments/", "/notifications",
                                  "/exporter/enterprise")))
        self.shared.done(self.role, "pages read")
