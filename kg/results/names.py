"""Compact name keys: how results compare names that are written differently.

Lower-case letters and digits only, each word singular, filler words
dropped, years and language codes spelled alike: "Bits per Character" and
"bit-per-character", "WMT2014 EN-DE" and "WMT'14 English-German" agree.
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"[0-9a-z]+")
_FILLER = frozenset({"score", "scores", "the", "of", "on", "to"})
_YEAR = re.compile(r"(?<![0-9])(?:19|20)([0-9]{2})(?![0-9])")
# language codes of translation pairs ("EN-DE"), as the extractor names pairs ("english-german")
_LANGUAGES = {"en": "english", "de": "german", "fr": "french", "ro": "romanian", "zh": "chinese",
              "ru": "russian", "cs": "czech", "ja": "japanese", "es": "spanish", "it": "italian",
              "fi": "finnish", "tr": "turkish", "et": "estonian", "lv": "latvian", "kk": "kazakh",
              "gu": "gujarati", "lt": "lithuanian", "vi": "vietnamese", "ko": "korean", "ar": "arabic"}


def compact(name: str) -> str:
    words = [_LANGUAGES.get(w, w) if len(w) == 2 else w for w in _WORDS.findall(_YEAR.sub(r"\1", name.lower()))]
    words = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
             for w in words if w not in _FILLER]
    return "".join(words)
