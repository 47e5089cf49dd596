"""Stable identifiers: the same paper gets the same id on every run and machine.

Also the node ids every later stage shares (``paper:<id>``, ``entity:<key>``) and
the default prefix of the IRIs minted from them, so the graph, the RDF and the
build name nodes alike without importing one another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote, urlsplit

_ARXIV_NEW = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_OLD = re.compile(r"^(?:arxiv:)?([a-z][a-z.-]*/\d{7})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_IN_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?(?:[?#\s]|$)", re.I)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# characters XML 1.0 cannot hold, escaped or not (RDF/XML, SPARQL XML results, GraphML)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')

DEFAULT_BASE_IRI = "https://example.org/kg/"
PAPER_NODE = "paper:"
ENTITY_NODE = "entity:"


def paper_node(paper_id: str) -> str:
    """The graph node id of a paper: ``paper:arxiv:2310.12345``."""
    return PAPER_NODE + paper_id


def entity_node(key: str) -> str:
    """The graph node id of an entity: ``entity:large-language-model``."""
    return ENTITY_NODE + key


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace (newlines and tabs included) to one space, and
    drop what no output format can hold.

    spaCy's tokenizer is several times slower on texts with lone newlines, and
    offsets are easier to trust on one-line text. Control characters and
    U+FFFE/U+FFFF are removed (XML 1.0 forbids them even escaped, so SPARQL XML
    results and RDF/XML could not carry them); a lone surrogate (possible in
    JSON escapes, never valid text) becomes U+FFFD.
    """
    if not (text.isascii() and text.isprintable()):  # the common case needs no scan
        text = _NOT_XML.sub("", text)
        if not text.isascii():
            text = _LONE_SURROGATE.sub("\ufffd", text)
    return " ".join(text.split())  # str.split() and re's \s agree on what whitespace is


def iri_link(url: str) -> str | None:
    """An http(s) link as a valid IRI (characters IRIs forbid percent-encoded), or None
    when it is none: another scheme, no host, a malformed host or port (``http://[x``).
    Checked with Oxigraph's IRI parser, the strictest reader of what kg writes."""
    import pyoxigraph as ox

    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    candidate = _IRI_UNSAFE.sub(lambda m: quote(m.group(), safe=""), url)
    try:
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        if not parts.hostname:
            return None
        ox.NamedNode(candidate)
    except ValueError:
        return None
    return candidate


def normalise_title(title: str) -> str:
    """Fold case, accents, punctuation and spacing so re-typed titles compare equal."""
    text = title
    if not text.isascii():  # ASCII has nothing to decompose
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def arxiv_id(value: str | None) -> str | None:
    """Return the version-less arXiv id in ``value`` (an id or an arxiv.org URL), or None."""
    if not value:
        return None
    value = value.strip()
    url = _ARXIV_IN_URL.search(value)
    if url:
        value = url.group(1)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.match(value)
        if match:
            return match.group(1).lower() if pattern is _ARXIV_OLD else match.group(1)
    return None


def paper_id(title: str, arxiv: str | None = None) -> str:
    """``arxiv:<id>`` when the source has an arXiv id, else a hash of the normalised title."""
    found = arxiv_id(arxiv)
    if found:
        return f"arxiv:{found}"
    digest = hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]
    return f"title:{digest}"
