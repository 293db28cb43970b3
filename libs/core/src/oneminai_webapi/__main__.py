"""``python -m oneminai_webapi``: the ``oneminai`` command line."""

import sys

from ._cli import main

sys.exit(main())
