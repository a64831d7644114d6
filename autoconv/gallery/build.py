"""``autoconv docs OUT``: build the gallery, recomputing only the samples files that changed.

The cache unit is a samples file (sphinx-gallery's unit is an example file): its bytes, the two
versions and the options (for HTML, also whether Graphviz can draw the graphs) make its key. Only
changed files are converted and checked, so an unchanged rebuild never starts TensorFlow. Files
that fail are not cached: they are retried on the next build, and meanwhile reported without
stopping the others.

Everything under ``OUT`` is written atomically, and only files this build or an earlier one
wrote (listed in the cache's manifest) are ever deleted: ``OUT`` may hold the user's own files.
"""
from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autoconv import catalogue
from autoconv.conversion import Conversion
from autoconv.errors import AutoconvError
from autoconv.gallery.cache import JsonStore, content_key, path_key, tensorflow_version, write_if_changed
from autoconv.gallery.compute import CheckOptions, Computed, compute
from autoconv.gallery.drawing import draw, graphviz_available
from autoconv.gallery.figures import graph_of
from autoconv.gallery.model import Gallery, GalleryFile, GallerySample
from autoconv.gallery.pages import PAGES, render_pages

CACHE_FOLDER = ".autoconv-cache"


@dataclass
class BuildResult:
    """The gallery plus what this build did: which files it recomputed, which pages it wrote."""

    gallery: Gallery
    index: Path
    rebuilt: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _read_declarations(files: list[str]) -> dict[str, str]:
    """Read every file's declarations (no running): syntax errors per file, duplicates refused."""
    errors: dict[str, str] = {}
    seen: dict[str, str] = {}
    for path in files:
        try:
            declarations = catalogue.read_declarations(Path(path))
        except AutoconvError as error:
            errors[path] = str(error)
            continue
        for declaration in declarations:
            where = f"{declaration.filename}:{declaration.line}"
            if declaration.name in seen:
                raise AutoconvError(f"duplicate sample name {declaration.name!r}: {seen[declaration.name]} and {where}")
            seen[declaration.name] = where
    return errors


def _gallery_file(path: str, answer: dict[str, Any], computed: Computed) -> GalleryFile:
    if answer["error"] is not None:
        return GalleryFile(path, error=answer["error"])
    samples = [
        GallerySample(
            **entry["sample"],
            conversion=Conversion.from_dict(entry["conversion"]),
            report=computed.reports.get((path, entry["sample"]["name"])),
            convert_seconds=entry["seconds"],
        )
        for entry in answer["entries"]
    ]
    return GalleryFile(path, samples, check_error=computed.check_errors.get(path))


def _draw_graphs(samples: list[GallerySample]) -> None:
    """Draw every sample's case 0 graph, all in one Graphviz run."""
    graphed = [(sample, view) for sample in samples if (view := graph_of(sample.report)) is not None]
    for (sample, _), svg in zip(graphed, draw([view for _, view in graphed]), strict=True):
        sample.graph_svg = svg


class Manifest:
    """The files earlier builds wrote under OUT: the only ones a later build may delete."""

    def __init__(self, cache: Path) -> None:
        self.path = cache / "manifest.json"
        try:
            self.previous = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.previous = {"pages": [], "entries": []}

    def replace(self, out: Path, store: JsonStore, pages: list[str], entries: list[str]) -> list[str]:
        """Record this build's files and delete the previous build's that it no longer writes."""
        removed = sorted(set(self.previous.get("pages", [])) - set(pages))
        for relative in removed:
            with contextlib.suppress(FileNotFoundError):
                (out / relative).unlink()
        for entry in set(self.previous.get("entries", [])) - set(entries):
            store.remove(entry)
        write_if_changed(self.path, json.dumps({"pages": sorted(pages), "entries": sorted(entries)}, indent=1) + "\n")
        return removed


def build_gallery(out: Path, sample_paths: list[str] | None, *, fmt: str = "html", execute: bool = True,
                  options: CheckOptions | None = None) -> BuildResult:
    started = time.perf_counter()
    if fmt not in PAGES:
        raise AutoconvError(f"unknown gallery format {fmt!r}; choose from {', '.join(PAGES)}")
    if out.exists() and not out.is_dir():
        raise AutoconvError(f"{out} exists and is not a folder")
    files = [str(p) for p in catalogue.sample_files(sample_paths)]
    syntax_errors = _read_declarations(files)
    store = JsonStore(out / CACHE_FOLDER / "files")
    manifest = Manifest(out / CACHE_FOLDER)
    shaping: dict[str, object] = {"format": fmt, "execute": execute}
    if fmt == "html":  # HTML pages embed drawings; installing Graphviz should bring them
        shaping["graphviz"] = graphviz_available()
    keys = {path: content_key(Path(path).read_bytes(), shaping) for path in files}
    built: dict[str, GalleryFile] = {path: GalleryFile(path, error=error) for path, error in syntax_errors.items()}
    for path in files:
        entry = store.get(path_key(path))
        if path not in built and entry is not None and entry.get("key") == keys[path]:
            built[path] = GalleryFile.from_dict(entry["file"], cached=True)
    stale = [path for path in files if path not in built]
    if stale:
        computed = compute([{"file": p} for p in stale], dict.fromkeys(stale) if execute else {},
                           options or CheckOptions(), graphs=execute)
        fresh = [_gallery_file(path, answer, computed) for path, answer in zip(stale, computed.answers, strict=True)]
        if fmt == "html":
            _draw_graphs([sample for gallery_file in fresh for sample in gallery_file.samples])
        for path, gallery_file in zip(stale, fresh, strict=True):
            built[path] = gallery_file
            if not gallery_file.failed:
                store.put(path_key(path), {"key": keys[path], "file": gallery_file.to_dict()})
    gallery = Gallery([built[path] for path in files], execute, tensorflow_version())
    pages = render_pages(gallery, fmt)
    written = [relative for relative, text in pages.items() if write_if_changed(out / relative, text)]
    removed = manifest.replace(out, store, list(pages), [path_key(p) for p in files])
    gallery.seconds = time.perf_counter() - started
    return BuildResult(gallery, out / f"index.{PAGES[fmt].extension}", rebuilt=stale, written=written, removed=removed)
