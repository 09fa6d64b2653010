"""Laid-out slides -> a .pptx file, with python-pptx.

The file starts from python-pptx's default template made 16:9 (13.333 x 7.5 in, so one CSS
pixel of deckgen's 1280x720 canvas is 9525 EMU and 0.75 pt), its theme given the deck's
colours and fonts (Arial, Consolas for code, Microsoft YaHei for East Asian text). Text is
written as DrawingML paragraphs directly (python-pptx has no API for bullets, East Asian fonts,
highlights or exact line spacing); each run names its Latin and East Asian typefaces, so Chinese
text keeps a CJK font whatever the theme says.

The file is deterministic: fixed document dates, and the zip rewritten with fixed timestamps.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.shapes.picture import Picture
from pptx.slide import Slide
from pptx.util import Emu

from .colors import Palette
from .content import (
    BREAK,
    CodeBlock,
    ImageBlock,
    Paragraph,
    RuleBlock,
    Run,
    SlideContent,
    TableBlock,
    TextBlock,
)
from .layout import (
    BULLET_HANG,
    CELL_PAD,
    CODE_LINE_HEIGHT,
    CODE_PAD,
    PAD_X,
    PAD_Y,
    QUOTE_BAR,
    QUOTE_PAD,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    Box,
    Placed,
    SlideLayout,
    paragraph_indent,
)
from .timing import Effect, timing_xml

EMU_PER_PX = 9525
LATIN_FONT = "Arial"
MONO_FONT = "Consolas"
EA_FONT = "Microsoft YaHei"
"""Windows' and Office's Chinese UI face; PowerPoint on a Mac without it substitutes PingFang,
LibreOffice asks fontconfig (WenQuanYi, Noto Sans CJK)."""
EA_FONTS = {"Hans": "Microsoft YaHei", "Hant": "Microsoft JhengHei", "Jpan": "Yu Gothic",
            "Hang": "Malgun Gothic"}
FIXED_DATE = datetime(2000, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # "No Style, No Grid"
_NSDECLS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ffff]")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ALIGN = {"left": "l", "center": "ctr", "right": "r"}


def px(value: float) -> Emu:
    return Emu(round(value * EMU_PER_PX))


def _centipoints(size_px: float) -> int:
    """A font size in hundredths of a point, within DrawingML's 1-4000 pt."""
    return max(100, min(400000, round(size_px * 75)))


def _spacing(size_px: float) -> int:
    """A paragraph spacing in hundredths of a point, within DrawingML's 0-1584 pt."""
    return max(0, min(158400, round(size_px * 75)))


def clean(text: str, limit: int | None = None) -> str:
    """Text XML can hold (no control characters), at most ``limit`` characters."""
    text = _XML_ILLEGAL.sub("", text)
    return text[:limit] if limit is not None else text


def _has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@lru_cache(maxsize=8)
def template(bg: str, fg: str, accent: str) -> bytes:
    """python-pptx's default template, 16:9, its theme in the deck's colours and fonts.

    Edited as a zip (python-pptx's own file), not loaded and saved: the slide size, the master's
    and layouts' placeholders widened so they keep their place, the theme's colours and fonts.
    """
    import pptx

    source = Path(pptx.__file__).parent / "templates" / "default.pptx"
    data = source.read_bytes()
    with zipfile.ZipFile(BytesIO(data)) as package:
        size = re.search(rb'<p:sldSz cx="(\d+)"', package.read("ppt/presentation.xml"))
        names = package.namelist()
    if size is None:
        raise RuntimeError(f"{source}: no slide size (p:sldSz) in ppt/presentation.xml")
    width = int(size.group(1))
    ratio = px(SLIDE_WIDTH) / width
    changes = {"ppt/presentation.xml": _slide_size,
               "ppt/theme/theme1.xml": lambda xml: _theme(xml, bg, fg, accent)}
    for name in names:
        if re.fullmatch(r"ppt/slide(Master|Layout)s/slide(Master|Layout)\d+\.xml", name):
            changes[name] = lambda xml: _widen(xml, ratio)
    return _rewrite(data, changes)


def _slide_size(xml: bytes) -> bytes:
    return re.sub(rb'<p:sldSz [^>]*/>', f'<p:sldSz cx="{px(SLIDE_WIDTH)}" '
                  f'cy="{px(SLIDE_HEIGHT)}"/>'.encode(), xml, count=1)


def _widen(xml: bytes, ratio: float) -> bytes:
    """Placeholders' left edges and widths scaled from the 4:3 slide to the 16:9 one."""
    root = etree.fromstring(xml)
    for xfrm in root.iter(qn("a:xfrm")):
        parent = xfrm.getparent()
        if parent is None or parent.tag != qn("p:spPr"):
            continue
        offset, extent = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        if offset is not None and extent is not None:  # both have their attributes (schema)
            offset.set("x", str(round(int(offset.attrib["x"]) * ratio)))
            extent.set("cx", str(round(int(extent.attrib["cx"]) * ratio)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _theme(xml: bytes, bg: str, fg: str, accent: str) -> bytes:
    root = etree.fromstring(xml)

    def color(name: str, value: str) -> None:
        for slot in root.iter(f"{_A}{name}"):
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, f"{_A}srgbClr", val=value)

    color("dk1", fg)
    color("lt1", bg)
    color("accent1", accent)
    color("hlink", accent)
    for font in ("majorFont", "minorFont"):
        for scheme in root.iter(f"{_A}{font}"):
            for child, typeface in (("latin", LATIN_FONT), ("ea", EA_FONT)):
                element = scheme.find(f"{_A}{child}")
                if element is None:  # both are required children of a font scheme
                    raise RuntimeError(f"theme: a:{font} has no a:{child}")
                element.set("typeface", typeface)
            for script in scheme.iter(f"{_A}font"):
                east_asian = EA_FONTS.get(script.get("script", ""))
                if east_asian is not None:
                    script.set("typeface", east_asian)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite(data: bytes, changes: dict | None = None) -> bytes:
    """The zip again, members in the same order, with fixed timestamps (and ``changes``:
    member name -> function of its bytes)."""
    changes = changes or {}
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in changes:
                content = changes[info.filename](content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


class PptxWriter:
    """Builds the presentation one slide at a time."""

    def __init__(self, palette: Palette, *, title: str = "", author: str = "",
                 lang: str = "zh-CN") -> None:
        self.palette = palette
        self.prs = Presentation(BytesIO(template(palette.bg, palette.fg, palette.accent)))
        self.title_layout = self.prs.slide_layouts[5]  # Title Only
        self.blank_layout = self.prs.slide_layouts[6]  # Blank
        self.cjk_lang = lang if lang.split("-")[0].lower() in ("zh", "ja", "ko") else "zh-CN"
        core = self.prs.core_properties
        core.title = clean(title, 255)  # python-pptx refuses longer values
        core.author = clean(author, 255)
        core.last_modified_by = "deckgen"
        core.created = core.modified = core.last_printed = FIXED_DATE
        core.revision = 1
        core.subject = core.keywords = core.comments = core.category = ""
        self._current: Slide | None = None
        self._clicks: dict[int, list[Effect]] = {}

    @property
    def _slide(self) -> Slide:
        """The slide being written: the last one ``_new_slide`` added."""
        if self._current is None:
            raise RuntimeError("PptxWriter: no slide added yet")
        return self._current

    # -- slides ----------------------------------------------------------------------------

    def add_slide(self, content: SlideContent, layout: SlideLayout) -> Slide:
        """An editable slide: text boxes, tables and pictures where ``layout`` put them."""
        slide = self._new_slide(content)
        for placed in layout.placed:
            self._place(placed, layout.scale)
        self._finish(content)
        return slide

    def add_picture_slide(self, content: SlideContent, pictures: list[bytes]) -> Slide:
        """A slide that is a picture (one per step: each later one appears on a click), with
        the title in a title placeholder under the picture, for the outline."""
        slide = self._new_slide(content)
        if content.title:
            size = 44.0
            heading = Paragraph((Run(content.title),), size, "heading", bold=True,
                                color=self.palette.heading, line_height=1.2)
            block = TextBlock((heading,), "title")
            self._place(Placed(block, Box(PAD_X, PAD_Y, SLIDE_WIDTH - 2 * PAD_X, size * 1.2)),
                        1.0)
        for step, png in enumerate(pictures):
            picture = slide.shapes.add_picture(BytesIO(png), Emu(0), Emu(0), px(SLIDE_WIDTH),
                                               px(SLIDE_HEIGHT))
            name = f"Slide {content.index}" + (f" (step {step})" if step else "")
            picture.name = name
            _describe(picture, f"{content.title or name}: picture of the slide as deckgen shows it")
            if step:
                self._effect(step, Effect(picture.shape_id, text=False))
        self._finish(content)
        return slide

    def _new_slide(self, content: SlideContent) -> Slide:
        layout = self.title_layout if content.title else self.blank_layout
        self._current = self.prs.slides.add_slide(layout)
        self._clicks = {}
        if content.background is not None:
            self._background(content.background)
        return self._current

    def _finish(self, content: SlideContent) -> None:
        slide = self._slide
        if content.notes:
            frame = slide.notes_slide.notes_text_frame
            assert frame is not None  # the default template's notes master has a notes body
            body = frame._txBody
            for p in body.findall(qn("a:p")):
                body.remove(p)
            for paragraph in content.notes:
                body.append(self._paragraph(paragraph, 1.0, None, notes=True))
        timing = timing_xml([self._clicks[k] for k in sorted(self._clicks)])
        if timing:
            slide._element.append(parse_xml(timing))
        etree.cleanup_namespaces(slide._element)  # the paragraphs' own xmlns declarations

    def _effect(self, click: int, effect: Effect) -> None:
        self._clicks.setdefault(click, []).append(effect)

    def _animate(self, shape_id: int, appear: int, vanish: int | None, text: bool,
                 paragraphs: tuple[Paragraph, ...] = ()) -> None:
        """Effects for a shape: it appears at ``appear`` (or its paragraphs at theirs) and
        vanishes at ``vanish``."""
        appears = [max(appear, p.appear) for p in paragraphs]
        if paragraphs and len(set(appears)) > 1:
            start = 0
            while start < len(appears):
                end = start
                while end + 1 < len(appears) and appears[end + 1] == appears[start]:
                    end += 1
                if appears[start] > 0:
                    self._effect(appears[start], Effect(shape_id, (start, end), text=text))
                start = end + 1
        elif (appears[0] if appears else appear) > 0:
            self._effect(appears[0] if appears else appear, Effect(shape_id, text=text))
        if vanish is not None:
            self._effect(vanish, Effect(shape_id, exit=True, text=text))

    # -- blocks ----------------------------------------------------------------------------

    def _place(self, placed: Placed, scale: float) -> None:
        block = placed.block
        if isinstance(block, TextBlock):
            self._text(block, placed, scale)
        elif isinstance(block, CodeBlock):
            self._code(block, placed, scale)
        elif isinstance(block, TableBlock):
            self._table(block, placed, scale)
        elif isinstance(block, ImageBlock):
            for image, box in zip(block.images, placed.images):
                picture = self._slide.shapes.add_picture(BytesIO(image.data), px(box.x),
                                                         px(box.y), px(box.w), px(box.h))
                if image.alt:
                    _describe(picture, image.alt)
                self._animate(picture.shape_id, block.appear, block.vanish, text=False)
        elif isinstance(block, RuleBlock):
            box = placed.box
            rule = self._slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, px(box.x), px(box.y),
                                                px(box.w), px(max(box.h, 1)))
            rule.fill.solid()
            rule.fill.fore_color.rgb = _rgb(block.color)
            rule.line.fill.background()
            rule.shadow.inherit = False
            rule.name = "Rule"
            self._animate(rule.shape_id, block.appear, block.vanish, text=False)

    def _text(self, block: TextBlock, placed: Placed, scale: float) -> None:
        box = placed.box
        shapes = self._slide.shapes
        if block.kind == "title" and self._slide.shapes.title is not None \
                and not self._title_used():
            shape = self._slide.shapes.title
            shape.left, shape.top, shape.width, shape.height = (px(box.x), px(box.y), px(box.w),
                                                                px(box.h))
            inset = (0.0, 0.0)
        elif block.kind == "quote":
            bar = shapes.add_shape(MSO_SHAPE.RECTANGLE, px(box.x + (box.w - QUOTE_BAR * scale
                                                                   if block.align_right else 0)),
                                   px(box.y), px(QUOTE_BAR * scale), px(box.h))
            bar.fill.solid()
            bar.fill.fore_color.rgb = _rgb(block.accent or self.palette.accent)
            bar.line.fill.background()
            bar.shadow.inherit = False
            bar.name = "Quote bar"
            self._animate(bar.shape_id, min(p.appear for p in block.paragraphs), block.vanish,
                          text=False)
            left = box.x if block.align_right else box.x + QUOTE_BAR * scale
            shape = shapes.add_textbox(px(left), px(box.y), px(box.w - QUOTE_BAR * scale),
                                       px(box.h))
            shape.name = "Quote"
            shape.fill.solid()
            shape.fill.fore_color.rgb = _rgb(block.fill or self.palette.quote_bg)
            inset = (QUOTE_PAD[0] * scale, QUOTE_PAD[1] * scale)
        else:
            shape = shapes.add_textbox(px(box.x), px(box.y), px(box.w), px(box.h))
            shape.name = "Text"
            inset = (0.0, 0.0)
        frame = shape.text_frame
        self._frame(frame, inset)
        body = frame._txBody
        for p in body.findall(qn("a:p")):
            body.remove(p)
        for paragraph, gap in zip(block.paragraphs, placed.gaps or [0.0] * len(block.paragraphs)):
            body.append(self._paragraph(paragraph, scale, gap))
        self._animate(shape.shape_id, block.appear, block.vanish, text=True,
                      paragraphs=block.paragraphs)

    def _title_used(self) -> bool:
        title = self._slide.shapes.title
        return title is not None and title.has_text_frame and bool(title.text_frame.text)

    @staticmethod
    def _frame(frame, inset: tuple[float, float]) -> None:
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_top = frame.margin_bottom = px(inset[0])
        frame.margin_left = frame.margin_right = px(inset[1])

    def _code(self, block: CodeBlock, placed: Placed, scale: float) -> None:
        box = placed.box
        shape = self._slide.shapes.add_textbox(px(box.x), px(box.y), px(box.w), px(box.h))
        shape.name = "Code"
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(block.background)
        shape.line.color.rgb = _rgb(self.palette.border)
        shape.line.width = px(1)
        frame = shape.text_frame
        self._frame(frame, (CODE_PAD[0] * scale, CODE_PAD[1] * scale))
        body = frame._txBody
        for p in body.findall(qn("a:p")):
            body.remove(p)
        for line in block.lines or ((),):
            paragraph = Paragraph(tuple(line), block.size, "code", color=block.color,
                                  line_height=CODE_LINE_HEIGHT)
            body.append(self._paragraph(paragraph, scale, 0.0, mono=True))
        self._animate(shape.shape_id, block.appear, block.vanish, text=True)

    def _table(self, block: TableBlock, placed: Placed, scale: float) -> None:
        box = placed.box
        rows, columns = len(block.rows), len(block.rows[0])
        frame = self._slide.shapes.add_table(rows, columns, px(box.x), px(box.y), px(box.w),
                                             px(box.h))
        frame.name = "Table"
        table = frame.table
        tbl = table._tbl
        tbl_pr = tbl.tblPr
        assert tbl_pr is not None  # python-pptx writes a new table with its a:tblPr
        tbl_pr.set("firstRow", "1" if block.header_rows else "0")
        tbl_pr.set("bandRow", "0")
        style_id = tbl_pr.find(qn("a:tableStyleId"))
        if style_id is None:
            style_id = etree.SubElement(tbl_pr, qn("a:tableStyleId"))
        style_id.text = NO_STYLE_TABLE
        for c, width in enumerate(placed.columns):
            table.columns[c].width = px(width)
        for r, height in enumerate(placed.rows):
            table.rows[r].height = px(height)
        pad_y, pad_x = CELL_PAD[0] * scale, CELL_PAD[1] * scale
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                target = table.cell(r, c)
                if cell.row_span > 1 or cell.col_span > 1:
                    target.merge(table.cell(min(rows, r + cell.row_span) - 1,
                                            min(columns, c + cell.col_span) - 1))
                target.margin_top = target.margin_bottom = px(pad_y)
                target.margin_left = target.margin_right = px(pad_x)
                target.vertical_anchor = MSO_ANCHOR.TOP
                body = target.text_frame._txBody
                for p in body.findall(qn("a:p")):
                    body.remove(p)
                paragraphs = cell.paragraphs or (Paragraph((), block.size, "cell"),)
                for paragraph in paragraphs:
                    if cell.header:
                        paragraph = Paragraph(paragraph.runs, paragraph.size, "cell",
                                              align=paragraph.align, bold=True,
                                              line_height=paragraph.line_height)
                    body.append(self._paragraph(paragraph, scale, 0.0))
                if cell.header or r < block.header_rows:
                    target.fill.solid()
                    target.fill.fore_color.rgb = _rgb(self.palette.quote_bg)
                else:
                    target.fill.background()
        for tc in tbl.iter_tcs():
            _borders(tc.get_or_add_tcPr(), self.palette.border)
        self._animate(frame.shape_id, block.appear, block.vanish, text=False)

    def _background(self, background) -> None:
        slide = self._slide
        if background.image is not None:
            from PIL import Image as PILImage

            _, rid = slide.part.get_or_add_image_part(BytesIO(background.image))
            with PILImage.open(BytesIO(background.image)) as image:
                width, height = image.size
            # background-size: cover: crop the picture to the slide's shape.
            aspect = width / max(1, height)
            slide_aspect = SLIDE_WIDTH / SLIDE_HEIGHT
            crop = ""
            if aspect > slide_aspect:
                side = round((1 - slide_aspect / aspect) / 2 * 100000)
                crop = f' l="{side}" r="{side}"'
            elif aspect < slide_aspect:
                side = round((1 - aspect / slide_aspect) / 2 * 100000)
                crop = f' t="{side}" b="{side}"'
            bg = parse_xml(f'<p:bg {_NSDECLS}><p:bgPr><a:blipFill dpi="0" rotWithShape="1">'
                           f'<a:blip r:embed="{rid}"/><a:srcRect{crop}/><a:stretch><a:fillRect/>'
                           f'</a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg>')
            c_sld = slide._element.cSld
            old = c_sld.find(qn("p:bg"))
            if old is not None:
                c_sld.remove(old)
            c_sld.insert(0, bg)
        elif background.color:
            fill = slide.background.fill
            fill.solid()
            fill.fore_color.rgb = _rgb(background.color)

    # -- text ------------------------------------------------------------------------------

    def _paragraph(self, paragraph: Paragraph, scale: float, gap: float | None,
                   mono: bool = False, notes: bool = False):
        size = paragraph.size * scale
        attrs = []
        if paragraph.align in _ALIGN:
            attrs.append(f'algn="{_ALIGN[paragraph.align]}"')
        if paragraph.level and not notes:
            indent = paragraph_indent(paragraph, scale)
            attrs.append(f'marL="{px(indent)}"')
            attrs.append(f'lvl="{min(8, paragraph.level - 1)}"')
            if paragraph.bullet:
                attrs.append(f'indent="{-px(BULLET_HANG * scale)}"')
            else:
                attrs.append('indent="0"')
        else:
            attrs.append('marL="0" indent="0"')
        children = []
        if not notes:
            children.append(f'<a:lnSpc><a:spcPts val="{_spacing(size * paragraph.line_height)}"/>'
                            f'</a:lnSpc>')
            children.append(f'<a:spcBef><a:spcPts val="{_spacing(gap or 0)}"/></a:spcBef>')
            children.append('<a:spcAft><a:spcPts val="0"/></a:spcAft>')
        default_color = self._default_color(paragraph)
        if paragraph.bullet and paragraph.level and not notes:
            children.append(f'<a:buClr><a:srgbClr val="{default_color}"/></a:buClr>')
            if paragraph.number is not None:
                start = max(1, min(32767, paragraph.number))  # DrawingML's range
                children.append(f'<a:buFont typeface="+mj-lt"/><a:buAutoNum '
                                f'type="{paragraph.numbering}" startAt="{start}"/>')
            else:
                children.append(f'<a:buFont typeface="{LATIN_FONT}"/>'
                                f'<a:buChar char={quoteattr(clean(paragraph.bullet))}/>')
        else:
            children.append("<a:buNone/>")
        runs = []
        for run in paragraph.runs:
            if run.text == BREAK:
                props = self._run_properties(run, paragraph, size, default_color, mono, notes)
                runs.append(f"<a:br>{props}</a:br>")
            else:
                text = clean(run.text)
                if text:
                    props = self._run_properties(run, paragraph, size, default_color, mono,
                                                 notes)
                    runs.append(f"<a:r>{props}<a:t>{escape(text)}</a:t></a:r>")
        end = self._run_properties(Run(""), paragraph, size, default_color, mono, notes,
                                   tag="a:endParaRPr")
        xml = (f'<a:p {_NSDECLS}><a:pPr {" ".join(attrs)}>{"".join(children)}</a:pPr>'
               f'{"".join(runs)}{end}</a:p>')
        return parse_xml(xml)

    def _default_color(self, paragraph: Paragraph) -> str:
        if paragraph.color:
            return paragraph.color
        if paragraph.role == "heading":
            return self.palette.heading
        return self.palette.fg

    def _run_properties(self, run: Run, paragraph: Paragraph, size: float, default_color: str,
                        mono: bool, notes: bool, tag: str = "a:rPr") -> str:
        attrs = []
        if _has_cjk(run.text):
            attrs.append(f'lang="{self.cjk_lang}" altLang="en-US"')
        else:
            attrs.append('lang="en-US"')
        if not notes:
            attrs.append(f'sz="{_centipoints(size * run.size)}"')
        bold = run.bold or paragraph.bold
        if bold:
            attrs.append('b="1"')
        elif not notes:
            attrs.append('b="0"')
        if run.italic:
            attrs.append('i="1"')
        if run.underline:
            attrs.append('u="sng"')
        if run.strike:
            attrs.append('strike="sngStrike"')
        if run.baseline:
            attrs.append(f'baseline="{run.baseline}"')
        attrs.append('dirty="0"')
        children = []
        color = run.color or (None if notes else default_color)
        if color:
            children.append(f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>')
        if run.highlight and not notes:
            children.append(f'<a:highlight><a:srgbClr val="{run.highlight}"/></a:highlight>')
        latin = MONO_FONT if (run.mono or mono) else LATIN_FONT
        children.append(f'<a:latin typeface="{latin}"/><a:ea typeface="{EA_FONT}"/>'
                        f'<a:cs typeface="{latin}"/>')
        if run.link and tag == "a:rPr":
            rid = self._slide.part.relate_to(run.link, RT.HYPERLINK, is_external=True) \
                if not notes else self._slide.notes_slide.part.relate_to(
                    run.link, RT.HYPERLINK, is_external=True)
            children.append(f'<a:hlinkClick r:id="{rid}"/>')
        return f'<{tag} {" ".join(attrs)}>{"".join(children)}</{tag}>'

    # -- output ----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.prs.save(buffer)
        return _rewrite(buffer.getvalue())


def _describe(picture: Picture, text: str) -> None:
    """A picture's alternative text: ``descr`` on its ``p:cNvPr`` (python-pptx has no API)."""
    # python-pptx declares XML children with descriptors (OneAndOnlyOne) whose types mypy
    # cannot see through: nvPicPr is a CT_PictureNonVisual, cNvPr its p:cNvPr.
    picture._pic.nvPicPr.cNvPr.set("descr", clean(text))  # type: ignore[attr-defined]


def _rgb(value: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(value)


def _borders(tc_pr, color: str) -> None:
    """Thin lines in the theme's border colour on every side of a cell (they come before the
    cell's fill in ``a:tcPr``)."""
    for name in ("lnL", "lnR", "lnT", "lnB"):
        old = tc_pr.find(qn(f"a:{name}"))
        if old is not None:
            tc_pr.remove(old)
    for i, name in enumerate(("lnL", "lnR", "lnT", "lnB")):
        line = parse_xml(f'<a:{name} {_NSDECLS} w="{EMU_PER_PX}" cap="flat" cmpd="sng" '
                         f'algn="ctr"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
                         f'<a:prstDash val="solid"/></a:{name}>')
        tc_pr.insert(i, line)
