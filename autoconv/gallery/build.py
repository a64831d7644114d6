"""``autoconv docs OUT``: build the gallery, recomputing only the samples files that changed.

The cache unit is a samples file (sphinx-gallery's unit is an example file): its bytes, the two
versions and the options (for HTML, also whether Graphviz can draw the graphs) make its key. Only
changed files are converted and checked, so an unchanged rebuild never starts TensorFlow. Files
that fail are not cached: they are retried on the next build, and meanwhile reported without
stopping the others.

Everything under ``OUT`` is written atomically. ``OUT`` may hold the user's own files, so a file is
overwritten or deleted only if the cache's manifest lists it, as a path inside ``OUT``, with the
sha256 it still has: what an earlier build wrote and nobody changed since. A page that would land
on any other file stops the build (exit 2) unless ``--force``. Whether ``OUT`` can be written at
all is found out before any case runs, not after minutes of checking.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
import tokenize
from pathlib import Path
from typing import Any

from autoconv import catalogue
from autoconv.errors import AutoconvError
from autoconv.gallery.cache import (
    JsonStore,
    content_key,
    file_sha256,
    inside,
    localised,
    path_key,
    portable,
    sha256_hex,
    tensorflow_version,
    write_if_changed,
)
from autoconv.gallery.compute import CheckOptions, Computed, compute
from autoconv.gallery.drawing import draw, graphviz_available
from autoconv.gallery.figures import graph_of
from autoconv.gallery.pages import page_stem, with_pages
from autoconv.model.conversion import Conversion
from autoconv.model.gallery import BuildResult, Gallery, GalleryFile, GallerySample
from autoconv.render import ViewOptions, get_formatter

CACHE_FOLDER = ".autoconv-cache"
STORE_FOLDER = f"{CACHE_FOLDER}/files"
PAGE_FOLDER = "samples"
# The gallery's formats, each with its pages' file extension.
EXTENSIONS = {"html": "html", "markdown": "md"}


def render_pages(gallery: Gallery, fmt: str) -> dict[str, str]:
    """Every page of the gallery, relative path -> text, each asked of ``fmt``'s formatter (one
    formatter for all, so two identical views on the gallery's pages still get their own ids)."""
    gallery = with_pages(gallery, EXTENSIONS[fmt])
    folders = [os.path.dirname(os.path.abspath(file.path)) for file in gallery.files]
    samples_folder = os.path.commonpath(folders) if folders else None  # pages name files from here
    formatter = get_formatter(fmt, ViewOptions(fold=True, standalone=False, paths_from=samples_folder))
    extension = EXTENSIONS[fmt]
    rendered = {
        f"index.{extension}": formatter.gallery_index(gallery),
        f"verdicts.{extension}": formatter.gallery_verdicts(gallery),
        f"times.{extension}": formatter.gallery_times(gallery),
    }
    for sample in gallery.samples:
        rendered[gallery.pages[sample.name].path] = formatter.gallery_sample(gallery, sample)
    for gallery_file in gallery.files:  # each samples file, for its pages' download links
        download = gallery.pages[gallery_file.samples[0].name].download if gallery_file.samples else ""
        if download:
            rendered[f"{PAGE_FOLDER}/{download}"] = _as_utf8_source(Path(gallery_file.path))
    return rendered


_CODING = re.compile(r"^([ \t\f]*#.*?coding[:=][ \t]*)([-\w.]+)", re.MULTILINE)


def _as_utf8_source(path: Path) -> str:
    """A samples file's source for its download link, read by its own PEP 263 encoding; pages are
    written as UTF-8, so a declared encoding becomes utf-8 too (in the first two lines only)."""
    with tokenize.open(path) as source:
        text = source.read()
    head, newline, rest = text.partition("\n")
    second, newline2, rest = rest.partition("\n")
    head, second = (_CODING.sub(r"\1utf-8", line, count=1) for line in (head, second))
    return head + newline + second + newline2 + rest


def _read_declarations(files: list[str]) -> tuple[dict[str, str], list[str]]:
    """Read every file's declarations (no running): syntax errors per file, and the sample names
    declared, duplicates refused."""
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
    return errors, list(seen)


def _gallery_file(path: str, answer: dict[str, Any], computed: Computed) -> GalleryFile:
    if answer["error"] is not None:
        return GalleryFile(path, error=answer["error"])
    samples = [
        GallerySample(
            **entry["sample"],
            conversion=Conversion.from_dict(entry["conversion"]),
            report=computed.reports.get((path, entry["sample"]["name"])),
            convert_seconds=entry["seconds"],
            explanations=computed.explanations.get((path, entry["sample"]["name"]), []),
        )
        for entry in answer["entries"]
    ]
    return GalleryFile(path, samples, check_error=computed.check_errors.get(path))


def _draw_graphs(samples: list[GallerySample]) -> None:
    """Draw every sample's case 1 graph, all in one Graphviz run."""
    graphed = [(sample, view) for sample in samples if (view := graph_of(sample.report)) is not None]
    for (sample, _), svg in zip(graphed, draw([view for _, view in graphed]), strict=True):
        sample.graph_svg = svg


def _prove_writable(out: Path) -> None:
    """Make OUT's folders and write a scratch file in each, so a read-only OUT, a file in the
    way or a folder that leads out of OUT is bad input before any case runs."""
    if out.exists() and not out.is_dir():
        raise AutoconvError(f"{out} exists and is not a folder")
    for relative in ("", PAGE_FOLDER, STORE_FOLDER):
        folder = out / relative
        try:
            if relative and inside(out, relative) is None:
                raise AutoconvError(f"{folder} leads outside {out}; autoconv writes only inside it")
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            raise AutoconvError(f"cannot write the gallery to {folder}: {error.strerror or error}") from None


def _recorded(value: object) -> dict[str, str]:
    """A manifest section as {relative path: sha256}; anything else in it (an older format, a
    hand-edited list) is trusted with nothing."""
    if not isinstance(value, dict):
        return {}
    return {path: digest for path, digest in value.items() if isinstance(path, str) and isinstance(digest, str)}


class Manifest:
    """The files earlier builds wrote under OUT, each with the sha256 it had then.

    A file is autoconv's to overwrite or delete only while it is listed, its path stays inside
    OUT and its bytes still have that hash: the user's own files, and a page the user edited,
    are left alone.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / CACHE_FOLDER / "manifest.json"
        try:
            previous = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
        previous = previous if isinstance(previous, dict) else {}
        self.pages = _recorded(previous.get("pages"))
        self.entries = _recorded(previous.get("entries"))

    def owns(self, relative: str) -> bool:
        recorded = self.pages.get(relative) or self.entries.get(relative)
        path = inside(self.out, relative)
        return recorded is not None and path is not None and file_sha256(path) == recorded

    def foreign(self, pages: dict[str, str | None]) -> list[str]:
        """The pages (relative path -> text, None if not rendered yet) that would replace a file
        autoconv did not write, or one changed since; a file already holding the text is fine."""
        found = []
        for relative, text in pages.items():
            path = self.out / relative
            if not os.path.lexists(path) or self.owns(relative):
                continue
            if text is not None and inside(self.out, relative) and file_sha256(path) == sha256_hex(text.encode()):
                continue
            found.append(relative)
        return found

    def replace(self, pages: dict[str, str], entries: list[str]) -> list[str]:
        """Record this build's files and delete what the previous build wrote and this one does not."""
        removed = [relative for relative in sorted(set(self.pages) - set(pages)) if self._remove(relative)]
        for relative in set(self.entries) - set(entries):
            self._remove(relative)
        recorded = {
            "pages": {relative: sha256_hex(text.encode()) for relative, text in sorted(pages.items())},
            "entries": {relative: digest for relative in sorted(entries)
                        if (digest := file_sha256(self.out / relative)) is not None},
        }
        write_if_changed(self.path, json.dumps(recorded, indent=1) + "\n")
        return removed

    def _remove(self, relative: str) -> bool:
        if not self.owns(relative):
            return False
        with contextlib.suppress(FileNotFoundError):
            (self.out / relative).unlink()
        return True


def _refuse_foreign(manifest: Manifest, pages: dict[str, str | None], force: bool) -> None:
    foreign = [] if force else manifest.foreign(pages)
    if foreign:
        more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
        raise AutoconvError(
            f"{manifest.out / foreign[0]}{more} was not written by autoconv, or was changed since; "
            "move it away or pass --force to overwrite it"
        )


def _write_page(path: Path, text: str) -> bool:
    try:
        return write_if_changed(path, text)
    except OSError as error:  # --force onto a folder, a disk that filled up since the first check
        raise AutoconvError(f"cannot write {path}: {error.strerror or error}") from None


def _expected_pages(fmt: str, names: list[str]) -> dict[str, str | None]:
    """The pages a build will write, known from the declarations before anything runs."""
    extension = EXTENSIONS[fmt]
    fixed = [f"{page}.{extension}" for page in ("index", "verdicts", "times")]
    return dict.fromkeys([*fixed, *(f"{PAGE_FOLDER}/{page_stem(name)}.{extension}" for name in names)])


def build_gallery(out: Path, sample_paths: list[str] | None, *, fmt: str = "html", execute: bool = True,
                  options: CheckOptions | None = None, force: bool = False) -> BuildResult:
    """Build the gallery into ``out``; ``force`` lets pages replace files autoconv did not write."""
    started = time.perf_counter()
    if fmt not in EXTENSIONS:
        raise AutoconvError(f"unknown gallery format {fmt!r}; choose from {', '.join(EXTENSIONS)}")
    files = [str(p) for p in catalogue.sample_files(sample_paths)]
    syntax_errors, names = _read_declarations(files)
    _prove_writable(out)
    manifest = Manifest(out)
    _refuse_foreign(manifest, _expected_pages(fmt, names), force)
    store = JsonStore(out / STORE_FOLDER)
    shaping: dict[str, object] = {"format": fmt, "execute": execute}
    if fmt == "html":  # HTML pages embed drawings; installing Graphviz should bring them
        shaping["graphviz"] = graphviz_available()
    keys = {path: content_key(Path(path).read_bytes(), shaping) for path in files}
    built: dict[str, GalleryFile] = {path: GalleryFile(path, error=error) for path, error in syntax_errors.items()}
    for path in files:
        entry = store.get(path_key(path))
        if path not in built and entry is not None and entry.get("key") == keys[path]:
            built[path] = GalleryFile.from_dict(localised(entry["file"], os.path.dirname(path)), cached=True)
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
                store.put(path_key(path), {"key": keys[path],
                                           "file": portable(gallery_file.to_dict(), os.path.dirname(path))})
    gallery = Gallery([built[path] for path in files], execute, tensorflow_version())
    pages = render_pages(gallery, fmt)
    _refuse_foreign(manifest, dict(pages), force)  # names only running could tell, checked again
    written = [relative for relative, text in pages.items() if _write_page(out / relative, text)]
    removed = manifest.replace(pages, [store.path(path_key(p)).relative_to(out).as_posix() for p in files])
    gallery.seconds = time.perf_counter() - started
    return BuildResult(gallery, out / f"index.{EXTENSIONS[fmt]}", rebuilt=stale, written=written, removed=removed)
