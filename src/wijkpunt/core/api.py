"""API helpers shared by every app: error format and the exception handler."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, plus Django ValidationErrors (raised by services) as 400 field errors."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    return drf_exception_handler(exc, context)


ERROR_SCHEMA = {
    "type": "object",
    "description": "Field-level messages: {field: [message, ...]}, nested for nested fields; "
    "'detail' for errors that belong to no field; 'non_field_errors' for the whole body.",
    "additionalProperties": True,
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: field-level messages (Dutch, or English with Accept-Language: en).",
    "401": "Not authenticated.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "Not found, or not visible to you.",
    "409": "The Idempotency-Key was used before for a different request.",
    "429": "Too many requests from this address; try again later.",
}


def add_error_responses(result, generator, request, public):  # noqa: ARG001 - drf-spectacular hook signature
    """drf-spectacular postprocessing hook: document the error answers every operation can give."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        is_public = path.startswith("/api/public/")
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["404"] if "{" in path else []
            if method in {"post", "put", "patch"}:
                codes.append("400")
            if is_public:
                if method == "post":
                    codes.append("429")
                if method == "post" and path.endswith("/reports/"):
                    codes.append("409")
            else:
                codes += ["401", "403"]
                if method == "post" and path.endswith("/reports/"):
                    codes.append("409")
            responses = operation.setdefault("responses", {})
            for code in sorted(set(codes)):
                responses.setdefault(
                    code, {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}}
                )
    return result
