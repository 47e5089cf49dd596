"""LaTeX in titles and abstracts made readable text (``$\\cdot$`` -> ``·``, ``\\emph{x}`` -> ``x``).

Titles and abstracts taken from papers' sources carry markup; what kg shows,
searches and indexes with offsets is the text a reader sees, so markup is
converted once, at ingest, by pylatexenc (a maintained LaTeX parser: a
hand-written set of replacements would miss nesting, accents and math).
A text is converted only when it holds markup (a command, or a ``$...$``
formula), so plain text, prices ("$5M") and percentages stay as written;
a bare ``%`` is a percent sign there, never a LaTeX comment.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_COMMAND = re.compile(r"\\(?:[A-Za-z]+|[%&_#${}'\"`^~])")
_FORMULA = re.compile(r"\$[^$\s\d][^$]{0,300}\$")
_BARE_PERCENT = re.compile(r"(?<!\\)%")

# citations and cross-references say nothing a reader of the abstract can follow; a
# \href keeps its text (the group after the link), a \url its target
_DROPPED = ("cite", "citep", "citet", "citealp", "citeauthor", "ref", "eqref", "autoref",
            "cref", "Cref", "label", "footnote", "footnotemark", "thanks")
_KEPT_ARGUMENT = {"url": "%(1)s", "texttt": "%(1)s"}


def has_markup(text: str) -> bool:
    if "\\" not in text and "$" not in text:
        return False
    return bool(_COMMAND.search(text) or _FORMULA.search(text))


@lru_cache(maxsize=1)
def _converter():
    """(parser context, text renderer): the defaults plus how kg reads the macros above."""
    from pylatexenc import latexwalker
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
    from pylatexenc.macrospec import MacroSpec

    parsing = latexwalker.get_default_latex_context_db()
    parsing.add_context_category("kg", prepend=True, macros=[MacroSpec("href", "{{")])
    rendering = get_default_latex_context_db()
    rendering.add_context_category("kg", prepend=True, macros=[
        *(MacroTextSpec(name, simplify_repl="") for name in _DROPPED),
        *(MacroTextSpec(name, simplify_repl=repl) for name, repl in _KEPT_ARGUMENT.items()),
        MacroTextSpec("href", simplify_repl="%(2)s"),
    ])
    # a macro of the paper's own (\model, \method standing for its name) stays as written:
    # dropping it would leave "we introduce , that"
    rendering.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=_as_written))
    return parsing, LatexNodes2Text(latex_context=rendering, math_mode="text", strict_latex_spaces=False)


def _as_written(node, *_) -> str:
    return f"\\{node.macroname}{node.macro_post_space}"


def plain_text(text: str) -> str:
    """``text`` with its LaTeX markup rendered as text; unchanged when it has none or when
    the markup cannot be parsed (an unbalanced brace is left for the reader to see)."""
    if not has_markup(text):
        return text
    from pylatexenc.latexwalker import LatexWalker

    parsing, rendering = _converter()
    try:
        walker = LatexWalker(_BARE_PERCENT.sub(r"\\%", text), latex_context=parsing, tolerant_parsing=True)
        converted = rendering.nodelist_to_text(walker.get_latex_nodes()[0])
    except Exception:  # noqa: BLE001 (pylatexenc raises many kinds on broken markup)
        return text
    converted = _MATH_LETTERS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), converted)
    return converted if converted.strip() else text  # markup that renders as nothing


# \mathbf{x}, \mathbb{R}, \mathcal{O} render as styled letters (U+1D400..., "ℝ"); a search
# for "x" or "R" must find them, so they become the plain letters
_MATH_LETTERS = re.compile("[\U0001D400-\U0001D7FF\u2102\u210A-\u2113\u2115\u2119-\u211D\u2124\u2128"
                           "\u212C-\u212D\u212F-\u2131\u2133-\u2134]")
