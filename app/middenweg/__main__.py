"""``python -m middenweg``: the same entry point as the ``middenweg`` console script."""

from middenweg.cli import main

raise SystemExit(main())
