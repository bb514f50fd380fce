"""Audit of every published SOP's printed flowchart: broken row lines, lane crossings, label
overlaps, connector order, mid-word header splits, pages and rows per page, printed total
against the service standard. ``python -m bench.flowchart_audit`` (needs the demo seeded)."""

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_portal.settings")
    sys.path.insert(0, os.getcwd())
    django.setup()
    from django.utils import translation

    from permits.models import Service
    from tests.workflows.documents import measure
    from workflows import documents

    totals = {
        "rows": 0,
        "sops_rows": 0,
        "crossings": 0,
        "sops_cross": 0,
        "labels": 0,
        "order": 0,
        "splits": 0,
        "sops_split": 0,
        "two_pages": 0,
        "over": 0,
    }
    only = sys.argv[1:]
    for service in Service.objects.select_related("sop").order_by("code"):
        version = service.sop.published_version if service.sop else None
        if version is None or (only and service.code not in only):
            continue
        with translation.override("id"):
            if hasattr(documents, "fitted_sop"):
                doc, ctx = documents.fitted_sop(version)
            else:  # before: one pass, as the old renderer did
                ctx = documents.sop_context(version)
                doc = measure.layout_document(documents.sop_html(version))
        chart = ctx["chart"]
        pages = measure.drawing(chart)
        rows, gaps = measure.laid_out_rows(doc)
        cross = measure.crossings(pages)
        labels = measure.label_overlaps(pages)
        order = measure.connector_order(pages)
        splits = measure.header_splits(doc)
        per_page = measure.flow_pages(doc)
        total = ctx["total_time"]
        standard = service.service_time
        print(
            f"{service.code:24} perf={len(chart.performers)} "
            f"steps={sum(len(p.rows) for p in chart.pages)} "
            f"pages={per_page} rows_bad={len(rows)} maxgap={max(gaps or [0]) / (96 / 25.4):.1f}mm "
            f"cross={len(cross)} labels={len(labels)} order={order or 'ok'} "
            f"splits={sorted(set(splits))[:3]} "
            f"total={total!r} std={standard}"
        )
        totals["rows"] += len(rows)
        totals["sops_rows"] += bool(rows)
        totals["crossings"] += len(cross)
        totals["sops_cross"] += bool(cross)
        totals["labels"] += len(labels)
        totals["order"] += bool(order)
        totals["splits"] += len(splits)
        totals["sops_split"] += bool(splits)
        totals["two_pages"] += len(per_page) > 1
    print(totals)


if __name__ == "__main__":
    main()
