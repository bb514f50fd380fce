"""The office day of ``bench/load.py``, for locust (run by it, not by hand): who does what.

Weights (of 20 users): 12 anonymous visitors (catalogue, a service page, a tracking lookup),
2 applicants submitting the smallest real service with its uploads, 3 OPD officers and 2 front
office staff working their inboxes (the list, then a task), 1 head on the dashboard. Everyone
thinks 5-15 s between pages (``between(5, 15)``), as people read what they asked for.

Configuration from ``bench/load.py`` through the environment: ``BENCH_SERVICE`` (the service
applied for), ``BENCH_SERVICES`` (codes for service pages), ``BENCH_TRACKING`` (how many
``BENCH-nnnnnnn`` numbers exist), ``BENCH_PASSWORD`` (the demo users' password),
``BENCH_SESSIONS`` (``email=sessionid,...``: sessions signed in ahead, as people sign in once
for their working day; a user without one signs in through the form).
"""

import io
import os
import random
import re

from locust import HttpUser, between, task

SERVICE = os.environ.get("BENCH_SERVICE", "")
SERVICES = [code for code in os.environ.get("BENCH_SERVICES", "").split(",") if code]
TRACKED = int(os.environ.get("BENCH_TRACKING", "1000"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "demo12345")
SESSIONS = dict(
    pair.split("=", 1) for pair in os.environ.get("BENCH_SESSIONS", "").split(",") if pair
)
ACCESS_CODE = "BENCH234"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FILE_INPUT = re.compile(
    r'<input[^>]*type="file"[^>]*name="([^"]+)"|<input[^>]*name="([^"]+)"[^>]*type="file"'
)
TASK_LINK = re.compile(r'href="(/petugas/tugas/\d+/)"')


def _pdf() -> bytes:
    """A small clean PDF (one blank page), as a scanned form would be, minus the scan."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595, 842))
        pdf.save(out)
    return out.getvalue()


PDF = _pdf()


def token_of(html: str) -> str:
    match = TOKEN.search(html)
    return match.group(1) if match else ""


class Visitor(HttpUser):
    """Anonymous: browses the catalogue and a service, tracks an application."""

    weight = 12
    wait_time = between(5, 15)

    @task(3)
    def catalogue(self) -> None:
        self.client.get("/", name="catalogue")

    @task(3)
    def service_page(self) -> None:
        code = random.choice(SERVICES or [SERVICE])
        self.client.get(f"/layanan/{code}/", name="service page")

    @task(2)
    def track(self) -> None:
        page = self.client.get("/lacak/", name="tracking form")
        number = f"BENCH-{random.randrange(TRACKED):07d}"
        self.client.post(
            "/lacak/",
            {"nomor": number, "kode": ACCESS_CODE, "csrfmiddlewaretoken": token_of(page.text)},
            headers={"Referer": self.host + "/lacak/"},
            name="tracking result",
        )


class SignedIn(HttpUser):
    abstract = True
    email = ""

    def on_start(self) -> None:
        if self.email in SESSIONS:
            self.client.cookies.set("sessionid", SESSIONS[self.email])
            return
        page = self.client.get("/accounts/login/", name="sign-in form")
        self.client.post(
            "/accounts/login/",
            {
                "username": self.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token_of(page.text),
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="sign in",
        )


class Applicant(SignedIn):
    """Applies for the smallest service: a draft, its documents uploaded, submitted."""

    weight = 2
    wait_time = between(5, 15)
    email = "pemohon@demo.sopportal.invalid"

    @task
    def submit(self) -> None:
        service = self.client.get(f"/layanan/{SERVICE}/", name="service page")
        form = self.client.post(
            f"/layanan/{SERVICE}/ajukan/",
            {"csrfmiddlewaretoken": token_of(service.text)},
            headers={"Referer": f"{self.host}/layanan/{SERVICE}/"},
            name="apply (new draft)",
        )
        if "/isi/" not in form.url:  # refused (the service page says why): counted as is
            return
        self.wait()
        names = [a or b for a, b in FILE_INPUT.findall(form.text)]
        files = {name: (f"{name}.pdf", PDF, "application/pdf") for name in names}
        with self.client.post(
            form.url,
            data={"csrfmiddlewaretoken": token_of(form.text), "submit": "1"},
            files=files,
            headers={"Referer": form.url},
            name="submit with uploads",
            catch_response=True,
        ) as response:
            if "/isi/" in response.url:  # the form again: refused
                response.failure("the application was not submitted")
        self.client.get("/permohonan/", name="my applications")


class Staff(SignedIn):
    abstract = True

    @task(3)
    def inbox(self) -> None:
        page = self.client.get("/petugas/", name="staff inbox")
        links = TASK_LINK.findall(page.text)
        if links:
            self.wait()
            self.client.get(random.choice(links), name="task page")


class OpdOfficer(Staff):
    weight = 3
    wait_time = between(5, 15)
    email = "opd.dishub@demo.sopportal.invalid"


class FrontOffice(Staff):
    weight = 2
    wait_time = between(5, 15)
    email = "fo@demo.sopportal.invalid"


class Head(SignedIn):
    weight = 1
    wait_time = between(5, 15)
    email = "kepala@demo.sopportal.invalid"

    @task
    def dashboard(self) -> None:
        self.client.get("/pantau/", name="dashboard")
