"""Structured logging with structlog: JSON lines in production, console otherwise.

Both structlog loggers and standard library loggers (uvicorn, SQLAlchemy ...)
go through the same processors, so every line carries the context bound with
``structlog.contextvars``, the request id above all.
"""

import logging
import sys
from collections.abc import Sequence

import structlog
from structlog.typing import Processor

_HANDLER_NAME = "app"


def configure_logging(
    *, level: str = "INFO", json: bool = False, processors: Sequence[Processor] = ()
) -> None:
    """Configure structlog and the standard library ``logging`` module.

    Safe to call more than once: the handler installed by an earlier call is
    replaced, other handlers (such as pytest's) are left alone.

    Args:
        level: Lowest level written, e.g. ``"INFO"``.
        json: Write one JSON object per line instead of coloured console lines.
        processors: More processors run on every line as it is written, such
            as one adding the current trace id.
    """
    shared_processors: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    # The structlog side is the same in every set-up (loggers cache it on first
    # use); only the rendering, done by the handler's formatter, differs.
    rendering: list[Processor] = (
        [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
        if json
        else [structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty())]
    )

    structlog.configure(
        processors=[
            # Below the level, drop a line before any processor spends time on it.
            structlog.stdlib.filter_by_level,
            *shared_processors,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )

    handler = logging.StreamHandler(sys.stdout)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared_processors,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                *processors,
                *rendering,
            ],
        )
    )

    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)

    # uvicorn installs its own handlers; route its records through ours instead
    # and drop its access log, which AccessLogMiddleware replaces.
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
