"""The main journey on a cluster of two servers and one worker (conftest.py), every request
going to the other server than the one before, as a round-robin load balancer sends them:
what is uploaded through one server downloads through the other byte for byte; wrong
passwords count across both; a certificate issued through one is rendered by the worker and
downloads and verifies through the other. The tests run in this order, as one journey: the
certificate issued first is checked last, the worker rendering it meanwhile.

Run by `make cluster` (and CI, after the PostgreSQL run); not part of the default `pytest` run.
"""

import hashlib
import html
import io
import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pyotp
import requests
from pypdf import PdfReader

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RENDER_TIMEOUT = 60.0
# A small PDF with a marker of this run, so that its bytes are this upload's.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


class Browser:
    """One person's browser (its cookies) behind a round-robin load balancer: each request
    goes to the next server; redirects are followed the same way. `served` records which
    server answered each request."""

    def __init__(self, servers: list[str]):
        self.servers = servers
        self.session = requests.Session()
        self.served: list[str] = []

    def _next(self) -> str:
        server = self.servers[len(self.served) % len(self.servers)]
        self.served.append(server)
        return server

    def request(self, method: str, path: str, *, follow: bool = True,
                **kwargs) -> requests.Response:
        response = self.session.request(method, self._next() + path, allow_redirects=False,
                                        timeout=30, **kwargs)
        while follow and response.status_code in (301, 302, 303) and method == "GET":
            response = self.session.get(self._next() + urlsplit(
                response.headers["Location"]).path, allow_redirects=False, timeout=30)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def csrf(self, path: str = "/login") -> str:
        """The CSRF token of a form on `path`, read from the page as a browser would."""
        match = CSRF_RE.search(self.get(path).text)
        assert match, f"no form on {path}"
        return html.unescape(match.group(1))

    def post(self, path: str, data: dict, *, form: str = "/login", token: str | None = None,
             **kwargs):
        """Post a form read from `form` (one server) to `path` (the next one); with `token`,
        post again with the token of a form read before."""
        data = {"csrf_token": token or self.csrf(form), **data}
        return self.request("POST", path, data=data, **kwargs)

    def sign_in(self, email: str, password: str, secret: str | None = None,
                token: str | None = None):
        code = pyotp.TOTP(secret).now() if secret else ""
        return self.post("/login", {"email": email, "password": password, "code": code},
                         token=token)


def _bucket_objects(cluster) -> dict[str, int]:
    client = boto3.session.Session().client(
        "s3", endpoint_url=cluster.s3_endpoint, aws_access_key_id="cluster",
        aws_secret_access_key="cluster", region_name="us-east-1")
    listing = client.list_objects_v2(Bucket=cluster.bucket).get("Contents", [])
    return {item["Key"]: item["Size"] for item in listing}


def _local_files(cluster) -> list[Path]:
    return [path for folder in cluster.upload_folders if folder.exists()
            for path in folder.rglob("*") if path.is_file()]


def test_a_registrar_issues_a_certificate_through_one_server(cluster):
    """The certificate's row and number are written at once; its PDF is the worker's job,
    which runs while the next tests do (the last one checks it)."""
    seed, registrar = cluster.seed, Browser(cluster.servers)
    signed_in = registrar.sign_in(seed["registrar"], seed["password"], seed["registrar_totp"])
    assert signed_in.status_code == 302
    page = f"/registrar/registrations/{seed['registration_id']}"
    issued = registrar.post(f"{page}/certificates", {"confirm": "y"}, form=page)
    assert issued.status_code == 302
    shown = registrar.get(page)
    assert registrar.served[-1] != registrar.served[-2]
    (number,) = set(re.findall(r"<code>(KZ-CN-\d{4}-\d{6})</code>", shown.text))
    cluster.issued.update(browser=registrar, page=page, number=number,
                          issued_on=registrar.served[-2])


def test_an_upload_through_one_server_downloads_through_the_other(cluster):
    seed, exporter = cluster.seed, Browser(cluster.servers)
    assert exporter.sign_in(seed["exporter"], seed["password"]).status_code == 302
    content = PDF + f"% cluster upload {time.time_ns()}\n".encode()
    page = f"/exporter/applications/{seed['draft_id']}"
    uploaded = exporter.post(f"{page}/documents", {"document_type": "haccp"}, form=page,
                             files={"file": ("plan.pdf", io.BytesIO(content), "application/pdf")})
    assert uploaded.status_code == 302
    uploaded_on = exporter.served[-1]
    listing = exporter.get(page)
    assert exporter.served[-1] != uploaded_on and "plan.pdf" in listing.text
    (document_id,) = {int(i) for i in re.findall(r'href="/documents/(\d+)"', listing.text)}
    downloaded = exporter.get(f"/documents/{document_id}")
    assert downloaded.status_code == 200 and downloaded.content == content
    sha256 = hashlib.sha256(content).hexdigest()
    assert downloaded.headers["ETag"] == f'"{sha256}"'
    assert _bucket_objects(cluster)[f"files/{sha256[:2]}/{sha256}"] == len(content)
    assert _local_files(cluster) == []  # no server kept a copy of its own
    assert set(exporter.served) == set(cluster.servers)


def test_the_fifth_wrong_password_counts_across_both_servers(cluster):
    seed, stranger = cluster.seed, Browser(cluster.servers)
    token = stranger.csrf()  # the sign-in form, read once; each post goes to the next server
    for _attempt in range(5):
        wrong = stranger.sign_in(seed["guessed"], "not the password at all", token=token)
        assert wrong.status_code == 422
    posted_to = stranger.served[1:]
    assert all(a != b for a, b in zip(posted_to, posted_to[1:], strict=False))
    assert set(posted_to) == set(cluster.servers)
    for _server in cluster.servers:  # the right password, too late, on either server
        refused = stranger.sign_in(seed["guessed"], seed["password"], token=token)
        assert refused.status_code == 429 and "Too many failed sign-ins" in refused.text
    assert set(stranger.served[-2:]) == set(cluster.servers)
    for _server in cluster.servers:  # and signed in on neither
        account = stranger.request("GET", "/account", follow=False)
        assert account.status_code == 302 and "/login" in account.headers["Location"]


def test_the_certificate_is_rendered_by_the_worker_and_verifies_through_the_other_server(
        cluster):
    issued = cluster.issued
    assert issued, "the certificate was not issued (see the test above)"
    registrar, page = issued["browser"], issued["page"]
    deadline, ready = time.monotonic() + RENDER_TIMEOUT, None
    while time.monotonic() < deadline:  # the worker renders and seals it meanwhile
        ready = re.search(r'<code class="hash">([0-9a-f]{64})</code>\s*</td>\s*<td><a href="'
                          r'/certificates/(\d+)\.pdf"', registrar.get(page).text)
        if ready:
            break
        time.sleep(0.5)
    assert ready, f"the certificate's PDF was not ready within {RENDER_TIMEOUT:.0f} s"
    sha256, certificate_id = ready.group(1), ready.group(2)

    if registrar.served[-1] != issued["issued_on"]:
        registrar.get(page)  # one more look, so that the download goes to the other server
    pdf = registrar.get(f"/certificates/{certificate_id}.pdf")
    assert registrar.served[-1] != issued["issued_on"]
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert hashlib.sha256(pdf.content).hexdigest() == sha256
    assert f"files/{sha256[:2]}/{sha256}" in _bucket_objects(cluster)

    (embedded,) = PdfReader(io.BytesIO(pdf.content)).attachments["certificate.json"]
    data = json.loads(embedded)
    assert data["number"] == issued["number"]
    visitor = Browser([server for server in cluster.servers if server != issued["issued_on"]])
    verified = visitor.get(urlsplit(data["verification_url"]).path)
    assert verified.status_code == 200
    assert re.search(r'id="certificate-status">\s*Valid\s*<', verified.text)
    assert issued["number"] in verified.text
    assert _local_files(cluster) == []
