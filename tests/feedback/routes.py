"""Access-walk classification of the feedback app's routes (merged into
``tests/test_access_walk.py`` ROUTES). Complaint pages serve no application of A: they are
classified as staff-only pages (none of the walk's attackers handles complaints); the object
rules (agency X vs Y, complainant A vs B) are tested in ``tests/feedback/test_complaints.py``."""

from tests.access_rules import ADMIN, Rule, public

STAFF = Rule("admin", "complaints unit, or staff of the agency it is assigned to")
MONITOR = Rule("admin", "can_monitor: heads, complaints unit, administrators")

ROUTES: dict[str, Rule] = {
    "feedback:complaint_new": public("complaint form; creates a new complaint"),
    "feedback:complaint_filed": public("the visitor's own just-filed complaint, from the session"),
    "feedback:complaint_track": public("needs the complaint number and the access code"),
    "feedback:survey_answer": public("signed link of one finished application"),
    "feedback:survey_thanks": public("thank-you page"),
    "feedback:complaint_inbox": Rule("list", owner_check=False),
    "feedback:complaint_detail": STAFF,
    "feedback:complaint_reply": STAFF,
    "feedback:complaint_assign": STAFF,
    "feedback:complaint_status": STAFF,
    "feedback:complaint_attachment": STAFF,
    "feedback:skm_results": MONITOR,
    "feedback:skm_report_pdf": MONITOR,
    "feedback:skm_paper": Rule("admin", "front office and complaints unit"),
    "api-survey-submit": public("signed token, or the signed-in applicant's own application"),
    "api-survey-results": MONITOR,
    "api-complaint-create": public("creates a new complaint"),
    "api-complaint-track": public("needs the complaint number and the access code"),
    "api-complaint-figures": MONITOR,
    "api-complaint-list": Rule("list", owner_check=False),
    "api-complaint-detail": STAFF,
    "api-complaint-reply": STAFF,
    "api-complaint-assign": STAFF,
    "api-complaint-status": STAFF,
}

assert ADMIN.owner == "admin"
