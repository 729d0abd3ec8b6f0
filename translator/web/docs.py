"""The API's reference page, made from its OpenAPI description: every endpoint, its parameters, its body
and its answers, and every shape. Served as a page of our own: Swagger UI would load scripts from elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_REF = "#/components/schemas/"


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str  # path, query, header
    type: str
    required: bool


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    parameters: list[Parameter] = field(default_factory=list)
    body: str = ""
    answers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Shape:
    name: str
    fields: list[tuple[str, str, bool, str]]  # name, type, required, description


def reference(schema: dict[str, Any]) -> tuple[list[Endpoint], list[Shape]]:
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [Parameter(p.get("name", ""), p.get("in", ""), _type(p.get("schema", {})),
                                    bool(p.get("required"))) for p in operation.get("parameters", [])]
            content = operation.get("requestBody", {}).get("content", {})
            body = "; ".join(f"{media} {_type(spec.get('schema', {}))}".strip() for media, spec in content.items())
            answers = [(code, answer.get("description", "")) for code, answer in operation.get("responses", {}).items()]
            endpoints.append(Endpoint(method.upper(), path, operation.get("summary", ""), parameters, body, answers))
    shapes = []
    for name, spec in schema.get("components", {}).get("schemas", {}).items():
        required = set(spec.get("required", []))
        shapes.append(Shape(name, [(key, _type(value), key in required, value.get("description", ""))
                                   for key, value in spec.get("properties", {}).items()]))
    return endpoints, shapes


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return str(spec["$ref"]).removeprefix(_REF)
    if "anyOf" in spec:
        return " or ".join(_type(s) for s in spec["anyOf"])
    if spec.get("type") == "array":
        return f"list of {_type(spec.get('items', {}))}"
    return str(spec.get("type", spec.get("format", "")))
