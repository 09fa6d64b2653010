"""The pipeline for one deck: read -> parse -> render -> page -> write.

Each stage only consumes what the previous one produced. Warnings from every stage collect in one
``Diagnostics`` list; a problem that stops the build is a ``DeckError``.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .assets import Assets
from .highlight import resolve_style, style_css
from .model import BuildResult, DeckError, Deck, Diagnostics
from .page import PageInfo, page_css, render_page, render_sections
from .parse import did_you_mean, parse_deck
from .render import SlideCache, render_slide
from .source import Source, read_source
from .themes import load_theme

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_KANA = re.compile(r"[\u3040-\u30ff]+")
_HANGUL = re.compile(r"[\uac00-\ud7af]+")
_LATIN = re.compile(r"[A-Za-z]+")
_LANG_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")


def build_file(path: str | os.PathLike[str], encoding: str | None = None) -> BuildResult:
    """Read and build one deck file."""
    return build_source(read_source(path, encoding))


def build_text(text: str, file: str = "deck.txt", base: Path | None = None) -> BuildResult:
    """Build a deck from text (``base`` is the folder its relative paths start from)."""
    from .source import normalize_newlines

    if text.startswith("\ufeff"):
        text = text[1:]
    root = (base or Path.cwd()).resolve()
    return build_source(Source(root / Path(file).name, file, normalize_newlines(text)))


def build_source(source: Source, cache: SlideCache | None = None) -> BuildResult:
    """Build a deck from its source; ``cache`` (from ``serve``) re-renders only changed slides."""
    diagnostics = Diagnostics(source.display)
    deck = parse_deck(source.text, source.display, diagnostics)
    deck_dir = source.path.parent
    meta = deck.meta

    theme = load_theme(meta.get("theme"), deck_dir, deck.file, deck.meta_lines.get("theme"))
    code_style = theme.pygments_style
    if meta.get("highlightStyle"):
        wanted = meta["highlightStyle"]
        code_style = resolve_style(wanted) or _unknown_style(wanted, deck, diagnostics, code_style)

    assets = Assets(deck_dir)
    render = cache.render if cache is not None else render_slide
    slides = [render(slide, diagnostics, assets) for slide in deck.slides]
    if cache is not None:
        cache.sweep()

    info = PageInfo(
        title=meta.get("title") or (slides[0].title if slides else "") or Path(deck.file).stem,
        lang=_page_lang(deck, diagnostics),
        speaker=meta.get("speaker", ""),
        date=meta.get("date", ""),
        url=meta.get("url", ""),
        transition=meta.get("transition", ""),
    )
    sections = render_sections(slides)
    css = page_css(theme.css, style_css(code_style))
    html = render_page(info, sections, css)
    return BuildResult(deck=deck, html=html, slides=slides, diagnostics=list(diagnostics),
                       sections=[str(s) for s in sections], css=css,
                       files=tuple(sorted({Path(os.path.normpath(p)) for p in (
                           source.path, *theme.files, *assets.used)})))


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


def write_atomic(path: Path, text: str) -> int:
    """Write ``text`` to ``path`` via a temporary file and a rename: readers see the old file or
    the new one, never half of one, and a failure leaves the old file in place. Returns the
    number of bytes written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeckError(f"cannot create the output folder: {exc.strerror}", str(path.parent),
                        code="write-failed") from None
    if path.is_dir():
        raise DeckError("the output path is a folder", str(path), code="write-failed")
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
