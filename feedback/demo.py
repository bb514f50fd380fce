"""Demo data of the feedback app: paper survey forms over the last months and a few
complaints in each state, so the results page and the complaints inbox have something to
show. Called by ``seed_demo`` after the agencies, services and demo users exist; a second run
adds nothing."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from permits.models import Service
from permits.seed.users import DEMO_EMAIL_DOMAIN

from . import complaints, skm
from .models import Complaint, SurveyResponse

#: Answers lean to 3 with some 4s and a few 2s: a "B Baik" office with room to improve.
WEIGHTS = {1: 1, 2: 8, 3: 60, 4: 31}
SUGGESTIONS = (
    "Pelayanan cepat dan petugas ramah.",
    "Mohon informasi persyaratan dibuat lebih jelas di website.",
    "Ruang tunggu kurang nyaman saat ramai.",
    "",
    "",
)
DEMO_COMPLAINTS = (
    (
        "service_time",
        "Permohonan izin trayek saya sudah lewat jangka waktu layanan tetapi belum selesai.",
        "DISHUB",
        "Berkas Anda sedang menunggu rekomendasi teknis; kami sudah meminta Dinas Perhubungan "
        "menyelesaikannya minggu ini.",
    ),
    (
        "information",
        "Di website tidak tertulis apakah fotokopi KTP harus dilegalisir.",
        None,
        "Fotokopi KTP tidak perlu dilegalisir. Informasi di website sudah kami perbaiki.",
    ),
    ("staff_conduct", "Petugas loket kurang ramah saat saya bertanya.", None, ""),
    ("facilities", "Aplikasi sempat tidak bisa diakses pada sore hari.", "DPMPTSP", ""),
)


def seed_feedback(stdout=None) -> dict[str, int]:
    """Create the demo survey forms and complaints if there are none yet."""
    counts = {"survey_responses": 0, "complaints": 0}
    officer = User.objects.filter(email=f"pengaduan@{DEMO_EMAIL_DOMAIN}").first()
    front_office = User.objects.filter(email=f"fo@{DEMO_EMAIL_DOMAIN}").first()
    rng = random.Random(14_2017)
    with transaction.atomic():
        if not SurveyResponse.objects.exists():
            counts["survey_responses"] = _surveys(rng, front_office)
        if not Complaint.objects.exists() and officer is not None:
            counts["complaints"] = _complaints(officer)
    if stdout is not None:
        stdout.write(
            f"SKM: {counts['survey_responses']} survey forms; "
            f"complaints: {counts['complaints']} created."
        )
    return counts


def _surveys(rng: random.Random, entered_by) -> int:
    today = timezone.localdate()
    rows = []
    for service in Service.objects.filter(is_active=True).order_by("code")[:6]:
        for _ in range(rng.randint(12, 30)):
            values = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=9)
            rows.append(
                SurveyResponse(
                    service=service,
                    channel=SurveyResponse.Channel.PAPER,
                    entered_by=entered_by,
                    answered_on=today - timedelta(days=rng.randint(0, 150)),
                    gender=rng.choice("LP"),
                    education=rng.choice([c for c, _label in skm.EDUCATION]),
                    occupation=rng.choice([c for c, _label in skm.OCCUPATIONS]),
                    suggestions=rng.choice(SUGGESTIONS),
                    **dict(zip(skm.ELEMENT_FIELDS, values, strict=True)),
                )
            )
    SurveyResponse.objects.bulk_create(rows)
    return len(rows)


def _complaints(officer) -> int:
    services = list(Service.objects.filter(is_active=True).order_by("code")[:4])
    agencies = {a.code: a for a in Agency.objects.all()}
    for i, (category, text, agency, answer) in enumerate(DEMO_COMPLAINTS):
        filed = complaints.file_complaint(
            category=category,
            text=text,
            name="" if i == 2 else f"Warga Demo {i + 1}",
            email="" if i == 2 else f"warga{i + 1}@{DEMO_EMAIL_DOMAIN}",
            service=services[i % len(services)] if services else None,
        )
        complaint = filed.complaint
        if agency and agency in agencies:
            complaints.assign(complaint, agencies[agency], by=officer)
        if answer:
            complaints.reply(complaint, answer, by=officer)
    return len(DEMO_COMPLAINTS)
