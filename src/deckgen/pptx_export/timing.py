"""Click animations for a slide: ``<p:timing>`` written by hand (python-pptx has no API for it).

Each click runs a group of effects: the first is the click's own, the rest start with it.
Entrances fade in (0.5 s, deckgen's fragment duration); exits (a ``[magic]`` part giving way
to the next) disappear at once. An effect targets a whole shape or a range of its paragraphs
(list items revealed one by one inside one text box), the way PowerPoint itself writes
"by paragraph" builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
FADE_MS = 500


@dataclass(frozen=True, slots=True)
class Effect:
    shape_id: int
    paragraphs: tuple[int, int] | None = None
    """First and last paragraph (0-based, inclusive), or None for the whole shape."""
    exit: bool = False
    text: bool = True
    """The shape has a text body (it gets a build entry, ``p:bldP``)."""


class _Ids:
    def __init__(self) -> None:
        self.next = 0

    def __call__(self) -> int:
        self.next += 1
        return self.next


def _target(effect: Effect) -> str:
    if effect.paragraphs is None:
        return f'<p:tgtEl><p:spTgt spid="{effect.shape_id}"/></p:tgtEl>'
    start, end = effect.paragraphs
    return (f'<p:tgtEl><p:spTgt spid="{effect.shape_id}"><p:txEl>'
            f'<p:pRg st="{start}" end="{end}"/></p:txEl></p:spTgt></p:tgtEl>')


def _visibility(ids: _Ids, target: str, value: str) -> str:
    return (f'<p:set><p:cBhvr><p:cTn id="{ids()}" dur="1" fill="hold"><p:stCondLst>'
            f'<p:cond delay="0"/></p:stCondLst></p:cTn>{target}<p:attrNameLst>'
            f'<p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr>'
            f'<p:to><p:strVal val={quoteattr(value)}/></p:to></p:set>')


def _effect(ids: _Ids, effect: Effect, node_type: str) -> str:
    target = _target(effect)
    if effect.exit:
        head = (f'<p:cTn id="{ids()}" presetID="1" presetClass="exit" presetSubtype="0" '
                f'fill="hold" grpId="1" nodeType="{node_type}">')
        body = _visibility(ids, target, "hidden")
    else:
        head = (f'<p:cTn id="{ids()}" presetID="10" presetClass="entr" presetSubtype="0" '
                f'fill="hold" grpId="0" nodeType="{node_type}">')
        body = (_visibility(ids, target, "visible")
                + f'<p:animEffect transition="in" filter="fade"><p:cBhvr>'
                  f'<p:cTn id="{ids()}" dur="{FADE_MS}"/>{target}</p:cBhvr></p:animEffect>')
    return (f"<p:par>{head}<p:stCondLst><p:cond delay=\"0\"/></p:stCondLst>"
            f"<p:childTnLst>{body}</p:childTnLst></p:cTn></p:par>")


def timing_xml(clicks: list[list[Effect]]) -> str | None:
    """The ``<p:timing>`` element for ``clicks`` (each a list of effects), or None when there
    is nothing to animate."""
    clicks = [click for click in clicks if click]
    if not clicks:
        return None
    ids = _Ids()
    root_id, sequence_id = ids(), ids()
    parts = []
    for click in clicks:
        outer, inner = ids(), ids()
        effects = "".join(_effect(ids, effect, "clickEffect" if i == 0 else "withEffect")
                          for i, effect in enumerate(click))
        parts.append(f'<p:par><p:cTn id="{outer}" fill="hold"><p:stCondLst>'
                     f'<p:cond delay="indefinite"/></p:stCondLst><p:childTnLst>'
                     f'<p:par><p:cTn id="{inner}" fill="hold"><p:stCondLst>'
                     f'<p:cond delay="0"/></p:stCondLst><p:childTnLst>{effects}'
                     f'</p:childTnLst></p:cTn></p:par></p:childTnLst></p:cTn></p:par>')
    builds: dict[tuple[int, int], bool] = {}
    for click in clicks:
        for effect in click:
            if effect.text:
                key = (effect.shape_id, 1 if effect.exit else 0)
                by_paragraph = effect.paragraphs is not None
                builds[key] = builds.get(key, False) or by_paragraph
    by_paragraph_attr, whole_attr = ' build="p"', ' animBg="1"'
    build_list = "".join(
        f'<p:bldP spid="{shape}" grpId="{group}"'
        f'{by_paragraph_attr if by_paragraph else whole_attr}/>'
        for (shape, group), by_paragraph in sorted(builds.items()))
    slide_target = "<p:tgtEl><p:sldTgt/></p:tgtEl>"
    return (f'<p:timing xmlns:p="{P_NS}"><p:tnLst><p:par>'
            f'<p:cTn id="{root_id}" dur="indefinite" restart="never" nodeType="tmRoot">'
            f'<p:childTnLst><p:seq concurrent="1" nextAc="seek">'
            f'<p:cTn id="{sequence_id}" dur="indefinite" nodeType="mainSeq"><p:childTnLst>'
            + "".join(parts) +
            f'</p:childTnLst></p:cTn>'
            f'<p:prevCondLst><p:cond evt="onPrev" delay="0">{slide_target}</p:cond></p:prevCondLst>'
            f'<p:nextCondLst><p:cond evt="onNext" delay="0">{slide_target}</p:cond></p:nextCondLst>'
            f'</p:seq></p:childTnLst></p:cTn></p:par></p:tnLst>'
            + (f"<p:bldLst>{build_list}</p:bldLst>" if build_list else "") +
            "</p:timing>")
