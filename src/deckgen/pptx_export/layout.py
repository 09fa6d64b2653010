"""Where each block of a slide goes: a vertical stack on deckgen's 1280x720 canvas, the way the
page lays it out (``templates/deck.css``): 72px side and 44px top padding, content centred
vertically, and a slide whose content is too tall scaled down as a whole until it fits (as
``runtime/fit.js`` does; PowerPoint cannot scroll, so the scale goes lower than the page's).

PowerPoint lays text out itself, so heights here are estimates: text widths from Arial's and
Consolas's advance widths (a CJK character is one em), greedy line breaking, and the exact
line spacing the writer sets (so a line is as tall as here whatever font renders it).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .content import (
    BREAK,
    CodeBlock,
    ImageBlock,
    Paragraph,
    PartsBlock,
    RuleBlock,
    SlideContent,
    TableBlock,
    TextBlock,
)

SLIDE_WIDTH = 1280.0
SLIDE_HEIGHT = 720.0
PAD_X = 72.0
PAD_Y = 44.0
PAD_Y_SCALED = 20.0  # .slide.is-scaled
CONTENT_WIDTH = SLIDE_WIDTH - 2 * PAD_X
MIN_SCALE = 0.35
LIST_INDENT = 42.0
BULLET_HANG = 27.0
QUOTE_BAR = 6.0
CODE_PAD = (12.0, 18.0)   # 0.6em 0.9em of 20px
QUOTE_PAD = (15.0, 30.0)  # 0.5em 1em of 30px
CELL_PAD = (7.2, 16.8)    # 0.3em 0.7em of 24px
RULE_MARGIN = 24.0
CODE_LINE_HEIGHT = 1.3
IMAGE_GAP = 9.0
# Arial's advance widths (1/1000 em) for ASCII; Consolas is 0.55 em throughout.
_ARIAL = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~",
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
     556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
     1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
     667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
     333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
     556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)))
MONO_WIDTH = 0.55
SAFETY = 1.02  # PowerPoint's breaks and the estimate's differ: err on the wide side


@lru_cache(maxsize=8192)
def char_width(ch: str, mono: bool = False) -> float:
    """The advance of one character, in em."""
    if ch in "\u200b\u200c\u200d\ufeff":
        return 0.0
    if is_wide(ch):
        return 1.0
    if mono:
        return MONO_WIDTH
    found = _ARIAL.get(ch)
    if found is not None:
        return found / 1000
    if ch == "\u00a0":
        return 0.278
    return 0.6


@lru_cache(maxsize=8192)
def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@lru_cache(maxsize=4096)
def _pieces(runs: tuple) -> tuple:
    """The units the line breaker places, in em of the paragraph's size: (width, breakable
    after) for a word with its trailing space or one CJK character; None for a line break."""
    out: list = []
    for run in runs:
        if run.text == BREAK:
            out.append(None)
            continue
        em = run.size * (1.06 if run.bold else 1.0) * SAFETY
        word = 0.0
        for ch in run.text:
            width = char_width(ch, run.mono) * em
            if is_wide(ch):
                if word:
                    out.append((word, False))
                    word = 0.0
                out.append((width, True))
            elif ch == " ":
                out.append((word + width, True))
                word = 0.0
            else:
                word += width
        if word:
            out.append((word, False))
    return tuple(out)


def count_lines(runs: tuple, size: float, width: float) -> int:
    """Lines the runs take at ``size`` px in a box ``width`` px wide (at least one)."""
    if width <= 1:
        return max(1, len(runs))
    width = width / size  # in em from here on
    lines = 1
    line = 0.0
    pending = 0.0  # an unbreakable stretch in progress (a word split across runs)
    for piece in _pieces(runs):
        if piece is None:
            lines += 1
            line = pending = 0.0
            continue
        advance, breakable = piece
        pending += advance
        if breakable:
            if line + pending > width and line > 0:
                lines += 1
                line = 0.0
            while pending > width:  # a word longer than the line is broken anywhere
                lines += 1
                pending -= width
            line += pending
            pending = 0.0
    if pending:
        if line + pending > width and line > 0:
            lines += 1
            line = 0.0
        while pending > width:
            lines += 1
            pending -= width
    return lines


def natural_width(runs: tuple, size: float) -> float:
    """The width in px of the longest line without wrapping."""
    best = line = 0.0
    for piece in _pieces(runs):
        if piece is None:
            best, line = max(best, line), 0.0
        else:
            line += piece[0]
    return max(best, line) * size


@dataclass(slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(slots=True)
class Placed:
    """A block and where it goes, in px of the 1280x720 canvas, at the slide's scale."""

    block: object
    box: Box
    gaps: list[float] = field(default_factory=list)
    """Text blocks: the space before each paragraph (px); the first is 0."""
    columns: list[float] = field(default_factory=list)
    rows: list[float] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)


@dataclass(slots=True)
class SlideLayout:
    placed: list[Placed]
    scale: float
    overflow: bool
    """Too tall even at ``MIN_SCALE``: the bottom runs off the slide."""


def _gap(before: Paragraph | None, after: Paragraph) -> float:
    return max(before.space_after, after.space_before) if before else 0.0


def paragraph_indent(paragraph: Paragraph, scale: float) -> float:
    return LIST_INDENT * paragraph.level * scale


def _text_height(paragraphs, width: float, scale: float, gaps: list[float] | None = None
                 ) -> float:
    height = 0.0
    previous = None
    for paragraph in paragraphs:
        gap = _gap(previous, paragraph) * scale
        if gaps is not None:
            gaps.append(gap)
        size = paragraph.size * scale
        inner = width - paragraph_indent(paragraph, scale)
        lines = count_lines(paragraph.runs, size, inner)
        height += gap + lines * size * paragraph.line_height
        previous = paragraph
    return height


def _text_width(block: TextBlock, scale: float) -> float:
    return max((natural_width(p.runs, p.size * scale) + paragraph_indent(p, scale)
                for p in block.paragraphs), default=0.0)


class _Stacker:
    def __init__(self, width: float, scale: float) -> None:
        self.width = width
        self.scale = scale

    def measure(self, block, x: float, y: float) -> tuple[list[Placed], float, float]:
        """The placed pieces of ``block`` at (x, y), its height and its margin below."""
        s = self.scale
        w = self.width
        if isinstance(block, TextBlock):
            if block.kind == "quote":
                pad_y, pad_x = QUOTE_PAD[0] * s, QUOTE_PAD[1] * s
                inner = w - 2 * pad_x - QUOTE_BAR * s
                gaps: list[float] = []
                height = _text_height(block.paragraphs, inner, s, gaps) + 2 * pad_y
                box_width = w
                box_x = x
                if block.align_right:
                    box_width = min(w, _text_width(block, s) + 2 * pad_x + QUOTE_BAR * s)
                    box_x = x + w - box_width
                return [Placed(block, Box(box_x, y, box_width, height), gaps)], height, 15.0 * s
            gaps = []
            height = _text_height(block.paragraphs, w, s, gaps)
            last = block.paragraphs[-1] if block.paragraphs else None
            return ([Placed(block, Box(x, y, w, height), gaps)], height,
                    (last.space_after if last else 0.0) * s)
        if isinstance(block, CodeBlock):
            size = block.size * s
            pad_y, pad_x = CODE_PAD[0] * s, CODE_PAD[1] * s
            inner = w - 2 * pad_x
            lines = sum(count_lines(line, size, inner) if line else 1 for line in block.lines)
            height = lines * size * CODE_LINE_HEIGHT + 2 * pad_y
            return [Placed(block, Box(x, y, w, height))], height, block.space_after * s
        if isinstance(block, TableBlock):
            return self._table(block, x, y)
        if isinstance(block, ImageBlock):
            return self._images(block, x, y)
        if isinstance(block, RuleBlock):
            height = 2 * s
            return ([Placed(block, Box(x, y + RULE_MARGIN * s, w, height))],
                    height + 2 * RULE_MARGIN * s, 0.0)
        if isinstance(block, PartsBlock):
            placed: list[Placed] = []
            tallest = 0.0
            margin = 0.0
            for part in block.parts:
                part_placed, height, margin_after = self.stack(part, x, y)
                placed.extend(part_placed)
                tallest = max(tallest, height)
                margin = max(margin, margin_after)
            return placed, tallest, margin
        return [], 0.0, 0.0

    def stack(self, blocks, x: float, y: float) -> tuple[list[Placed], float, float]:
        placed: list[Placed] = []
        top = y
        margin = 0.0
        first = True
        for block in blocks:
            if not first:
                y += max(margin, self._margin_before(block))
            pieces, height, margin = self.measure(block, x, y)
            placed.extend(pieces)
            y += height
            first = False
        return placed, y - top, margin

    def _margin_before(self, block) -> float:
        if isinstance(block, TextBlock) and block.paragraphs:
            return block.paragraphs[0].space_before * self.scale
        return 0.0

    def _table(self, block: TableBlock, x: float, y: float):
        s = self.scale
        pad_y, pad_x = CELL_PAD[0] * s, CELL_PAD[1] * s
        columns = len(block.rows[0]) if block.rows else 0
        natural = [2 * pad_x + 1] * columns
        for row in block.rows:
            for c, cell in enumerate(row):
                if cell is None or cell.col_span != 1:
                    continue
                for paragraph in cell.paragraphs:
                    natural[c] = max(natural[c], natural_width(paragraph.runs, paragraph.size * s)
                                     + 2 * pad_x)
        total = sum(natural)
        if total > self.width:
            # Too wide: the columns with the most text give up room, as a browser's would.
            fair = self.width / max(1, columns)
            small = sum(width for width in natural if width <= fair)
            wide = [width for width in natural if width > fair]
            room = self.width - small
            widths = [width if width <= fair else room * width / sum(wide) for width in natural]
        else:
            widths = natural
        heights = []
        for row in block.rows:
            tallest = 2 * pad_y + block.size * s * 1.45  # one line
            for c, cell in enumerate(row):
                if cell is None or cell.row_span != 1:
                    continue
                width = sum(widths[c:c + cell.col_span]) - 2 * pad_x
                height = _text_height(cell.paragraphs, width, s) + 2 * pad_y
                tallest = max(tallest, height)
            heights.append(tallest)
        table_width = sum(widths)
        height = sum(heights)
        return ([Placed(block, Box(x, y, table_width, height), columns=widths, rows=heights)],
                height, block.space_after * s)

    def _images(self, block: ImageBlock, x: float, y: float):
        s = self.scale
        sizes = [(image.width * s, image.height * s) for image in block.images]
        gap = IMAGE_GAP * s
        total = sum(w for w, _ in sizes) + gap * (len(sizes) - 1)
        if total > self.width:  # max-width: 100% (and a row of images shares the line)
            shrink = (self.width - gap * (len(sizes) - 1)) / sum(w for w, _ in sizes)
            sizes = [(w * shrink, h * shrink) for w, h in sizes]
            total = self.width
        height = max(h for _, h in sizes)
        if block.align == "center":
            left = x + (self.width - total) / 2
        elif block.align == "right":
            left = x + self.width - total
        else:
            left = x
        boxes = []
        for w, h in sizes:
            boxes.append(Box(left, y + height - h, w, h))  # images sit on the baseline
            left += w + gap
        return ([Placed(block, Box(x, y, self.width, height), images=boxes)], height,
                block.space_after * s)


def layout_slide(content: SlideContent) -> SlideLayout:
    """Place the slide's blocks: the largest scale (at most 1) at which they fit, centred."""
    def attempt(scale: float):
        stacker = _Stacker(CONTENT_WIDTH, scale)
        placed, height, _ = stacker.stack(content.blocks, PAD_X, 0.0)
        return placed, height

    placed, height = attempt(1.0)
    available = SLIDE_HEIGHT - 2 * PAD_Y
    scale = 1.0
    overflow = False
    if height > available + 0.5:
        available = SLIDE_HEIGHT - 2 * PAD_Y_SCALED
        low, high = MIN_SCALE, 1.0
        placed_low, height_low = attempt(low)
        if height_low > available + 0.5:
            placed, height, scale, overflow = placed_low, height_low, low, True
        else:
            best = (placed_low, height_low, low)
            for _ in range(8):
                mid = (low + high) / 2
                trial, trial_height = attempt(mid)
                if trial_height <= available + 0.5:
                    low, best = mid, (trial, trial_height, mid)
                else:
                    high = mid
            placed, height, scale = best
    pad = PAD_Y if scale == 1.0 else PAD_Y_SCALED
    top = pad + max(0.0, (available - height) / 2)
    for item in placed:
        item.box.y += top
        for image in item.images:
            image.y += top
    return SlideLayout(placed, scale, overflow)
