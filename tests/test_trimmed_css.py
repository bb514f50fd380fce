"""The trimmed Bootstrap CSS (sop_portal/css_trim.py) keeps every class the templates use: a
template edit that adds a Bootstrap class fails here until ``manage.py trim_bootstrap`` is run
and its output committed; and the pages link the trimmed file, not the full one."""

import re
from pathlib import Path

import pytest

from sop_portal import css_trim

ROOT = Path(__file__).resolve().parent.parent
CLASS_ATTRIBUTE = re.compile(r"""\bclass=(["'])(.*?)\1""", re.S)
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def template_classes() -> dict[str, str]:
    """Each literal class of a ``class="..."`` attribute in templates/, with one template that
    uses it (the parts a tag or a variable fills in are left out)."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in CLASS_ATTRIBUTE.finditer(text):
            for name in TEMPLATE_CODE.sub(" ", match.group(2)).split():
                if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name):
                    found.setdefault(name, path.relative_to(ROOT).as_posix())
    return found


@pytest.fixture(scope="module")
def trimmed_classes() -> set[str]:
    return css_trim.full_classes(css_trim.trimmed_path().read_text(encoding="utf-8"))


def test_every_bootstrap_class_of_a_template_is_in_the_trimmed_css(trimmed_classes):
    bootstrap = css_trim.full_classes(css_trim.source_path().read_text(encoding="utf-8"))
    used = template_classes()

    missing = {
        name: where
        for name, where in used.items()
        if name in bootstrap and name not in trimmed_classes
    }

    assert len(used) > 100  # the scan finds the templates' classes at all
    assert missing == {}, "run: manage.py trim_bootstrap (and commit the result)"


def test_the_trimmed_css_is_what_the_build_makes_now():
    assert css_trim.trimmed_path().read_text(encoding="utf-8") == css_trim.build(), (
        "run: manage.py trim_bootstrap (and commit the result)"
    )


def test_the_trimmed_css_drops_what_no_template_uses(trimmed_classes):
    # Components the portal has none of: their rules are not shipped.
    for unused in ("carousel-item", "accordion-button", "offcanvas-lg", "placeholder-glow"):
        assert unused not in trimmed_classes
    assert css_trim.trimmed_path().stat().st_size < css_trim.source_path().stat().st_size / 2


def test_a_rule_is_kept_only_when_all_its_classes_are_used():
    css = '@charset "UTF-8";/*! licence */.a,.b{color:red}.a .c{x:1}@media (min-width:1px){.c{y:2}}'
    css += "@keyframes spin{to{z:1}}.a:not(.d){animation:spin 1s}body{m:0}"

    trimmed = css_trim.trim(css, words={"a"}, prefixes=set())

    assert trimmed == (
        '@charset "UTF-8";/*! licence */.a{color:red}.a:not(.d){animation:spin 1s}body{m:0}'
        "@keyframes spin{to{z:1}}\n"
    )


def test_a_class_finished_by_the_template_keeps_its_prefix():
    trimmed = css_trim.trim(".text-bg-danger{a:1}.text-danger{b:2}", set(), {"text-bg-"})

    assert trimmed == ".text-bg-danger{a:1}\n"


def test_the_pages_link_the_trimmed_bootstrap():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")

    assert "vendor/bootstrap/bootstrap.trimmed.min.css" in base
    assert "vendor/bootstrap/bootstrap.min.css" not in base
