"""`journey_textcat`: spaCy's exclusive TextCategorizer over journeybot.FeatureBOW.v1, made to
share `doc.cats` with a second textcat (stage and kind), and its scorer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline.textcat import TextCategorizer
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry
from thinc.api import Config, Model

from nlp.features import build_index  # also registers journeybot.FeatureBOW.v1


@registry.scorers("journeybot.textcat_scorer.v1")
def make_textcat_scorer(prefix: str) -> Callable[..., dict[str, Any]]:
    """Scores one exclusive textcat under its own keys (`<prefix>_acc`, `<prefix>_macro_f`),
    so two textcats in one pipeline do not overwrite each other's `cats_*` scores."""

    def score(examples: Iterable[Example], *, labels=(), **kwargs) -> dict[str, Any]:
        examples = list(examples)
        scores = Scorer.score_cats(examples, "cats", labels=labels, multi_label=False)
        correct = 0
        for eg in examples:
            gold = max(labels, key=lambda label: eg.reference.cats.get(label, 0.0))
            pred = max(labels, key=lambda label: eg.predicted.cats.get(label, 0.0))
            correct += gold == pred
        return {
            f"{prefix}_acc": correct / max(len(examples), 1),
            f"{prefix}_macro_f": scores["cats_macro_f"],
            f"{prefix}_f_per_type": scores["cats_f_per_type"],
        }

    return score


DEFAULT_TEXTCAT_MODEL = Config().from_str(
    """
[model]
@architectures = "journeybot.FeatureBOW.v1"
ngram_size = 2
char_ngrams = [3, 5]
char_weight = 0.5
prefix_length = 5
rule_features = true
min_count = 1
feature_dropout = 0.3
"""
)["model"]


@Language.factory(
    "journey_textcat",
    assigns=["doc.cats"],
    default_config={
        "model": DEFAULT_TEXTCAT_MODEL,
        "threshold": 0.0,
        "label_weights": {},
        "scorer": {"@scorers": "journeybot.textcat_scorer.v1", "prefix": "cats"},
    },
    default_score_weights={},
)
def make_journey_textcat(
    nlp: Language,
    name: str,
    model: Model,
    threshold: float,
    label_weights: dict[str, float],
    scorer: Callable | None,
) -> JourneyTextCategorizer:
    if model.name != "journey_feature_bow":
        raise ValueError(
            "journey_textcat needs the journeybot.FeatureBOW.v1 architecture, e.g. "
            'nlp.add_pipe("journey_textcat", name="textcat_stage", '
            'config={"model": {"@architectures": "journeybot.FeatureBOW.v1"}})'
        )
    if not isinstance(label_weights, dict) or not all(
        isinstance(w, int | float) and not isinstance(w, bool) and w > 0
        for w in label_weights.values()
    ):
        raise ValueError(
            "journey_textcat: label_weights maps labels to positive numbers, e.g. "
            'nlp.add_pipe("journey_textcat", config={"label_weights": {"pain_point": 0.6}})'
        )
    textcat = JourneyTextCategorizer(nlp.vocab, model, name, threshold=threshold, scorer=scorer)
    textcat.label_weights = {label: float(w) for label, w in label_weights.items()}
    return textcat


class JourneyTextCategorizer(TextCategorizer):
    """spaCy's exclusive TextCategorizer, made to share `doc.cats` with a second textcat.

    * labels come from the `labels` given at initialization (`[initialize.components.<name>]`),
      and only those labels of `doc.cats` are read, so textcat_stage and textcat_kind can train
      on the same examples;
    * `initialize` shows the model every training note (after the rule components ran), so it
      can build its feature index — the model's weights cover only features seen in training;
    * loss: the gradient p − y is passed straight to the logits (softmax + cross-entropy);
    * `label_weights` multiply the predicted probabilities (then renormalised): a decision
      threshold, chosen on dev, that leaves learning alone.
    """

    label_weights: dict[str, float] = {}  # set by the factory from the config

    def _validate_categories(self, examples: Iterable[Example]) -> None:
        for eg in examples:
            positives = [label for label in self.labels if eg.reference.cats.get(label) == 1.0]
            if len(positives) > 1:
                raise ValueError(f"{self.name}: more than one positive label in {eg.text!r}")

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: Iterable[str] | None = None,
        positive_label: str | None = None,
    ) -> None:
        if labels is None:
            raise ValueError(
                f"{self.name}: give the labels in the config, e.g. "
                f'[initialize.components.{self.name}] labels = ["awareness", ...]'
            )
        for label in labels:
            self.add_label(label)
        unknown = sorted(set(self.label_weights) - set(self.labels))
        if unknown:
            raise ValueError(f"{self.name}: label_weights names labels it does not have: {unknown}")
        examples = list(get_examples())
        docs = [eg.predicted.copy() for eg in examples]
        if nlp is not None:
            for name, proc in nlp.pipeline:
                if name == self.name:
                    break
                if not isinstance(proc, TextCategorizer):
                    docs = [proc(doc) for doc in docs]
        truths, _ = self._examples_to_truth(examples)
        build_index(self.model, docs)
        self.model.initialize(X=docs[:10], Y=truths[:10])

    def predict(self, docs: Iterable[Doc]):
        """Label probabilities, each multiplied by its `label_weights` entry (default 1) and
        renormalised: a decision threshold chosen on the dev split, learning is unchanged."""
        scores = super().predict(docs)
        if self.label_weights:
            weights = numpy.asarray([self.label_weights.get(label, 1.0) for label in self.labels],
                                    dtype="float32")
            scores = scores * weights
            totals = scores.sum(axis=1, keepdims=True)
            scores /= numpy.where(totals > 0, totals, 1.0)
        return scores

    def set_annotations(self, docs: Iterable[Doc], scores) -> None:
        labels = self.labels
        for doc, row in zip(docs, scores.tolist(), strict=False):
            doc.cats.update(zip(labels, row, strict=True))

    def get_loss(self, examples: Iterable[Example], scores) -> tuple[float, Any]:
        truths, _ = self._examples_to_truth(examples)
        d_scores = scores - truths
        eps = 1e-7
        loss = -float(numpy.sum(truths * numpy.log(numpy.clip(scores, eps, 1.0)))) / max(
            len(truths), 1
        )
        return loss, d_scores
