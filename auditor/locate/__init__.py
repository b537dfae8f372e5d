"""Where things are written: offsets, lines and columns in the text of an input.

One locator per syntax, for every layer that reports ``file:line`` (resolvers,
the config and rule loaders): :mod:`auditor.locate.toml`,
:mod:`auditor.locate.json`, and :class:`~auditor.locate.lines.LineIndex` under
both. Decoders drop positions; these modules find them again.
"""

from __future__ import annotations

__all__: list[str] = []
