"""The ``oneminai`` command line (also ``python -m oneminai_webapi``).

Only :mod:`argparse` is imported up front; a command imports the client (and whatever else
it needs) when it runs, so ``oneminai --help`` stays fast.
"""

from ._main import main

__all__ = ["main"]
