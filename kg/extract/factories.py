"""Every spaCy factory and component of kg, registered by name in one place.

Importing this module registers them (``build_nlp`` does); the classes and
functions they build live in ``kg.extract.components``. The rule-backed
factories take one setting, ``rules_dir``: a folder of rule files to use
instead of the bundled ones.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from kg.extract.components import (
    ContextComponent,
    NamingComponent,
    RuleMatcher,
    find_acronyms,
    mark_sentences,
    mirror_spans,
)
from kg.extract.rules import ExtractRules, load_rules


def _rules(rules_dir: str | None) -> ExtractRules:
    return load_rules(Path(rules_dir) if rules_dir else None)


@Language.factory("kg_matcher", default_config={"rules_dir": None})
def make_matcher(nlp: Language, name: str, rules_dir: str | None) -> RuleMatcher:
    return RuleMatcher(nlp, name, _rules(rules_dir))


@Language.factory("kg_context", default_config={"rules_dir": None})
def make_context(nlp: Language, name: str, rules_dir: str | None) -> ContextComponent:
    return ContextComponent(_rules(rules_dir))


@Language.factory("kg_naming", default_config={"rules_dir": None})
def make_naming(nlp: Language, name: str, rules_dir: str | None) -> NamingComponent:
    return NamingComponent(_rules(rules_dir))


Language.component("kg_acronyms", func=find_acronyms)
Language.component("kg_sentences", func=mark_sentences)
Language.component("kg_spans", func=mirror_spans)
