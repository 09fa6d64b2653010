"""The pipeline for one deck: read -> parse -> settings -> render -> page -> write.

Each stage only consumes what the previous one produced. Warnings from every stage collect in one
``Diagnostics`` list; a problem that stops the build is a ``DeckError``.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from .assets import Assets, DeckFile, load_deck_files
from .fonts import fonts_css
from .highlight import resolve_style, style_css
from .model import BuildResult, DeckError, Diagnostics, RenderedSlide, did_you_mean
from .page import PageInfo, cover_footer, page_css, render_page, render_sections
from .parse import parse_deck
from .render import RenderOptions, SlideCache, render_slide
from .settings import DeckSettings, page_title, read_settings
from .source import Source, read_source
from .themes import Theme, load_theme
from .transitions import check_transition

_COVER = re.compile(r'(?:<header class="slide-header">\n)?<h1[\s>]')


def build_file(path: str | os.PathLike[str], encoding: str | None = None, *,
               embed_remote: bool = False, download: bool = True) -> BuildResult:
    """Read and build one deck file. ``embed_remote`` (``--embed-remote``) downloads remote
    images and embeds them, as ``embedRemote: yes`` in the header does; ``download=False``
    (``deckgen check``) embeds only what is already in the download cache."""
    return build_source(read_source(path, encoding), embed_remote=embed_remote,
                        download=download)


def build_text(text: str, file: str = "deck.txt", base: Path | None = None) -> BuildResult:
    """Build a deck from text (``base`` is the folder its relative paths start from)."""
    from .source import normalize_newlines

    if text.startswith("\ufeff"):
        text = text[1:]
    root = (base or Path.cwd()).resolve()
    return build_source(Source(root / Path(file).name, file, normalize_newlines(text)))


def build_source(source: Source, cache: SlideCache | None = None, *,
                 embed_remote: bool = False, download: bool = True) -> BuildResult:
    """Build a deck from its source; ``cache`` (from ``serve``) re-renders only changed slides.
    ``embed_remote`` and ``download`` as for ``build_file``."""
    diagnostics = Diagnostics(source.display)
    deck = parse_deck(source.text, source.display, diagnostics)
    settings = read_settings(deck, diagnostics)
    deck_dir = source.path.parent

    theme = load_theme(settings.theme, deck_dir, deck.file, settings.lines.get("theme"))
    code_style = _code_style(settings, theme, diagnostics)
    embed_remote = settings.embed_remote or embed_remote
    remote = None
    if embed_remote:
        from .remote import RemoteImages  # the network, only when asked for

        remote = RemoteImages(download=download)
    assets = Assets(deck_dir, remote)
    head_files = _deck_files(settings, "headFiles", settings.head_files, assets, diagnostics)
    body_files = _deck_files(settings, "files", settings.files, assets, diagnostics)
    options = RenderOptions(dollar_math=settings.usemathjax, embed_remote=embed_remote)

    render = cache.render if cache is not None else render_slide
    rendered_from = len(diagnostics.items), len(assets.used)
    slides = [_slide_transition(render(slide, diagnostics, assets, options), diagnostics)
              for slide in deck.slides]
    if remote is not None and remote.pending:
        # Rendering found remote images that are not in the cache: download them all at once,
        # then render again with them (only the slides that use them, given a cache).
        remote.fetch_pending()
        del diagnostics.items[rendered_from[0]:], assets.used[rendered_from[1]:]
        slides = [_slide_transition(render(slide, diagnostics, assets, options), diagnostics)
                  for slide in deck.slides]
    if remote is not None and remote.cache_errors:
        from .remote import cache_dir

        diagnostics.warn(None, "remote-cache-failed",
                         f"cannot write the download cache {cache_dir()} "
                         f"({remote.cache_errors[0]}): the images are embedded, but the next "
                         "build downloads them again")
    if cache is not None:
        cache.sweep()
    _once_per_name(diagnostics, "unknown-transition")

    title = page_title(settings, slides, deck.file)
    info = PageInfo(
        title=title,
        lang=settings.lang,
        speaker=settings.speaker,
        date=settings.date,
        url=settings.url,
        transition=settings.normalised_transition,
        transition_name=settings.transition_name,
        head_files=head_files,
        body_files=body_files,
    )
    footer = cover_footer(info)
    if footer and slides and _COVER.match(slides[0].html):
        slides[0] = replace(slides[0], html=slides[0].html + footer)
    sections = render_sections(slides)
    css = page_css(theme.css, style_css(code_style), fonts_css(deck.slides, slides, diagnostics))
    html = render_page(info, sections, css)
    return BuildResult(deck=deck, settings=settings, title=title, html=html, slides=slides,
                       diagnostics=list(diagnostics), sections=[str(s) for s in sections],
                       css=css, code_style=code_style,
                       files=tuple(sorted({Path(os.path.normpath(p)) for p in (
                           source.path, *theme.files, *assets.used)})))


def _deck_files(settings: DeckSettings, key: str, urls: tuple[str, ...], assets: Assets,
                diagnostics: Diagnostics) -> tuple[DeckFile, ...]:
    if not urls:
        return ()
    line = settings.lines.get(key)
    return load_deck_files(urls, key, assets,
                           lambda code, message: diagnostics.warn(line, code, message))


def _code_style(settings: DeckSettings, theme: Theme, diagnostics: Diagnostics) -> str:
    """The Pygments style: the header's ``highlightStyle``, else the theme's. An unknown name is
    warned about here, where the theme's style it falls back to is known."""
    wanted = settings.highlight_style
    if not wanted:
        return theme.pygments_style
    style = resolve_style(wanted)
    if style is None:
        from .highlight import HLJS_STYLES, pygments_styles

        names = sorted(set(pygments_styles()) | set(HLJS_STYLES))
        diagnostics.warn(settings.lines.get("highlightStyle"), "unknown-highlight-style",
                         f"unknown highlightStyle '{wanted}'{did_you_mean(wanted, names)}; "
                         f"using the theme's '{theme.pygments_style}'")
        return theme.pygments_style
    return style


def _slide_transition(slide: RenderedSlide, diagnostics: Diagnostics) -> RenderedSlide:
    """A slide's ``data-transition``, normalised; the author's name kept in
    ``data-transition-name``."""
    if not any(name == "data-transition" for name, _ in slide.attrs):
        return slide
    attrs: list[tuple[str, str | None]] = []
    for name, value in slide.attrs:
        if name == "data-transition" and value and value.strip():
            attrs.append((name, check_transition(value, lambda message: diagnostics.warn(
                slide.line, "unknown-transition", message))))
            attrs.append(("data-transition-name", value))
        else:
            attrs.append((name, value))
    return replace(slide, attrs=tuple(attrs))


def _once_per_name(diagnostics: Diagnostics, code: str) -> None:
    """Keep only the first of identical warnings with this code (one per transition name)."""
    seen: set[str] = set()
    kept = []
    for item in diagnostics.items:
        if item.code == code:
            if item.message in seen:
                continue
            seen.add(item.message)
        kept.append(item)
    diagnostics.items = kept


# -- output -------------------------------------------------------------------------------------

def output_path(deck_path: str | os.PathLike[str], out: str | None,
                suffixes: tuple[str, ...] = (".html", ".htm")) -> Path:
    """Where a command writes the deck's ``suffixes[0]`` file: ``site/<stem><suffix>`` by
    default; ``-o`` is that file if it ends in one of ``suffixes``, else a folder.

    An ``-o`` that names an existing file of another kind is an error (it cannot be a folder).
    """
    name = Path(deck_path).stem + suffixes[0]
    if out is None:
        return Path("site") / name
    target = Path(out)
    if out.endswith(("/", os.sep)) or target.is_dir() or target.suffix.lower() not in suffixes:
        if target.exists() and not target.is_dir():
            wanted = " or ".join(f"'{s}'" for s in suffixes)
            raise DeckError(f"-o {out}: this is a file, not a folder; give a folder, or a file "
                            f"name ending in {wanted}", code="bad-output")
        return target / name
    return target


def prepare_output(path: Path) -> None:
    """Create ``path``'s folder; refuse a path that is a folder. Errors are DeckErrors."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeckError(f"cannot create the output folder: {exc.strerror}", str(path.parent),
                        code="write-failed") from None
    if path.is_dir():
        raise DeckError("the output path is a folder", str(path), code="write-failed")


def write_atomic(path: Path, text: str | bytes) -> int:
    """Write ``text`` (or bytes) to ``path`` via a temporary file and a rename: readers see the
    old file or the new one, never half of one, and a failure leaves the old file in place.
    Returns the number of bytes written."""
    prepare_output(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
        return len(data)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DeckError(f"cannot write the output: {exc.strerror}", str(path),
                        code="write-failed") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
