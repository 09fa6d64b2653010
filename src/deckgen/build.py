"""The pipeline for one deck: read -> parse -> render -> page -> write.

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
from .highlight import resolve_style, style_css
from .model import BuildResult, DeckError, Deck, Diagnostics, RenderedSlide
from .page import PageInfo, cover_footer, page_css, render_page, render_sections
from .parse import did_you_mean, parse_deck
from .render import RenderOptions, SlideCache, render_slide
from .source import Source, read_source
from .themes import load_theme
from .transitions import check_transition

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_KANA = re.compile(r"[\u3040-\u30ff]+")
_HANGUL = re.compile(r"[\uac00-\ud7af]+")
_LATIN = re.compile(r"[A-Za-z]+")
_LANG_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")
_COVER = re.compile(r'(?:<header class="slide-header">\n)?<h1[\s>]')
_YES = frozenset({"yes", "true", "on", "1"})
_NO = frozenset({"no", "false", "off", "0", ""})


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
    deck_dir = source.path.parent
    meta = deck.meta

    theme = load_theme(meta.get("theme"), deck_dir, deck.file, deck.meta_lines.get("theme"))
    code_style = theme.pygments_style
    if meta.get("highlightStyle"):
        wanted = meta["highlightStyle"]
        code_style = resolve_style(wanted) or _unknown_style(wanted, deck, diagnostics, code_style)

    embed_remote = _embed_remote(deck, diagnostics) or embed_remote
    remote = None
    if embed_remote:
        from .remote import RemoteImages  # the network, only when asked for

        remote = RemoteImages(download=download)
    assets = Assets(deck_dir, remote)
    head_files = _deck_files(deck, "headFiles", assets, diagnostics)
    body_files = _deck_files(deck, "files", assets, diagnostics)
    transition_name = meta.get("transition", "").strip()
    transition = check_transition(transition_name, lambda message: diagnostics.warn(
        deck.meta_lines.get("transition"), "unknown-transition", message)
    ) if transition_name else ""
    options = RenderOptions(dollar_math=_use_mathjax(deck, diagnostics),
                            embed_remote=embed_remote)

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

    info = PageInfo(
        title=meta.get("title") or (slides[0].title if slides else "") or Path(deck.file).stem,
        lang=_page_lang(deck, diagnostics),
        speaker=meta.get("speaker", ""),
        date=meta.get("date", ""),
        url=meta.get("url", ""),
        transition=transition,
        transition_name=transition_name,
        head_files=head_files,
        body_files=body_files,
    )
    footer = cover_footer(info)
    if footer and slides and _COVER.match(slides[0].html):
        slides[0] = replace(slides[0], html=slides[0].html + footer)
    sections = render_sections(slides)
    css = page_css(theme.css, style_css(code_style))
    html = render_page(info, sections, css)
    return BuildResult(deck=deck, html=html, slides=slides, diagnostics=list(diagnostics),
                       sections=[str(s) for s in sections], css=css,
                       files=tuple(sorted({Path(os.path.normpath(p)) for p in (
                           source.path, *theme.files, *assets.used)})))


def _deck_files(deck: Deck, key: str, assets: Assets, diagnostics: Diagnostics
                ) -> tuple[DeckFile, ...]:
    value = deck.meta.get(key, "")
    if not value.strip():
        return ()
    line = deck.meta_lines.get(key)
    return load_deck_files(value, key, assets,
                           lambda code, message: diagnostics.warn(line, code, message))


def _use_mathjax(deck: Deck, diagnostics: Diagnostics) -> bool:
    """nodeppt's ``usemathjax: yes``: here it turns on ``$...$`` (formulas are always built)."""
    value = deck.meta.get("usemathjax", "").strip().lower()
    if value in _YES:
        return True
    if value not in _NO:
        diagnostics.warn(deck.meta_lines.get("usemathjax"), "bad-usemathjax",
                         f"usemathjax: expected 'yes' or 'no', not '{deck.meta['usemathjax']}'; "
                         "taken as 'no'")
    return False


def _embed_remote(deck: Deck, diagnostics: Diagnostics) -> bool:
    """``embedRemote: yes``: download remote images and embed them (as ``--embed-remote``)."""
    value = deck.meta.get("embedRemote", "").strip().lower()
    if value in _YES:
        return True
    if value not in _NO:
        diagnostics.warn(deck.meta_lines.get("embedRemote"), "bad-embed-remote",
                         f"embedRemote: expected 'yes' or 'no', not '{deck.meta['embedRemote']}'; "
                         "taken as 'no'")
    return False


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


def _unknown_style(wanted: str, deck: Deck, diagnostics: Diagnostics, fallback: str) -> str:
    from .highlight import HLJS_STYLES, pygments_styles

    names = sorted(set(pygments_styles()) | set(HLJS_STYLES))
    diagnostics.warn(deck.meta_lines.get("highlightStyle"), "unknown-highlight-style",
                     f"unknown highlightStyle '{wanted}'{did_you_mean(wanted, names)}; "
                     f"using the theme's '{fallback}'")
    return fallback


def _page_lang(deck: Deck, diagnostics: Diagnostics) -> str:
    lang = deck.meta.get("lang", "").strip()
    if lang:
        if _LANG_TAG.match(lang):
            return lang
        diagnostics.warn(deck.meta_lines.get("lang"), "bad-lang",
                         f"'{lang}' is not a language tag (like en or zh-CN); detecting instead")
    return detect_lang(deck.meta.get("title", "") + "\n" +
                       "\n".join(slide.source for slide in deck.slides))


def detect_lang(text: str) -> str:
    """zh-CN for mostly-CJK text (ja with kana, ko with hangul), else en.

    "Mostly" compares CJK characters with Latin words: one Chinese character carries
    about as much as one English word.
    """
    cjk = sum(map(len, _CJK.findall(text)))  # runs, not characters: far fewer matches
    kana = sum(map(len, _KANA.findall(text)))
    hangul = sum(map(len, _HANGUL.findall(text)))
    words = len(_LATIN.findall(text))
    if kana + cjk + hangul <= words:
        return "en"
    if kana > (cjk + kana) * 0.1:
        return "ja"
    if hangul > cjk:
        return "ko"
    return "zh-CN"


# -- output -------------------------------------------------------------------------------------

def output_path(deck_path: str | os.PathLike[str], out: str | None) -> Path:
    """Where ``build`` writes: ``site/<stem>.html`` by default; ``-o`` is a file if it ends in
    ``.html``/``.htm``, else a folder."""
    stem = Path(deck_path).stem + ".html"
    if out is None:
        return Path("site") / stem
    target = Path(out)
    if out.endswith(("/", os.sep)) or target.is_dir() or target.suffix.lower() not in (
            ".html", ".htm"):
        return target / stem
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


def write_atomic(path: Path, text: str) -> int:
    """Write ``text`` to ``path`` via a temporary file and a rename: readers see the old file or
    the new one, never half of one, and a failure leaves the old file in place. Returns the
    number of bytes written."""
    prepare_output(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        data = text.encode("utf-8")
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
