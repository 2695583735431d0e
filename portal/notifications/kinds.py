"""Names, for people, of the kinds of notifications; the apps that send them register theirs
(in their AppConfig.ready), so this lower app never imports them."""

from __future__ import annotations

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register(kind: str, label: str | Promise) -> None:
    _labels[kind] = label


def label(kind: str) -> str:
    return str(_labels.get(kind, kind))
