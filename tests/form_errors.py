"""What a person meets on a page whose form came back with errors (the GOV.UK pattern, issue 15
item 1): the title starts "Error:", one summary at the top (role=alert, tabindex=-1, autofocus)
that links to each field in error, and every ``aria-describedby`` points at an id that exists."""

from dataclasses import dataclass

from lxml import html as lxml_html


@dataclass
class ErrorPage:
    title: str
    links: list[tuple[str, str]]  # (message, target id), in the page's order
    described: dict[str, str]  # field id -> text of what it is described by


def error_page(content: bytes | str, prefix: str = "Error:") -> ErrorPage:
    """Parse the page and assert the pattern; returns the summary's links and each field's
    description so that a test can check the messages it expects."""
    doc = lxml_html.fromstring(content)
    title = doc.findtext(".//title").strip()
    assert title.startswith(prefix + " "), title
    summaries = doc.xpath("//*[@data-error-summary]")
    assert len(summaries) == 1, f"{len(summaries)} error summaries"
    summary = summaries[0]
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    assert summary.get("autofocus") is not None
    links = []
    for link in summary.xpath(".//a"):
        target = link.get("href").removeprefix("#")
        assert doc.get_element_by_id(target, None) is not None, f"#{target} is not on the page"
        links.append((link.text_content().strip(), target))
    assert links, "the summary links to no field"
    described = {}
    for element in doc.xpath("//*[@aria-describedby]"):
        texts = []
        for ref in element.get("aria-describedby").split():
            target = doc.get_element_by_id(ref, None)
            assert target is not None, f"aria-describedby={ref} points at nothing"
            texts.append(" ".join(target.text_content().split()))
        described[element.get("id") or element.tag] = " ".join(texts)
    return ErrorPage(title, links, described)
