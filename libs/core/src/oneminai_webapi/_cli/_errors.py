"""Exit codes, and turning any error into one clear line."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1  # the service or the job failed
EXIT_USAGE = 2  # bad arguments or input (nothing was sent)
EXIT_AUTH = 3  # no key, or the key was refused
EXIT_CREDITS = 4  # not enough credits
EXIT_RATE_LIMITED = 5  # still rate limited after the retries
EXIT_NETWORK = 6  # no answer: connection failed or timed out
EXIT_INTERRUPTED = 130  # Ctrl-C

#: Exception class name → exit code; the first base class found in the MRO wins.
_CODES = {
    "InvalidRequestError": EXIT_USAGE,
    "AuthenticationError": EXIT_AUTH,
    "PermissionDeniedError": EXIT_AUTH,
    "InsufficientCreditsError": EXIT_CREDITS,
    "RateLimitError": EXIT_RATE_LIMITED,
    "APIConnectionError": EXIT_NETWORK,
}


class CLIError(Exception):
    """A problem the command line itself found (a missing file, no key, a bad value)."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def describe(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one-line message for ``exc``."""
    if isinstance(exc, CLIError):
        return exc.code, str(exc)
    code = next((_CODES[c.__name__] for c in type(exc).__mro__ if c.__name__ in _CODES), None)
    message = " ".join(str(exc).split()) or type(exc).__name__
    if code is None:
        from ..exceptions import OneMinAIError

        if not isinstance(exc, OneMinAIError):  # a bug of ours or a library's: name it
            return EXIT_ERROR, f"{type(exc).__name__}: {message} (run with --debug for details)"
        code = EXIT_ERROR
    retry_after = getattr(exc, "retry_after_s", None)
    if code == EXIT_RATE_LIMITED and retry_after:
        message += f" (retry after {retry_after:g} s)"
    if code == EXIT_AUTH:
        message += " — check ONEMINAI_API_KEY or --api-key"
    return code, message
