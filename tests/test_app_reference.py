"""Reference data (banwatch/reference/*.yml) and its loader: contents, helpers, and every validation rule."""
import os

import pytest
import yaml

from banwatch.errors import BanwatchError
from banwatch.names import name_key
from banwatch.reference import (
    TABLES,
    Reference,
    load_reference,
)
from banwatch.vocab import AGENCY_TYPES, REASONS, TOOL_KINDS

US_STATES = (
    "al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj "
    "nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy"
).split()
EU_MEMBERS = "at be bg hr cy cz dk ee fi fr de gr hu ie it lv lt lu mt nl pl pt ro sk si es se".split()
G20_COUNTRIES = "ar au br ca cn fr de in id it jp kr mx ru sa za tr gb us".split()


@pytest.fixture(scope="module")
def ref():
    return load_reference()


# ---------------------------------------------------------------- the shipped data


def test_shipped_files_load_with_the_documented_tables(ref):
    assert set(TABLES) == {"jurisdictions", "agencies", "tools", "vendors", "reasons"}
    for table in TABLES:
        entries = ref.table(table)
        assert entries, table
        assert all(entry["id"] == entry_id for entry_id, entry in entries.items())


def test_agencies_cover_federal_congress_and_every_state(ref):
    assert len(ref.agencies) >= 200
    for code in US_STATES:
        state = ref.agencies[f"us-{code}-government"]
        assert state["type"] == "state_government"
        assert state["jurisdiction"] == f"us-{code}"
        assert state["people"], f"{code}: a state government lists its governors"
    for agency_id in ("us-nasa", "us-dod", "us-navy", "us-army", "us-air-force", "us-space-force",
                      "us-marine-corps", "us-coast-guard", "us-disa", "us-doc", "us-dos", "us-treasury",
                      "us-dhs", "us-cisa", "us-doe", "us-doi", "us-hhs", "us-va", "us-doj", "us-fbi",
                      "us-nih", "us-fda", "us-fcc", "us-ftc", "us-gsa", "us-omb", "us-opm", "us-sec",
                      "us-house", "us-house-cao", "us-senate", "us-senate-saa", "us-senate-cio",
                      "us-loc", "us-gao"):
        assert agency_id in ref.agencies, agency_id


def test_every_eu_member_has_a_government_and_a_data_protection_authority(ref):
    for country in EU_MEMBERS:
        kinds = {a["type"] for a in ref.agencies.values() if a["jurisdiction"] == country}
        assert {"national_government", "dpa"} <= kinds, country


def test_agencies_named_in_the_brief_resolve(ref):
    expected = {
        "Garante": "it-garante", "Italy's data protection authority": "it-garante",
        "Italian Data Protection Authority": "it-garante", "the Pentagon": "us-dod",
        "the U.S. Navy": "us-navy", "Navy": "us-navy", "House Chief Administrative Officer": "us-house-cao",
        "the CAO": "us-house-cao", "South Korea's PIPC": "kr-pipc", "Taiwan's digital ministry": "tw-moda",
        "Texas Governor": "us-tx-government", "Gov. of Texas": "us-tx-government",
        "Greg Abbott": "us-tx-government", "Department of Commerce": "us-doc",
        "Commerce Department": "us-doc", "Pennsylvania Treasury": "us-pa-treasury", "VITA": "us-va-vita",
        "Texas Department of Information Resources": "us-tx-dir", "CNIL": "fr-cnil", "DPC": "ie-dpc",
        "Autoriteit Persoonsgegevens": "nl-ap", "Centre for Cybersecurity Belgium": "be-ccb",
        "ICO": "gb-ico", "eSafety Commissioner": "au-esafety", "Mie Prefecture": "jp-mie-government",
        "Tottori": "jp-tottori-government", "KHNP": "kr-khnp", "Executive Yuan": "tw-executive-yuan",
        "MeitY": "in-meity", "CAC": "cn-cac", "ANPD": "br-anpd", "Kominfo": "id-komdigi",
        "Komdigi": "id-komdigi", "MCMC": "my-mcmc", "DICT": "ph-dict", "BTK": "tr-btk",
        "European Commission": "eu-commission", "EDPB": "eu-edpb", "Samsung": "kr-samsung-electronics",
        "JPMorgan": "us-jpmorgan-chase", "UT Austin": "us-ut-austin", "Texas A&M": "us-tamu",
    }
    for name, agency_id in expected.items():
        assert ref.resolve("agencies", name) == agency_id, name


def test_no_agency_goes_by_a_bare_ordinary_word(ref):
    # "Treasury", "State", "Defense"... on their own would fire on every other sentence.
    for word in ("Treasury", "State", "Commerce", "Defense", "Defence", "Interior", "Justice",
                 "Energy", "Labor", "Education", "Government", "Ministry", "Agency", "Commission",
                 "Department", "Centre", "Court", "Authority", "Administration", "AP", "Guardians"):
        assert ref.lookup("agencies", word) == [], word


def test_every_agency_sits_in_a_country_or_the_eu(ref):
    for agency_id in ref.agencies:
        top = ref.country_of(ref.jurisdiction_of(agency_id))
        assert ref.jurisdictions[top]["type"] in ("country", "supranational"), agency_id


def test_jurisdictions_cover_states_eu_and_g20(ref):
    for code in [*US_STATES, "dc"]:
        state = ref.jurisdictions[f"us-{code}"]
        assert state["parent"] == "us"
        assert state["iso"] == f"US-{code.upper()}"
    for country in {*EU_MEMBERS, *G20_COUNTRIES, "tw", "my", "ph", "il", "ae", "sg", "nz", "pk", "vn"}:
        assert ref.jurisdictions[country]["type"] == "country", country
    assert ref.jurisdictions["eu"]["type"] == "supranational"
    assert ref.jurisdictions["jp-mie"]["parent"] == "jp"
    assert ref.jurisdictions["ca-on"]["type"] == "province"
    for name, jurisdiction_id in {"U.S.": "us", "USA": "us", "America": "us", "Türkiye": "tr",
                                  "Turkey": "tr", "Republic of Korea": "kr", "Korea": "kr",
                                  "UK": "gb", "Britain": "gb"}.items():
        assert ref.resolve("jurisdictions", name) == jurisdiction_id, name
    assert "Italian" in ref.jurisdictions["it"]["demonyms"]


def test_tools_have_vendors_with_countries(ref):
    assert len(ref.tools) >= 50
    for tool_id, tool in ref.tools.items():
        assert tool["kind"] in TOOL_KINDS
        vendor = ref.vendors[tool["vendor"]]
        assert ref.jurisdictions[vendor["country"]]["type"] == "country", tool_id
    assert ref.vendors[ref.tools["deepseek"]["vendor"]]["country"] == "cn"
    assert ref.vendors["deepseek"]["parent"] == "high-flyer"
    assert ref.vendors["github"]["parent"] == "microsoft"
    for name in ("DeepSeek AI", "DeepSeek-R1", "DeepSeek R1", "DeepSeek-V3", "Deep Seek"):
        assert ref.resolve("tools", name) == "deepseek", name
    assert ref.resolve("tools", "Bing Chat") == "microsoft-copilot"
    assert ref.resolve("tools", "Bard") == "gemini"


def test_tool_names_that_are_ordinary_words_need_context(ref):
    for tool_id, name in (("pi", "Pi"), ("claude", "Claude"), ("gemini", "Gemini"), ("manus", "Manus"),
                          ("llama", "Llama"), ("microsoft-copilot", "Copilot")):
        assert Reference.requires_context(ref.tools[tool_id], name), name
    # the unambiguous full names do not
    assert not Reference.requires_context(ref.tools["gemini"], "Google Gemini")
    assert not Reference.requires_context(ref.tools["microsoft-copilot"], "Microsoft Copilot")
    assert not ref.tools["chatgpt"]["needs_context"]


def test_reasons_are_exactly_the_fixed_vocabulary(ref):
    assert list(ref.reasons) == list(REASONS)
    for reason in ref.reasons.values():
        assert reason["label"].strip() and reason["description"].strip().endswith(".")


def test_reference_data_holds_no_event_facts():
    # Only entity fields are allowed (the loader rejects others, see below), and no value is a date,
    # except a tool's `released` month: a fact about the product, never about a measure taken on it.
    import re
    date = re.compile(r"\b(19|20)\d\d-\d\d(-\d\d)?\b")
    for table in TABLES:
        data = yaml.safe_load((load_reference().directory / f"{table}.yml").read_text())
        for entry in data[table]:
            for field_name, value in entry.items():
                if table == "tools" and field_name == "released":
                    assert re.fullmatch(r"(19|20)\d\d(-[01]\d)?", value), (entry["id"], value)
                    continue
                for item in value if isinstance(value, list) else [value]:
                    assert not date.search(str(item)), (table, entry["id"], item)


def test_shipped_qids_are_well_formed_and_unique(ref):
    for table in ("jurisdictions", "agencies", "tools", "vendors"):
        qids = [e["qid"] for e in ref.table(table).values() if e["qid"]]
        assert len(qids) == len(set(qids)), table
    assert ref.jurisdictions["us"]["qid"] == "Q30"
    assert ref.agencies["us-nasa"]["qid"] == "Q23548"


# ---------------------------------------------------------------- helpers


def test_ancestors_and_jurisdiction_walk_up(ref):
    assert ref.ancestors("us-navy")[:2] == ["us-don", "us-dod"]
    assert "us-dod" in ref.ancestors("us-navy")
    assert ref.ancestors("us-government") == []
    assert ref.jurisdiction_of("us-navy") == "us"
    assert ref.country_of(ref.jurisdiction_of("us-navy")) == "us"
    assert ref.ancestors("us-house-cybersecurity") == ["us-house-cao", "us-house", "us-congress", "us-government"]
    assert ref.jurisdiction_of("us-tx-dir") == "us-tx"
    assert ref.country_of("us-tx") == "us"
    assert ref.country_of("jp-mie") == "jp"
    assert ref.country_of("it") == "it"
    assert ref.country_of("eu") == "eu"     # nothing above it: the EU is its own answer
    assert ref.jurisdiction_chain("us-nyc") == ["us-nyc", "us-ny", "us"]
    assert ref.jurisdiction_of(None) is None and ref.country_of(None) is None
    with pytest.raises(KeyError):
        ref.ancestors("no-such-agency")


def test_names_lists_name_short_aliases_and_people_once(ref):
    names = Reference.names(ref.agencies["us-tx-government"])
    assert names[0] == "State of Texas"
    assert {"Texas", "Governor of Texas", "Greg Abbott"} <= set(names)
    assert len(names) == len(set(names))
    assert Reference.names({"name": "A", "short": "A", "aliases": ["B", "A"], "people": ["B"]}) == ["A", "B"]


def test_name_key_ignores_case_accents_punctuation_and_the():
    assert name_key("the U.S. Navy") == name_key("US Navy") == "usnavy"
    assert name_key("Türkiye") == name_key("TURKIYE")
    assert name_key("Character.AI") == name_key("Character AI")
    assert name_key("Texas A&M") == name_key("Texas A and M")
    assert name_key("Theta") == "theta"  # only a whole leading word "the" goes


def test_shared_names_resolve_only_with_a_jurisdiction(ref):
    assert sorted(ref.lookup("agencies", "Ministry of Foreign Affairs")) == ["jp-mofa", "kr-mofa", "tw-mofa"]
    assert ref.resolve("agencies", "Ministry of Foreign Affairs") is None
    assert ref.resolve("agencies", "Ministry of Foreign Affairs", jurisdiction="kr") == "kr-mofa"
    assert ref.resolve("agencies", "Ministry of Foreign Affairs", jurisdiction="jp-mie") == "jp-mofa"
    assert ref.resolve("agencies", "Ministry of Foreign Affairs", jurisdiction="fr") is None
    assert ref.resolve("agencies", "Kristi Noem", jurisdiction="us-sd") == "us-sd-government"
    assert ref.resolve("agencies", "Nobody In Particular") is None
    assert "Ministry of Foreign Affairs" in ref.ambiguous_aliases["agencies"]


def test_jurisdiction_of_entry_for_every_table(ref):
    assert ref.jurisdiction_of_entry("agencies", "us-navy") == "us"
    assert ref.jurisdiction_of_entry("tools", "deepseek") == "cn"
    assert ref.jurisdiction_of_entry("vendors", "mistral-ai") == "fr"
    assert ref.jurisdiction_of_entry("jurisdictions", "jp-mie") == "jp-mie"
    assert ref.jurisdiction_of_entry("reasons", "other") is None


def test_load_is_cached_per_directory_and_reloads_an_edited_file(tmp_path):
    directory = write_reference(tmp_path)
    first = load_reference(directory)
    assert load_reference(directory) is first
    assert load_reference(str(directory)) is first
    data = minimal()
    data["agencies"][0]["aliases"] = ["the Examplers"]
    write_reference(tmp_path, data)
    path = directory / "agencies.yml"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000))
    second = load_reference(directory)
    assert second is not first
    assert second.resolve("agencies", "Examplers") == "xx-government"


# ---------------------------------------------------------------- validation (small YAML in tmp_path)


def minimal():
    """The smallest valid reference directory, as data; tests break one thing at a time."""
    return {
        "jurisdictions": [
            {"id": "xx", "name": "Exampleland", "type": "country", "aliases": ["Examplia"]},
            {"id": "xx-north", "name": "North Province", "type": "province", "parent": "xx"},
        ],
        "agencies": [
            {"id": "xx-government", "name": "Government of Exampleland", "type": "national_government",
             "jurisdiction": "xx", "aliases": ["Exampleland"]},
            {"id": "xx-army", "name": "Exampleland Army", "type": "military", "parent": "xx-government",
             "jurisdiction": "xx"},
        ],
        "tools": [{"id": "chatthing", "name": "ChatThing", "vendor": "thingco", "kind": "chatbot"}],
        "vendors": [{"id": "thingco", "name": "ThingCo", "country": "xx"}],
        "reasons": [{"id": "other", "label": "Other", "description": "Anything else."}],
    }


def write_reference(tmp_path, data=None, raw=None):
    """Write `data` (table -> entries, or table -> {table:..., ambiguous_aliases:...}) as YAML."""
    directory = tmp_path / "reference"
    directory.mkdir(exist_ok=True)
    for table, content in (data or minimal()).items():
        (directory / f"{table}.yml").write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False))
    for table, text in (raw or {}).items():
        (directory / f"{table}.yml").write_text(text)
    return directory


def load_error(tmp_path, data=None, raw=None):
    with pytest.raises(BanwatchError) as caught:
        load_reference(write_reference(tmp_path, data, raw))
    message = str(caught.value)
    assert "\n" not in message  # the CLI shows it as one line
    return message, caught.value.problems


def test_minimal_directory_loads_with_defaults_filled(tmp_path):
    ref = load_reference(write_reference(tmp_path))
    army = ref.agencies["xx-army"]
    assert army["aliases"] == [] and army["people"] == [] and army["qid"] is None and army["short"] is None
    assert ref.jurisdictions["xx-north"]["demonyms"] == []
    assert ref.tools["chatthing"]["needs_context"] == []
    assert ref.ancestors("xx-army") == ["xx-government"]
    assert ref.country_of("xx-north") == "xx"


def test_a_mapping_with_the_table_key_is_accepted(tmp_path):
    data = minimal()
    data["tools"] = {"ambiguous_aliases": [], "tools": data["tools"]}
    assert "chatthing" in load_reference(write_reference(tmp_path, data)).tools


def test_duplicate_id_is_refused(tmp_path):
    data = minimal()
    data["agencies"].append(dict(data["agencies"][1], name="Second Army"))
    message, _ = load_error(tmp_path, data)
    assert "agencies.yml" in message and "'xx-army'" in message and "duplicate id" in message


@pytest.mark.parametrize("table, field, value, words", [
    ("agencies", "parent", "xx-nowhere", "parent 'xx-nowhere' is not an id in agencies.yml"),
    ("agencies", "jurisdiction", "yy", "jurisdiction 'yy' is not an id in jurisdictions.yml"),
    ("tools", "vendor", "nobody", "vendor 'nobody' is not an id in vendors.yml"),
    ("vendors", "country", "zz", "country 'zz' is not an id in jurisdictions.yml"),
    ("vendors", "parent", "megacorp", "parent 'megacorp' is not an id in vendors.yml"),
    ("jurisdictions", "parent", "atlantis", "parent 'atlantis' is not an id in jurisdictions.yml"),
])
def test_dangling_references_are_refused(tmp_path, table, field, value, words):
    data = minimal()
    data[table][-1][field] = value
    message, problems = load_error(tmp_path, data)
    assert any(words in p and f"{table}.yml" in p for p in problems), problems


def test_vendor_country_must_be_a_country(tmp_path):
    data = minimal()
    data["vendors"][0]["country"] = "xx-north"
    message, _ = load_error(tmp_path, data)
    assert "vendors.yml: entry 'thingco'" in message and "is a province, not a country" in message


def test_parent_cycles_are_refused(tmp_path):
    data = minimal()
    data["agencies"][0]["parent"] = "xx-army"
    _, problems = load_error(tmp_path, data)
    assert any("cycle" in p and "xx-government -> xx-army -> xx-government" in p for p in problems), problems
    data = minimal()
    data["jurisdictions"][0]["parent"] = "xx"
    message, _ = load_error(tmp_path, data)
    assert "jurisdictions.yml: entry 'xx'" in message and "cycle" in message


@pytest.mark.parametrize("table, field", [
    ("agencies", "name"), ("agencies", "type"), ("agencies", "jurisdiction"), ("tools", "vendor"),
    ("tools", "kind"), ("vendors", "country"), ("jurisdictions", "type"), ("reasons", "description"),
])
def test_missing_required_fields_are_refused(tmp_path, table, field):
    data = minimal()
    del data[table][0][field]
    message, _ = load_error(tmp_path, data)
    assert f"{table}.yml: entry '{data[table][0]['id']}'" in message
    assert f"missing required field(s) {field}" in message


@pytest.mark.parametrize("table, field, value", [
    ("agencies", "type", "ministery"), ("tools", "kind", "robot"), ("jurisdictions", "type", "canton"),
])
def test_unknown_types_and_kinds_are_refused(tmp_path, table, field, value):
    data = minimal()
    data[table][0][field] = value
    message, _ = load_error(tmp_path, data)
    assert f"unknown {field} {value!r}" in message and f"{table}.yml" in message


def test_unknown_fields_are_refused_so_no_event_fact_slips_in(tmp_path):
    data = minimal()
    data["agencies"][1]["date"] = "2025-01-31"
    data["agencies"][1]["action"] = "ban"
    message, _ = load_error(tmp_path, data)
    assert "entry 'xx-army': unknown field(s) action, date" in message


def test_a_name_shared_by_two_entries_needs_an_allowance(tmp_path):
    data = minimal()
    data["agencies"][1]["aliases"] = ["Exampleland"]          # the government's alias too
    message, _ = load_error(tmp_path, data)
    assert "agencies.yml: entry 'xx-army': name 'Exampleland' is also used by 'xx-government'" in message
    data["agencies"] = {"ambiguous_aliases": ["exampleland"], "agencies": data["agencies"]}
    ref = load_reference(write_reference(tmp_path, data))
    assert sorted(ref.lookup("agencies", "Exampleland")) == ["xx-army", "xx-government"]
    assert ref.resolve("agencies", "Exampleland") is None


def test_names_shared_after_normalization_also_count(tmp_path):
    data = minimal()
    data["tools"].append({"id": "chat-thing-2", "name": "Chat-Thing", "vendor": "thingco", "kind": "chatbot"})
    message, _ = load_error(tmp_path, data)
    assert "'Chat-Thing'" in message or "'ChatThing'" in message


def test_the_same_name_in_different_tables_is_fine(tmp_path):
    data = minimal()
    data["vendors"][0]["aliases"] = ["ChatThing"]              # a vendor named like its tool
    assert load_reference(write_reference(tmp_path, data)).resolve("vendors", "ChatThing") == "thingco"


def test_a_stale_ambiguous_alias_is_reported(tmp_path):
    data = minimal()
    data["agencies"] = {"ambiguous_aliases": ["Nobody Uses This"], "agencies": data["agencies"]}
    message, _ = load_error(tmp_path, data)
    assert "ambiguous_aliases lists 'Nobody Uses This', which fewer than two entries use" in message


def test_needs_context_true_means_every_name_and_a_list_must_name_the_entry(tmp_path):
    data = minimal()
    data["tools"][0]["aliases"] = ["Thing"]
    data["tools"][0]["needs_context"] = True
    tool = load_reference(write_reference(tmp_path, data)).tools["chatthing"]
    assert tool["needs_context"] == ["ChatThing", "Thing"]
    data["tools"][0]["needs_context"] = ["Thingamajig"]
    message, _ = load_error(tmp_path, data)
    assert "needs_context lists 'Thingamajig', which is not one of the entry's names" in message


def test_reason_ids_outside_the_vocabulary_are_refused(tmp_path):
    data = minimal()
    data["reasons"].append({"id": "vibes", "label": "Vibes", "description": "Not a reason."})
    message, _ = load_error(tmp_path, data)
    assert "reasons.yml: reason id(s) vibes are not in the fixed vocabulary" in message


def test_bad_qid_slug_and_alias_list_are_refused(tmp_path):
    data = minimal()
    data["agencies"][0]["qid"] = "30"
    data["agencies"][1]["id"] = "XX Army"
    data["tools"][0]["aliases"] = "ChatThing Pro"
    _, problems = load_error(tmp_path, data)
    text = " | ".join(problems)
    assert "qid '30' is not a Wikidata QID" in text
    assert "id must be a lowercase slug" in text
    assert "aliases must be a list of names" in text


def test_two_entries_with_one_qid_are_refused(tmp_path):
    data = minimal()
    data["agencies"][0]["qid"] = "Q42"
    data["agencies"][1]["qid"] = "Q42"
    message, _ = load_error(tmp_path, data)
    assert "entry 'xx-army': qid Q42 is also given to 'xx-government'" in message


def test_a_subdivision_needs_a_parent(tmp_path):
    data = minimal()
    del data["jurisdictions"][1]["parent"]
    message, _ = load_error(tmp_path, data)
    assert "entry 'xx-north': a province needs a parent jurisdiction" in message


def test_invalid_yaml_names_the_file_and_line(tmp_path):
    message, _ = load_error(tmp_path, raw={"tools": "tools:\n  - id: broken\n    name: [unclosed\n"})
    assert "tools.yml: not valid YAML at line" in message


def test_a_missing_file_is_named(tmp_path):
    directory = write_reference(tmp_path)
    (directory / "vendors.yml").unlink()
    with pytest.raises(BanwatchError, match=r"missing file .*vendors\.yml"):
        load_reference(directory)


def test_all_problems_are_collected_and_counted(tmp_path):
    data = minimal()
    data["agencies"][0]["type"] = "nope"
    data["tools"][0]["kind"] = "nope"
    message, problems = load_error(tmp_path, data)
    assert len(problems) == 2
    assert message.endswith("(+1 more problems)")


def test_shipped_types_match_the_architecture_vocabulary():
    assert AGENCY_TYPES == (
        "national_government", "state_government", "ministry", "agency", "military", "legislature",
        "legislative_office", "regulator", "dpa", "court", "local_government", "university",
        "company", "other",
    )
    assert TOOL_KINDS == ("chatbot", "model", "assistant", "image_generator", "app")


def test_a_body_is_found_by_its_own_site_and_its_subdomains(tmp_path):
    data = minimal()
    data["agencies"][1]["domains"] = ["army.example"]
    ref = load_reference(write_reference(tmp_path, data))
    assert ref.publisher_of("https://www.army.example/news/1") == "xx-army"
    assert ref.publisher_of("https://press.army.example./notice") == "xx-army"
    # a look-alike host, a host that only contains the domain, and no URL at all are nobody's
    for url in ("https://notarmy.example/", "https://army.example.evil.test/", "", None, "not a url"):
        assert ref.publisher_of(url) is None, url


@pytest.mark.parametrize("url, name, spelled", [
    ("https://www.seattleschools.org/ai", "Seattle Public Schools", True),  # words in full, a kind word left out
    ("https://utexas.atlassian.net/wiki", "University of Texas at Austin", True),  # an initial, a word, on a hosted wiki
    ("https://www.nasa.gov/news", "National Aeronautics and Space Administration", True),  # every initial
    ("https://security.sa.gov.au/", "Government of South Australia", True),  # a state's initials under gov.au
    ("https://www.texastribune.org/2025/", "State of Texas", False),  # 'tribune' is not in the name
    ("https://nltimes.nl/", "Government of the Netherlands", False),
    ("https://www.cnbc.com/", "Central Bank", False),  # initials that leave a word out
])
def test_a_site_that_spells_a_named_body_is_its_own(url, name, spelled):
    from banwatch.reference import site_labels, spelled_share
    assert bool(any(spelled_share(label, name) for label in site_labels(url))) is spelled


def test_the_publisher_spelled_by_a_host_is_one_of_the_bodies_the_page_names(ref):
    assert ref.publisher_spelled_by("https://texas.gov/news/1", ["us-tx-government"]) == "us-tx-government"
    assert ref.publisher_spelled_by("https://texas.gov/news/1", []) is None  # the page names nobody
    assert ref.publisher_spelled_by("https://example.org/texas", ["us-tx-government"]) is None  # a path is no site
    # two letters name a place only under a government suffix: not on a commercial site
    assert ref.publisher_spelled_by("https://sa.gov.au/x", ["au-sa-government"]) == "au-sa-government"
    assert ref.publisher_spelled_by("https://sa.com.tr/x", ["au-sa-government"]) is None
    # of two bodies the host fits, the one it spells more of ('texas' is half of "State of Texas")
    assert ref.publisher_spelled_by("https://texas.gov/news/1", ["us-ut-austin", "us-tx-government"]) == "us-tx-government"


def test_a_domain_must_be_a_host_name_and_belong_to_one_body(tmp_path):
    data = minimal()
    data["agencies"][0]["domains"] = ["https://gov.example/", "army.example"]
    data["agencies"][1]["domains"] = ["army.example"]
    _, problems = load_error(tmp_path, data)
    text = " | ".join(problems)
    assert "domains: 'https://gov.example/' is not a lower-case host name" in text
    assert "entry 'xx-army': domain 'army.example' is also given to 'xx-government'" in text


def test_shipped_domains_are_real_host_names_of_one_body_each(ref):
    owners = [(d, agency_id) for agency_id, a in ref.agencies.items() for d in a["domains"]]
    assert len(owners) >= 50
    assert ref.publisher_of("https://www.garanteprivacy.it/home/docweb/-/docweb-display/docweb/9870832") == "it-garante"
    assert ref.publisher_of("https://www.cnil.fr/fr/intelligence-artificielle") == "fr-cnil"
