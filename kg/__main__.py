"""Allow ``python -m kg``."""

from __future__ import annotations

from kg.cli import main

if __name__ == "__main__":  # not when a spawned worker process re-imports this module
    raise SystemExit(main())
