"""Allow ``python -m kg``."""

from __future__ import annotations

from kg.cli import main

raise SystemExit(main())
