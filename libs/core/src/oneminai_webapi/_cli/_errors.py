"""Exit codes, and turning any error into one clear line."""

from __future__ import annotations

from typing import Any

from .. import exceptions as errors

EXIT_OK = 0
EXIT_ERROR = 1  # the service or the job failed
EXIT_USAGE = 2  # bad arguments or input (nothing was sent)
EXIT_AUTH = 3  # no key, or the key was refused
EXIT_CREDITS = 4  # not enough credits
EXIT_RATE_LIMITED = 5  # still rate limited after the retries
EXIT_NETWORK = 6  # no answer: connection failed or timed out (a job still running too)
EXIT_INTERRUPTED = 130  # Ctrl-C

#: Exception → exit code; the first matching row wins (subclasses before their bases).
_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (errors.InvalidRequestError, EXIT_USAGE),
    (errors.CloudflareChallengeError, EXIT_ERROR),  # a bot check, not a key problem
    (errors.AuthenticationError, EXIT_AUTH),
    (errors.PermissionDeniedError, EXIT_AUTH),
    (errors.InsufficientCreditsError, EXIT_CREDITS),
    (errors.RateLimitError, EXIT_RATE_LIMITED),
    (errors.JobTimeoutError, EXIT_NETWORK),
    (errors.APIConnectionError, EXIT_NETWORK),
    (errors.OneMinAIError, EXIT_ERROR),
)


class CLIError(Exception):
    """A problem the command line itself found (a missing file, no key, a bad value)."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def describe(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one-line message for ``exc``."""
    if isinstance(exc, CLIError):
        return exc.code, str(exc)
    message = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, errors.JobTimeoutError) and exc.record_id:
        return EXIT_NETWORK, (
            f"the job is still running after the wait limit; get the result later with: "
            f"oneminai result {exc.record_id}"
        )
    webapp_only = getattr(exc, "webapp_only", None)
    if webapp_only:  # the client's message gives Python advice; say it for the terminal
        return EXIT_AUTH, (
            f"{webapp_only}() works only with a web-app sign-in token (JWT) as the key; "
            "the service refused this API key there"
        )
    if isinstance(exc, OSError) and not isinstance(exc, errors.OneMinAIError):
        where = f": {exc.filename}" if exc.filename else ""
        return EXIT_ERROR, f"{exc.strerror or message}{where}"
    code = next((c for cls, c in _CODES if isinstance(exc, cls)), None)
    if code is None:  # a bug of ours or of a library: name it
        return EXIT_ERROR, f"{type(exc).__name__}: {message} (run with --debug for details)"
    retry_after = getattr(exc, "retry_after_s", None)
    if code == EXIT_RATE_LIMITED and retry_after:
        message += f" (retry after {retry_after:g} s)"
    if code == EXIT_AUTH:
        message += " — check ONEMINAI_API_KEY or --api-key"
    return code, message


#: Attributes of our exceptions worth handing to a script (never ``body``: it can be long).
_FIELDS = ("status_code", "code", "request_id", "record_id", "retry_after_s", "details")


class UsageError(Exception):
    """Bad command-line syntax, found by a parser (argparse would exit with status 2)."""

    def __init__(self, message: str, prog: str, usage: str) -> None:
        super().__init__(message)
        self.prog = prog
        self.usage = usage


def error_object(exc: BaseException, code: int, message: str) -> dict[str, Any]:
    """What ``--json`` prints on stdout for a failure: ``{"error": {...}, "exit_code": n}``.

    ``error`` has ``type`` (the exception class name), ``message`` (the line printed on
    stderr, without ``error:``) and, when known, ``status_code``, ``code``, ``request_id``,
    ``record_id``, ``retry_after_s``, ``details``, ``partial_text`` and ``usage``.
    """
    error: dict[str, Any] = {"type": type(exc).__name__, "message": message}
    if isinstance(exc, errors.OneMinAIError):  # (CLIError.code is an exit code, not these)
        for name in (*_FIELDS, "partial_text"):
            value = getattr(exc, name, None)
            if value not in (None, "", []):
                error[name] = value
    if isinstance(exc, UsageError):
        error["usage"] = exc.usage
    return {"error": error, "exit_code": code}
