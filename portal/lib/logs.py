"""Logging helpers, kept free of the apps: the logging configuration imports them at start-up."""

from __future__ import annotations

import logging


class OneLineWarning(logging.Filter):
    """Keeps the record as a warning without its traceback. For refusals Django answers itself
    with 400 (a Host header not in ALLOWED_HOSTS, sent all day by scanners): one line says what
    was refused; an error with a traceback would say the code failed, which it did not."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = None
        record.exc_text = None
        return True
