"""The API's router (kept apart from the parsers: DRF's settings import those)."""

from rest_framework.routers import SimpleRouter


class NumericIdRouter(SimpleRouter):
    """A router whose detail routes match only numeric ids (``/document-jobs/abc/`` is a 404,
    not a ValueError in the view), unless a view set says otherwise."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None:
            viewset.lookup_value_regex = r"[0-9]+"
        return super().get_lookup_regex(viewset, lookup_prefix)
