"""People without an account (the public register, the verification of a certificate by its
QR code, the typed form or the API) and the administrator reading the admin pages."""

from urllib.parse import urlencode

from bench.soak.client import Browser
from bench.soak.people import Person

ADMIN = "admin@demo.certtrack.kz"
SEARCHES = ("Astyk", "wheat", "1001", "Kostanay", "CKAZ", "Et", "мясо", "小麦", "0201")
LANGUAGES = ("kk", "ru", "zh", "en")


class Visitor(Person):
    """Each visit is a new person: a browser of its own from an address of its own (the
    verification is throttled per address), in one of the four languages."""

    role = "public"

    def step(self) -> None:
        self.browser = Browser(self.shared.base, self.role, self.shared.recorder,
                               f"10.{self.rng.randrange(30, 250)}.{self.rng.randrange(256)}."
                               f"{self.rng.randrange(1, 255)}")
        self.browser.session.headers["Accept-Language"] = self.rng.choice(LANGUAGES)
        self.rng.choice((self.search_register, self.verify, self.verify, self.verify,
                         self.search_register, self.check_seal))()

    def search_register(self) -> None:
        self.get("/")
        self.get("/register")
        self.get("/register?" + urlencode({"q": self.rng.choice(SEARCHES)}))
        if self.rng.random() < 0.3:
            self.get("/api/v1/public/register?" + urlencode({"q": self.rng.choice(SEARCHES)}))
        if self.rng.random() < 0.1:
            self.get("/register.csv")
        self.shared.done(self.role, "register searched")

    def verify(self) -> None:
        with self.shared.lock:
            held = list(self.shared.certificates)
        if not held:
            self.get("/verify")
            return
        number, code = self.rng.choice(held)
        how = self.rng.random()
        if how < 0.5:
            self.get(f"/verify/{number}/{code}")  # the QR code's address
        elif how < 0.8:
            self.get("/verify")
            self.get("/verify?" + urlencode({"number": number, "code": code}))
        else:
            self.get("/api/v1/public/verify?" + urlencode({"number": number, "code": code}))
        if self.rng.random() < 0.1:  # a mistyped code: the same "not found" as any unknown
            typo = "Y" if code[-1] == "X" else "X"
            self.get(f"/verify/{number}/{code[:-1]}{typo}", expect=(404,))
        self.shared.done(self.role, "certificate verified")


    def check_seal(self) -> None:
        """The seal of a certificate received by e-mail, checked on the public page."""
        if not self.shared.issued_pdf or self.rng.random() < 0.5:
            self.verify()
            return
        page = self.get("/verify/seal")
        self.submit(page, r"/verify/seal$", files={
            "file": ("certificate.pdf", self.shared.issued_pdf, "application/pdf")})
        self.shared.done(self.role, "seal checked")


class Administrator(Person):
    role = "admin"

    def step(self) -> None:
        self.get(self.rng.choice(("/admin/users", "/admin/limits/", "/admin/jobs",
                                  "/admin/renewal-list/", "/admin/market-access/",
                                  "/dashboard")))
        self.shared.done(self.role, "pages read")
