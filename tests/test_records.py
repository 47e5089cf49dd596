"""record_maker: the fast positional constructor builds ordinary, equal, frozen records."""

from __future__ import annotations

import dataclasses

import pytest

from kg.records import Acronym, Mention, Relation, record_maker

MENTION = ("ImageNet", "Dataset", "imagenet", 10, 18, "abstract", "gaz.dataset", 0.9)


def test_record_maker_builds_records_equal_to_the_constructor() -> None:
    make = record_maker(Mention)
    made = make(*MENTION)
    assert type(made) is Mention and made == Mention(*MENTION) and hash(made) == hash(Mention(*MENTION))
    assert made.to_dict() == Mention(*MENTION).to_dict()
    acronym = record_maker(Acronym)("mp", "moment probing", "abstract", 0, 20)
    assert acronym == Acronym("mp", "moment probing", "abstract", 0, 20)


def test_record_maker_records_stay_frozen_and_check_arity() -> None:
    made = record_maker(Mention)(*MENTION)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.text = "CIFAR-10"  # type: ignore[misc]
    with pytest.raises(TypeError):
        record_maker(Mention)(*MENTION[:-1])


@dataclasses.dataclass(frozen=True, slots=True)
class _Checked:
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


class _Plain:
    def __init__(self, value: int) -> None:
        self.value = value


def test_record_maker_returns_the_class_when_it_cannot_help() -> None:
    assert record_maker(_Checked) is _Checked  # __post_init__ must run
    assert record_maker(_Plain) is _Plain  # no slots
    assert record_maker(Relation) is not Relation
