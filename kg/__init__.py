"""kg: knowledge graphs of methods, datasets, architectures, metrics and tasks from paper listings."""

from __future__ import annotations

__version__ = "0.1.0"
