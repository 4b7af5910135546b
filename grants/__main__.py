"""``python -m grants``: the command line."""

from grants.cli import main

raise SystemExit(main())
