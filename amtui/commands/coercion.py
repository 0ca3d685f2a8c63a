"""Option values without pydantic: a quick command should not pay for it.

Typer 0.29 turns each option's text into its value through a pydantic ``TypeAdapter`` built on first
use, and builds one even for an option left out: every run imports pydantic (~50-70 ms on this
machine kind, more than Typer itself) although amtui's options are text, whole numbers, choices
and flags. :func:`install` puts a runtime parameter in front of Typer's that converts those kinds
itself, exactly as Typer's adapters do (a plain ``int`` only when written as plain digits, a choice
through Typer's own ``coerce_cli_choice``, a ``parser=`` called as is). Anything else (paths, ranged
numbers), and any value these do not take as it is, goes to Typer's own adapter, built then, so errors
read exactly as before.

Typer's coercion is internal API: if it is not where this module expects it, nothing is replaced
and Typer works as usual (only slower); ``tests/test_cli.py`` checks the messages either way.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Union, get_args, get_origin

from typer import BadParameter

try:
    from typer import core as _typer_core
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer._param_types import coerce_cli_choice
except ImportError:  # a Typer whose internals moved: keep its own coercion
    _typer_core = None  # type: ignore[assignment]

_PLAIN_INT = re.compile(r"[+-]?[0-9]+")


class _Typer(Exception):
    """This value is for Typer's own adapter."""


def _plain(annotation: Any) -> Any:
    """``X`` for ``X | None``."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _leaf(annotation: Any, info: Any) -> Callable[[Any, Any], Any] | None:
    """The conversion of one value of ``annotation`` (with the click context), or None where only
    Typer's adapter will do."""
    parser = info.parser
    if parser is not None:

        def parse(value: Any, ctx: Any) -> Any:
            return parser(value)

        return parse
    annotation = _plain(annotation)
    if annotation is str:

        def text(value: Any, ctx: Any) -> Any:
            if not isinstance(value, str):
                raise _Typer
            return value

        return text
    if annotation is int and not info.clamp:
        low, high = info.min, info.max

        def number(value: Any, ctx: Any) -> Any:
            if isinstance(value, str) and _PLAIN_INT.fullmatch(value):
                value = int(value)
            if type(value) is not int or (low is not None and value < low) or (high is not None and value > high):
                raise _Typer  # Typer's message (or its reading of "1_000", " 12")
            return value

        return number
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = list(annotation)
        case_sensitive = info.case_sensitive

        def choice(value: Any, ctx: Any) -> Any:
            try:
                return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
            except ValueError as exc:  # its own words, without pydantic's "Value error, " before them
                raise BadParameter(str(exc), ctx=ctx) from None

        return choice
    return None


if _typer_core is not None:

    @dataclass(frozen=True)
    class _LightParam(RuntimeParam):
        descriptor: TypeDescriptor
        leaf: Callable[[Any, Any], Any] | None
        many: bool

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if self.leaf is None:
                    raise _Typer
                if self.many:
                    items = value if isinstance(value, (list, tuple)) else [value]
                    return [self.leaf(item, ctx) for item in items]
                return self.leaf(value, ctx)
            except BadParameter:  # a parser's own message, as Typer shows it
                raise
            except Exception:  # Typer's adapter says it in its own words (or takes the value after all)
                return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

    def _light_runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
        # Typer builds a parameter's adapter before it looks at the value, even for an option left out
        # (None never reaches ``_coerce_value``): Typer's own is built only for a value that needs it.
        annotation, info = descriptor.annotation, descriptor.parameter_info
        if descriptor.file_annotation is not None:
            return build_runtime_param(descriptor)
        many = get_origin(annotation) is list and len(get_args(annotation)) == 1
        leaf = _leaf(get_args(annotation)[0] if many else annotation, info)
        return _LightParam(info, annotation, descriptor=descriptor, leaf=leaf, many=many)


def install() -> bool:
    """Put the pydantic-free conversion in front of Typer's; whether it could."""
    if _typer_core is None:
        return False
    current = getattr(_typer_core, "build_runtime_param", None)
    if current is _light_runtime_param:
        return True
    if current is not build_runtime_param:
        return False
    _typer_core.build_runtime_param = _light_runtime_param  # type: ignore[assignment]
    return True
