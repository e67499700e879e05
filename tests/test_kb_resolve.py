"""Entity resolution: aliases to canonical entities; new agencies kept as unverified, with jurisdiction."""
import pytest

from banwatch.names import name_words, slugify
from kb.resolve import Resolver
from tests.support.kb import event, load_test_reference


@pytest.fixture
def resolver(tmp_path):
    return Resolver(load_test_reference(tmp_path / "reference"))


def unresolved(name, **fields):
    """An extraction whose agency the extractor could not match (statistical NER)."""
    return event(agency=name, agency_id=None, jurisdiction_id=fields.pop("jurisdiction_id", None), **fields)


@pytest.mark.parametrize("name, expected", [
    ("the Pentagon", "us-dod"),
    ("U.S. Navy", "us-navy"),
    ("NASA", "nasa"),
    ("Greg Abbott", "us-tx-government"),       # an office holder's orders are the agency's
    ("Texas", "us-tx-government"),             # a state's bare name stands for its government
    ("Italian Data Protection Authority", "it-garante"),
])
def test_names_and_aliases_resolve_to_reference_agencies(resolver, name, expected):
    assert resolver.agency_for(unresolved(name)) == expected


def test_a_shared_name_is_settled_by_the_jurisdiction(resolver):
    name = "Personal Information Protection Commission"
    assert resolver.agency_for(unresolved(name, country="South Korea")) == "kr-pipc"
    assert resolver.agency_for(unresolved(name, country="Japan")) == "jp-pipc"
    # Without a place it stays unverified rather than guessing.
    assert resolver.agency_for(unresolved(name)).startswith("unverified-")


def test_the_extractors_reference_id_is_kept(resolver):
    assert resolver.agency_for(event(agency="Some odd wording", agency_id="nasa")) == "nasa"


def test_an_unknown_agency_becomes_unverified_with_its_country(resolver):
    first = resolver.agency_for(unresolved("Mie Prefectural Government", country="Japan"))
    again = resolver.agency_for(unresolved("the Mie Prefectural Government", jurisdiction_id="jp-mie"))
    assert first == again == "unverified-jp-mie-prefectural-government"


def test_unverified_ids_separate_countries_and_ignore_a_leading_place_name(resolver):
    korean = resolver.agency_for(unresolved("Ministry of Environment", country="South Korea"))
    korean_prefixed = resolver.agency_for(unresolved("South Korea's Ministry of Environment", country="South Korea"))
    japanese = resolver.agency_for(unresolved("Ministry of Environment", country="Japan"))
    assert korean == korean_prefixed == "unverified-kr-ministry-of-environment"
    assert japanese == "unverified-jp-ministry-of-environment"


def test_country_names_and_demonyms_give_jurisdictions(resolver):
    assert resolver.jurisdiction_for(None, "Italy") == "it"
    assert resolver.jurisdiction_for(None, "Italian") == "it"
    assert resolver.jurisdiction_for(None, "Republic of Korea") == "kr"
    assert resolver.jurisdiction_for("us-tx", "United States") == "us-tx"
    assert resolver.jurisdiction_for(None, "Atlantis") is None


def test_tools_resolve_by_alias_and_unknown_ones_are_unverified(resolver):
    assert resolver.tool_for(event(tool="DeepSeek-R1", tool_id=None)) == "deepseek"
    assert resolver.tool_for(event(tool="Zorp Assistant 2", tool_id=None)) == "unverified-zorp-assistant-2"
    assert resolver.tool_for(event(tool="", tool_mention=None, tool_id=None)) is None


def test_normalize_and_slugify():
    assert name_words("The U.S. Navy's") == "us navy"
    assert name_words("Département   d'État") == "departement d etat"
    assert slugify("Mie Prefectural Government") == "mie-prefectural-government"
    assert slugify("Zürich — City Council!") == "zurich-city-council"
