"""The study's own content, read from ``data/``: title, introduction, thesis, topics, labels.

Everything that belongs to one study rather than to the method lives in the data package:

* ``study.csv`` (one row): the report's title and introduction, the thesis in one
  sentence, the notebook that gives the verdict on it and, optionally, the ``publisher`` of
  the fact-check and the ``factcheck_notebook`` that presents it;
* ``thesis.csv``: the thesis part by part (pair of actors, topic, expected sign, the claim
  that states it);
* ``claims.csv`` column ``proposition`` (a claim in words, for tables and figures);
* ``actors.csv`` columns ``label`` (short name for figures) and ``color`` (``#RRGGBB``; a
  person without one takes the colour of the actor it ``represents``);
* the topics are the ``enum`` of ``claims.topic`` in ``datapackage.json``, in that order;
* the package's ``licenses`` and ``sources`` (shown in the report's footer).

The library reads these and never names an actor, place or topic itself. ``corpus.study`` is
the one way to get them: it reads them once per corpus and keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from stances.corpus.actors import states
from stances.corpus.loader import Corpus
from stances.corpus.schema import columns

NO_ACTOR = "(not given)"  # the label of an empty, optional actor cell (a speaker a schema lets be blank)
NEUTRAL_COLOR = "#777777"  # for an actor with no colour of its own or of the actor it represents


@dataclass(frozen=True)
class Study:
    """What one study says about itself: ``corpus.study``."""

    title: str
    introduction: str
    thesis: str
    thesis_notebook: str | None
    publisher: str | None
    factcheck_notebook: str | None
    topics: tuple[str, ...]
    parts: pd.DataFrame = field(repr=False)
    labels: MappingProxyType = field(repr=False)
    propositions: MappingProxyType = field(repr=False)
    colors: MappingProxyType = field(repr=False)
    licenses: tuple[MappingProxyType, ...] = field(repr=False)
    sources: tuple[MappingProxyType, ...] = field(repr=False)

    def label(self, actor) -> str:
        """The actor's short label (its id if it has none; ``NO_ACTOR`` for an empty cell)."""
        if actor is None or pd.isna(actor):
            return NO_ACTOR
        return self.labels.get(str(actor), str(actor))

    def proposition(self, claim) -> str:
        """The claim's proposition, as ``claims.csv`` words it (its id if the table has no such claim)."""
        return self.propositions.get(str(claim), str(claim))

    def color(self, actor: str) -> str:
        """The actor's colour, else that of the actor it represents, else a neutral grey."""
        return self.colors.get(actor, NEUTRAL_COLOR)


def _text(value) -> str:
    return "" if pd.isna(value) else str(value)


def _description(corpus: Corpus) -> pd.Series:
    """The one row of study.csv, or an empty row when the package has no study description
    (the measures and figures need none; ``require_description`` says what the report needs)."""
    if "study" not in corpus.tables:
        return pd.Series(dtype="object")
    about = corpus.tables["study"]
    if len(about) != 1:
        raise ValueError(f"study.csv must hold exactly one row, not {len(about)}")
    return about.iloc[0]


def _descriptions(package: dict, key: str) -> tuple[MappingProxyType, ...]:
    """The package's ``licenses`` or ``sources``, read-only. ``load`` has checked them against the
    Data Package profile (a list of objects whose ``name``, ``title``, ``path`` are strings)."""
    return tuple(MappingProxyType(dict(item)) for item in package.get(key, []))


def require_description(about: Study) -> None:
    """Raise, saying what to add, if the study has no title (no study.csv in its package)."""
    if not about.title:
        raise ValueError("the data package declares no 'study' resource: add study.csv (study_id, title, "
                         "introduction, thesis, thesis_notebook) and declare it in datapackage.json")


def read_study(corpus: Corpus) -> Study:
    """The study described by ``corpus``'s data package (see the module docstring); called once
    per corpus, by the ``Corpus.study`` property.

    Title, introduction and thesis are empty, and ``parts`` has no rows, when the package
    has no ``study``/``thesis`` resource; labels, colours and topics always come from it."""
    row = _description(corpus)
    actors = corpus.actors
    labels = dict(zip(actors["actor_id"], actors["label"].astype("string").fillna(actors["actor_id"]),
                      strict=True))
    own = {a: c for a, c in zip(actors["actor_id"], actors["color"], strict=True) if not pd.isna(c)}
    state = states(actors)
    colors = {a: own.get(a) or own.get(state[a]) or NEUTRAL_COLOR for a in actors["actor_id"]}
    topic = corpus.claims["topic"]
    topics = (tuple(topic.cat.categories) if isinstance(topic.dtype, pd.CategoricalDtype)
              else tuple(dict.fromkeys(topic.astype("string"))))
    package = corpus.descriptor
    return Study(
        title=_text(row.get("title")),
        introduction=_text(row.get("introduction")),
        thesis=_text(row.get("thesis")),
        thesis_notebook=_text(row.get("thesis_notebook")) or None,
        publisher=_text(row.get("publisher")) or None,
        factcheck_notebook=_text(row.get("factcheck_notebook")) or None,
        topics=topics,
        parts=corpus.tables.get("thesis", pd.DataFrame(columns=columns("thesis"))),
        labels=MappingProxyType(labels),
        propositions=MappingProxyType(dict(zip(corpus.claims["claim_id"].astype(str),
                                               corpus.claims["proposition"].astype(str), strict=True))),
        colors=MappingProxyType(colors),
        licenses=_descriptions(package, "licenses"),
        sources=_descriptions(package, "sources"),
    )
