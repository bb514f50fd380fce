"""Access-walk classification of the monitoring app's routes (merged into
``tests/test_access_walk.py`` ROUTES)."""

from tests.access_rules import ADMIN, APPLICATION, LIST, Rule, public  # noqa: F401

#: Dashboards, exports, the click-through list and Tabel 7 are for those who may monitor
#: (heads, the complaints and reporting unit, administrators): every other person, applicant
#: or OPD officer alike, is refused like on an administrators' page (404, or the sign-in).
MONITORS = Rule("admin", "monitoring figures: can_monitor only")

ROUTES: dict[str, Rule] = {
    **{
        f"monitoring:{name}": MONITORS
        for name in [
            "dashboard",
            "applications",
            "export",
            "round_list",
            "round_detail",
            "entry_edit",
            "round_preview",
            "round_pdf",
        ]
    },
    **{
        f"api-monitoring-{name}": MONITORS
        for name in [
            "summary",
            "services",
            "agencies",
            "steps",
            "bottlenecks",
            "backlog",
            "pauses",
            "trend",
            "complaints",
            "skm",
        ]
    },
    "monitoring:transparency": public("aggregate figures per service, no personal data"),
    "monitoring:transparency_service": public("aggregate figures of one service"),
    "api-transparency": public("aggregate figures per service, no personal data"),
}
