"""Every figure of the dashboard, its CSV and XLSX exports and its API, checked against values
computed by hand from the known world (tests/monitoring/world.py)."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from monitoring import stats
from monitoring.filters import Filters

from .conftest import page_tables
from .world import PERIOD

pytestmark = pytest.mark.django_db

QUERY = "from=2026-09-01&to=2026-10-31"

#: (steps with a norm, on time, late, on-time rate) by hand: see world.py.
SERVICE = {"measured": "8", "on_time": "5", "late": "3", "rate": "62.5"}
STEPS = {
    # no: measured, on time, late, rate, median h, P90 h, norm h, over the norm
    "2": ("4", "3", "1", "75.0", "0.3", "0.8", "0.5", "yes"),  # 10,15,20,60 min
    "3": ("2", "2", "0", "100.0", "17.0", "19.4", "22.5", "—"),  # 14 h, 20 h
    "4": ("2", "0", "2", "0.0", "55.0", "91.0", "7.5", "yes"),  # 10 h, 100 h
}


def _dashboard(client, user, query=QUERY):
    client.force_login(user)
    response = client.get(f"/pantau/?{query}")
    assert response.status_code == 200
    return page_tables(response.content.decode())


def test_it_shows_every_figure_of_the_period(client, world, dewi):
    t = _dashboard(client, dewi)

    assert [(r["figure"], r["value"]) for r in t["summary"]] == [
        ("Applications received", "4"),  # A1–A4; A5 and A6 came before the period
        ("Applications completed", "2"),  # A1, A2; the withdrawn A4 is no completion
        ("Applications in progress (now)", "2"),  # A3, A6
        ("Office steps ended with a time norm", "8"),
        ("Office steps on time", "5"),
        ("Office steps late", "3"),
        ("On-time rate of office steps (%)", "62.5"),
    ]
    [service] = t["services"]
    assert service == {
        "service": "Izin Uji Pantau",
        **SERVICE,
        "decided": "2",
        "within": "1",  # A1 decided within its service time, A2 late
        "within_rate": "50.0",
    }
    agencies = {r["agency"]: r for r in t["agencies"]}
    assert {k: agencies["Dinas Perhubungan"][k] for k in SERVICE} == {
        "measured": "2",
        "on_time": "2",
        "late": "0",
        "rate": "100.0",
    }
    office = next(r for name, r in agencies.items() if name.startswith("Dinas Penanaman"))
    assert {k: office[k] for k in SERVICE} == {
        "measured": "6",
        "on_time": "3",
        "late": "3",
        "rate": "50.0",
    }
    steps = {r["no"]: r for r in t["steps"]}
    assert set(steps) == {"2", "3", "4"}  # the applicant's step 1 is not office time
    for no, (measured, on_time, late, rate, median, p90, norm, over) in STEPS.items():
        row = steps[no]
        assert (row["measured"], row["on_time"], row["late"], row["rate"]) == (
            measured,
            on_time,
            late,
            rate,
        ), no
        assert (row["median"], row["p90"], row["norm_hours"], row["over_norm"]) == (
            median,
            p90,
            norm,
            over,
        ), no
    assert [(r["no"], r["late"], r["late_share"]) for r in t["bottlenecks"]] == [
        ("4", "2", "100.0"),
        ("2", "1", "25.0"),
    ]
    assert [
        (r["month"], r["received"], r["completed"], r["measured"], r["rate"]) for r in t["trend"]
    ] == [
        ("September 2026", "4", "1", "7", "71.4"),
        ("October 2026", "0", "1", "1", "0.0"),
    ]
    pauses = {r["reason"]: r for r in t["pauses"]}
    assert pauses["Waiting for an external event"] == {
        "reason": "Waiting for an external event",
        "steps": "1",
        "paused": "22.5",
        "mean": "22.5",
    }
    assert pauses["Applicant's own steps (correcting the file)"]["paused"] == "15.0"
    assert len(pauses) == 2
    # Open now, whatever today is: A3 (declared complete) and A6 (not yet).
    assert sum(int(r["since_submitted"]) for r in t["backlog"]) == 2
    assert sum(int(r["since_complete"]) for r in t["backlog"]) == 1


def test_an_empty_period_shows_zeros_and_no_rates(client, world, dewi):
    t = _dashboard(client, dewi, "from=2025-01-01&to=2025-01-31")
    values = {r["figure"]: r["value"] for r in t["summary"]}
    assert values["Applications received"] == "0"
    assert values["Applications completed"] == "0"
    assert values["Office steps ended with a time norm"] == "0"
    assert values["On-time rate of office steps (%)"] == "—"
    assert t["services"] == [] and t["steps"] == [] and t["bottlenecks"] == []
    assert t["pauses"] == []
    assert t["trend"] == [
        {"month": "January 2025", "received": "0", "completed": "0", "measured": "0", "rate": "—"}
    ]


def test_the_agency_filter_keeps_that_agencys_steps_and_files(client, world, dewi):
    t = _dashboard(client, dewi, f"{QUERY}&agency={world.dishub.pk}")
    values = {r["figure"]: r["value"] for r in t["summary"]}
    assert values["Applications received"] == "3"  # A1–A3 reached DISHUB
    assert values["Office steps ended with a time norm"] == "2"
    assert values["On-time rate of office steps (%)"] == "100.0"
    assert [r["no"] for r in t["steps"]] == ["3"]


def test_backlog_buckets_count_working_days(world):
    f = Filters(*PERIOD)
    rows = stats.backlog(f, now=date(2026, 9, 21))
    by_label = {r.label: (r.since_submitted, r.since_complete) for r in rows}
    # A3: submitted and declared complete Mon 14 Sep; 15–18 and 21 Sep = 5 working days.
    assert by_label["3–5"] == (1, 1)
    # A6: submitted 3 Aug, 35 working days before; never declared complete.
    assert by_label["≥ 21"] == (1, 0)
    assert by_label["0–2"] == (0, 0)


def test_service_figures_count_working_days_from_declared_complete(world):
    figures = stats.service_figures(*PERIOD)[world.service.pk]
    # A1: declared complete Tue 1 Sep, finished Mon 7 Sep: 2, 3, 4, 7 Sep = 4 working days.
    # A2: 10 Sep → 9 Oct: 11 Sep, 14–18, 21–25, 28–30 Sep, 1–2 and 5–9 Oct = 21.
    assert figures.finished == 2
    assert figures.median_days == 12.5
    assert (figures.decided, figures.within, figures.on_time_rate) == (2, 1, 50.0)
    assert stats.service_figures(date(2025, 1, 1), date(2025, 3, 31)) == {}


def test_the_csv_export_has_the_same_figures(client, world, dewi):
    client.force_login(dewi)
    response = client.get(f"/pantau/ekspor/?{QUERY}&tabel=steps&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    # An Indonesian-locale spreadsheet's CSV: ";" between fields, a decimal comma.
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Service", "SOP version", "No.", "Step"]
    by_no = {r[2]: dict(zip(header, r, strict=True)) for r in body}
    assert by_no["2"]["Median (office hours)"] == "0,29"  # 17.5 min
    assert by_no["2"]["P90 (office hours)"] == "0,8"  # 48 min
    assert by_no["4"]["P90 (office hours)"] == "91,0"
    assert by_no["3"]["Norm (office hours)"] == "22,5"
    assert by_no["4"]["On-time rate (%)"] == "0,0"
    assert by_no["3"]["Late"] == "0"

    response = client.get(f"/pantau/ekspor/?{QUERY}&tabel=summary&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [
        ["Applications received", "4"],
        ["Applications completed", "2"],
        ["Applications in progress (now)", "2"],
        ["Office steps ended with a time norm", "8"],
        ["Office steps on time", "5"],
        ["Office steps late", "3"],
        ["On-time rate of office steps (%)", "62,5"],
    ]


def test_the_xlsx_export_has_the_same_figures(client, world, dewi):
    client.force_login(dewi)
    response = client.get(f"/pantau/ekspor/?{QUERY}&tabel=pauses&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == [
        "Reason",
        "Steps paused",
        "Office hours paused",
        "Mean per step (office hours)",
    ]
    assert ["Waiting for an external event", 1, 22.5, 22.5] in rows
    assert ["Applicant's own steps (correcting the file)", 1, 15.0, 15.0] in rows

    response = client.get(f"/pantau/ekspor/?{QUERY}&tabel=trend&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows == [["September 2026", 4, 1, 7, 71.4], ["October 2026", 0, 1, 1, 0.0]]


def test_the_api_has_the_same_figures(client, world, dewi):
    client.force_login(dewi)
    data = client.get(f"/api/v1/monitoring/services/?{QUERY}").json()
    assert data["rows"] == [
        {
            "service": "Izin Uji Pantau",
            "measured": 8,
            "on_time": 5,
            "late": 3,
            "rate": 62.5,
            "decided": 2,
            "within": 1,
            "within_rate": 50.0,
        }
    ]
    data = client.get(f"/api/v1/monitoring/steps/?{QUERY}").json()
    step4 = next(r for r in data["rows"] if r["no"] == 4)
    assert (step4["median"], step4["p90"], step4["norm_hours"]) == (55.0, 91.0, 7.5)


@pytest.mark.parametrize(
    ("figure", "extra", "expected"),
    [
        ("received", "", {"A1", "A2", "A3", "A4"}),
        ("completed", "", {"A1", "A2"}),
        ("in_progress", "", {"A3", "A6"}),
        ("late_steps", "", {"A1", "A2"}),
        ("on_time_steps", "", {"A1", "A2", "A3"}),
        ("steps", "&month=2026-10", {"A2"}),
        ("paused", "&reason=external_wait", {"A2"}),
        ("paused", "&reason=applicant", {"A2"}),
        ("decided_late", "", {"A2"}),
    ],
)
def test_each_figure_clicks_through_to_its_applications(
    client, world, dewi, figure, extra, expected
):
    client.force_login(dewi)
    response = client.get(f"/pantau/permohonan/?{QUERY}&figure={figure}{extra}")
    assert response.status_code == 200
    html = response.content.decode()
    shown = {key for key in world.apps if f"PANTAU-{key}<" in html}
    assert shown == expected


def test_the_step_figure_clicks_through_to_its_applications(client, world, dewi):
    client.force_login(dewi)
    step = world.steps[4].pk
    html = client.get(f"/pantau/permohonan/?{QUERY}&figure=late_steps&step={step}").content
    assert b"PANTAU-A1<" in html and b"PANTAU-A2<" in html and b"PANTAU-A3<" not in html
