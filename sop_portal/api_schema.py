"""The API schema documents the errors every operation can answer, so that the contract
matches what the API does (issue 16, item 6: schemathesis reported 400, 401/403, 404 and 429
answers that no operation documented). The views still declare their own success and
domain-error responses with ``extend_schema``; this class only adds the generic ones they omit.
The run that holds the API to it is ``tests/test_fuzz_api.py``."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ApiErrorSerializer(serializers.Serializer):
    """An error with its message: DRF's ``{"detail": …}`` (also the answer of
    ``sop_portal.bad_input`` to a NUL byte or JSON nested too deeply)."""

    detail = serializers.CharField()


#: DRF's answer to input its serializer refuses: one list (or nested object) per field.
FIELD_ERRORS = {
    "type": "object",
    "description": "The refused fields, each with its messages.",
    "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
}


def _open_to_all(view) -> bool:
    return all(isinstance(permission, AllowAny) for permission in view.get_permissions())


class PortalAutoSchema(AutoSchema):
    def _generic_error_codes(self) -> list[str]:
        view = self.view
        codes = ["400"]  # any request: a NUL in the address (sop_portal.bad_input), bad JSON
        if view.get_authenticators() or not _open_to_all(view):
            # A wrong token is refused even where anonymous callers are welcome: 401 when the
            # token scheme answers, 403 when the session scheme (listed first) does.
            codes += ["401", "403"]
        path_parameters = "{" in self.path
        if path_parameters or self._is_list_view() or not _open_to_all(view):
            # No such object, a page past the end, or an object hidden from this caller.
            codes.append("404")
        if view.get_throttles():
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._generic_error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ApiErrorSerializer, code)
        # Any 400 may also be the generic ``{"detail": …}`` (bad_input refuses before the view
        # runs) or, for input the serializer refuses, DRF's field errors.
        generic = self.resolve_serializer(ApiErrorSerializer(), "response").ref
        field_errors = self._field_errors_component().ref
        for media in responses.get("400", {}).get("content", {}).values():
            schema = media.get("schema")
            if not schema or "anyOf" in schema:
                continue
            options = [schema, generic, field_errors]
            media["schema"] = {"anyOf": [o for i, o in enumerate(options) if o not in options[:i]]}
        return responses

    def _field_errors_component(self) -> ResolvedComponent:
        component = ResolvedComponent(
            name="FieldErrors",
            type=ResolvedComponent.SCHEMA,
            object="FieldErrors",
            schema=FIELD_ERRORS,
        )
        self.registry.register_on_missing(component)
        return component
