"""``python -m oneminai_mcp``: the same as ``oneminai-mcp``."""

import sys

from ._cli import main

sys.exit(main())
