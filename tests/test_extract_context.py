"""DocContext's lookups: the token strings the rules read on demand, and what is worked out once per sentence."""
import spacy
from hypothesis import given
from hypothesis import strategies as st

from pipeline.components import is_title_case_headline, sentences
from pipeline.context import TokenStrings

NLP = spacy.blank("en")
TEXT = "NASA banned DeepSeek on Friday, citing security and privacy concerns about the app."


def strings_of(text):
    doc = NLP(text)
    return doc, TokenStrings(doc.vocab.strings, doc.to_array("ORTH"))


@given(st.lists(st.tuples(st.integers(-20, 20), st.integers(-20, 20), st.sampled_from([None, 1, 2, -1])),
                max_size=12))
def test_token_strings_read_in_any_order_are_the_tokens(reads):
    doc, strings = strings_of(TEXT)
    words = [t.text for t in doc]
    for start, stop, step in reads:  # slices and single positions, some read before, some not
        assert strings[start:stop:step] == words[start:stop:step]
        if -len(words) <= start < len(words):
            assert strings[start] == words[start]
    assert strings[:] == words and len(strings) == len(words)


def test_title_case_test_is_worked_out_once_per_sentence():
    doc = NLP("Bans Chinese AI Apps On State Devices. The state banned the apps on its devices.")
    second = next(t.i for t in doc if t.text == "The")
    for token in doc:
        token.is_sent_start = token.i in (0, second)
    sents, _ = sentences(doc)
    assert [is_title_case_headline(s) for s in sents] == [True, False]
    # asked again, the answer is the one worked out for that sentence
    assert doc.user_data["banwatch_title_case"] == {0: True, second: False}
    assert [is_title_case_headline(s) for s in sents] == [True, False]
