"""What one ``autoconv docs`` build did, as plain data: built by ``build``, told by ``pages.summary``.

It has a module of its own so that the builder and the renderer each import it, not each other.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from autoconv.gallery.model import Gallery


@dataclass
class BuildResult:
    """The gallery plus what this build did: which files it recomputed, which pages it wrote."""

    gallery: Gallery
    index: Path
    rebuilt: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
