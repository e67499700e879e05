"""The extractor's rules, one sentence (written for these tests) per rule.

These test the candidates the rules propose (Extractor(candidates=True)); which candidates the
decision model keeps, and with what confidence, is tested in test_extract_model.py."""
import pytest

from pipeline.extract import Extractor


@pytest.fixture(scope="module")
def extractor():
    return Extractor(candidates=True)


def events_of(extractor, text, published="2025-02-03", title="", url="https://example.org/t"):
    return extractor.extract({"id": "t", "url": url, "title": title, "published": published, "text": text})["events"]


def date_of(extractor, text, published, tool_id):
    """The date of the one event on `tool_id` the text states."""
    return one(events_of(extractor, text, published=published), tool_id=tool_id)["date"]


def one(events, **fields):
    hits = [e for e in events if all(e.get(k) == v for k, v in fields.items())]
    assert len(hits) == 1, f"expected one event with {fields}, got {events}"
    return hits[0]


def test_enacted_ban_with_relative_date(extractor):
    # published on a Saturday: "on Friday" is the day before
    events = events_of(extractor, "NASA has banned its employees from using DeepSeek on agency devices, "
                                  "according to a memo sent on Friday.", published="2025-02-01")
    e = one(events, agency_id="us-nasa", tool_id="deepseek")
    assert (e["action"], e["stage"], e["date"], e["date_precision"]) == ("ban", "enacted", "2025-01-31", "day")
    assert "NASA has banned" in e["evidence"]


def test_weekday_resolves_to_the_latest_such_day(extractor):
    events = events_of(extractor, "On Tuesday, Virginia Governor Glenn Youngkin signed an executive order "
                                  "banning DeepSeek on state devices and networks.", published="2025-02-12")
    e = one(events, tool_id="deepseek")
    assert e["date"] == "2025-02-11"
    assert e["country"] == "United States"
    assert "Virginia" in e["agency"]


def test_year_less_date_takes_the_publication_year(extractor):
    events = events_of(extractor, "As of Jan. 31, agency staff at NASA may not use DeepSeek.", published="2025-02-04")
    assert one(events, agency_id="us-nasa")["date"] == "2025-01-31"


def test_a_month_with_its_year_after_a_preposition_keeps_that_year(extractor):
    # "from March" alone would take the publication year
    events = events_of(extractor, "The reversal ends a ban dating from March 2024, when NASA barred staff from "
                                  "using ChatGPT on agency devices.", published="2025-09-17")
    assert one(events, agency_id="us-nasa", action="ban")["date"] == "2024-03"


def test_proposal_is_not_an_enacted_ban(extractor):
    events = events_of(extractor, "A bill introduced in Congress on Thursday would prohibit federal employees "
                                  "from downloading DeepSeek on government phones, two lawmakers said.",
                       published="2025-02-07")
    assert events, "a proposal is still recorded"
    assert all(e["stage"] == "proposed" for e in events)


def test_lawmakers_urging_a_ban_is_proposed(extractor):
    events = events_of(extractor, "Lawmakers urged the Commerce Department to ban DeepSeek on federal devices.")
    assert events and {e["stage"] for e in events} == {"proposed"}
    # pressing governors to act binds no one: a call, whatever the measure word
    pressed = "Two U.S. senators are pressing governors across the country to keep DeepSeek off state devices."
    assert {(e["agency_id"], e["stage"]) for e in events_of(extractor, pressed)} == {("us-congress", "proposed")}


def test_negated_measure_is_no_event(extractor):
    assert events_of(extractor, "The Pentagon has not banned ChatGPT, a spokesperson said on Monday.") == []
    assert events_of(extractor, "The Department of Commerce has no plans to ban Microsoft Copilot.") == []


def test_lift(extractor):
    events = events_of(extractor, "Italy's data protection authority lifted its ban on ChatGPT on Friday after "
                                  "OpenAI added age verification for Italian users.", published="2023-04-29")
    e = one(events, action="lift", tool_id="chatgpt")
    assert e["date"] == "2023-04-28"
    assert "legal_compliance" in e["reasons"]
    assert e["country"] == "Italy"


def test_several_agencies_in_one_sentence(extractor):
    events = events_of(extractor, "NASA, the U.S. Navy and the Pentagon have all blocked DeepSeek on "
                                  "government networks.")
    agencies = {e["agency_id"] for e in events if e["tool_id"] == "deepseek"}
    assert len(agencies) == 3
    assert "us-nasa" in agencies


def test_background_mention_gets_its_own_event_and_date(extractor):
    text = ("Texas became the first state to ban DeepSeek on Friday, joining the U.S. Navy, which barred "
            "sailors from using the app last week.")
    events = events_of(extractor, text, published="2025-02-01")
    texas = [e for e in events if "Texas" in e["agency"]]
    navy = [e for e in events if "Navy" in e["agency"]]
    assert len(texas) == 1 and len(navy) == 1
    assert texas[0]["date"] == "2025-01-31"
    assert navy[0]["date"] == "2025-01" and navy[0]["date_precision"] == "month"


def test_passive_with_staff_holder(extractor):
    events = events_of(extractor, "Staff at the House of Representatives are prohibited from installing "
                                  "DeepSeek on official phones.")
    e = one(events, tool_id="deepseek")
    assert "House" in e["agency"]
    assert e["scope"] and "phones" in e["scope"]


def test_by_agent(extractor):
    events = events_of(extractor, "DeepSeek was blocked on Friday by Taiwan's Ministry of Digital Affairs for "
                                  "all public sector workers.", published="2025-02-01")
    e = one(events, tool_id="deepseek")
    assert e["country"] == "Taiwan"
    assert e["date"] == "2025-01-31"


def test_order_giver_is_the_actor(extractor):
    events = events_of(extractor, "Governor Greg Abbott ordered the Texas Department of Information Resources "
                                  "to block DeepSeek on state-issued devices.")
    e = one(events, tool_id="deepseek")
    assert "Texas" in e["agency"] and "Information Resources" not in e["agency"]


def test_suspend_investigate_warn(extractor):
    suspend = events_of(extractor, "South Korea's Personal Information Protection Commission suspended new "
                                   "downloads of DeepSeek over its handling of personal data.")
    assert one(suspend, tool_id="deepseek")["action"] == "suspend"
    assert "data_privacy" in one(suspend, tool_id="deepseek")["reasons"]
    probe = events_of(extractor, "Ireland's Data Protection Commission opened an investigation into DeepSeek.")
    assert one(probe, tool_id="deepseek")["action"] == "investigate"
    warn = events_of(extractor, "India's finance ministry warned employees to avoid ChatGPT and DeepSeek on "
                                "office computers, citing risks to confidential government documents.")
    assert {e["tool_id"] for e in warn} == {"chatgpt", "deepseek"}
    assert {e["action"] for e in warn} == {"warn"}
    assert all("confidentiality" in e["reasons"] for e in warn)


def test_unknown_body_found_by_statistical_ner(extractor):
    events = events_of(extractor, "The Fairfax County School Board in Virginia blocked ChatGPT on all student "
                                  "laptops this week.", published="2023-01-20")
    assert len(events) == 1
    e = events[0]
    assert "Fairfax" in e["agency"] and e["agency_id"] is None
    assert e["jurisdiction_id"] == "us-va" and e["country"] == "United States"


def test_country_mention_merges_into_the_named_authority(extractor):
    events = events_of(extractor, "Italy's privacy watchdog, the Garante, ordered DeepSeek to stop processing "
                                  "Italians' data and blocked the chatbot on Thursday.",
                       title="Italy blocks DeepSeek", published="2025-01-31")
    deepseek = [e for e in events if e["tool_id"] == "deepseek"]
    assert len(deepseek) == 1
    assert deepseek[0]["agency_id"] and "Italy" not in deepseek[0]["agency_id"]


@pytest.mark.parametrize("phrase, reason", [
    ("citing national security risks", "national_security"),
    ("over concerns about the handling of personal data", "data_privacy"),
    ("because user data is stored on servers in China", "data_sovereignty"),
    ("because user data is kept on servers in the People's Republic of China", "data_sovereignty"),
    ("after researchers found malware in the app", "cybersecurity"),
    ("for fear of leaks of sensitive information", "confidentiality"),
    ("after it produced answers insulting the country's president", "disinformation_censorship"),
    ("over sexually explicit deepfakes", "harmful_content"),
    ("over child safety concerns", "harmful_content"),
    ("for violating the GDPR", "legal_compliance"),
    ("until the tool passes a security review", "unvetted"),
    ("as an interim measure while it assesses the tool", "unvetted"),
    ("because its terms of use require users to be at least 18", "legal_compliance"),
])
def test_each_reason_family(extractor, phrase, reason):
    events = events_of(extractor, f"The Australian Government banned DeepSeek on government devices {phrase}.")
    assert reason in one(events, tool_id="deepseek")["reasons"]


def test_of_two_overlapping_reason_phrases_the_one_its_last_word_heads_wins(extractor):
    # "potential security" (a national-security cue) and "security breaches" (a cyber one) share a word
    events = events_of(extractor, "The Australian Government banned DeepSeek on government devices over "
                                  "potential security breaches.")
    assert one(events, tool_id="deepseek")["reasons"] == ["cybersecurity"]


def test_a_generic_security_concern_is_national_for_a_foreign_tool_and_cyber_for_a_domestic_one(extractor):
    foreign = events_of(extractor, "The Australian Government banned DeepSeek on its devices over security concerns.")
    assert one(foreign, tool_id="deepseek")["reasons"] == ["national_security"]
    domestic = events_of(extractor, "The U.S. Patent and Trademark Office barred staff from ChatGPT over security concerns.")
    assert one(domestic, tool_id="chatgpt")["reasons"] == ["cybersecurity"]
    # a stated national-security reason stays what it says
    stated = events_of(extractor, "The U.S. Patent and Trademark Office barred ChatGPT on national security grounds.")
    assert one(stated, tool_id="chatgpt")["reasons"] == ["national_security"]


def test_non_english_document_is_recorded_not_guessed(extractor):
    result = extractor.extract({"id": "nl", "title": "Ambtenaren krijgen verbod", "published": "2025-02-03",
                                "text": "Rijksambtenaren mogen de app voortaan niet meer gebruiken op hun werktelefoon, "
                                        "meldt het ministerie. Het besluit geldt per direct voor alle ministeries."})
    assert result["events"] == []
    assert result["document"]["language"] == "nl"


def test_a_short_english_text_heavy_in_names_is_english(extractor):
    # a language identifier reads it as Nigerian Pidgin; the measure was lost with it
    result = extractor.extract({"id": "sd", "title": "", "published": "2025-03-01",
                                "text": "South Dakota Governor Larry Rhoden banned DeepSeek on February 5."})
    assert result["document"]["language"] == "en"
    assert one(result["events"], tool_id="deepseek")["agency_id"] == "us-sd-government"
    # a short text clearly in another language stays in it
    french = extractor.extract({"id": "fr", "title": "", "published": "2025-03-01",
                                "text": "La CNIL ouvre une enquête sur DeepSeek"})
    assert french["document"]["language"] == "fr"


def test_a_tool_usable_again_is_a_lift_dated_by_its_own_sentence(extractor):
    text = ("Italians can use ChatGPT again. OpenAI switched the chatbot back on in Italy on Friday, April 28. "
            "The suspension dated from March 31, when the Garante ordered OpenAI to stop processing "
            "the data of Italian users.")
    events = events_of(extractor, text, published="2023-04-29")
    lift = one(events, tool_id="chatgpt", action="lift")
    assert lift["date"] == "2023-04-28"
    ban = one(events, tool_id="chatgpt", action="ban")
    assert ban["agency_id"] == "it-garante" and ban["date"] == "2023-03-31"


def test_an_order_to_the_vendor_acts_on_its_flagship_product(extractor):
    events = events_of(extractor, "The Garante ordered OpenAI to stop processing the personal data of users "
                                  "in Italy.", published="2023-03-31")
    e = one(events, agency_id="it-garante")
    assert (e["tool_id"], e["action"]) == ("chatgpt", "ban")


def test_deleting_data_is_not_deleting_the_app(extractor):
    # "deleted" acts on what sits next to it, not on a tool named elsewhere in the sentence
    text = ("The Garante's demands included a notice on how ChatGPT processes data and a way for anyone "
            "to have inaccurate personal data corrected or deleted.")
    assert events_of(extractor, text) == []
    events = events_of(extractor, "The Navy told sailors to delete DeepSeek from their phones.")
    assert one(events, agency_id="us-navy")["action"] == "ban"


def test_may_no_longer_is_a_prohibition_in_force(extractor):
    events = events_of(extractor, "DeepSeek may no longer be used anywhere in the Czech state administration, "
                                  "the Czech government said on Wednesday.", published="2025-07-10")
    e = one(events, agency_id="cz-government")
    assert (e["stage"], e["date"]) == ("enacted", "2025-07-09")


def test_an_agency_warning_and_its_government_ban_are_two_events(extractor):
    text = ("Czechia bans DeepSeek in its public administration.\n\n"
            "The Czech cybersecurity agency NÚKIB had published a warning about DeepSeek the day before.")
    events = events_of(extractor, text, published="2025-07-10")
    assert one(events, agency_id="cz-government")["action"] == "ban"
    assert one(events, agency_id="cz-nukib")["action"] == "warn"


def test_told_to_stay_away_is_a_ban(extractor):
    events = events_of(extractor, "The U.S. Navy told its members in an email to stay away from DeepSeek "
                                  "entirely.", published="2025-01-28")
    assert one(events, agency_id="us-navy")["action"] == "ban"


def test_a_recalled_measure_is_not_dated_by_the_story(extractor):
    text = ("NASA blocked DeepSeek on its systems on Friday.\n\n"
            "Virginia and Texas are among the states that already bar the model from government devices.")
    events = events_of(extractor, text, published="2025-02-01")
    assert one(events, agency_id="us-nasa")["date"] == "2025-01-31"
    for state in ("us-va-government", "us-tx-government"):
        e = one(events, agency_id=state)
        assert e["action"] == "ban" and e["date"] is None, e


def test_the_ban_takes_the_date_of_the_sentence_that_announced_it(extractor):
    text = ("The university will ban prohibited apps on devices used for university work starting Feb. 27, "
            "its compliance office said on Monday.\n\n"
            "The ban follows University of Texas System rules that forbid apps such as TikTok and DeepSeek.")
    events = events_of(extractor, text, published="2025-02-24")
    assert one(events, tool_id="deepseek")["date"] == "2025-02-27"


def test_ministries_named_without_their_country_belong_to_the_story_country(extractor):
    text = ("South Korea moved against DeepSeek this week.\n\n"
            "The defence ministry said it had blocked DeepSeek on military computers on Thursday.")
    events = events_of(extractor, text, published="2025-02-07")
    assert one(events, tool_id="deepseek", action="ban")["agency_id"] == "kr-mnd"
    # the same words in a story about another country name no Korean ministry
    other = events_of(extractor, "The interior ministry of France said it had blocked DeepSeek.")
    assert not [e for e in other if e["agency_id"] == "kr-mois"]


def test_listed_ministries_act_themselves_not_the_government(extractor):
    events = events_of(extractor, "South Korea's defence and trade ministries blocked DeepSeek on Thursday.",
                       published="2025-02-07")
    assert {e["agency_id"] for e in events} == {"kr-mnd", "kr-motie"}


def test_a_data_regulator_described_not_named(extractor):
    events = events_of(extractor, "Italy's data regulator ordered DeepSeek to stop processing the data of "
                                  "Italians.", published="2025-01-30")
    assert one(events, tool_id="deepseek")["agency_id"] == "it-garante"


def test_a_tool_the_measure_leaves_available_is_not_restricted(extractor):
    text = "The Navy blocked DeepSeek but left other chatbots, such as ChatGPT, available to sailors."
    events = events_of(extractor, text, published="2025-01-28")
    assert one(events, agency_id="us-navy")["tool_id"] == "deepseek"
    assert not [e for e in events if e["tool_id"] == "chatgpt"]


def test_shutting_a_tool_out_is_a_ban(extractor):
    events = events_of(extractor, "Taiwan's government is shutting DeepSeek out of its agencies.",
                       published="2025-01-31")
    assert one(events, tool_id="deepseek")["action"] == "ban"


def test_a_dateline_dates_the_story_not_the_measure(extractor):
    text = ("ROME, March 31 (Wire) - ChatGPT is blocked in Italy. The Garante issued the order "
            "on Thursday with immediate effect.")
    # no publication date given: the dateline stands in for it, and "on Thursday" resolves against it
    e = one(events_of(extractor, text, published=None, title="Italy blocks ChatGPT 2023"), tool_id="chatgpt")
    assert e["agency_id"] == "it-garante"
    assert e["date"] == "2023-03-30", e


def test_weekday_of_last_week(extractor):
    events = events_of(extractor, "On Friday of last week, the U.S. Navy told sailors not to use DeepSeek.",
                       published="2025-01-31")
    assert one(events, agency_id="us-navy")["date"] == "2025-01-24"


def test_those_urged_to_act_are_not_the_actors(extractor):
    text = ("A group of U.S. state attorneys general urged Google and Apple to remove DeepSeek from their app "
            "stores on Tuesday.")
    events = events_of(extractor, text, published="2025-02-20")
    assert not [e for e in events if e["agency"] in ("Google", "Apple")]
    e = one(events, tool_id="deepseek")
    assert e["stage"] == "proposed" and "attorneys general" in e["agency"].lower()


def test_the_suspension_a_lift_ends_is_not_dated_by_the_lift(extractor):
    text = ("DeepSeek is back in South Korean app stores.\n\n"
            "The Personal Information Protection Commission said on Monday it had lifted the suspension "
            "it imposed in February.")
    events = events_of(extractor, text, published="2025-04-29")
    assert one(events, action="lift")["date"] == "2025-04-28"
    suspension = [e for e in events if e["action"] == "suspend"]
    assert all(e["date"] in (None, "2025-02") for e in suspension), suspension


@pytest.mark.parametrize("text", [
    "The University of Hong Kong drops its student ChatGPT ban.",
    "The University of Hong Kong is reversing the ChatGPT ban it imposed in February.",
    "The University of Hong Kong will let students use ChatGPT from September, ending its ban.",
])
def test_dropping_reversing_or_ending_a_ban_is_a_lift_dated_by_the_lift(extractor, text):
    e = one(events_of(extractor, text, published="2023-08-04"), tool_id="chatgpt")
    assert e["action"] == "lift"
    assert e["date"] != "2023-02"  # "imposed in February" dates the ban the lift ends


def test_a_consumer_alert_urging_people_to_think_carefully_is_a_warning(extractor):
    text = ("Consumer Alert: Know the Risks Before You Use DeepSeek\n\nThe Tennessee Attorney General is urging "
            "Tennesseans to think carefully before using DeepSeek.")
    assert one(events_of(extractor, text), tool_id="deepseek")["action"] == "warn"


def test_a_measure_that_looks_likely_is_proposed(extractor):
    events = events_of(extractor, "A ban on DeepSeek for federal devices looks likely, the Journal reported.",
                       published="2025-03-07")
    assert all(e["stage"] == "proposed" for e in events)


def test_a_date_in_another_clause_belongs_to_that_clause(extractor):
    text = ("Texas and Virginia have banned DeepSeek on state devices, while Iowa's governor added it to the "
            "state's list of prohibited apps on Wednesday.")
    events = events_of(extractor, text, published="2025-02-07")
    assert one(events, agency_id="us-ia-government")["date"] == "2025-02-05"
    assert one(events, agency_id="us-tx-government")["date"] != "2025-02-05"


def test_word_sets_are_lexicon_entries_no_component_matches(extractor):
    from banwatch.errors import BanwatchError
    from banwatch.lexicon import words

    assert "but" in words("clause_break") and isinstance(words("clause_break"), frozenset)
    with pytest.raises(BanwatchError, match="no 'words' entries labelled 'no_such_set'"):
        words("no_such_set")
    doc = extractor._pipeline()("NASA banned DeepSeek, but the Navy did not.")
    assert "words" not in doc.spans and "trigger" in doc.spans


def test_a_lexicon_entry_written_twice_is_an_error(tmp_path):
    from banwatch.errors import BanwatchError
    from banwatch.lexicon import load_lexicon

    entry = '{"group": "trigger", "label": "ban", "pattern": "not authorised"}\n'
    path = tmp_path / "lexicon.jsonl"
    path.write_text(entry + '{"group": "trigger", "label": "ban", "pattern": "barred"}\n' + entry)
    with pytest.raises(BanwatchError, match=r"lexicon.jsonl:3: the same entry as line 1"):
        load_lexicon(path)
    assert load_lexicon()  # the shipped lexicon has none


def test_rule_settings_are_the_config_of_the_events_component(extractor):
    import spacy

    from pipeline.settings import DEFAULT_SETTINGS

    assert extractor._pipeline().get_pipe("banwatch_events").settings == DEFAULT_SETTINGS
    nlp = spacy.blank("en")
    rules = nlp.add_pipe("banwatch_events", config={"settings": {"title_weight": 2, "negation_window": 6}})
    assert (rules.settings.title_weight, rules.settings.negation_window) == (2.0, 6)
    assert rules.settings.same_measure_days == DEFAULT_SETTINGS.same_measure_days
    with pytest.raises(ValueError, match="unknown settings"):
        nlp.add_pipe("banwatch_events", name="typo", config={"settings": {"title_wieght": 2}})


def test_a_tools_home_country_named_bare_is_not_its_regulator(extractor):
    text = ("Apps tied to China, DeepSeek among them, are now banned from Texas government devices "
            "under an order from Governor Greg Abbott.")
    assert {e["agency_id"] for e in events_of(extractor, text)} == {"us-tx-government"}
    # the government named as such still acts
    assert one(events_of(extractor, "The Chinese government restricted DeepSeek on state phones."),
               agency_id="cn-government")


def test_deciding_whether_to_block_is_no_measure(extractor):
    assert events_of(extractor, "Apple and Google must now decide whether to block DeepSeek in Germany.") == []


def test_the_body_that_runs_a_network_blocks_things_on_it(extractor):
    text = ("Blocking of DeepSeek has begun on parts of the Defense Department's network, run by the "
            "Defense Information Systems Agency.")
    assert one(events_of(extractor, text), tool_id="deepseek")["agency_id"] == "us-disa"


def test_a_sentence_about_a_bill_is_proposed_across_its_clauses(extractor):
    text = ("The House bill was introduced on Friday; its purpose is to have the Commerce Department "
            "prohibit DeepSeek on federal devices.")
    assert one(events_of(extractor, text), tool_id="deepseek")["stage"] == "proposed"
    # another body's own measure in the next clause is its own, enacted
    text = ("The House bill was introduced on Friday; the Commerce Department prohibited DeepSeek on its "
            "devices the same day.")
    assert one(events_of(extractor, text), agency_id="us-doc")["stage"] == "enacted"


def test_asking_the_maker_to_withdraw_its_app_is_a_demand(extractor):
    text = ("The Berlin data protection commissioner asked DeepSeek to remove its apps from German app stores "
            "within a month.")
    assert {e["stage"] for e in events_of(extractor, text)} == {"proposed"}
    ordered = events_of(extractor, "The Garante ordered OpenAI to stop processing Italians' data in ChatGPT.")
    assert one(ordered, agency_id="it-garante")["stage"] == "enacted"


def test_pdf_lines_are_joined_into_sentences():
    from pipeline.documents import unwrap_lines

    text = "PRESS RELEASE\nBerlin, 27 June 2025\nThe stores must decide whether to\nblock the app. The infor-\nmation follows.\n- one\n- two"
    assert unwrap_lines(text) == ("PRESS RELEASE\nBerlin, 27 June 2025\nThe stores must decide whether to block "
                                  "the app. The information follows.\n- one\n- two")


def test_a_round_up_paragraph_acts_for_the_body_it_opens_with(extractor):
    text = ("Where things stand.\n\nNavy. An email to sailors on Jan. 24 told them not to use DeepSeek for "
            "any work.\n\nTexas. DeepSeek was banned on state devices on Jan. 28.")
    found = {e["agency_id"] for e in events_of(extractor, text)}
    assert {"us-navy", "us-tx-government"} <= found


def test_a_ministry_named_without_its_country_takes_the_paragraphs_place(extractor):
    text = "India. On Jan. 2 the IT ministry sent X a notice over its Grok chatbot, asking for details within 72 hours."
    assert one(events_of(extractor, text, published="2026-01-28"), tool_id="grok")["agency_id"] == "in-meity"


def test_a_participle_with_an_object_is_the_verb_not_a_qualifier(extractor):
    text = "NASA. The agency's top technology official barred staff from using DeepSeek on work laptops."
    assert one(events_of(extractor, text), tool_id="deepseek")["agency_id"] == "us-nasa"
    qualifier = "A state-owned telecom company barred from bidding last year said it uses DeepSeek."
    assert events_of(extractor, qualifier) == []


def test_a_bill_that_opens_its_sentence_is_its_legislatures_proposal(extractor):
    text = ("Introduced in the House of Representatives on March 3. This bill prohibits the use of DeepSeek on "
            "devices issued by federal agencies.")
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency_id"], e["stage"]) == ("us-house", "proposed")
    signed = "The governor's office listed its actions, including signing a bill that prohibits DeepSeek."
    assert all(e["agency_id"] not in ("us-house", "us-senate") for e in events_of(extractor, signed))


def test_a_body_that_follows_with_a_measure_acts_on_the_tool_followed(extractor):
    text = ("Seattle Public Schools blocked ChatGPT on school laptops in December. New York City's education "
            "department followed in January with a block of its own.")
    assert one(events_of(extractor, text), agency_id="us-nyc-doe")["tool_id"] == "chatgpt"


def test_the_bodies_a_measure_joins_do_not_take_the_storys_reasons(extractor):
    # the privacy concern is Tasmania's; the story says nothing of why Queensland and WA acted
    text = "Tasmania has banned ChatGPT in its public schools over privacy concerns, joining Queensland and Western Australia."
    reasons = {e["agency_id"]: e["reasons"] for e in events_of(extractor, text)}
    assert reasons.get("au-tas-education") == ["data_privacy"], reasons
    assert [r for a, r in reasons.items() if a != "au-tas-education"] == [[], []], reasons


def test_the_bodies_a_joiner_joined_took_the_measure_before(extractor):
    text = ("WA's Education Department joined NSW, Queensland and Tasmania in blocking ChatGPT on Wednesday "
            "because students could use it to cheat.")
    found = {e["agency_id"]: e for e in events_of(extractor, text, published="2023-02-01")}
    assert found["au-wa-education"]["date_source"] == "text" and found["au-wa-education"]["reasons"]
    # "on Wednesday" and "to cheat" are WA's: the others keep only the report's date, and no reasons
    others = [e for a, e in found.items() if a != "au-wa-education"]
    assert len(others) == 3 and all(e["date_source"] != "text" and e["reasons"] == [] for e in others), others


def test_a_body_that_also_acts_in_a_contrasting_clause_acts_on_the_same_tool(extractor):
    text = ("ChatGPT reached classrooms in December. Queensland's education department blocked the chatbot on "
            "its networks in January, while Tasmania also blocked access from its public schools.")
    found = {e["agency_id"]: e["tool_id"] for e in events_of(extractor, text)}
    assert found.get("au-tas-education") == "chatgpt", found


def test_a_places_privacy_regulator_is_its_data_protection_authority(extractor):
    after = ("The Office of the Privacy Commissioner of Canada and the privacy authorities of Quebec, British "
             "Columbia and Alberta will investigate ChatGPT together.")
    before = "Quebec and Alberta privacy commissioners said they would investigate ChatGPT."
    for text, expected in ((after, {"ca-qc-cai", "ca-bc-oipc", "ca-ab-oipc"}),
                           (before, {"ca-qc-cai", "ca-ab-oipc"})):
        found = {e["agency_id"] for e in events_of(extractor, text)}
        assert expected <= found and not {"ca-qc-government", "ca-ab-government"} & found, (text, found)
    for text in ("The data protection commissioner of Hesse has opened a review of ChatGPT.",
                 "Hesse's data protection commissioner has opened a review of ChatGPT."):
        assert {e["agency_id"] for e in events_of(extractor, text)} == {"de-he-dpa"}, text


def test_a_period_inside_a_name_ends_no_sentence():
    import spacy

    from pipeline.components import sentence_boundaries

    doc = sentence_boundaries(spacy.blank("en")(
        "The attorney general opened an investigation into Character.AI on Thursday. It asked the court … "
        "for a ban... It said so."))
    assert [s.text.strip() for s in doc.sents] == [
        "The attorney general opened an investigation into Character.AI on Thursday.",
        "It asked the court … for a ban...", "It said so."]


@pytest.mark.parametrize("text, sentences", [
    ("Gwangju cut access from 10 a.m. South Jeolla Province followed later.",
     ["Gwangju cut access from 10 a.m.", "South Jeolla Province followed later."]),
    ("Agencies across the U.S. The agency acted first.", ["Agencies across the U.S.", "The agency acted first."]),
    ("The block starts at 5 p.m. Friday in all offices.", ["The block starts at 5 p.m. Friday in all offices."]),
    ("Talks end at 10 a.m. ET on Monday.", ["Talks end at 10 a.m. ET on Monday."]),
    ("The U.S. Navy banned it.", ["The U.S. Navy banned it."]),
])
def test_a_clock_time_or_us_may_end_a_sentence(text, sentences):
    import spacy

    from pipeline.components import sentence_boundaries

    assert [s.text.strip() for s in sentence_boundaries(spacy.blank("en")(text)).sents] == sentences


@pytest.mark.parametrize("cue, background", [("among the first to", 0.0), ("among the states that already", 1.0)])
def test_being_among_the_first_is_news_not_background(cue, background):
    text = f"Gangwon Province was {cue} block DeepSeek on provincial computers."
    found = Extractor(candidates=True).extract({"id": "t", "url": "https://example.org/t", "title": "",
                                                "published": "2025-02-07", "text": text})
    assert [e["features"]["background"] for e in found["events"]] == [background]


def test_an_attorney_general_named_by_person_acts_as_the_office(extractor):
    text = "Texas (U.S) Attorney General Ken Paxton has opened an investigation into Character.AI."
    assert one(events_of(extractor, text), tool_id="character-ai")["agency_id"] == "us-tx-attorney-general"


def test_a_measure_on_the_maker_of_the_storys_tool_is_on_that_tool(extractor):
    text = ("Grok, the chatbot built into X, produced fake images of real people. California's attorney general, "
            "Rob Bonta, announced an investigation into xAI on Friday.")
    assert one(events_of(extractor, text), agency_id="us-ca-attorney-general")["tool_id"] == "grok"


def test_a_warning_from_a_body_is_that_bodys_and_wires_may_drop_its_accents(extractor):
    # "NÚKIB" in the reference data, "NUKIB" on the wire; "a warning from X": X warns
    text = "The cabinet's decision on DeepSeek followed a warning from NUKIB about access to data held in China."
    e = one(events_of(extractor, text), agency_id="cz-nukib")
    assert (e["action"], e["tool_id"]) == ("warn", "deepseek")


def test_a_body_right_after_a_nominal_trigger_is_read_not_a_failure(extractor):
    # nothing between trigger and body: the "a warning from X" check must not index an empty gap
    result = extractor.extract({"id": "t", "url": "https://example.org/t", "title": "", "published": "2025-02-03",
                                "text": "In a warning NASA told its staff to avoid DeepSeek on agency devices."})
    assert result["error"] is None and result["events"], result["error"]


def test_a_body_described_in_lower_case_is_not_another_countrys_namesake(extractor):
    # Malaysia has a "National Cyber Security Agency"; in a Czech story these words describe the Czech one
    text = ("The Czech government banned DeepSeek in its public administration on Wednesday after a warning "
            "from the national cyber security agency.")
    found = {e["agency_id"] for e in events_of(extractor, text)}
    assert "cz-government" in found and "my-nacsa" not in found


def test_the_countrys_data_protection_authority_is_the_storys_countrys(extractor):
    text = ("Italy has cut off DeepSeek. The country's data protection authority ordered a limitation on the "
            "processing of Italian users' data by DeepSeek on Thursday.")
    e = one(events_of(extractor, text), agency_id="it-garante")
    assert e["agency_mention"] == "The country's data protection authority"


def test_a_request_sent_to_the_company_is_on_the_storys_tool(extractor):
    # "the companies" as the one a measure is sent to: the maker of the tool the story is about
    text = ("DeepSeek topped the download charts this week.\n\nOn Tuesday the Garante sent the companies "
            "a formal request for information on how they handle Italian users' data.")
    e = one(events_of(extractor, text), agency_id="it-garante")
    assert (e["action"], e["tool_id"]) == ("investigate", "deepseek")


def test_a_company_sending_a_request_is_not_the_object_of_a_measure(extractor):
    # the company here sends, it is not sent to: no measure on the story's tool
    text = "DeepSeek topped the download charts.\n\nThe company sent reporters a statement on its data practices."
    assert not [e for e in events_of(extractor, text) if e["tool_id"] == "deepseek"]


def test_we_on_a_bodys_own_site_is_that_body(extractor):
    # the regulator's own notice: "we" is the regulator; on a news site "we" is nobody's
    text = "On 30 January we ordered DeepSeek to stop processing the data of Italian users, with immediate effect."
    official = events_of(extractor, text, url="https://www.garanteprivacy.it/home/docweb/-/docweb-display/docweb/1")
    assert [(e["agency_id"], e["tool_id"]) for e in official] == [("it-garante", "deepseek")]
    news = events_of(extractor, text, url="https://news.example.com/2025/02/03/deepseek")
    assert not [e for e in news if e["agency_id"] == "it-garante"]


def test_a_place_the_reference_does_not_know_acts_when_the_measure_is_by_it(extractor):
    found = events_of(extractor, "DeepSeek banned by Zeeland on work phones.")
    assert [(e["agency"], e["tool_id"], e["action"]) for e in found] == [("Zeeland", "deepseek", "ban")]
    # where a measure holds, or whose firm wrote a report, is no actor
    for text in ("DeepSeek was banned on government phones in Zeeland.",
                 "DeepSeek was flagged in a report by Zeeland-based researchers."):
        assert not [e for e in events_of(extractor, text) if e["agency"].startswith("Zeeland")], text


def test_a_place_inside_an_unknown_bodys_name_leaves_the_body_to_ner(extractor):
    # "British Columbia" is a known name, but here it is part of the university's
    found = events_of(extractor, "The University of British Columbia has barred DeepSeek from its devices.")
    assert [(e["agency"], e["action"]) for e in found] == [("University of British Columbia", "ban")]


def test_we_on_a_site_that_spells_a_body_named_in_the_page_is_that_body(extractor):
    # no listed domain, but the host spells a body the page names: "we" there is that body
    text = ("A message to Seattle Public Schools families.\n\n"
            "From Monday we are blocking ChatGPT on all district devices and networks.")
    own = events_of(extractor, text, url="https://www.seattleschools.org/news/chatgpt")
    assert [(e["agency_id"], e["tool_id"], e["action"]) for e in own] == [("us-seattle-schools", "chatgpt", "ban")]
    elsewhere = events_of(extractor, text, url="https://www.kuow.org/stories/chatgpt")
    assert not [e for e in elsewhere if e["agency_id"] == "us-seattle-schools" and e["action"] == "ban"]


def test_a_measure_where_the_notice_names_only_its_own_country_is_the_publishers(extractor):
    text = "ChatGPT is accessible again to users in Italy after OpenAI introduced the changes requested."
    e = one(events_of(extractor, text, published="2023-04-28",
                      url="https://www.garanteprivacy.it/home/docweb/-/docweb-display/docweb/9881490"), tool_id="chatgpt")
    assert (e["agency_id"], e["action"]) == ("it-garante", "lift")


def test_a_lawmakers_party_and_state_tag_is_no_actor(extractor):
    # "R-Ohio" says whom the senator represents; Ohio's government does not act
    text = "Sen. Jon Husted, R-Ohio, introduced a bill on Thursday that would ban DeepSeek on federal devices."
    found = events_of(extractor, text)
    assert found and not [e for e in found if e["agency_id"] == "us-oh-government"]
    assert one(found, tool_id="deepseek")["stage"] == "proposed"


def test_state_lawmakers_are_their_states_legislature(extractor):
    text = "In Texas, state senators passed a bill on Monday to ban DeepSeek on state devices."
    assert one(events_of(extractor, text), tool_id="deepseek")["agency_id"] == "us-tx-legislature"


def test_a_lexicon_abbreviation_matches_as_the_tokenizer_splits_it(extractor):
    # spaCy keeps "Sen." as one token but splits "sen." in two: the lexicon's "sen." must match both
    doc = extractor._pipeline()("Sen. Jane Roe and Rep. John Doe spoke; the sen. left.")
    assert [s.text for s in doc.spans["lawmaker"]] == ["Sen.", "Rep.", "sen."]


def test_pulled_from_the_stores_at_a_bodys_request_is_that_bodys_suspension(extractor):
    # Apple and Google run the stores here: no Apple product is suspended, and who asked acted
    text = ("South Korea's Personal Information Protection Commission reviewed DeepSeek in February.\n\n"
            "DeepSeek was pulled from the Apple and Google app stores at the commission's request.")
    found = events_of(extractor, text)
    e = one(found, tool_id="deepseek", action="suspend")
    assert e["agency_id"] == "kr-pipc"
    assert {x["tool_id"] for x in found} == {"deepseek"}


@pytest.mark.parametrize("asked", ["at the Garante's request", "at the request of the Garante"])
def test_at_a_bodys_request_names_who_took_the_measure(extractor, asked):
    # the store removes the app; the body that asked for it took the measure
    text = f"Apple removed DeepSeek from its Italian store {asked} on Thursday."
    assert one(events_of(extractor, text), tool_id="deepseek", action="suspend")["agency_id"] == "it-garante"


def test_plural_title_abbreviations_end_no_sentence(extractor):
    doc = extractor._pipeline()("In February, Reps. Jane Roe and John Doe introduced a bill. Sens. Ann Poe agreed.")
    assert [s.text.split()[0] for s in doc.sents] == ["In", "Sens."]


def test_a_bills_sponsors_give_the_order_it_would_require(extractor):
    # "would require federal agencies to remove the app": the agencies are told; the sponsors propose
    text = ("DeepSeek worries U.S. lawmakers.\n\nIn February, Reps. Jane Roe and John Doe introduced the No "
            "DeepSeek on Government Devices Act, which would require federal agencies to remove the app from "
            "government phones.")
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency_id"], e["stage"]) == ("us-congress", "proposed")


def test_a_cue_of_the_next_predicate_does_not_make_a_measure_proposed(extractor):
    # "announced an investigation and urged users ...": the urging is the next measure, not this one's stage
    text = ("DeepSeek topped the charts.\n\nThe Dutch data protection authority has announced an investigation "
            "and urged Dutch users to be careful with the app.")
    e = one(events_of(extractor, text), tool_id="deepseek", action="investigate")
    assert e["stage"] == "enacted"


def test_the_education_department_of_a_city_story_is_the_citys(extractor):
    # described in lower case, "the education department" is the story's own place's, not the nation's
    text = ("New York City public schools will drop their ban on ChatGPT, the schools chancellor said on "
            "Thursday, four months after the education department blocked the chatbot on school devices.")
    found = {e["agency_id"] for e in events_of(extractor, text)}
    assert "us-nyc-doe" in found and "us-ed" not in found


def test_the_education_department_named_bare_in_a_city_story_is_the_citys(extractor):
    # capitals and all: "The Education Department" of a story whose main place is a city
    text = ("New York City public schools will take ChatGPT off their list of blocked websites, the chancellor "
            "said on Thursday.\n\nThe Education Department blocked the chatbot on school devices and networks in "
            "January.")
    found = {e["agency_id"] for e in events_of(extractor, text, published="2023-05-18")}
    assert "us-nyc-doe" in found and "us-ed" not in found, found
    # in a national story the name alone is the nation's
    text = ("The Education Department has blocked ChatGPT on the devices of its staff across the United States, "
            "officials in Washington said.")
    assert {e["agency_id"] for e in events_of(extractor, text)} == {"us-ed"}


def test_a_city_acting_on_its_schools_acts_through_its_education_department(extractor):
    text = "The moves follow New York City's decision last week to block ChatGPT on its school devices and networks."
    assert {e["agency_id"] for e in events_of(extractor, text, published="2023-01-12")} == {"us-nyc-doe"}


def test_setting_aside_or_quashing_an_order_lifts_it(extractor):
    text = "The Federal Trade Commission has reopened and set aside its final order against the AI writing service Rytr."
    e = one(events_of(extractor, text, published="2025-12-22"), tool_id="rytr")
    assert (e["agency_id"], e["action"]) == ("us-ftc", "lift"), e
    text = "The Council of State annulled the decision of the Garante that had suspended Replika in Italy."
    assert ("Council of State", "lift") in {(e["agency"], e["action"]) for e in events_of(extractor, text)}


def test_a_news_organisation_setting_rules_for_its_newsroom_acts(extractor):
    text = ("The Associated Press has published its first standards on generative AI.\n\n"
            "Under the guidance, journalists may not use ChatGPT to write anything that is published.")
    e = one(events_of(extractor, text, published="2023-08-17"), tool_id="chatgpt")
    assert e["agency"] == "Associated Press", e
    # one that reports, or sues, is no body acting
    text = ("Reuters reported that staff at the bank may not use ChatGPT.\n\n"
            "The New York Times has sued OpenAI over ChatGPT.")
    assert {e["agency"] for e in events_of(extractor, text)} & {"Reuters", "The New York Times", "New York Times"} == set()


def test_a_but_clause_without_a_subject_of_its_own_keeps_the_date(extractor):
    text = ("In guidance released on Wednesday, JPMorgan Chase said its staff may experiment with ChatGPT, but may "
            "not use it to draft client documents.")
    assert one(events_of(extractor, text, published="2023-08-17"), tool_id="chatgpt")["date"] == "2023-08-16"
    # a clause with its own subject has its own date
    for text in ("JPMorgan Chase has barred staff from using ChatGPT, while Citigroup restricted it on Wednesday.",
                 "Citigroup restricted ChatGPT on Wednesday, but JPMorgan Chase has barred staff from using it."):
        e = one(events_of(extractor, text, published="2023-08-17"), agency="JPMorgan Chase")
        assert e["date"] == "2023-08-17", (text, e)


def test_blocking_some_of_a_tools_output_restricts_it(extractor):
    for text in ("A Turkish court has blocked Grok content, saying the AI chatbot insulted President Erdogan.",
                 "A Turkish court ordered access to some content generated by Grok to be blocked after the AI chatbot "
                 "insulted President Erdogan."):
        actions = {e["action"] for e in events_of(extractor, text, published="2025-07-09") if e["tool_id"] == "grok"}
        assert actions == {"restrict"}, (text, actions)
    # blocking the tool itself bans it
    text = "A Turkish court has blocked Grok, the AI chatbot, across Turkey."
    assert {e["action"] for e in events_of(extractor, text, published="2025-07-09") if e["tool_id"] == "grok"} == {"ban"}


def test_a_ban_held_until_a_check_is_done_suspends(extractor):
    for text in ("The Korean National Police Agency has blocked DeepSeek on official computers pending a security check.",
                 "The Korean National Police Agency has blocked DeepSeek on official computers until its security has "
                 "been verified."):
        e = one(events_of(extractor, text), tool_id="deepseek")
        assert e["action"] == "suspend", (text, e)
    # "until" with no check to wait for is no suspension
    text = "The Korean National Police Agency has blocked DeepSeek on official computers until the end of its contract."
    assert one(events_of(extractor, text), tool_id="deepseek")["action"] == "ban"


def test_a_ban_someone_may_waive_or_on_some_uses_restricts(extractor):
    for text in ("Sophia University will not accept essays that contain text produced by ChatGPT unless the course "
                 "instructor has given permission.",
                 "Sophia University bars ChatGPT-written assignments without instructor approval.",
                 "The governor said staff of the Tottori Prefectural Government are banned from using ChatGPT for "
                 "drafting policy."):
        actions = {e["action"] for e in events_of(extractor, text, published="2023-04-20") if e["tool_id"] == "chatgpt"}
        assert actions == {"restrict"}, (text, actions)
    # a carve-out nobody grants leaves a ban
    text = ("The International Conference on Machine Learning bars papers that contain text produced by ChatGPT, "
            "unless that text is part of the paper's experiments.")
    assert {e["action"] for e in events_of(extractor, text) if e["tool_id"] == "chatgpt"} == {"ban"}


def test_a_firm_the_ner_misses_named_twice_before_its_ban_acts(extractor):
    text = ("Fox Rothschild has blocked DeepSeek on its systems this week, citing client confidentiality.\n\n"
            "Fox Rothschild is one of the first large law firms to do so.")
    e = one(events_of(extractor, text, published="2025-01-31"), tool_id="deepseek")
    assert e["agency"] == "Fox Rothschild", e
    # named once only, a capitalised phrase before the ban is no body
    text = "Fox Rothschild has blocked DeepSeek on its systems this week, citing client confidentiality."
    assert [e for e in events_of(extractor, text, published="2025-01-31") if e["agency"] == "Fox Rothschild"] == []


def test_pulling_a_tool_off_devices_bans_it_and_a_reviewer_is_no_follower(extractor):
    text = "Governor Kevin Stitt pulls DeepSeek off state-owned devices after OMES review"
    events = events_of(extractor, text, published="2025-03-21")
    assert {(e["agency"], e["action"]) for e in events if e["tool_id"] == "deepseek"} == {
        ("State of Oklahoma", "ban")}, events  # the governor's, not the IT office that reviewed the app
    # a body named after "after" that acted itself still follows
    text = "Governor Kevin Stitt pulls DeepSeek off state-owned devices after Texas banned it"
    assert "State of Texas" in {e["agency"] for e in events_of(extractor, text, published="2025-03-21")}


def test_calling_for_caution_is_the_warning_itself_not_a_proposal(extractor):
    text = "Dutch regulator calls for great caution with DeepSeek"
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["action"], e["stage"]) == ("warn", "enacted")


def test_a_tool_named_as_what_another_rivals_is_not_the_one_banned(extractor):
    text = ("Norwegian politicians can no longer use the Chinese app DeepSeek.\n\nThe app, which is a cheaper "
            "alternative to ChatGPT, has been banned on devices with access to the Storting's systems.")
    assert {e["tool_id"] for e in events_of(extractor, text)} == {"deepseek"}


def test_a_holder_named_with_an_aside_still_holds_the_devices(extractor):
    text = ("DeepSeek is a Chinese chatbot.\n\nThe app has been banned on devices with access to the Storting's "
            "(Norwegian parliament) systems.")
    assert one(events_of(extractor, text), tool_id="deepseek")["agency_id"] == "no-parliament"


@pytest.mark.parametrize("sentence", [
    "The Catholic school system refuses to impose a blanket ban on ChatGPT.",
    "The school board decided against a ban on ChatGPT on Monday.",
    "The council voted against banning ChatGPT in city offices.",
])
def test_refusing_or_deciding_against_a_measure_is_none(extractor, sentence):
    assert not events_of(extractor, sentence)


def test_an_investigation_into_the_maker_holds_when_its_tool_is_named_in_another_clause(extractor):
    text = ("Meta AI is built into WhatsApp.\n\nThe European Commission on Thursday opened a formal antitrust "
            "investigation into Meta over new WhatsApp terms that shut out rival chatbots while leaving Meta AI in place.")
    e = one(events_of(extractor, text), agency_id="eu-commission")
    assert (e["action"], e["tool_id"]) == ("investigate", "meta-ai")


def test_does_not_allow_its_staff_to_use_is_a_ban(extractor):
    text = "Microsoft does not allow its employees to use the DeepSeek app, its president told senators on Thursday."
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency_id"], e["action"]) == ("us-microsoft", "ban")


def test_a_probe_that_a_body_launched_is_that_bodys(extractor):
    text = ("Meta AI is built into WhatsApp.\n\nThe case follows a probe that Italy's competition authority, "
            "the AGCM, launched in July into the integration of Meta AI into WhatsApp.")
    e = one(events_of(extractor, text), tool_id="meta-ai")
    assert (e["agency_id"], e["action"]) == ("it-agcm", "investigate")


def test_an_unknown_name_ending_in_ai_is_a_product_not_a_body(extractor):
    from pipeline.actors import ner_actor

    class Span:  # the NER span's attributes ner_actor reads
        text, label_, start, end = "WhatsApp AI", "ORG", 0, 2
    assert ner_actor(None, Span(), None) is None


def test_one_bodys_warning_and_its_later_ban_are_two_events(extractor):
    # a warning is a measure of its own, not another description of the ban that followed
    text = ("Taiwan's Ministry of Digital Affairs warned government staff against DeepSeek on Monday.\n\n"
            "On Friday the ministry banned DeepSeek on all government devices in Taiwan.")
    found = [e for e in events_of(extractor, text) if e["tool_id"] == "deepseek"]
    assert sorted(e["action"] for e in found if e["agency_id"] == "tw-moda") == ["ban", "warn"]


def test_has_since_is_no_clause_break(extractor):
    # "since" after "has" is an adverb ("has since banned"), not the start of a clause ("since the ban")
    text = "ChatGPT is blocked in WA public schools.\n\nVictoria has since banned it from public schools."
    assert "au-vic-education" in {e["agency_id"] for e in events_of(extractor, text)}


def test_a_similar_measure_with_its_own_subject_is_that_bodys(extractor):
    # "NSW issued a similar ban" is NSW's own ban; "other states are weighing similar restrictions" is nobody's
    text = ("ChatGPT will be blocked in Victorian state schools.\n\nThe NSW education department last month issued "
            "a similar ban on ChatGPT in state schools. Other states are weighing similar restrictions on ChatGPT.")
    found = events_of(extractor, text)
    assert one(found, agency_id="au-nsw-education")["action"] == "ban"
    assert not [e for e in found if e["stage"] == "proposed"]


def test_switched_off_and_allowed_back_are_a_ban_and_its_lift(extractor):
    text = ("At the end of March, Italy's Garante ordered OpenAI to stop handling Italians' data, which amounted to "
            "switching ChatGPT off for the whole country.\n\nFour weeks later the Italian authority allowed the "
            "service back.")
    found = [e for e in events_of(extractor, text, published="2023-05-10") if e["agency_id"] == "it-garante"]
    assert sorted(e["action"] for e in found) == ["ban", "lift"]


def test_content_that_exploits_children_is_harm_not_a_cyber_risk(extractor):
    text = "The eSafety Commissioner restricted Grok on Friday over images that sexually exploit children."
    reasons = one(events_of(extractor, text), tool_id="grok")["reasons"]
    assert "harmful_content" in reasons and "cybersecurity" not in reasons


def test_the_word_cybersecurity_elsewhere_in_a_story_is_no_reason(extractor):
    # a bare "cybersecurity" is the topic of many stories; it is the measure's reason only beside it
    text = ("Cybersecurity jobs keep growing in the state.\n\nSeparately, the Texas governor banned DeepSeek on "
            "state devices on Friday, citing the risk of data leaks.")
    assert "cybersecurity" not in one(events_of(extractor, text), tool_id="deepseek")["reasons"]
    beside = "The Texas governor banned DeepSeek on state devices on Friday over cybersecurity concerns."
    assert "cybersecurity" in one(events_of(extractor, beside), tool_id="deepseek")["reasons"]


def test_governors_summed_up_yield_to_each_governors_own_ban(extractor):
    text = ("At least three governors have now barred DeepSeek from state-owned devices.\n\n"
            "Texas Gov. Greg Abbott moved first, ordering on Jan. 28 that state agencies keep DeepSeek, along with "
            "the Chinese social apps RedNote and Lemon8, off government-issued devices. New York Gov. Kathy Hochul "
            "followed on Feb. 10 with a ban covering state devices and networks.")
    found = {e["agency_id"] or e["agency"] for e in events_of(extractor, text, published="2025-02-20")}
    assert {"us-tx-government", "us-ny-government"} <= found
    assert not [a for a in found if "overnors" in a]  # the summary is no body of its own


def test_an_unnamed_office_on_a_bodys_own_site_is_that_body(extractor):
    # NASA's memo on nasa.gov: "the Office of the Chief Information Officer" is NASA's, one measure with it
    text = ("DeepSeek must not be downloaded, installed or accessed on NASA devices.\n\nThe Office of the Chief "
            "Information Officer has blocked access to DeepSeek from agency systems.")
    found = events_of(extractor, text, published="2025-01-31", title="NASA memo: DeepSeek blocked",
                      url="https://www.nasa.gov/internal/ai-memo-deepseek")
    assert [e["agency_id"] for e in found] == ["us-nasa"]


def test_a_former_governor_tagged_as_a_lawmaker_is_no_governors_order(extractor):
    # Pete Ricketts is listed as Nebraska's governor; "(R-NE)" marks him as the senator he is now
    text = ("Today, U.S. Senators Jacky Rosen (D-NV), Jon Husted (R-OH), and Pete Ricketts (R-NE) introduced "
            "bipartisan legislation to prohibit the use of DeepSeek on all government devices.")
    found = {e["agency_id"] for e in events_of(extractor, text)}
    assert found and not found & {"us-ne-government", "us-oh-government", "us-nv-government"}


def test_limited_ending_a_company_name_is_no_restriction(extractor):
    text = ("On 12 September 2024, Ireland's Data Protection Commission announced an inquiry into Google Ireland "
            "Limited concerning its AI model, Pathways Language Model 2 (PaLM 2).")
    found = events_of(extractor, text, published="2024-09-16")
    assert [(e["tool_id"], e["action"]) for e in found] == [("palm-2", "investigate")]


def test_a_sentence_opening_on_it_continues_the_body_the_sentence_before_opened_on(extractor):
    text = ("Kestrel Polytechnic Institute, in the north of Ohio, tightened its rules in March. "
            "It said that essays written by ChatGPT may not be used in coursework.")
    e = one(events_of(extractor, text), tool_id="chatgpt")
    assert e["agency"] == "Kestrel Polytechnic Institute"
    # "he" is a person's pronoun: it does not stand for a body
    text = text.replace("It said", "He said")
    assert not [e for e in events_of(extractor, text) if e["agency"] == "Kestrel Polytechnic Institute"]


def test_a_pronoun_after_a_fronted_date_continues_the_body_before(extractor):
    for text in ("NASA moved ahead of other agencies. In February it blocked DeepSeek on its devices.",
                 "NASA moved ahead of other agencies. In February, it blocked DeepSeek on its devices."):
        e = one(events_of(extractor, text), tool_id="deepseek", action="ban")
        assert e["agency_id"] == "us-nasa"


def test_an_acronym_opening_a_sentence_is_a_name_for_ner(extractor):
    text = "KPI says it will block DeepSeek on its campus network from next week."
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert e["agency"] == "KPI"


def test_a_bare_attorney_general_is_the_office_of_the_documents_state(extractor):
    text = ("The Office of the Attorney General is urging residents to think carefully before using DeepSeek. "
            "Reports can be filed with the Tennessee Division of Consumer Affairs.")
    e = one(events_of(extractor, text), tool_id="deepseek", action="warn")
    assert e["agency_id"] == "us-tn-attorney-general"
    # with no state in the story there is no office to name
    assert not [e for e in events_of(extractor, text.split(" Reports")[0]) if e["agency_id"]]


def test_a_sentence_opening_on_the_measure_names_its_tools(extractor):
    text = ("The Commission today sent a formal request for information to Microsoft under the Digital Services Act. "
            "The request covers the risks of Microsoft Copilot in elections.")
    e = one(events_of(extractor, text, url="https://ec.europa.eu/commission/presscorner/detail/en/ip_t"),
            tool_id="microsoft-copilot")
    assert (e["agency_id"], e["action"]) == ("eu-commission", "investigate")
    # a next sentence about something else lends the measure no tool
    other = text.replace("The request covers", "The weather spoiled")
    assert not [e for e in events_of(extractor, other) if e["tool_id"] == "microsoft-copilot"]


def test_the_commission_on_its_own_site_is_the_publisher(extractor):
    text = "The Commission has opened an investigation into the Grok chatbot."
    e = one(events_of(extractor, text, url="https://ec.europa.eu/commission/presscorner/detail/en/ip_t"),
            tool_id="grok")
    assert e["agency_id"] == "eu-commission"
    # on a news site nobody says which commission
    assert not [e for e in events_of(extractor, text, url="https://news.example.com/a") if e["agency_id"] == "eu-commission"]


def test_a_measure_judged_unlikely_is_none(extractor):
    text = ("The Dutch data protection authority announced an investigation into DeepSeek. "
            "A DeepSeek block by the Dutch authority is unlikely in the short term.")
    assert [e["action"] for e in events_of(extractor, text)] == ["investigate"]
    # a comma ends the verdict's reach: the measure before it stands
    assert events_of(extractor, "Italy blocked DeepSeek on Thursday, an EU-wide ban is unlikely.")


def test_a_body_named_after_its_description_is_the_agent(extractor):
    text = "The Czech cabinet acted on a warning from the country's cyber security watchdog, NUKIB, about DeepSeek."
    e = one(events_of(extractor, text), tool_id="deepseek", action="warn")
    assert e["agency_id"] == "cz-nukib"
    # a description that names no body ("the weekend, ...") lends nothing
    other = "The Czech cabinet acted on a warning from the long and quiet holiday weekend, NUKIB, about DeepSeek."
    assert not [e for e in events_of(extractor, other) if e["agency_id"] == "cz-nukib" and e["action"] == "warn"]


def test_an_unknown_tool_before_a_described_noun(extractor):
    text = "China's industry ministry summoned the developer over ZAO, the face-swapping app, over privacy."
    e = one(events_of(extractor, text), action="investigate")
    assert (e["tool"], e["tool_id"]) == ("ZAO", None)  # an unverified tool


def test_every_tool_a_list_of_ai_tools_names(extractor):
    # "Spellbook" is outside the reference data, "Bing" is otherwise a search engine: in a list of AI
    # tools each is a tool of the measure
    text = ("NASA barred its staff from drafting reports with generative AI tools such as ChatGPT, "
            "Spellbook or Microsoft's Bing.")
    tools = {e["tool"] for e in events_of(extractor, text)}
    assert tools == {"ChatGPT", "Spellbook", "Bing"}
    assert {e["tool"] for e in events_of(extractor, text.replace("such as", "with"))} == {"ChatGPT"}


def test_acting_after_another_body_is_no_joining(extractor):
    # the board set up a task force; only the watchdog suspended the tool ("joined X in banning" joins)
    text = ("Regulators across the bloc formed a working group that the European Data Protection Board set up "
            "in April after Italy's privacy watchdog temporarily blocked ChatGPT.")
    suspenders = {e["agency"] for e in events_of(extractor, text) if e["action"] == "suspend"}
    assert suspenders == {"Garante per la protezione dei dati personali"}


def test_a_places_bare_watchdog_in_a_privacy_story_is_its_dpa(extractor):
    text = ("Italy's watchdog temporarily blocked ChatGPT over the way it collects users' personal data.")
    assert {e["agency"] for e in events_of(extractor, text)} == {"Garante per la protezione dei dati personali"}
    other = "Italy's watchdog temporarily blocked ChatGPT over false answers about elections."
    assert "Garante per la protezione dei dati personali" not in {e["agency"] for e in events_of(extractor, other)}


def test_who_welcomes_a_measure_did_not_take_it(extractor):
    text = ("Dana Holt, a researcher at the University of Melbourne, welcomed the decision to reverse the "
            "ban on ChatGPT in public schools.")
    assert "University of Melbourne" not in {e["agency"] for e in events_of(extractor, text)}
    acted = text.replace(", a researcher at the University of Melbourne, welcomed the decision",
                         " said the University of Melbourne decided")
    assert "University of Melbourne" in {e["agency"] for e in events_of(extractor, acted)}


def test_these_actions_are_the_previous_subjects(extractor):
    text = ("Governor Youngkin has moved against foreign apps this year. These actions include an order "
            "banning DeepSeek on state devices.")
    assert {e["agency"] for e in events_of(extractor, text)} == {"Commonwealth of Virginia"}


def test_an_organisations_representatives_are_no_lawmakers(extractor):
    text = "Deepfakes worry America. Union representatives urged a ban on DeepSeek in America."
    assert "United States Congress" not in {e["agency"] for e in events_of(extractor, text)}
    assert "United States Congress" in {e["agency"] for e in events_of(extractor, text.replace("Union r", "R"))}


def test_a_foreign_bodys_initials_need_its_country_in_the_story(extractor):
    # "PTA" is also Pakistan's telecoms regulator: not in a story about Virginia's schools
    text = ("Fairfax County parents in Virginia, with PTA members, say Virginia schools should stop using "
            "ChatGPT. PTA asked Virginia's schools to suspend ChatGPT.")
    assert "Pakistan Telecommunication Authority" not in {e["agency"] for e in events_of(extractor, text)}
    text = "Pakistan's PTA blocked ChatGPT on Tuesday."
    assert "Pakistan Telecommunication Authority" in {e["agency"] for e in events_of(extractor, text)}


def test_one_lawmaker_is_not_the_legislature(extractor):
    text = ("Lin Mei-hua, a lawmaker from the ruling party, called on companies to stay away from DeepSeek "
            "over security risks in Taiwan.")
    assert "Legislative Yuan" not in {e["agency"] for e in events_of(extractor, text)}
    text = text.replace("Lin Mei-hua, a lawmaker from the ruling party,", "Lawmakers in Taiwan")
    assert "Legislative Yuan" in {e["agency"] for e in events_of(extractor, text)}


def test_a_regulators_full_name_wins_over_its_place_and_title(extractor):
    # "Privacy Commissioner of Alberta" inside the body's full name must not break the list of bodies
    text = ("The Office of the Privacy Commissioner of Canada, Quebec's Commission d'accès à l'information and "
            "the Information and Privacy Commissioner of Alberta said they had opened a joint investigation "
            "into Clearview AI over consent to use personal data.")
    assert {e["agency_id"] for e in events_of(extractor, text)} == {"ca-opc", "ca-qc-cai", "ca-ab-oipc"}


def test_a_regulators_expectations_are_a_warning(extractor):
    text = ("On Monday the UK Information Commissioner's Office published a set of expectations for employers "
            "whose staff use ChatGPT.")
    assert one(events_of(extractor, text), agency_id="gb-ico")["action"] == "warn"


def test_referring_a_complaint_is_a_probe(extractor):
    for text in ("The Federal Trade Commission said it had referred to the Justice Department a complaint "
                 "about Snapchat's My AI chatbot.",
                 "The Federal Trade Commission referred a complaint about Snapchat's My AI to prosecutors."):
        assert one(events_of(extractor, text), agency_id="us-ftc")["action"] == "investigate"


def test_a_yes_no_question_states_no_measure(extractor):
    assert not events_of(extractor, "Will the Navy ban DeepSeek on its ships?")
    assert not events_of(extractor, "Are civil servants at NASA banned from using ChatGPT?")
    # a question that takes the measure as given still states it
    assert events_of(extractor, "Why did the Navy ban DeepSeek on its ships?")


def test_a_notice_requiring_a_maker_to_explain_is_a_probe(extractor):
    text = ("Australia's eSafety Commissioner has issued legal notices to the makers of companion chatbots "
            "such as Character.AI, requiring them to explain their safeguards for children.")
    assert {e["action"] for e in events_of(extractor, text) if e["tool_id"] == "character-ai"} == {"investigate"}


def test_a_headlines_bodies_are_named_in_the_story_below(extractor):
    record = {"id": "t", "url": "https://example.org/t", "published": "2025-07-10",
              "title": "Prosecutors open probe into Grok replies",
              "text": "Grok, the chatbot from xAI, posted insults about national leaders this week. "
                      "The case is with the Ankara prosecutor's office, which has received complaints."}
    events = extractor.extract(record)["events"]
    assert one(events, action="investigate")["agency_id"] == "tr-ankara-prosecutor"


def test_a_plural_places_bare_apostrophe_is_possessive(extractor):
    text = "The Netherlands' data protection regulator warned users against DeepSeek."
    assert one(events_of(extractor, text), action="warn")["agency"] == "Autoriteit Persoonsgegevens"


def test_urging_users_is_a_warning_however_they_are_described(extractor):
    text = "Italy's privacy watchdog is urging Italian users of Instagram to object to Meta AI training on their posts."
    assert one(events_of(extractor, text), tool_id="meta-ai")["action"] == "warn"


def test_limiting_a_harm_is_no_restriction_and_an_order_to_tell_is_a_probe(extractor):
    text = ("The Federal Trade Commission has ordered the makers of ChatGPT and Grok to tell it how they "
            "limit the harm their chatbots may do to teenagers.")
    assert {e["action"] for e in events_of(extractor, text)} == {"investigate"}


def test_a_probe_of_people_who_used_a_tool_is_no_probe_of_the_tool(extractor):
    text = "Hundreds of law students in the United Kingdom are being investigated for cheating with ChatGPT."
    assert not [e for e in events_of(extractor, text) if e["action"] == "investigate"]
    text = "ChatGPT is being investigated by Ireland's Data Protection Commission."
    assert [e for e in events_of(extractor, text) if e["action"] == "investigate"]


def test_a_participle_taking_access_or_use_is_a_verb(extractor):
    # not "a court [that was] blocked": the participle has its object
    text = ("On July 9 a court blocked access to Grok, the AI chatbot. The decision, issued by Ankara's 7th "
            "Criminal Judgeship of Peace, cited insults to the president.")
    assert [(e["agency"], e["tool"]) for e in events_of(extractor, text)] == [("Criminal Judgeship of Peace", "Grok")]
    text = "Workers at a state-owned company barred from operating here were told to stop using ChatGPT."
    assert not [e for e in events_of(extractor, text) if e["action"] == "ban"]


def test_a_judges_standing_order_is_the_courts(extractor):
    text = ("On May 30, 2023, Judge Brantley Starr of the U.S. District Court for the Northern District of Texas "
            "required every attorney to file a certificate on any use of ChatGPT.")
    events = events_of(extractor, text)
    assert [(e["agency"], e["tool"], e["action"]) for e in events] == [
        ("U.S. District Court for the Northern District of Texas", "ChatGPT", "restrict")]
    text = "Judge Ana Reyes required lawyers to certify that no filing was drafted with ChatGPT."
    assert [e["agency"] for e in events_of(extractor, text)] == ["Judge Ana Reyes"]
    text = "A Northern District of Texas judge requires lawyers to certify any use of ChatGPT."
    assert [e["agency"] for e in events_of(extractor, text)] == ["Northern District of Texas"]


def test_a_participle_before_a_tool_phrase_is_a_verb(extractor):
    # not "a court [that was] banned": "generative AI tools" is the participle's object
    text = "The Texas court banned generative AI tools such as ChatGPT in its courtroom."
    assert [e["tool"] for e in events_of(extractor, text)] == ["ChatGPT"]


def test_a_bodys_initials_are_the_body(extractor):
    text = ("The Wexford County Office of Information Technology banned DeepSeek on county computers. "
            "WCOIT blocked the DeepSeek app on August 7, and OIT said the ban on DeepSeek protects county data.")
    assert {e["agency"] for e in events_of(extractor, text)} == {"Wexford County Office of Information Technology"}


def test_a_measure_naming_nobody_is_the_body_named_just_before(extractor):
    text = ("On May 30, Judge Brantley Starr of the U.S. District Court for the Northern District of Texas added "
            "an item to his standing requirements. Every attorney appearing before him must now file a certificate "
            "on any use of ChatGPT.")
    assert [(e["agency"], e["tool"]) for e in events_of(extractor, text)] == [
        ("U.S. District Court for the Northern District of Texas", "ChatGPT")]
    # what a measure word is about ("like banning Google") acts in no later sentence
    text = ("Teachers say that banning ChatGPT would be like banning Google. Chatbots such as ChatGPT have "
            "been banned in several states.")
    assert not [e for e in events_of(extractor, text) if e["agency"] == "Google"]


def test_this_app_and_the_chatbots_are_the_storys_tool(extractor):
    # not "the models": "export curbs on the chips used to train the models" are on chips
    for phrase in ("this app", "the chatbots"):
        text = ("DeepSeek released two new versions this month. Taiwan's Ministry of Digital Affairs "
                f"banned {phrase} from government networks.")
        assert [(e["tool"], e["action"]) for e in events_of(extractor, text)] == [("DeepSeek", "ban")], phrase


def test_a_name_needing_ai_context_listed_with_a_tool_has_it(extractor):
    text = "Taiwan's Ministry of Digital Affairs blocked DeepSeek, Doubao and Kimi on state phones."
    assert {e["tool_id"] for e in events_of(extractor, text)} == {"deepseek", "doubao", "kimi"}
    # alone, "Kimi" is a name like any other
    assert not events_of(extractor, "Taiwan's Ministry of Digital Affairs blocked Kimi on state phones.")


def test_the_outlet_a_news_sites_host_spells_is_no_body(extractor):
    text = "The department told Harbour Daily that it blocked access to DeepSeek after analysing it."
    assert not [e for e in events_of(extractor, text, url="https://www.harbourdaily.com.au/t")
                if e["agency"] == "Harbour Daily"]
    # elsewhere the name is NER's guess at a body (the decision layer weighs it); on a government's own
    # site the host spells the body itself
    assert [e for e in events_of(extractor, text, url="https://example.org/t") if e["agency"] == "Harbour Daily"]
    assert "harbourdaily" not in extractor.ref.outlet_names("https://www.harbourdaily.gov.au/t")


def test_the_countrys_regulator_is_of_the_country_just_named(extractor):
    # a round-up about the United States, but "the country" here is Italy
    text = ("Regulators in the United States, from Texas to California and New York, have moved against "
            "companion apps. Italy was first. In February 2023 the country's data protection authority ordered "
            "Luka Inc. to stop processing data through Replika.")
    assert [e["agency"] for e in events_of(extractor, text) if e["tool"] == "Replika"] == [
        "Garante per la protezione dei dati personali"]


def test_a_rule_that_no_longer_applies_is_lifted_on_the_day_it_ends(extractor):
    text = ("Kestrel Polytechnic Institute said on Thursday that its interim rule adopted in February, under "
            "which students could not use ChatGPT, will no longer apply.")
    e = one(events_of(extractor, text, published="2023-08-03"), action="lift")
    assert e["date"] == "2023-08-03"  # not February: that is the rule's date


def test_an_ai_agent_website_or_video_generator_names_its_tool(extractor):
    for text, name in [
            ("China's Ministry of Industry and Information Technology warned users about the AI agent OpenClaw.",
             "OpenClaw"),
            ("Italy's data protection authority blocked the AI website Undressly over nude images.", "Undressly"),
            ("Ofcom opened an investigation into the video generator Vidmora.", "Vidmora")]:
        assert name in {e["tool"] for e in events_of(extractor, text)}, text


def test_a_requirement_set_the_day_before_dates_the_measure_it_sets(extractor):
    text = ("U.S. District Judge Brantley Starr set out the requirement on Tuesday among the standing rules of "
            "his courtroom. Attorneys must certify that no filing was drafted with ChatGPT.")
    e = one(events_of(extractor, text, published="2023-05-31"), tool_id="chatgpt")
    assert e["date"] == "2023-05-30"


def test_a_measure_published_on_a_day_is_dated_by_it_a_product_launched_is_not(extractor):
    text = "Ofcom warned the makers of chatbots such as Character.AI in an open letter published in November 2024."
    assert date_of(extractor, text, "2024-12-10", "character-ai") == "2024-11"
    text = "Ofcom warned users about DeepSeek, the Chinese chatbot launched in January 2025."
    assert date_of(extractor, text, "2025-03-10", "deepseek") != "2025-01"


def test_a_numeric_date_is_read_only_when_it_reads_one_way(extractor):
    text = "On 29/01/2024 Italy's data protection authority opened an investigation into ChatGPT."
    assert date_of(extractor, text, "2024-02-05", "chatgpt") == "2024-01-29"
    # 05/06/2024: May 6 in the United States, 5 June elsewhere
    text = "On 05/06/2024 Italy's data protection authority opened an investigation into ChatGPT."
    assert date_of(extractor, text, "2024-06-20", "chatgpt") == "2024-06-20"


def test_a_body_that_only_comments_or_announces_something_else_takes_no_later_measure(extractor):
    for text in ("The Department of Labor published new overtime requirements on Monday. Meanwhile ChatGPT is "
                 "restricted on many office networks.",
                 "Microsoft criticised the decision. Access to DeepSeek is blocked on many government networks.",
                 "The Pentagon declined to comment. DeepSeek is banned on devices at several federal agencies."):
        assert not events_of(extractor, text), text


def test_a_judge_of_a_district_is_its_court_not_its_state(extractor):
    text = "Judge Brantley Starr of the Northern District of Texas requires lawyers to certify any use of ChatGPT."
    assert [e["agency"] for e in events_of(extractor, text)] == ["Northern District of Texas"]
    for text in ("A lawyer told Judge Kevin Castel that his firm had since banned ChatGPT.",
                 "District judge Ann Lee banned ChatGPT in her courtroom.",
                 "The Navy's Judge Advocate General banned ChatGPT for legal work."):
        assert not [e for e in events_of(extractor, text) if "Judge" in e["agency"] or e["agency"] == "District"], text


def test_a_site_that_spells_a_body_acting_in_its_own_story_keeps_it(extractor):
    # the host spells TU Delft, but TU Delft acts here: only a name told to, or reporting, is the outlet
    text = "TU Delft banned DeepSeek on university laptops, the university said on Monday."
    assert [e["agency"] for e in events_of(extractor, text, url="https://www.tudelft.nl/en/news/t")] == ["TU Delft"]


def test_the_country_in_view_is_no_place_something_is_in_nor_a_comparison(extractor):
    text = ("South Korea's regulators are busy. DeepSeek stores user data on servers in China. The country's data "
            "protection authority suspended new downloads of DeepSeek.")
    assert [e["agency"] for e in events_of(extractor, text)] == ["Personal Information Protection Commission"]
    text = ("France has been cautious about AI chatbots, unlike Italy. The country's data protection authority "
            "opened an investigation into DeepSeek.")
    assert [e["agency"] for e in events_of(extractor, text)] == ["Commission nationale de l'informatique et des libertés"]


def test_no_longer_applying_lifts_only_a_measure(extractor):
    text = ("Kestrel Polytechnic said its exemption for researchers, introduced in March, will no longer apply, so "
            "ChatGPT is now banned for all staff.")
    assert not [e for e in events_of(extractor, text) if e["action"] == "lift"]


def test_names_needing_ai_context_pass_it_along_a_list_but_not_across_a_clause(extractor):
    text = "Taiwan's Ministry of Digital Affairs banned DeepSeek, Kimi and Grok on state devices."
    assert {e["tool_id"] for e in events_of(extractor, text)} == {"deepseek", "kimi", "grok"}
    text = "After trying DeepSeek, Kimi said she preferred to study without it."
    doc = extractor._pipeline()(text)
    assert [s.text for s in doc.spans["tool"]] == ["DeepSeek"]


def test_a_name_needing_ai_context_owned_by_a_name_is_a_product_all_through(extractor):
    doc = extractor._pipeline()("Court orders block on X’s Grok. Following Grok’s insults, prosecutors acted.")
    assert [s.text for s in doc.spans["tool"]] == ["Grok", "Grok"]
    doc = extractor._pipeline()("Engineers who grok the rules. Following Grok’s insults, prosecutors acted.")
    assert not doc.spans["tool"]


def test_last_october_in_may_is_seven_months_back_and_last_may_a_year(extractor):
    text = "Last October the Information Commissioner's Office opened an investigation into Snapchat's My AI."
    assert date_of(extractor, text, "2024-05-21", "my-ai") == "2023-10"
    text = "Last May the Information Commissioner's Office opened an investigation into Snapchat's My AI."
    assert date_of(extractor, text, "2024-05-21", "my-ai") == "2023-05"


def test_a_body_whose_hearing_a_speaker_spoke_at_is_not_the_speakers_measure(extractor):
    text = ("At a hearing of the Senate Commerce Committee, Brad Smith said the restriction on DeepSeek applies "
            "across the company.")
    assert not [e for e in events_of(extractor, text) if e["agency"] == "U.S. Senate"]
    text = "NASA said on Friday it banned DeepSeek on agency devices."
    assert [e["agency"] for e in events_of(extractor, text)] == ["National Aeronautics and Space Administration"]


def test_a_places_body_named_in_full_is_that_body_not_the_places_government(extractor):
    text = "The NSW Department of Customer Service told staff that access to DeepSeek would be blocked."
    assert [e["agency"] for e in events_of(extractor, text)] == ["NSW Department of Customer Service"]
    # a place inside a longer name is no place's body: "University of Idaho Office of ..."
    text = "DeepSeek is now banned on university devices, the University of Idaho Office of Information Technology said."
    assert [e["agency"] for e in events_of(extractor, text)] == ["University of Idaho Office of Information Technology"]
    # described first, named later: one body, one measure
    text = ("A New South Wales government department has blocked DeepSeek from its devices.\n\n"
            "The New South Wales Department of Customer Service told staff that it had decided to block DeepSeek. "
            "The Department of Customer Service said it acted to protect its data.")
    assert {e["agency"] for e in events_of(extractor, text)} == {"New South Wales Department of Customer Service"}


def test_steps_towards_a_ban_are_no_ban(extractor):
    text = "The move marks Australia's first steps towards restricting or banning DeepSeek."
    assert not events_of(extractor, text)


def test_app_stores_are_no_tool(extractor):
    text = "Italy's privacy regulator blocked the Clothoff app, which had topped the App Store charts."
    assert {e["tool"] for e in events_of(extractor, text)} == {"Clothoff"}


def test_other_governments_measures_are_not_the_storys(extractor):
    # on the agency's own site a measure naming nobody would be the agency's: not when others took it
    text = "Several other governments have banned DeepSeek on official devices."
    assert not events_of(extractor, text, url="https://www.nukib.cz/en/t")
    assert events_of(extractor, text.replace("Several other governments have", "The agency has"),
                     url="https://www.nukib.cz/en/t")


def test_the_website_is_the_storys_tool(extractor):
    text = ("School systems are starting to wall off ChatGPT. "
            "Montgomery County Public Schools blocked the website on Jan. 3, a spokeswoman said.")
    e = one(events_of(extractor, text), tool_id="chatgpt")
    assert (e["agency"], e["date"]) == ("Montgomery County Public Schools", "2025-01-03")


def test_a_regions_name_or_a_compounds_end_is_no_place(extractor):
    for text in ("Latin America's regulators have opened an investigation into DeepSeek.",
                 "The Latin America network has opened an investigation into DeepSeek.",
                 "The Sino-American network has opened an investigation into DeepSeek."):
        assert not [e for e in events_of(extractor, text) if e["agency_id"] == "us-government"], text
    e = one(events_of(extractor, "The United States has opened an investigation into DeepSeek."), tool_id="deepseek")
    assert e["agency_id"] == "us-government"


def test_an_order_on_the_processing_a_maker_does_is_on_its_tool(extractor):
    text = ("ChatGPT is run by OpenAI. On 31 March the Garante ordered the temporary limitation of the "
            "processing of Italian users' personal data by the US company.")
    e = one(events_of(extractor, text), tool_id="chatgpt")
    assert (e["agency_id"], e["action"], e["date"]) == ("it-garante", "suspend", "2024-03-31")  # a day-month after publication is last year's
    # processing by someone else is not the maker's
    other = text.replace("by the US company", "by the US embassy")
    assert not events_of(extractor, other)


def test_published_guidance_and_calls_on_users_are_warnings(extractor):
    text = "The Dutch data protection authority is calling on people to object before Meta AI is trained on their posts."
    assert one(events_of(extractor, text), tool_id="meta-ai")["action"] == "warn"
    text = "The UK Cabinet Office published guidance on ChatGPT for civil servants."
    assert one(events_of(extractor, text), tool_id="chatgpt")["action"] == "warn"


def test_a_tool_declared_unauthorized_is_banned(extractor):
    text = "The Chief Administrative Officer told House offices on Jan. 30 that DeepSeek is unauthorized for official use."
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["action"], e["date"]) == ("ban", "2025-01-30")


def test_a_regulator_writing_to_a_maker_for_answers_investigates(extractor):
    text = "Ireland's Data Protection Commission has written to DeepSeek asking how it processes the data of Irish users."
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency_id"], e["action"]) == ("ie-dpc", "investigate")
    # a letter that asks nothing is no probe
    assert not events_of(extractor, "Ireland's Data Protection Commission has written to DeepSeek on Monday.")


def test_a_measure_continuing_the_one_before_is_on_its_tool(extractor):
    text = ("Newspapers have asked whether Clearview AI breaks privacy law, and regulators are investigating it. "
            "The Office of the Privacy Commissioner of Canada said Friday that the office had opened an investigation "
            "after media reports.")
    e = one(events_of(extractor, text), agency_id="ca-opc")
    assert (e["tool_id"], e["action"]) == ("clearview-ai", "investigate")
    # a sentence of another kind of measure does not continue it
    other = text.replace("had opened an investigation", "had issued a warning")
    assert not [e for e in events_of(extractor, other) if e["action"] == "warn"]


def test_use_allowed_only_on_conditions_is_a_restriction(extractor):
    text = "Senate staff may now use ChatGPT, but only for research and evaluation, the Sergeant at Arms said."
    assert one(events_of(extractor, text), tool_id="chatgpt")["action"] == "restrict"


def test_a_job_title_is_no_body(extractor):
    # NER tags "CFO Jane Roe" an organisation: a post and its holder are nobody's measure of their own
    text = "In a memo, CFO Richard Hale and COO Michael Grant told employees not to use ChatGPT on company devices."
    assert not [e for e in events_of(extractor, text) if e["agency"].split()[0] in ("CFO", "COO")]


def test_a_web_address_in_a_measure_on_ai_is_a_tool(extractor):
    text = ("The Ministry of Education blocked essaybot.com, quickessay.ai and chat.deepseek.com on school "
            "networks, saying the AI writing sites help pupils cheat.")
    tools = {(e["tool"], e["tool_id"]) for e in events_of(extractor, text)}
    # a known tool's address is that tool; the others are unverified tools under the address
    assert tools == {("essaybot.com", None), ("quickessay.ai", None), ("DeepSeek", "deepseek")}
    # without AI words an address is a site like any other; an e-mail address or a link is none
    assert not events_of(extractor, "The Ministry of Education blocked essaybot.com on school networks.")
    assert not events_of(extractor, "The ministry banned the AI app, press@essaybot.com and https://essaybot.com/x said.")


def test_may_not_install_or_download_is_a_prohibition(extractor):
    text = "Officials at the Department of Veterans Affairs told employees they may not install DeepSeek on work phones."
    assert one(events_of(extractor, text), tool_id="deepseek")["action"] == "ban"
    assert one(events_of(extractor, text.replace("may not install", "cannot download")), tool_id="deepseek")["action"] == "ban"


def test_what_someone_failed_to_do_is_no_measure(extractor):
    # the company's failure to warn its users is what the probe is about, not a warning of the regulator's
    text = "Italy's antitrust authority opened an investigation into DeepSeek for failing to warn users about false answers."
    assert {e["action"] for e in events_of(extractor, text)} == {"investigate"}


def test_bodies_an_order_is_addressed_to_do_not_give_it(extractor):
    text = "The Texas Department of Information Resources directed all state agencies not to use DeepSeek."
    assert {e["agency_id"] for e in events_of(extractor, text)} == {"us-tx-dir"}


def test_a_body_whose_name_opens_on_a_place_adjective_is_found(extractor):
    # "Philippine" is a place of the reference data, but here it opens an unknown body's name
    text = "The Philippine National Police has prohibited its personnel from using ChatGPT for official reports."
    assert {e["agency"] for e in events_of(extractor, text)} == {"Philippine National Police"}


def test_an_adverb_before_a_participle_keeps_it_a_measure(extractor):
    # "was later reinstated": "later" is no noun the participle would qualify
    text = "ChatGPT was blocked in Italy in March 2023 and was later reinstated by the Garante after OpenAI made changes."
    assert one(events_of(extractor, text), action="lift")["agency_id"] == "it-garante"


def test_told_not_to_share_data_with_a_tool_is_a_warning(extractor):
    text = "Amazon has told employees not to share confidential information with ChatGPT."
    assert one(events_of(extractor, text), tool_id="chatgpt")["action"] == "warn"
    assert not events_of(extractor, "Amazon did not share confidential information with ChatGPT, a spokesperson said.")


def test_starting_a_weekday_looks_ahead(extractor):
    # published on Friday 2 May 2025: "starting Monday" is the coming Monday, "on Monday" the past one
    text = "Starting Monday, state employees in Ohio may no longer use DeepSeek, Gov. Mike DeWine's office said."
    assert date_of(extractor, text, "2025-05-02", "deepseek") == "2025-05-05"
    assert date_of(extractor, text.replace("Starting Monday", "On Monday"), "2025-05-02", "deepseek") == "2025-04-28"


def test_a_regulator_that_will_question_a_maker_investigates(extractor):
    text = "France's CNIL said it would question DeepSeek about how its AI system works and the risks to users."
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency_id"], e["action"]) == ("fr-cnil", "investigate")
    # questions in the ordinary sense are none
    assert not events_of(extractor, "France's CNIL said the question of DeepSeek's data practices remained open.")


@pytest.mark.parametrize("text, agency_id, jurisdiction", [
    ("The Texas House passed a bill to ban DeepSeek on state devices.", "us-tx-legislature", "us-tx"),
    ("Georgia's state Senate approved a measure to prohibit DeepSeek on government phones.", None, "us-ga"),
    ("The Virginia House of Delegates passed a bill banning DeepSeek.", "us-va-general-assembly", "us-va"),
    ("The U.S. Senate passed a bill banning DeepSeek.", "us-senate", "us"),
])
def test_a_places_own_chamber_is_its_legislature_not_the_us_senate(extractor, text, agency_id, jurisdiction):
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency_id"], e["agency_kind"], e["jurisdiction_id"]) == (agency_id, "legislature", jurisdiction)


def test_the_state_senate_of_a_story_naming_no_state_is_nobody(extractor):
    assert not events_of(extractor, "The state Senate passed a bill banning DeepSeek.")


def test_bar_someone_from_is_a_ban(extractor):
    text = "U.S. Senator Josh Hawley has introduced legislation that would bar Americans from using DeepSeek."
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["action"], e["stage"]) == ("ban", "proposed")


def test_a_body_speaking_after_the_measure_states_it(extractor):
    text = ("Voters should not rely on ChatGPT to decide how to vote in next week's election, the Dutch data "
            "protection authority AP said on Tuesday.")
    e = one(events_of(extractor, text), tool_id="chatgpt")
    assert (e["agency_id"], e["action"]) == ("nl-ap", "warn")
    # a body named after the measure without speaking is not its author
    assert not events_of(extractor, text.replace("said on Tuesday", "is based in The Hague"))


def test_a_maker_inside_a_tool_name_leaves_the_sentence_to_ner(extractor):
    # "Microsoft" of "Microsoft 365 Copilot" names no body that could act: NER still reads the sentence
    text = "The Calder Valley Water Board banned Microsoft 365 Copilot on its computers."
    assert {e["agency"] for e in events_of(extractor, text)} == {"Calder Valley Water Board"}


def test_one_members_call_is_no_measure_of_the_legislature(extractor):
    text = ("MANILA - Several senators on Monday urged the government to take a close look at DeepSeek, the Chinese "
            "artificial intelligence app, over where Filipino users' data goes.\n\nOne senator said government offices "
            "should stop using the app until its security has been checked, citing steps taken by other governments. "
            "Another said a Senate inquiry may be needed.")
    assert not [e for e in events_of(extractor, text, url="https://newsinfo.inquirer.net/t") if e["action"] == "ban"]


def test_a_bare_chamber_in_a_foreign_story_is_that_countrys_legislature(extractor):
    text = ("MANILA - The Philippine Senate on Monday opened hearings on DeepSeek. "
            "The Senate later passed a bill banning DeepSeek on government devices.")
    assert {e["agency_id"] for e in events_of(extractor, text)} == {"ph-parliament"}


def test_a_news_outlet_reporting_is_no_body(extractor):
    text = "The Los Angeles Times reported that the city of Los Angeles had banned DeepSeek on city devices."
    assert "Los Angeles Times" not in {e["agency"] for e in events_of(extractor, text)}


def test_not_allowed_to_use_is_a_ban_not_a_negated_lift(extractor):
    text = "Microsoft president Brad Smith said employees are not allowed to use DeepSeek."
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency_id"], e["action"]) == ("us-microsoft", "ban")


def test_holding_off_on_restrictions_is_none(extractor):
    assert not events_of(extractor, "The UK government holds off on restrictions of DeepSeek, the minister said.")


def test_a_ban_among_the_options_under_discussion_is_proposed(extractor):
    # the verdict stands eleven words after "ban"
    text = ("The White House said a ban on the DeepSeek chatbot on all U.S. government devices is among the "
            "options under discussion.")
    assert one(events_of(extractor, text), action="ban")["stage"] == "proposed"


def test_a_measure_asked_of_a_body_is_not_taken(extractor):
    assert not events_of(extractor, "Advocacy groups ask FTC to investigate AI companion app Replika")
    text = ("A coalition of youth groups filed a complaint with the Federal Trade Commission asking the agency "
            "to look into Replika, the AI companion app.")
    assert not events_of(extractor, text)
    # a body instructing others is acting
    ordered = "Taiwan's Ministry of Digital Affairs asked government agencies to stop using DeepSeek."
    assert one(events_of(extractor, ordered), tool_id="deepseek")["action"] == "ban"
    # a body beyond the asker's jurisdiction is asked, not instructed
    beyond = "Poland will ask the European Commission to look into Grok, the chatbot made by xAI, after it insulted politicians."
    assert not events_of(extractor, beyond)


def test_taking_a_tool_off_the_blocked_list_is_a_lift(extractor):
    text = "New York City public schools will take ChatGPT off their list of blocked websites, the chancellor said."
    assert {e["action"] for e in events_of(extractor, text)} == {"lift"}


def test_the_citys_education_department_is_the_citys(extractor):
    text = ("ChatGPT access has been restricted on New York City school networks and devices. "
            "The city's Education Department confirmed the block of ChatGPT.")
    assert "us-ed" not in {e["agency_id"] for e in events_of(extractor, text)}
    assert one(events_of(extractor, text), action="ban")["agency"] == "New York City Department of Education"


def test_app_stores_carrying_out_an_order_are_not_its_authors(extractor):
    text = "Apple and Google removed DeepSeek from their Italian app stores after the Garante's order."
    assert {e["agency_id"] for e in events_of(extractor, text)} == {"it-garante"}
    # a store keeping an app out on its own account acts itself
    own = "Microsoft has kept DeepSeek's app out of its own app store, Brad Smith told a Senate committee."
    assert "us-senate" not in {e["agency_id"] for e in events_of(extractor, own)}


def test_a_title_case_headline_keeps_its_places_as_agents(extractor):
    # "Gottheimer, LaHood Introduce Bipartisan ..." read by NER would make a body of "LaHood Introduce Bipartisan"
    title = "Gottheimer, LaHood Introduce Bipartisan Bill to Keep DeepSeek Off New Jersey Government Devices"
    assert not [e for e in events_of(extractor, "", title=title) if "Bipartisan" in e["agency"]]


def test_a_company_is_no_unknown_tool(extractor):
    text = ("The Office of the Privacy Commissioner of Canada has launched an investigation into X Corp., the social "
            "media platform owned by Elon Musk, over how it uses Canadians' data to train its AI chatbot Grok.")
    assert "X Corp." not in {e["tool"] for e in events_of(extractor, text)}


def test_a_newspaper_named_after_a_place_is_not_the_place(extractor):
    text = ("The New York Times sued OpenAI and Microsoft on Wednesday, accusing the companies of copyright "
            "infringement by training ChatGPT on its articles.")
    assert not [e for e in events_of(extractor, text) if e["agency_id"] == "us-ny-government"]


def test_nobody_acting_is_no_measure(extractor):
    text = "No European authority has told either company that its Llama models are prohibited."
    assert not events_of(extractor, text)


def test_a_record_of_blocking_is_no_measure(extractor):
    text = ("A criminal court of peace in Ankara on Wednesday ordered a ban on access to Grok, the AI chatbot made by "
            "xAI, after it insulted President Erdogan.\n\nTurkey has a long record of blocking online content, and "
            "free speech groups criticised the decision.")
    assert "tr-government" not in {e["agency_id"] for e in events_of(extractor, text)}


def test_someone_a_tool_insulted_did_not_act_first(extractor):
    # "after the chatbot insults Erdogan": the president is named, not a body that banned Grok before
    title = "Turkish court orders ban on Grok after chatbot insults Erdogan"
    text = ("A criminal court of peace in Ankara on Wednesday ordered a ban on access to Grok, the AI chatbot developed "
            "by Elon Musk's xAI, after it produced answers that officials said insulted President Recep Tayyip Erdogan.")
    assert {e["agency_id"] for e in events_of(extractor, text, title=title)} == {"tr-criminal-judgeships"}


def test_the_staff_a_measure_binds_are_no_body(extractor):
    # NER reads "Guardians" (Space Force members) as an organisation
    text = ("The Space Force has temporarily halted its workforce's use of web-based generative artificial intelligence tools such as ChatGPT on government systems, according to an internal memo dated Sept. 29."
            "\n\n"
            "The memo, signed by Lisa Costa, the service's chief technology and innovation officer, tells Guardians that the tools may not be used with government data until they are formally approved. It cites concerns about cybersecurity and about how large amounts of information fed into commercial models could be aggregated, and says the pause is a strategic one rather than a permanent prohibition.")
    assert "Guardians" not in {e["agency"] for e in events_of(extractor, text, published="2023-10-12")}


def test_a_weekday_before_its_date_gives_way_to_it(extractor):
    text = "The ban took effect on Monday, Feb. 3, the Navy said of its order on DeepSeek."
    assert date_of(extractor, text, "2025-02-12", "deepseek") == "2025-02-03"


def test_no_plans_for_now_to_act_is_none(extractor):
    text = "The government has no plans for now to restrict DeepSeek in the UK, the technology secretary has said."
    assert not events_of(extractor, text)


def test_a_body_asking_a_court_to_act_does_not_act(extractor):
    text = ("The Ankara Chief Public Prosecutor's Office said Wednesday it had opened an investigation into posts by "
            "Grok, the AI chatbot, and asked a criminal court of peace in Ankara to restrict access to them.")
    assert {e["action"] for e in events_of(extractor, text)} == {"investigate"}


def test_he_who_said_he_would_not_allow_is_the_person_not_the_company(extractor):
    # "the company" (Apple) stands nearer the measure word, but "he" is the attorney general
    text = ("Texas Attorney General Ken Paxton sent demands to Google and Apple about the DeepSeek app.\n\n"
            "Attorney General Paxton called the company a tool of Beijing and said he would not allow "
            "DeepSeek to be installed on devices his office manages.")
    assert "Apple" not in {e["agency"] for e in events_of(extractor, text)}


def test_not_allowing_something_else_to_happen_is_no_measure_on_a_tool(extractor):
    text = ("Texas Attorney General Ken Paxton opened an investigation into DeepSeek on Friday.\n\n"
            "He said he would not allow the privacy of Texans or the safety of state systems to be sold "
            "for a cheap chatbot.")
    assert {e["action"] for e in events_of(extractor, text)} == {"investigate"}


def test_a_new_clause_with_its_own_subject_cuts_off_the_lawmakers(extractor):
    # what the senators think is opinion; the petition that calls for a ban is nobody's measure
    text = ("Grok, Elon Musk's chatbot, has been used to make sexualised images.\n\n"
            "Some crossbench senators say Australia should follow, and an online petition calling for Grok to be "
            "banned is circulating.")
    assert not events_of(extractor, text)



def test_a_company_sent_a_questionnaire_is_not_who_asks(extractor):
    text = "The European Commission sent Microsoft a lengthy, non-binding questionnaire about Copilot in Bing."
    assert {e["agency"] for e in events_of(extractor, text, published="2024-03-15")} == {"European Commission"}


def test_a_demand_to_hand_over_documents_is_an_investigation(extractor):
    text = "The European Commission on Friday gave Microsoft ten days to hand over internal documents on Copilot in Bing."
    assert {(e["agency"], e["action"]) for e in events_of(extractor, text)} == {("European Commission", "investigate")}


def test_a_deadline_is_not_the_date_of_the_demand(extractor):
    # "until May 27": when the answers are due, not when they were asked for (nor May 27 of the year before)
    text = "The European Commission has sent Microsoft a questionnaire on Copilot in Bing, giving it until May 27 to reply."
    assert date_of(extractor, text, "2024-05-17", "microsoft-copilot") == "2024-05-17"


def test_the_subject_of_an_opening_clause_is_not_the_main_clauses(extractor):
    text = ("Since Texas acted on Jan. 31, about ten states have told their employees to keep DeepSeek off "
            "government phones.")
    assert "State of Texas" not in {e["agency"] for e in events_of(extractor, text, published="2025-04-10")}


def test_the_date_of_the_measure_an_investigation_follows_is_not_its_own(extractor):
    text = ("Texas Attorney General Ken Paxton has opened an investigation into DeepSeek over its handling of "
            "Texans' data.\n\nThe investigation follows Governor Greg Abbott's order last month barring DeepSeek "
            "from state-issued devices.")
    events = events_of(extractor, text, published="2025-02-14")
    assert one(events, agency="Texas Attorney General")["date"] == "2025-02-14"


def test_schools_around_a_place_are_not_its_government(extractor):
    text = "Several large school systems around Washington have cut off student access to ChatGPT."
    assert "us-wa-government" not in {e["agency_id"] for e in events_of(extractor, text)}
    # the place itself acting is still found
    acting = "Washington has cut off state employees' access to ChatGPT."
    assert one(events_of(extractor, acting), tool_id="chatgpt")["agency_id"] == "us-wa-government"


def test_use_only_for_is_a_restriction_by_whose_notice_it_stands_under(extractor):
    text = ("Senate aides may use ChatGPT only for research, under a notice from the chief information officer "
            "of the Senate Sergeant at Arms.")
    e = one(events_of(extractor, text), tool_id="chatgpt")
    assert (e["action"], e["agency"]) == ("restrict", "Senate Sergeant at Arms")


def test_a_hedge_in_the_sentence_stating_the_measure_is_no_second_proposed_event(extractor):
    text = ("NASA blocked DeepSeek on its devices in January, explaining that the app would stay off-limits "
            "while its security office reviewed it.")
    found = [e for e in events_of(extractor, text) if e["tool_id"] == "deepseek" and e["action"] != "investigate"]
    assert [(e["action"], e["stage"]) for e in found] == [("ban", "enacted")]


def test_it_stands_for_one_thing_not_the_tools_the_next_sentence_lists(extractor):
    text = ("Ireland's Data Protection Commission opened an inquiry into PaLM 2 on Thursday. Under European law "
            "such an assessment is required, and the DPC said it saw the assessment as an important safeguard. "
            "PaLM 2 powered several Google products before the company moved to Gemini.")
    assert "gemini" not in {e["tool_id"] for e in events_of(extractor, text, published="2024-09-13")}
    # a class of tools ("such apps") is what a list names
    listed = ("Taiwan's Ministry of Digital Affairs told civil servants to stay away from such apps on Monday. "
              "The list includes DeepSeek and Doubao.")
    assert {"deepseek", "doubao"} <= {e["tool_id"] for e in events_of(extractor, listed)}



def test_people_of_a_place_are_not_its_government(extractor):
    text = "A Florida family sued Character.AI last year after their son's death."
    assert "us-fl-government" not in {e["agency_id"] for e in events_of(extractor, text)}
    # the state itself suing is the state
    acting = "Florida sued Character.AI last year over harm to minors."
    assert "us-fl-government" in {e["agency_id"] for e in events_of(extractor, acting)}


def test_a_court_named_in_full_is_the_body_of_its_order(extractor):
    # a new court, not the government of the place inside its name
    e = one(events_of(extractor, "The Supreme Court of Nunavut told lawyers they must disclose any use of ChatGPT "
                                 "in their filings."), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Supreme Court of Nunavut", "restrict")


def test_a_court_named_in_a_notice_heading_issues_the_notice(extractor):
    text = ("SUPREME COURT OF NUNAVUT: PRACTICE DIRECTION\n\nFrom today, anyone appearing before the Court who "
            "used ChatGPT to draft a filing has to disclose it.")
    e = one(events_of(extractor, text), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Supreme Court of Nunavut", "restrict")


def test_advising_against_a_purchase_is_a_warning(extractor):
    e = one(events_of(extractor, "The Ohio Department of Health does not recommend buying Otter.ai licences."),
            tool_id="otter")
    assert e["action"] == "warn"


def test_ordering_a_company_to_take_measures_on_its_tool_restricts_it(extractor):
    e = one(events_of(extractor, "The Ohio Department of Health ordered xAI to take immediate measures to stop "
                                 "Grok from producing sexual images."), tool_id="grok")
    assert e["action"] == "restrict"


def test_a_school_year_or_a_season_dates_a_measure_by_its_year(extractor):
    events = events_of(extractor, "For the 2024-25 school year, Fairfax County Public Schools blocks ChatGPT on "
                                  "student laptops.", published=None)
    assert one(events, tool_id="chatgpt")["date"] == "2024"
    events = events_of(extractor, "In fall 2023, Fairfax County Public Schools blocked ChatGPT on student laptops.",
                       published=None)
    assert one(events, tool_id="chatgpt")["date"] == "2023"


def test_a_place_naming_where_a_tool_comes_from_leaves_the_actor_to_ner(extractor):
    # "Chinese" describes the tool; the company is found by NER
    events = events_of(extractor, "Mitsubishi Heavy Industries Ltd. does not allow its employees to use the Chinese "
                                  "generative AI service DeepSeek for work.")
    e = one(events, tool_id="deepseek")
    assert "Mitsubishi" in e["agency"]


def test_a_reprimand_over_a_tool_is_a_probe(extractor):
    events = events_of(extractor, "The Office of the Data Protection Ombudsman issued a formal reprimand to the "
                                  "National Police Board over its trial of Clearview AI.")
    assert one(events, tool_id="clearview-ai")["action"] == "investigate"


def test_an_order_to_erase_is_a_ban(extractor):
    events = events_of(extractor, "The Hamburg data protection commissioner ordered Clearview AI to erase the face "
                                  "templates of Hamburg residents.")
    assert one(events, tool_id="clearview-ai")["action"] == "ban"


def test_staff_a_body_binds_leave_the_body_to_ner(extractor):
    # "its officials" are bound by the measure; NER finds who binds them
    e = one(events_of(extractor, "Bangladesh Bank has barred its officials from using ChatGPT for office work."),
            tool_id="chatgpt")
    assert e["agency"] == "Bangladesh Bank"


def test_a_place_closing_an_unknown_name_is_part_of_that_name(extractor):
    # "Macquarie Group Australia" is the firm, not the Australian government
    e = one(events_of(extractor, "Macquarie Group Australia has told its staff not to use ChatGPT at all."),
            tool_id="chatgpt")
    assert e["agency"] == "Macquarie Group Australia"


def test_no_longer_accepting_a_tool_s_output_bans_it(extractor):
    events = events_of(extractor, "Getty Images will no longer accept pictures made with Midjourney.")
    assert one(events, tool_id="midjourney")["action"] == "ban"


def test_an_acronym_opening_an_unknown_name_is_that_body(extractor):
    text = ("Vodafone owner TPG Telecom has barred its employees from using DeepSeek. In a statement on Wednesday, "
            "TPG's security chief said the company had prohibited DeepSeek throughout the business.")
    events = [e for e in events_of(extractor, text) if e["tool_id"] == "deepseek"]
    assert {e["agency"] for e in events} == {"TPG Telecom"}


def test_a_tool_defined_in_a_sentence_without_a_measure_is_the_tool_when_named_again(extractor):
    text = ("The craze was powered by EPIK, a photo-editing app from South Korea. The Department of National "
            "Defense ordered personnel to stop using EPIK.")
    e = one(events_of(extractor, text), tool_id=None)
    assert (e["tool"], e["action"]) == ("EPIK", "ban")


def test_a_permission_on_a_condition_restricts_rather_than_lifts(extractor):
    events = events_of(extractor, "The International Baccalaureate will let students use ChatGPT, as long as "
                                  "they say so.")
    assert one(events, tool_id="chatgpt")["action"] == "restrict"
    events = events_of(extractor, "The Ohio Department of Education will let students use ChatGPT again.")
    assert one(events, tool_id="chatgpt")["action"] == "lift"


def test_an_undated_fresh_measure_takes_the_day_its_body_spoke(extractor):
    # published on a Thursday; the measure's own sentence has no date, the body's statement does
    measure = "Italy's privacy regulator has ordered DeepSeek to stop processing the data of Italian users. "
    text = measure + "The Garante said on Tuesday that the company's answers had been wholly insufficient."
    assert date_of(extractor, text, "2025-01-30", "deepseek") == "2025-01-28"
    # a day long before publication is no statement about this report's measure
    text = measure + "The Garante said on 3 March 2023 that chatbots were a growing concern."
    assert date_of(extractor, text, "2025-01-30", "deepseek") == "2025-01-30"
    # nor is someone else's statement
    text = measure + "The company said on Tuesday that it had done nothing wrong."
    assert date_of(extractor, text, "2025-01-30", "deepseek") == "2025-01-30"


def test_a_short_name_the_document_spells_out_is_the_body_it_names(extractor):
    # "TNO" is no run of the initials of its name: the brackets define it
    text = ("Researchers at the Netherlands Organisation for Applied Scientific Research (TNO) were given new "
            "rules this week.\n\nTNO has banned ChatGPT for everyone who writes research proposals.")
    assert one(events_of(extractor, text), tool_id="chatgpt")["agency"] == \
        "Netherlands Organisation for Applied Scientific Research"
    # across a comma only when the initials say so
    text = ("Staff at the Ministry of Business, Innovation and Employment (MBIE) got a memo on Friday.\n\n"
            "MBIE has banned ChatGPT on its work laptops.")
    assert one(events_of(extractor, text), tool_id="chatgpt")["agency"] == "Ministry of Business, Innovation and Employment"


def test_this_year_says_no_more_than_the_publication_date(extractor):
    text = "Staff have been barred this year from using Microsoft Copilot on House devices."
    e = one(events_of(extractor, text, published="2024-03-29"), tool_id="microsoft-copilot")
    assert (e["date"], e["date_source"]) == ("2024-03-29", "published")
    # a named year stays as written
    text = "Staff were barred in 2023 from using Microsoft Copilot on House devices."
    e = one(events_of(extractor, text, published="2024-03-29"), tool_id="microsoft-copilot")
    assert (e["date"], e["date_source"]) == ("2023", "text")


def test_the_date_of_the_paper_stating_the_measure_wins(extractor):
    text = ("In a notice dated 2 February and made public at the end of last week, Italy's privacy regulator "
            "ordered the maker of Replika to stop processing the data of Italian users.")
    assert date_of(extractor, text, "2023-02-06", "replika") == "2023-02-02"


def test_a_date_right_after_another_body_is_that_bodys(extractor):
    text = "Oklahoma has banned DeepSeek on state devices, following Texas in January."
    events = events_of(extractor, text, published="2025-03-21")
    assert one(events, agency="State of Oklahoma", tool_id="deepseek")["date"] == "2025-03-21"


@pytest.mark.parametrize("text, body", [
    ("Walla Walla Public Schools has blocked ChatGPT on district devices.", "Walla Walla Public Schools"),
    ("Ames High has blocked ChatGPT on school devices.", "Ames High"),
    ("The Peninsula School District blocked ChatGPT on its networks.", "Peninsula School District"),
])
def test_a_school_system_named_in_full_is_a_body(extractor, text, body):
    assert one(events_of(extractor, text), tool_id="chatgpt")["agency"] == body


def test_public_schools_of_a_place_name_no_school_system(extractor):
    text = "Public schools in Texas blocked ChatGPT on their devices."
    assert all(e["agency"] != "Public Schools" for e in events_of(extractor, text))


def test_the_district_refers_back_to_a_school_system(extractor):
    text = ("Walla Walla Public Schools told parents about its plans for the year.\n\n"
            "The district put a block on ChatGPT in February.")
    assert one(events_of(extractor, text, published="2023-09-01"), tool_id="chatgpt")["agency"] == \
        "Walla Walla Public Schools"


def test_the_city_of_a_place_is_its_government(extractor):
    text = "The city of Yokohama has banned DeepSeek on the computers of its staff."
    assert one(events_of(extractor, text), tool_id="deepseek")["agency"] == "City of Yokohama"


def test_an_abbreviated_month_with_its_day_is_a_day(extractor):
    text = "Montgomery County Public Schools said ChatGPT has been blocked on its devices since Jan. 3."
    assert date_of(extractor, text, "2023-01-10", "chatgpt") == "2023-01-03"
    # and a month closing a paragraph is no day of the next one's date
    text = ("Governments moved against DeepSeek after it went viral in January.\n\n"
            "29 January - India's Finance Ministry told its staff not to use DeepSeek on office computers.")
    assert date_of(extractor, text, "2025-04-30", "deepseek") == "2025-01-29"


def test_a_day_later_counts_from_the_date_before_it(extractor):
    text = ("New York acted on Feb. 10 with a ban on state devices, and a day later Virginia Gov. Glenn Youngkin "
            "signed an executive order prohibiting DeepSeek on state devices.")
    events = events_of(extractor, text, published="2025-02-20")
    assert one(events, agency="Commonwealth of Virginia", tool_id="deepseek")["date"] == "2025-02-11"


@pytest.mark.parametrize("anchor, text, expected", [
    (("2025-02-10", "day"), "a day later", ("2025-02-11", "day")),
    (("2025-02-10", "day"), "the next day", ("2025-02-11", "day")),
    (("2025-02-10", "day"), "two weeks later", ("2025-02", "month")),
    (("2025-11-10", "day"), "three months later", ("2026-02", "month")),
    (("2025-02", "month"), "a day later", None),
])
def test_later_than(anchor, text, expected):
    from pipeline.dates import later_than
    assert later_than(anchor, text) == expected


def test_an_ai_modifier_keeps_the_appositive_tool_name(extractor):
    text = "The FTC banned Rytr, an AI writing assistant, from selling tools that generate fake reviews."
    assert one(events_of(extractor, text), tool="Rytr")["agency"] == "Federal Trade Commission"


@pytest.mark.parametrize("text, body", [
    ("The Seoul Metropolitan Government blocked DeepSeek on its work computers, officials said on Thursday.",
     "Seoul Metropolitan Government"),
    ("Incheon Metropolitan City shut off access to DeepSeek from its office PCs, officials said on Thursday.",
     "Incheon Metropolitan City"),
])
def test_a_local_government_named_in_full_is_a_body(extractor, text, body):
    assert one(events_of(extractor, text, published="2025-02-07"), tool_id="deepseek")["agency"] == body



def test_the_unit_a_body_acts_through_is_no_actor(extractor):
    text = ("The National Information Technology Development Agency, through its Computer Emergency Readiness "
            "and Response Team, has warned users of ChatGPT about seven flaws.")
    assert {e["agency"] for e in events_of(extractor, text)} == {"National Information Technology Development Agency"}


def test_an_enforcer_calling_on_a_vendor_to_stop_warns(extractor):
    text = ("North Carolina Attorney General Jeff Jackson today led a coalition in calling on xAI to end "
            "its Grok chatbot's ability to generate sexual images of real people.")
    e = one(events_of(extractor, text, published="2026-01-23"), agency="North Carolina Attorney General")
    assert (e["tool_id"], e["action"]) == ("grok", "warn")


def test_a_wire_tag_before_government_names_no_government(extractor):
    text = ("HONG KONG, January 31. /TASS/. Government agencies in Taiwan should not use DeepSeek, the island's "
            "Ministry of Digital Affairs has said.")
    assert not any("TASS" in e["agency"] for e in events_of(extractor, text, published="2025-01-31"))


@pytest.mark.parametrize("text", [
    "Staff of the municipality of Amsterdam may no longer turn to ChatGPT when doing their jobs.",
    "The House told staff that they can no longer run Microsoft Copilot on House-issued Windows machines.",
    "Samsung Electronics said general access to ChatGPT has been withdrawn for its staff.",
])
def test_no_longer_turning_to_a_tool_and_withdrawn_access_are_bans(extractor, text):
    assert any(e["action"] == "ban" for e in events_of(extractor, text, title="Staff lose access to AI tools"))


def test_the_initials_of_a_known_body_the_document_names_are_that_body(extractor):
    # the reference lists no "ARC" (it means many things), but beside the full name it means the council
    text = ("The Australian Research Council has barred grant assessors from using ChatGPT.\n\n"
            "The ARC set out the prohibition in a policy on generative AI issued in July 2023.")
    events = events_of(extractor, text, published="2023-08-01")
    assert [e["agency"] for e in events] == ["Australian Research Council"], events
    assert events[0]["agency_verified"]


def test_a_body_whose_stance_contrasts_with_others_measures_takes_none(extractor):
    text = ("The Bank of Korea said on Thursday it had not blocked DeepSeek.\n\n"
            "The bank's stance contrasts with the ministries and lenders that have restricted DeepSeek "
            "on their office computers since Wednesday.")
    assert [e for e in events_of(extractor, text, published="2025-02-07") if e["agency"] == "Bank of Korea"] == []


def test_public_health_services_and_state_privacy_regulators_are_known_bodies(extractor):
    text = ("Health New Zealand has told its mental health staff that using ChatGPT to write clinical notes is "
            "prohibited.")
    e = one(events_of(extractor, text, published="2026-03-27"), tool_id="chatgpt")
    assert (e["agency"], e["agency_verified"]) == ("Health New Zealand", True)
    text = ("The Office of the Victorian Information Commissioner has ordered the department to ban ChatGPT "
            "across its child protection workforce.")
    e = one(events_of(extractor, text, published="2024-09-25"), tool_id="chatgpt")
    assert (e["agency"], e["agency_verified"]) == ("Office of the Victorian Information Commissioner", True)


def test_a_measure_under_recommendations_adopted_by_a_body_is_that_bodys(extractor):
    text = ("Judges may no longer turn to ChatGPT to draft their rulings, under recommendations adopted by "
            "the Consiglio superiore della magistratura, the body that governs the judiciary.")
    e = one(events_of(extractor, text, published="2025-10-11"), tool_id="chatgpt")
    assert e["agency"] == "Consiglio superiore della magistratura"


def test_the_next_sentence_approving_the_measure_dates_it(extractor):
    text = ("Judges may no longer turn to ChatGPT to draft their rulings, under recommendations adopted by "
            "the Consiglio superiore della magistratura.\n\nThe plenary approved the text unanimously on "
            "Wednesday 8 October.")
    e = one(events_of(extractor, text, published="2025-10-11"), tool_id="chatgpt")
    assert (e["date"], e["date_source"]) == ("2025-10-08", "text")
    # naming another body, the sentence tells someone else's step
    text = text.replace("The plenary approved", "The Senate approved")
    e = one(events_of(extractor, text, published="2025-10-11"), tool_id="chatgpt")
    assert e["date_source"] == "published"


def test_a_measure_on_a_class_of_tools_passes_its_body_to_the_sentence_naming_them(extractor):
    text = ("Health New Zealand has told its mental health staff that free chatbots are off limits for "
            "clinical notes.\n\nThe memo named ChatGPT, Claude and Gemini as tools whose use is strictly "
            "prohibited.")
    events = events_of(extractor, text, published="2026-03-27")
    assert one(events, tool_id="claude")["agency"] == "Health New Zealand"


def test_advice_that_something_should_not_be_done_is_a_warning_a_view_is_not(extractor):
    text = ("The Courts and Tribunals Judiciary issued guidance to judges on Tuesday. It advises that nothing "
            "private or confidential should be entered into public chatbots such as ChatGPT.")
    e = one(events_of(extractor, text, published="2023-12-13"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Courts and Tribunals Judiciary", "warn")
    text = ("The Courts and Tribunals Judiciary issued guidance to judges on Tuesday. It advises that public "
            "chatbots such as ChatGPT can invent cases.")
    assert [e for e in events_of(extractor, text, published="2023-12-13") if e["tool_id"] == "chatgpt"] == []


def test_the_city_of_a_place_is_its_government_in_the_city_is_where(extractor):
    text = ("The city of Yokohama said on Friday that it has banned staff from using DeepSeek on about "
            "46,000 work computers.")
    e = one(events_of(extractor, text, published="2025-02-14"), tool_id="deepseek")
    assert (e["agency"], e["agency_kind"]) == ("City of Yokohama", "local_government")
    text = "Schools in the city of Yokohama have banned DeepSeek on their computers."
    assert [e["agency"] for e in events_of(extractor, text, published="2025-02-14")
            if e["agency"] == "City of Yokohama"] == []


def test_a_version_name_ending_a_known_tools_name_is_that_tool(extractor):
    text = ("The city of Yokohama has banned staff from using R1, the generative AI model released by "
            "China's DeepSeek, for city business.")
    events = events_of(extractor, text, published="2025-02-14")
    assert [e["tool_id"] for e in events] == ["deepseek"], events


def test_the_same_day_is_the_day_of_the_date_before_it(extractor):
    # (the sentence naming Monday states no measure: its dates are read for "the same day" alone)
    text = ("Two more cabinet departments have stopped using Anthropic's AI models.\n\nTreasury Secretary Scott "
            "Bessent wrote on Monday that the Treasury Department was ending all use of the company's products, "
            "Claude among them.\n\nThe department had used the model as a coding aid for technical staff.\n\n"
            "At the Department of Health and Human Services, employees were told the same day that Claude was "
            "being switched off in the department's enterprise environment.")
    events = events_of(extractor, text, published="2026-03-04", title="Agencies move to comply with the order")
    e = one(events, agency_id="us-hhs", tool_id="claude")
    assert (e["date"], e["date_text"]) == ("2026-03-02", "the same day")
    # a month names no day to be the same as
    text = text.replace("on Monday", "in March")
    e = one(events_of(extractor, text, published="2026-04-04", title="Agencies move to comply with the order"),
            agency_id="us-hhs", tool_id="claude")
    assert e["date_text"] != "the same day"


def test_a_measure_in_place_since_a_day_dates_from_it_not_from_the_day_it_was_told(extractor):
    text = ("The city of Yokohama said on Friday that it has banned staff from using DeepSeek for city "
            "business.\n\nThe block has been in place since Jan. 28 and covers about 46,000 work computers.")
    e = one(events_of(extractor, text, published="2025-02-14"), tool_id="deepseek")
    assert (e["date"], e["date_text"]) == ("2025-01-28", "Jan. 28")
    # a sentence on something else "since" a day dates nothing
    text = text.replace("The block has been in place", "Its staff have used the city's own chatbot")
    e = one(events_of(extractor, text, published="2025-02-14"), tool_id="deepseek")
    assert e["date"] == "2025-02-14"


def test_ai_writing_detectors_are_known_tools_their_makers_are_not(extractor):
    text = ("Vanderbilt University has turned off Turnitin's AI detector for all of its courses, citing false "
            "positives against students.")
    e = one(events_of(extractor, text, published="2023-08-17"), agency="Vanderbilt University")
    assert e["tool_id"] == "turnitin-ai-detection"
    text = "Vanderbilt University has turned off Turnitin for all of its courses, citing false positives."
    assert [e for e in events_of(extractor, text, published="2023-08-17")
            if e["tool_id"] == "turnitin-ai-detection"] == []


def test_universities_are_known_bodies_by_name_and_unambiguous_acronym(extractor):
    text = "The University of Victoria has restricted DeepSeek on all university-managed devices."
    e = one(events_of(extractor, text, published="2025-05-02"), tool_id="deepseek")
    assert (e["agency"], e["agency_verified"], e["agency_kind"]) == ("University of Victoria", True, "university")
    text = "UNSW has banned DeepSeek on all university-managed devices, citing security advice."
    e = one(events_of(extractor, text, published="2025-02-10"), tool_id="deepseek")
    assert (e["agency"], e["agency_verified"]) == ("University of New South Wales", True)


def test_rules_set_for_a_tool_named_right_by_them_restrict_it(extractor):
    text = ("The German Research Foundation has set first guidelines on ChatGPT and other generative models "
            "for researchers who apply for its grants.")
    e = one(events_of(extractor, text, published="2023-09-21"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Deutsche Forschungsgemeinschaft", "restrict")
    # rules on artificial intelligence at large restrict no tool the story names elsewhere
    text = ("Brazil's Senate approved on Tuesday a bill setting rules for the development and use of artificial "
            "intelligence.\n\nChatGPT and similar chatbots are popular in the country.")
    assert [e for e in events_of(extractor, text, published="2024-12-10") if e["action"] == "restrict"] == []
    # the rules' own words may stand between the verb and them ("best-practice", "its first")
    for verb in ("has issued best-practice guidelines", "has laid down its first rules"):
        text = f"The German Research Foundation {verb} on ChatGPT for researchers who write grant proposals."
        e = one(events_of(extractor, text, published="2023-09-21"), tool_id="chatgpt")
        assert (e["agency"], e["action"]) == ("Deutsche Forschungsgemeinschaft", "restrict")


def test_a_ban_named_as_what_a_lift_would_undo_is_no_ban_of_the_speaker(extractor):
    text = ("Australia's federal education minister has indicated that the ban on public school students using "
            "artificial intelligence tools like ChatGPT may be reversed next year.")
    events = events_of(extractor, text, published="2023-07-10")
    assert [e for e in events if e["action"] == "ban"] == [], events
    # the ban itself stated, then lifted later in another clause, is still a ban
    text = ("The Department of Education banned ChatGPT on school networks in January; the ban was reviewed in "
            "June.")
    assert one(events_of(extractor, text, published="2023-07-10"), tool_id="chatgpt")["action"] == "ban"


def test_national_archives_and_circuit_courts_are_known_bodies(extractor):
    text = ("The National Archives and Records Administration told staff in an email on Wednesday that it will "
            "block ChatGPT on agency-issued laptops.")
    e = one(events_of(extractor, text, published="2024-05-02"), tool_id="chatgpt")
    assert (e["agency_id"], e["date"]) == ("us-nara", "2024-05-01")


@pytest.mark.parametrize("court", ["The 5th U.S. Circuit Court of Appeals", "The U.S. Court of Appeals for the 5th Circuit"])
def test_an_ordinal_is_part_of_a_courts_name(extractor, court):
    text = (f"{court} has proposed a rule requiring lawyers to certify that filings drafted with ChatGPT were "
            "checked by a human.")
    e = one(events_of(extractor, text, published="2023-11-22"), tool_id="chatgpt")
    assert (e["agency_id"], e["stage"]) == ("us-fifth-circuit", "proposed")


def test_disabling_a_tool_named_by_it_bans_it_disabling_something_else_does_not(extractor):
    text = ("Vanderbilt University has disabled Turnitin's AI detector for all of its courses, citing false "
            "positives against students.")
    e = one(events_of(extractor, text, published="2023-08-17"), tool_id="turnitin-ai-detection")
    assert (e["agency"], e["action"]) == ("Vanderbilt University", "ban")
    text = ("Vanderbilt University has disabled chat history on its own systems, and its students still use "
            "Turnitin's AI detector.")
    assert [e for e in events_of(extractor, text, published="2023-08-17") if e["action"] == "ban"] == []


def test_a_class_of_tools_takes_the_examples_a_later_sentence_gives(extractor):
    text = ("The Supreme Court of India has barred its registry staff from using AI tools to draft orders. "
            "The instruction was circulated on Monday by the Registrar General. "
            "It covers tools such as ChatGPT, Gemini and Copilot.")
    events = events_of(extractor, text, published="2026-03-04")
    assert {(e["agency_id"], e["tool_id"]) for e in events} == {
        ("in-supreme-court", t) for t in ("chatgpt", "gemini", "microsoft-copilot")}, events
    # two sentences on, tools named but not as the class's examples are not its members
    text = ("The Supreme Court of India has barred its registry staff from using AI tools to draft orders. "
            "The instruction was circulated on Monday by the Registrar General. "
            "Lawyers in Delhi said ChatGPT and Gemini are common in their offices.")
    events = events_of(extractor, text, published="2026-03-04")
    assert [e for e in events if e["tool_id"] == "gemini"] == [], events


def test_a_body_directing_after_the_measure_states_it(extractor):
    text = "Registry staff must not use ChatGPT to draft orders, the Supreme Court of India has directed."
    e = one(events_of(extractor, text, published="2026-03-04"), tool_id="chatgpt")
    assert (e["agency_id"], e["action"]) == ("in-supreme-court", "ban")


def test_a_law_is_no_body(extractor):
    text = ("Berlin's data protection commissioner has asked DeepSeek to name a representative in the EU. "
            "Without one, the Chinese app would be in breach of the GDPR, which can be punished with a fine, the "
            "commissioner's office said.")
    events = events_of(extractor, text, published="2025-02-03")
    assert "GDPR" not in {e["agency"] for e in events}, events


def test_an_office_named_in_lower_case_is_a_post_anywhere(extractor):
    text = ("City staff may not use ChatGPT for city business under a policy approved by the chief administrative "
            "officer on July 14.")
    assert [e for e in events_of(extractor, text, published="2023-07-20") if e["agency_id"] == "us-house-cao"] == []
    text = "House staff may not use ChatGPT under a policy approved by the Chief Administrative Officer on July 14."
    e = one(events_of(extractor, text, published="2023-07-20"), tool_id="chatgpt")
    assert e["agency_id"] == "us-house-cao"


def test_a_body_named_in_full_is_called_by_its_own_words(extractor):
    events = events_of(extractor, "Tamworth Regional Council has adopted a policy on generative AI for its "
                       "employees, after a trial last year.", published="2025-02-07",
                       title="Tamworth sets rules for staff using ChatGPT")
    e = one(events, tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Tamworth Regional Council", "restrict")
    # the short name of a city is the city, not its council
    events = events_of(extractor, "Suwon's city government cut its internal network off from DeepSeek on Monday, "
                       "the city said. The block also covers the Suwon City Council and the district offices.",
                       published="2025-02-07", title="Suwon says it blocked DeepSeek")
    assert "Suwon City Council" not in {e["agency"] for e in events}, events


def test_access_blocked_with_nothing_named_is_to_the_storys_tool(extractor):
    text = ("Gangwon Province cut DeepSeek off its office computers on Thursday morning. "
            "Ulsan City blocked access from 3 p.m.")
    events = events_of(extractor, text, published="2025-02-07", title="DeepSeek blocked by more local governments")
    assert ("Ulsan City", "deepseek") in {(e["agency"], e["tool_id"]) for e in events}, events
    # access to something else is no access to the story's tool
    text = ("Gangwon Province cut DeepSeek off its office computers on Thursday morning. "
            "Ulsan City blocked access to several websites from 3 p.m.")
    events = events_of(extractor, text, published="2025-02-07", title="DeepSeek blocked by more local governments")
    assert "Ulsan City" not in {e["agency"] for e in events}, events


def test_a_new_measure_naming_nothing_is_on_the_storys_tool(extractor):
    title = "The states that have barred DeepSeek from government phones"
    text = ("A growing list of states keep DeepSeek off the phones they issue.\n\n"
            "New York: Gov. Kathy Hochul barred the app from state devices on Feb. 10.\n\n"
            "Iowa: Gov. Kim Reynolds announced a ban on Feb. 12, citing security risks.")
    iowa = one(events_of(extractor, text, published="2025-03-10", title=title), agency="State of Iowa")
    assert (iowa["tool_id"], iowa["date"]) == ("deepseek", "2025-02-12"), iowa
    # "enforce the ban": the measure told before, not a new one by the bodies enforcing it
    text = ("Gov. Greg Abbott barred DeepSeek from state devices on Jan. 31 and told the Texas Department "
            "of Public Safety to enforce the ban.")
    events = events_of(extractor, text, published="2025-03-10", title=title)
    assert "Texas Department of Public Safety" not in {e["agency"] for e in events}, events
    # a ban on something else the story names ("TikTok"), or dated before the tool existed, is not on it
    text = ("DeepSeek has drawn scrutiny around the world. Montana lawmakers targeted TikTok first. "
            "The legislature there passed a ban in 2023.")
    events = events_of(extractor, text, published="2025-03-15", title="DeepSeek under scrutiny")
    assert not any(e["agency"] == "Legislature of Montana" for e in events), events


def test_a_bills_enacting_words_in_capitals_name_no_territory(extractor):
    text = ("AN ACT relating to prohibiting the use of DeepSeek on state devices.\n\n"
            "The bill would bar state employees from installing DeepSeek on government phones.")
    events = events_of(extractor, text, published="2025-02-07", title="Senate Bill 1025")
    assert "ACT Government" not in {e["agency"] for e in events}, events
    # the territory written as itself still acts
    events = events_of(extractor, "The ACT Government blocked DeepSeek on its devices on February 6.",
                       published="2025-02-07")
    assert "ACT Government" in {e["agency"] for e in events}, events
    # a headline all in capitals still names its body
    events = events_of(extractor, "THE FBI BANS DEEPSEEK ON AGENCY PHONES", published="2025-02-07")
    assert "Federal Bureau of Investigation" in {e["agency"] for e in events}, events


def test_a_page_published_before_its_tool_existed_takes_its_update_date(extractor):
    text = ("Updated: February 3, 2025\n\n"
            "The University of Texas at Austin prohibits the use of DeepSeek on university devices and networks.")
    event = one(events_of(extractor, text, published="2023-09-01", title="Generative AI guidance"),
                tool_id="deepseek")
    assert (event["date"], event["date_source"]) == ("2025-02-03", "text"), event
    # with no later date on the page, no date: a DeepSeek ban in 2023 is none the page could report
    event = one(events_of(extractor, text.split("\n\n")[1], published="2023-09-01", title="Generative AI guidance"),
                tool_id="deepseek")
    assert event["date"] is None, event
    # within a year of the release: products are probed before their launch
    event = one(events_of(extractor, "The Garante opened an investigation into Sora, OpenAI's video tool.",
                          published="2024-03-08"), tool_id="sora")
    assert event["date"] == "2024-03-08", event


def test_a_place_opening_a_bodys_own_name_is_not_its_government(extractor):
    def agencies(text):
        return {e["agency"] for e in events_of(extractor, text, published="2025-03-15")}
    assert agencies("The Texas Lottery Commission banned DeepSeek on its computers on March 14, 2025.") \
        == {"Texas Lottery Commission"}
    # an officeholder's office, not the federal Office of the Comptroller of the Currency either
    assert agencies("The Texas Comptroller's Office banned DeepSeek on March 14, 2025.") == {"Texas Comptroller's Office"}
    # a shortened name of a body the reference knows in that place is that body
    assert agencies("The US Patent Office has barred its examiners from using ChatGPT.") \
        == {"U.S. Patent and Trademark Office"}
    # a title and a person after the place: the governor acts for the state
    assert agencies("Texas Governor Greg Abbott banned DeepSeek on state devices on January 31, 2025.") == {"State of Texas"}


def test_a_places_officeholder_acts_for_the_office(extractor):
    def agencies(text):
        return {e["agency"] for e in events_of(extractor, text, published="2025-03-15")}
    assert agencies("Texas Comptroller Glenn Hegar banned DeepSeek on agency computers on March 14, 2025.") \
        == {"Texas Comptroller"}
    # NER takes the title into the name; or misses the name ("Pat McCarthy")
    assert agencies("Ohio Treasurer Robert Sprague banned DeepSeek on office computers on March 14, 2025.") \
        == {"Ohio Treasurer"}
    assert agencies("Washington State Auditor Pat McCarthy advised agencies against using DeepSeek on March 14, "
                    "2025.") == {"Washington State Auditor"}
    assert agencies("Virginia Secretary of Administration Lyn McDermid barred DeepSeek on March 14, 2025.") \
        == {"Virginia Secretary of Administration"}
    # a post companies have too names no office of the place; a body's name stops before its chair's
    assert "California Pizza Kitchen Director" not in agencies(
        "California Pizza Kitchen Director Jane Doe banned ChatGPT for staff on March 14, 2025.")
    assert agencies("The Texas Lottery Commission Chair Robert Smith banned DeepSeek on March 14, 2025.") \
        == {"Texas Lottery Commission"}


def test_the_parliaments_of_places_listed_are_their_legislatures(extractor):
    events = events_of(extractor, "The parliaments of Australia, Denmark and the Netherlands have banned DeepSeek on "
                       "their devices.", published="2025-02-15")
    assert {e["agency"] for e in events} == {"Parliament of Australia", "Folketing", "States General of the Netherlands"}, \
        events
    # the education departments of places listed are each place's education body
    events = events_of(extractor, "Education departments in Queensland and Victoria banned ChatGPT in January 2023.",
                       published="2023-02-10")
    assert {e["agency"] for e in events} == {"Queensland Department of Education", "Victorian Department of Education"}, \
        events
    # the governments of a list stay governments
    events = events_of(extractor, "The governments of Denmark and the Netherlands have banned DeepSeek on official "
                       "devices.", published="2025-02-15")
    assert {e["agency"] for e in events} == {"Government of Denmark", "Government of the Netherlands"}, events


def test_bodies_listed_after_by_all_act(extractor):
    events = events_of(extractor, "DeepSeek has been banned by the Pentagon, NASA and the US Navy.", published="2025-02-15")
    assert {e["agency"] for e in events} == {"U.S. Department of Defense", "National Aeronautics and Space Administration",
                                             "U.S. Navy"}, events
    # a list recalled ("had already been banned by ...") is left to the one body "by" names
    events = events_of(extractor, "Tennessee banned DeepSeek on March 7. The app had already been banned by Texas, "
                       "New York and Virginia.", published="2025-03-08")
    assert not {"State of New York", "Commonwealth of Virginia"} & {e["agency"] for e in events}, events
    # a body opening a clause of its own after the list is no agent of the measure
    events = events_of(extractor, "DeepSeek was banned by the Pentagon, and the Navy said it was reviewing the decision.",
                       published="2025-02-15")
    assert "U.S. Navy" not in {e["agency"] for e in events}, events


def test_a_bill_on_its_way_and_a_bill_signed(extractor):
    def stages(text, title=""):
        return {(e["agency"], e["stage"]) for e in events_of(extractor, text, published="2025-05-02", title=title)}
    # passing a committee is a step, not a law
    assert stages("A bill to ban DeepSeek on state devices passed the Tennessee Senate State and Local Government "
                  "Committee on March 25, 2025.") == {("Legislature of Tennessee", "proposed")}
    assert stages("Tennessee lawmakers advance DeepSeek ban") == {("Legislature of Tennessee", "proposed")}
    # "House Bill 1062" names a bill, not the U.S. House acting; signed into law, it is enacted
    assert stages("Indiana Governor Mike Braun signed House Bill 1062 into law on May 1, 2025, prohibiting DeepSeek "
                  "on state-owned devices.") == {("State of Indiana", "enacted")}
    # "Joint" after a body that is no chamber is part of its name; "advances" of a technology propose nothing
    assert stages("The Department of Defense Joint Artificial Intelligence Center banned ChatGPT on March 14, 2025.") \
        == {("U.S. Department of Defense", "enacted")}
    assert stages("Citing the rapid advances of Chinese AI, the Navy banned DeepSeek on Monday.") \
        == {("U.S. Navy", "enacted")}


def test_a_guess_by_onlookers_is_no_measure(extractor):
    assert events_of(extractor, "Experts say the Pentagon could ban DeepSeek soon.", published="2025-02-15") == []
    # the body's own word that it may act is a proposal
    event = one(events_of(extractor, "The Pentagon could ban DeepSeek soon, a spokesperson said.",
                          published="2025-02-15"), tool_id="deepseek")
    assert (event["agency"], event["stage"]) == ("U.S. Department of Defense", "proposed"), event


def test_a_date_before_the_storys_tool_dates_an_older_tools_measure(extractor):
    # in a DeepSeek story, "in 2023" is read for the ChatGPT the sentence names; DeepSeek did not exist then
    text = "DeepSeek is newer than ChatGPT, and Italy banned it in 2023."
    events = events_of(extractor, text, published="2025-02-16", title="DeepSeek faces scrutiny")
    assert [(e["tool_id"], e["date"]) for e in events] == [("chatgpt", "2023")], events
    # an undated page naming 2023 most still tells "Feb. 6" of DeepSeek's time, not of 2023
    text = ("Canada's Chief Information Officer announced a ban on DeepSeek to federal departments on Feb. 6. "
            "Ottawa had banned TikTok from government phones in 2023, and a 2023 review covered other apps in 2023.")
    event = one(events_of(extractor, text, published=None, title="Canada bans DeepSeek"), tool_id="deepseek")
    assert event["date"] == "2025-02-06", event


def test_a_tool_added_to_a_list_of_banned_apps_is_banned(extractor):
    event = one(events_of(extractor, "Texas Gov. Greg Abbott added DeepSeek to the list of apps banned on "
                          "state-issued devices on Jan. 31.", published="2025-02-20"), tool_id="deepseek")
    assert (event["agency"], event["action"], event["date"]) == ("State of Texas", "ban", "2025-01-31"), event
    event = one(events_of(extractor, "DeepSeek now sits on the state's list of prohibited applications, the "
                          "Iowa governor's office said on Feb. 12.", published="2025-02-20"), tool_id="deepseek")
    assert event["action"] == "ban", event


def test_the_same_measure_taken_later_in_the_sentence_or_to_the_same_effect(extractor):
    events = events_of(extractor, "Iowa Gov. Kim Reynolds banned DeepSeek on state devices on Feb. 12, and Oklahoma "
                       "Gov. Kevin Stitt did the same on Feb. 18.", published="2025-02-20")
    assert {(e["agency"], e["date"]) for e in events} == {("State of Iowa", "2025-02-12"),
                                                        ("State of Oklahoma", "2025-02-18")}, events
    events = events_of(extractor, "Texas banned DeepSeek on state devices on Jan. 31. A day later, Virginia's governor "
                       "signed an executive order with the same effect.", published="2025-02-20")
    assert ("Commonwealth of Virginia", "2025-02-01") in {(e["agency"], e["date"]) for e in events}, events


def test_a_close_trigger_reaches_a_tool_whose_name_runs_past_its_window(extractor):
    event = one(events_of(extractor, "The Anchorage School District disabled access to Character.AI on district "
                          "Wi-Fi on October 2, 2024.", published="2024-10-03"), tool_id="character-ai")
    assert (event["agency"], event["action"]) == ("Anchorage School District", "ban"), event


def test_a_body_named_by_its_head_noun_without_ner(extractor):
    event = one(events_of(extractor, "The Los Angeles County Board of Supervisors directed county departments to stop "
                          "using DeepSeek on February 4, 2025.", published="2025-02-20"), tool_id="deepseek")
    assert event["agency"] == "Los Angeles County Board of Supervisors", event
    # a capitalised run that is no body's name opens no body
    events = events_of(extractor, "Chinese Artificial Intelligence Apps face new limits as Texas bans DeepSeek on "
                       "state devices.", published="2025-02-20")
    assert {e["agency"] for e in events} == {"State of Texas"}, events


def test_supervisory_authority_names_and_advice_against(extractor):
    garante = one(events_of(extractor, "The Italian SA imposed a temporary limitation on OpenAI's processing of "
                            "Italian users' data via ChatGPT on March 30, 2023.", published="2023-03-31"),
                  tool_id="chatgpt")
    assert garante["agency"] == "Garante per la protezione dei dati personali", garante
    alert = one(events_of(extractor, "The Washington State Auditor's Office issued a risk alert on March 14, 2025 "
                          "advising all state agencies against using DeepSeek.", published="2025-03-15"),
                tool_id="deepseek")
    assert (alert["agency"], alert["action"]) == ("Washington State Auditor's Office", "warn"), alert


def test_a_bills_caption_proposes(extractor):
    text = ("AN ACT relating to prohibiting the use of DeepSeek by employees of Texas state agencies.\n\n"
            "Filed: February 6, 2025")
    events = events_of(extractor, text, published="2025-02-07", title="Texas Senate Bill 1025")
    assert events and all(e["stage"] == "proposed" for e in events), events


def test_tools_after_a_denied_measure_are_not_the_measures_before_it(extractor):
    text = ("A spokeswoman said DeepSeek is the only AI service Monash University has banned, and that it has no "
            "plans to restrict others, such as ChatGPT.")
    events = events_of(extractor, text, published="2025-02-07")
    assert {(e["agency"], e["tool_id"]) for e in events} == {("Monash University", "deepseek")}, events


@pytest.mark.parametrize("text", [
    "Ireland's Data Protection Commission has closed its investigation into Meta AI after the company paused "
    "its plans.",
    "Meta AI must now carry out the impact assessment the law requires, Ireland's Data Protection Commission said.",
])
def test_a_probe_closed_or_a_companys_assessment_is_no_probe(extractor, text):
    assert [e for e in events_of(extractor, text, published="2024-09-06") if e["action"] == "investigate"] == []


@pytest.mark.parametrize("title, text", [
    ("Malaysia in no rush to block DeepSeek, minister says",
     "Malaysia is still looking at DeepSeek and has made no decision, the digital minister said on Monday."),
    ("No DeepSeek rule for Irish civil servants yet, as overseas bans pile up",
     "Ireland's civil service has had no instruction about DeepSeek, even as governments elsewhere move to keep "
     "the Chinese chatbot off official phones."),
])
def test_others_measures_and_no_hurry_are_no_measure_of_the_story(extractor, title, text):
    assert [e for e in events_of(extractor, text, published="2025-02-10", title=title)
            if e["action"] == "ban"] == []


def test_a_holder_named_after_the_office_is_the_office_by_surname_alone(extractor):
    text = ("Montana Attorney General Austin Knudsen has barred DeepSeek from Justice Department devices. "
            "In a letter dated Feb. 27, Knudsen instructed the Justice Information Technology Services Division "
            "to cut off access to the app.")
    events = events_of(extractor, text, published="2025-03-04", title="")
    assert {e["agency_id"] for e in events} == {"us-mt-attorney-general"}, events
    # only a title makes a holder: "Google Play Store" names no one called "Store"
    doc = extractor._pipeline()("Italy's Garante ordered DeepSeek off the Google Play Store on Thursday. "
                                "The Store complied within hours.")
    assert [s.text for s in doc.spans.get("person", [])] == []


def test_a_measure_also_covering_a_tool_named_next_reaches_it(extractor):
    text = ("JPMorgan Chase has restricted staff use of ChatGPT on work computers. "
            "Google's Gemini is also covered by the rule, the bank said.")
    events = events_of(extractor, text, published="2023-02-22")
    assert {(e["agency_id"], e["tool_id"], e["action"]) for e in events} >= {
        ("us-jpmorgan-chase", "chatgpt", "restrict"), ("us-jpmorgan-chase", "gemini", "restrict")}, events
    # naming a tool without saying the measure covers it extends nothing
    text = ("JPMorgan Chase has restricted staff use of ChatGPT on work computers. "
            "Google's Gemini is also popular with bankers, the bank said.")
    assert [e for e in events_of(extractor, text, published="2023-02-22") if e["tool_id"] == "gemini"] == []


def test_an_undated_page_dates_its_measure_by_its_lead(extractor):
    text = ("Issued: March 3, 2024\n\n"
            "The Supreme Court of India has barred its registry staff from using ChatGPT to draft orders.")
    e = one(events_of(extractor, text, published=None, title="Notice on AI tools"), tool_id="chatgpt")
    assert (e["date"], e["date_source"]) == ("2024-03-03", "text")
    # a lead date without its year takes the year the page names most
    text = ("Issued: March 3\n\nThe Supreme Court of India has barred its registry staff from using ChatGPT to "
            "draft orders.\n\nThe notice is part of the court's 2024 technology plan.")
    e = one(events_of(extractor, text, published=None, title="Notice on AI tools"), tool_id="chatgpt")
    assert e["date"] == "2024-03-03"
    # a date further into the page is another matter's
    text = ("The Supreme Court of India has barred its registry staff from using ChatGPT to draft orders.\n\n"
            "Registry staff were told in a circular.\n\nThe court first published rules on e-filing on March 3, 2019.")
    assert one(events_of(extractor, text, published=None, title="Notice on AI tools"), tool_id="chatgpt")["date"] is None


def test_an_undated_page_signed_at_its_end_dates_its_measure_by_the_signing(extractor):
    text = ("The Governor of Virginia hereby bans the DeepSeek application on every state-issued device.\n\n"
            "This Order takes effect upon its signing.\n\n"
            "Given under my hand and under the Seal of the Commonwealth, this 11th day of February, 2025.")
    e = one(events_of(extractor, text, published=None, title="Executive Order 46: DeepSeek on state devices"),
            tool_id="deepseek")
    assert (e["date"], e["date_precision"]) == ("2025-02-11", "day")
    # a closing date no signing word introduces is another matter's
    text = text.replace("Given under my hand and under the Seal of the Commonwealth, this",
                        "Staff were first issued their phones on the")
    e = one(events_of(extractor, text, published=None, title="Executive Order 46: DeepSeek on state devices"),
            tool_id="deepseek")
    assert e["date"] is None


def test_an_undated_page_dates_every_tool_its_measure_lists(extractor):
    text = ("As we begin the 2025-2026 school year, we want families to know how we handle AI websites.\n\n"
            "Through its web filter, Henrico County Public Schools now blocks public AI chat sites on student "
            "laptops, including ChatGPT, Grok, Google Gemini and Claude.")
    events = events_of(extractor, text, published=None, title="Letter to families about AI websites")
    assert {e["tool_id"]: e["date"] for e in events} == {"chatgpt": "2025", "grok": "2025", "gemini": "2025",
                                                         "claude": "2025"}, events


def test_a_body_that_released_guidance_with_others_is_its_author(extractor):
    text = ("The Digital Transformation Agency (DTA), together with the Department of Industry, Science and "
            "Resources, released interim guidance on public generative AI tools in July 2023.\n\n"
            "Under the guidance, staff must not enter classified information into ChatGPT.")
    e = one(events_of(extractor, text, published="2023-11-08"), tool_id="chatgpt")
    assert (e["agency"], e["date"]) == ("Digital Transformation Agency", "2023-07"), e
    # a body that only remarks on the guidance wrote none of it
    text = text.replace("released interim guidance", "remarked on guidance published")
    assert [e for e in events_of(extractor, text, published="2023-11-08")
            if e["agency"] == "Digital Transformation Agency"] == []


def test_a_close_trigger_takes_the_whole_list_its_first_tool_opens(extractor):
    text = "The Department of Education has set rules for staff using ChatGPT, Copilot and Gemini at work."
    events = events_of(extractor, text, published="2025-09-01")
    assert {e["tool_id"] for e in events} == {"chatgpt", "microsoft-copilot", "gemini"}, events


def test_a_required_declaration_of_ai_use_restricts(extractor):
    text = ("The Supreme Court of India said filings must carry a declaration whenever they hold text written "
            "with ChatGPT.")
    e = one(events_of(extractor, text, published="2025-09-01"), tool_id="chatgpt")
    assert (e["agency_id"], e["action"]) == ("in-supreme-court", "restrict")


def test_ending_all_use_of_a_tool_bans_it(extractor):
    text = ("The Department of Energy said on Monday that it was ending all use of Anthropic's AI model Claude across "
            "its laboratories.")
    e = one(events_of(extractor, text, published="2026-03-03"), tool_id="claude")
    assert (e["agency_id"], e["action"], e["date"]) == ("us-doe", "ban", "2026-03-02")


def test_a_firm_followed_by_a_country_is_its_national_arm(extractor):
    text = "KPMG UK has blocked staff from using ChatGPT on work laptops, a spokesperson said."
    e = one(events_of(extractor, text, published="2023-02-22"), tool_id="chatgpt")
    assert (e["agency_id"], e["agency_mention"]) == ("gb-kpmg", "KPMG UK"), e


def test_a_permission_only_on_a_condition_restricts(extractor):
    text = ("The Department of Education said its staff will be allowed to use ChatGPT in their daily work from "
            "next month, but only once they have completed a training course.")
    e = one(events_of(extractor, text, published="2025-09-01"), tool_id="chatgpt")
    assert e["action"] == "restrict", e


def test_a_name_listed_with_known_tools_is_a_tool(extractor):
    # "Kindroid" is outside the reference data; beside two known companion apps it is one of them
    text = "The eSafety Commissioner opened an inquiry into Replika, Nomi and Kindroid over child safety."
    assert {e["tool"] for e in events_of(extractor, text)} == {"Replika", "Nomi", "Kindroid"}
    e = one(events_of(extractor, text), tool="Kindroid")
    assert (e["tool_id"], e["action"]) == (None, "investigate")  # an unverified tool
    # one known tool is no list of tools; a list that names a platform (TikTok) is no list of tools either
    assert "Kindroid" not in {e["tool"] for e in events_of(extractor, text.replace("Replika, ", ""))}
    mixed = "The eSafety Commissioner opened an inquiry into Replika, Nomi, TikTok and Kindroid over child safety."
    assert "Kindroid" not in {e["tool"] for e in events_of(extractor, mixed)}


def test_a_tool_no_paper_may_name_as_its_author_is_restricted(extractor):
    # a publisher's or an ethics body's rule: the tool may be used, but never credited as an author
    for rule in ("will not be accepted as credited authors", "cannot be listed as the authors"):
        text = f"The Committee on Publication Ethics said that AI tools such as ChatGPT {rule} of research papers."
        e = one(events_of(extractor, text, published="2023-02-13"), tool_id="chatgpt")
        assert (e["agency"], e["action"]) == ("Committee on Publication Ethics", "restrict")


def test_a_later_sentence_naming_examples_gives_the_class_its_tools(extractor):
    text = ("NASA has told its staff not to use generative AI tools on agency devices. The rule takes effect on "
            "Monday. The memo names ChatGPT, Gemini and Copilot as examples of the tools covered.")
    tools = {e["tool_id"] for e in events_of(extractor, text) if e["agency_id"] == "us-nasa"}
    assert {"chatgpt", "gemini", "microsoft-copilot"} <= tools


def test_every_countrys_government_can_act(extractor):
    # countries beyond the usual news places are in the reference too (Jordan, Chad and Georgia as names aside)
    for place, jid in (("Bangladesh", "bd"), ("Kenya", "ke"), ("Colombia", "co")):
        text = f"{place}'s government has barred civil servants from using DeepSeek on official computers."
        e = one(events_of(extractor, text), tool_id="deepseek")
        assert (e["agency"], e["jurisdiction_id"], e["action"]) == (f"Government of {place}", jid, "ban")


def test_a_tool_staff_need_permission_for_is_restricted(extractor):
    for need in ("will now have to ask permission before", "need prior approval before"):
        text = f"NASA staff {need} using ChatGPT on agency devices, the memo says."
        e = one(events_of(extractor, text), tool_id="chatgpt")
        assert (e["agency_id"], e["action"]) == ("us-nasa", "restrict")


def test_what_a_publisher_will_not_publish_is_banned(extractor):
    text = "The journal Nature will not publish images made with generative AI services such as Midjourney."
    e = one(events_of(extractor, text, published="2023-06-14"), tool_id="midjourney")
    assert (e["agency"], e["action"]) == ("Nature (journal)", "ban")


def test_a_short_name_the_text_defines_is_that_body_not_the_references(extractor):
    # NSF is the U.S. National Science Foundation in the reference data; here it is the union's own short name
    text = ("The Norwegian Nurses Organisation (NSF) has advised all of its employees against installing DeepSeek "
            "on union devices.\n\nIts leader said the union preferred to be careful.\n\nNorwegian security officials "
            "have also urged caution about the app.")
    e = one(events_of(extractor, text), agency="Norwegian Nurses Organisation")
    assert (e["tool_id"], e["agency_verified"], e["jurisdiction_id"]) == ("deepseek", False, "no")
    text = ("The Norwegian Nurses Organisation (NSF) has advised all of its employees against installing DeepSeek "
            "on union devices. NSF said it would review the advice in a month.")
    assert {e["agency"] for e in events_of(extractor, text)} == {"Norwegian Nurses Organisation"}
    text = "The U.S. National Science Foundation (NSF) has barred reviewers from uploading proposals to ChatGPT."
    assert one(events_of(extractor, text), tool_id="chatgpt")["agency_id"] == "us-nsf"


def test_a_short_name_in_capitals_opening_the_sentence_acts(extractor):
    # NER often misses a body known only by its capitals
    text = "SURF advises universities and colleges not to deploy Microsoft 365 Copilot for the time being."
    e = one(events_of(extractor, text), tool_id="microsoft-365-copilot")
    assert (e["agency"], e["agency_verified"], e["action"]) == ("SURF", False, "warn")
    # capitals that no verb of acting follows name no body
    text = "Staff were told that ZQX files must never be uploaded to Microsoft 365 Copilot."
    assert "ZQX" not in {e["agency"] for e in events_of(extractor, text)}


def test_an_adjective_of_a_country_opening_another_bodys_name_gives_no_jurisdiction(extractor):
    # "Dominican" is the Dominican Republic's adjective, but this university is in California
    e = one(events_of(extractor, "Dominican University of California has banned ChatGPT in classrooms."),
            tool_id="chatgpt")
    assert (e["agency"], e["jurisdiction_id"]) == ("Dominican University of California", "us-ca")
    # a state's adjective before a body the reference knows elsewhere is still that state's body
    e = one(events_of(extractor, "The Victorian education department has banned ChatGPT in state schools."),
            tool_id="chatgpt")
    assert e["jurisdiction_id"] == "au-vic"


def test_a_timeline_line_naming_a_date_dates_the_measures_of_its_paragraph(extractor):
    text = ("Regulators across Europe have moved against Clearview AI.\n\n"
            "Greece, July 2022. The Hellenic Data Protection Authority fined Clearview AI 20 million euros and "
            "barred it from processing the data of people in Greece.\n\n"
            "The company said it would appeal.")
    e = one(events_of(extractor, text, published="2022-10-21"), tool_id="clearview-ai", action="ban")
    assert (e["date"], e["date_source"]) == ("2022-07", "text")
    # the date heads its own paragraph only: a measure in the next paragraph is not dated by it
    text = text.replace("July 2022. The Hellenic", "July 2022.\n\nThe Hellenic")
    e = one(events_of(extractor, text, published="2022-10-21"), tool_id="clearview-ai", action="ban")
    assert e["date_source"] == "published"


def test_a_title_case_headline_ends_a_courts_name_on_court(extractor):
    # (else "the court" below would be a court called "Regional Court Orders Block On Grok Chatbot ...")
    title = "Regional Court Orders Block On Grok Chatbot Over Insults"
    text = "The court ordered the regulator to block access to the Grok chatbot nationwide."
    agencies = [e["agency"] for e in events_of(extractor, text, published="2025-07-09", title=title)]
    assert not [a for a in agencies if "Orders" in a], agencies
    # in running text a court's name goes on past "Court" ("the Court of Appeal of Alberta")
    text = "The Court of Appeal of Alberta has barred lawyers from filing briefs drafted with ChatGPT."
    e = one(events_of(extractor, text, published="2023-10-06"), tool_id="chatgpt")
    assert e["agency"] == "Court of Appeal of Alberta"


def test_rules_on_the_use_of_a_tool_reach_that_tool(extractor):
    # a "close" trigger ("drew up rules") binds only tools right by it, but its rules govern a use
    text = "The City of Ashland drew up rules on staff use of Microsoft Copilot after a review by its lawyers."
    e = one(events_of(extractor, text, published="2024-05-02"), tool_id="microsoft-copilot")
    assert (e["agency"], e["action"]) == ("City of Ashland", "restrict")
    text = "Westfield County Council issued guidelines for employees who use ChatGPT and Gemini at work."
    tools = {e["tool_id"] for e in events_of(extractor, text, published="2024-05-02")}
    assert tools == {"chatgpt", "gemini"}
    # a tool further on that is not the object of a use stays out ("rules ... after a pilot of Claude")
    text = "The City of Ashland drew up rules on staff conduct after a pilot of Microsoft Copilot went badly."
    assert not events_of(extractor, text, published="2024-05-02")


def test_a_unit_of_a_body_named_after_its_work_acts_as_that_body(extractor):
    text = ("The City of Lakemont's Information Technology department has banned DeepSeek on all city "
            "devices.")
    e = one(events_of(extractor, text, published="2025-02-10"), tool_id="deepseek")
    assert e["agency"] == "City of Lakemont"


def test_having_to_tell_the_court_of_a_tool_is_a_restriction(extractor):
    text = "The Court of King's Bench of Manitoba says counsel must inform the court whenever ChatGPT helped draft a filing."
    e = one(events_of(extractor, text, published="2023-06-23"), tool_id="chatgpt")
    assert e["action"] == "restrict"


def test_a_date_between_a_measure_and_its_author_does_not_part_them(extractor):
    text = ("The requirement comes from a practice direction dated June 26 and signed by the Supreme Court of "
            "Yukon's chief justice. Counsel must disclose any use of ChatGPT in their submissions.")
    e = one(events_of(extractor, text, published="2023-06-28"), tool_id="chatgpt")
    assert e["agency"] == "Supreme Court of Yukon"


def test_a_place_named_by_its_city_staff_is_a_city_whose_bare_name_acts(extractor):
    text = ("Brookfield city employees will have to wait for Microsoft Copilot. "
            "Brookfield has blocked ChatGPT on all municipal networks while it reviews the tools.")
    e = one(events_of(extractor, text, published="2026-01-20"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("City of Brookfield", "ban")
    # a city whose name holds "City" is no "City of Kansas"; "in Brookfield" is where, not who
    text = ("Kansas City employees will have to wait for Microsoft Copilot. "
            "Officials in Brookfield city hall said ChatGPT is now blocked on all municipal networks. "
            "Senior city officials said Claude is blocked on city networks too.")
    agencies = {e["agency"] for e in events_of(extractor, text, published="2026-01-20")}
    assert not {"City of Kansas", "City of Brookfield", "City of Senior"} & agencies, agencies


def test_a_permission_on_a_human_check_restricts(extractor):
    text = "The City of Brookfield lets staff use ChatGPT, with a human check on every output."
    e = one(events_of(extractor, text, published="2025-10-15"), tool_id="chatgpt")
    assert e["action"] == "restrict"
    # safeguards a lift came after are no condition on it
    text = "Italy's data protection authority lifted its ban on ChatGPT after OpenAI introduced new safeguards."
    assert "lift" in {e["action"] for e in events_of(extractor, text, published="2023-04-28")}


def test_the_city_is_the_city_government_named_before(extractor):
    text = ("Brookfield city employees will have to wait for Microsoft Copilot. "
            "In a statement on Monday, the city said it had blocked ChatGPT on its networks.")
    e = one(events_of(extractor, text, published="2026-01-20"), tool_id="chatgpt")
    assert e["agency"] == "City of Brookfield"


def test_a_university_applying_its_states_ban_takes_a_measure_of_its_own(extractor):
    text = ("Governor Greg Abbott banned DeepSeek on state-issued devices on Jan. 31. "
            "The University of Texas at Austin has since blocked DeepSeek on its campus network.")
    agencies = {e["agency"] for e in events_of(extractor, text, published="2025-02-12") if e["tool_id"] == "deepseek"}
    assert agencies == {"State of Texas", "University of Texas at Austin"}


def test_a_possessive_author_may_describe_its_measure(extractor):
    # "the City of Brookfield's interim AI guidelines": the guidelines' author, words between included
    text = ("Staff now work under the City of Brookfield's interim AI guidelines. "
            "Entering personal data into ChatGPT is prohibited.")
    e = one(events_of(extractor, text, published="2023-09-05"), tool_id="chatgpt")
    assert e["agency"] == "City of Brookfield"


def test_a_place_and_bank_name_a_bank_not_the_government(extractor):
    # (another body in the sentence: NER, which would find the bank's name, runs only where the rules find none)
    text = "Like the Indian government, Bangladesh Bank has banned DeepSeek on office computers."
    e = one(events_of(extractor, text, published="2026-06-30"), tool_id="deepseek", jurisdiction_id="bd")
    assert e["agency"] == "Bangladesh Bank"
    # a place inside a longer name is no bank of its own
    agencies = {e["agency"] for e in events_of(extractor, "National Australia Bank banned ChatGPT.")}
    assert "Australia Bank" not in agencies, agencies


def test_the_tools_in_use_are_the_members_of_a_class_a_measure_names(extractor):
    text = ("The Carrow Institute has restricted staff use of AI tools. "
            "Staff may need approval first. "
            "The institute said use of ChatGPT, Claude and DeepSeek had been growing among its researchers.")
    tools = {e["tool_id"] for e in events_of(extractor, text, published="2026-06-30")}
    assert {"chatgpt", "claude", "deepseek"} <= tools, tools


def test_a_bar_on_feeding_data_into_tools_restricts(extractor):
    text = "The Reserve Bank of Australia has barred staff from uploading confidential files into ChatGPT."
    e = one(events_of(extractor, text, published="2026-06-30"), tool_id="chatgpt")
    assert e["action"] == "restrict"
    text = "The Reserve Bank of Australia has barred staff from using ChatGPT."
    e = one(events_of(extractor, text, published="2026-06-30"), tool_id="chatgpt")
    assert e["action"] == "ban"
    # the tool itself kept out is a ban
    e = one(events_of(extractor, "Taiwan has barred DeepSeek from entering government networks."), tool_id="deepseek")
    assert e["action"] == "ban"


def test_a_rulebook_or_ground_rules_restrict(extractor):
    text = "City of Brookfield employees who want to use ChatGPT or Claude at work now have a rulebook to follow."
    tools = {e["tool_id"]: e["action"] for e in events_of(extractor, text, published="2023-07-20")
             if e["agency"] == "City of Brookfield"}
    assert tools == {"chatgpt": "restrict", "claude": "restrict"}, tools
    text = "City of Brookfield: ground rules for ChatGPT at work"
    e = one(events_of(extractor, "", published="2023-07-20", title=text), tool_id="chatgpt")
    assert e["action"] == "restrict"
    # a rulebook a tool is subject to is nobody's measure on it
    assert not events_of(extractor, "OpenAI's ChatGPT will be subject to the EU's new AI rulebook.")


def test_a_sentence_opening_on_the_measures_paper_extends_it_to_the_tools_it_names(extractor):
    text = ("The City of Brookfield has issued guidelines for employees who use ChatGPT. "
            "Staff are told never to upload confidential documents. "
            "The guidelines single out meeting assistants, naming Fireflies and Otter.ai.")
    tools = {e["tool_id"] for e in events_of(extractor, text, published="2025-02-14")
             if e["agency"] == "City of Brookfield"}
    assert {"chatgpt", "fireflies", "otter"} <= tools, tools
    # a paper of another kind ("The report ...") is not the measure's, and a tool named but not covered
    # by it is not under it
    last = "The guidelines single out meeting assistants, naming Fireflies and Otter.ai."
    for other in ("The report singles out meeting assistants, naming Fireflies and Otter.ai.",
                  "The guidelines follow a pilot of Fireflies and Otter.ai that staff praised."):
        tools = {e["tool_id"] for e in events_of(extractor, text.replace(last, other), published="2025-02-14")}
        assert tools == {"chatgpt"}, (other, tools)


def test_a_posts_bare_title_is_a_foreign_body_only_where_its_country_is_named(extractor):
    # a Canadian town's chief administrative officer is not the U.S. House's
    text = "Chief Administrative Officer Wayne Anderson has banned DeepSeek on all devices of the Town of Oliver."
    agencies = {e["agency"] for e in events_of(extractor, text, published="2026-04-28")}
    assert "House Chief Administrative Officer" not in agencies, agencies
    text = "The House's Chief Administrative Officer has restricted DeepSeek on official devices."
    e = one(events_of(extractor, text, published="2025-01-30"), tool_id="deepseek")
    assert e["agency"] == "House Chief Administrative Officer"


def test_a_tool_named_to_say_who_its_maker_is_is_not_under_the_measure(extractor):
    text = ("The Information Commissioner's Office has issued Snap with a preliminary enforcement notice over "
            "My AI, a chatbot powered by technology from OpenAI, the firm behind ChatGPT.")
    tools = {e["tool_id"] for e in events_of(extractor, text, published="2023-10-06")}
    assert "chatgpt" not in tools, tools
    # the makers addressed by an order are ordered over their tools
    text = ("The Federal Trade Commission ordered seven companies, among them the makers of Character.AI and "
            "ChatGPT, to explain how they assess the effects of their chatbots on children.")
    tools = {e["tool_id"] for e in events_of(extractor, text, published="2025-09-12")}
    assert "chatgpt" in tools, tools


def test_a_vendor_describing_another_company_is_not_the_one_addressed(extractor):
    text = ("Italy's data protection authority on Friday ordered OpenAI to stop processing Italian users' data "
            "through ChatGPT. The Microsoft-backed company has 20 days to tell the Garante what it has done, "
            "or risk a fine.")
    tools = {e["tool_id"] for e in events_of(extractor, text, published="2023-03-31")}
    assert "microsoft-copilot" not in tools, tools


def test_a_company_whose_people_were_called_in_is_not_the_tool_at_issue(extractor):
    text = ("China's Ministry of Industry and Information Technology on Tuesday summoned executives from social "
            "platform Momo over ZAO, the face-swapping app.")
    tools = {e["tool"] for e in events_of(extractor, text, published="2019-09-04")}
    assert tools == {"ZAO"}, tools


def test_a_government_a_tool_is_tied_to_does_not_act(extractor):
    text = ("Governor Kay Ivey sent agency heads a memorandum banning DeepSeek. The memo points to the app's "
            "affiliation with the Chinese government, and it creates a mechanism for blocking software linked "
            "to foreign adversaries.")
    agencies = {e["agency"] for e in events_of(extractor, text, published="2025-03-28")}
    assert agencies == {"State of Alabama"}, agencies


def test_ruling_a_tool_out_bans_it_and_ruling_it_out_as_an_author_restricts_it(extractor):
    text = ("The Dutch Research Council (NWO) said on Friday that its staff may use only approved AI applications, "
            "which rules out ChatGPT, Gemini and Midjourney.")
    events = events_of(extractor, text)
    assert {(e["tool_id"], e["action"]) for e in events} >= {("gemini", "ban"), ("midjourney", "ban")}, events
    e = one(events_of(extractor, "Springer Nature rules out ChatGPT as a co-author."), tool_id="chatgpt")
    assert e["action"] == "restrict"  # one role a tool may not play, not every use


def test_a_duty_to_log_each_use_restricts_the_tool(extractor):
    text = "The City of San Jose told employees that anyone who uses ChatGPT for city work must log each use on a form."
    e = one(events_of(extractor, text, published="2023-07-21"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("City of San Jose", "restrict")


def test_a_tool_put_on_ice_is_suspended(extractor):
    e = one(events_of(extractor, "The U.S. Space Force has put ChatGPT on ice for its Guardians."), tool_id="chatgpt")
    assert e["action"] == "suspend"


def test_words_for_several_tools_take_every_tool_the_sentence_before_named(extractor):
    text = ("Civil servants had been using ChatGPT and Gemini to draft letters.\n\n"
            "India's Ministry of Finance has now barred staff from using such tools on office computers.")
    events = events_of(extractor, text, published="2025-02-05")
    assert {(e["tool_id"], e["action"]) for e in events} == {("chatgpt", "ban"), ("gemini", "ban")}, events
    # one tool before: "such tools" is no list of its own
    text = ("Civil servants had been using ChatGPT to draft letters.\n\n"
            "India's Ministry of Finance has now barred staff from using such tools on office computers.")
    assert {e["tool_id"] for e in events_of(extractor, text, published="2025-02-05")} == {"chatgpt"}


def test_a_measure_on_a_maker_is_on_the_product_the_story_names_not_its_flagship(extractor):
    inquiry = ("Ireland's Data Protection Commission has opened an inquiry into Google over the personal data it "
               "used to build its artificial intelligence.\n\n")
    focus = ("The regulator will look at whether Google assessed the risks before training PaLM 2, the model "
             "behind several of its products. PaLM 2 came out in May 2023.")
    tools = {(e["tool_id"], e["action"]) for e in events_of(extractor, inquiry + focus, published="2024-09-12")}
    assert tools == {("palm-2", "investigate")}
    # a product named only in passing is no focus: the flagship
    passing = events_of(extractor, inquiry + "Google's models include PaLM 2.", published="2024-09-12")
    assert {e["tool_id"] for e in passing} == {"gemini"}


def test_work_that_may_not_contain_a_tools_text_bans_the_tool(extractor):
    text = ("The International Conference on Machine Learning has told authors that papers may not contain text "
            "produced by ChatGPT.")
    e = one(events_of(extractor, text, published="2023-01-05"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("International Conference on Machine Learning", "ban")


def test_telling_a_maker_to_review_its_tool_is_a_probe(extractor):
    text = ("India's Ministry of Electronics and Information Technology has told X to carry out a full review of "
            "Grok after reports of obscene images made with it.")
    e = one(events_of(extractor, text, published="2026-01-03"), tool_id="grok")
    assert (e["agency"], e["action"]) == ("Ministry of Electronics and Information Technology", "investigate")


def test_a_maker_pausing_its_product_at_a_bodys_request_is_that_bodys_measure(extractor):
    text = ("Meta Platforms has paused plans to train its AI models on posts by users in Europe following a request "
            "from the Irish Data Protection Commission.")
    e = one(events_of(extractor, text, published="2024-06-14"), tool_id="meta-ai")
    assert (e["agency_id"], e["action"]) == ("ie-dpc", "suspend")


def test_a_speaker_in_a_clause_of_contrast_took_no_measure(extractor):
    text = ("Blocks of DeepSeek swept through ministries on Thursday, while the Bank of Korea said it would wait for "
            "instructions from the intelligence service.")
    assert "Bank of Korea" not in {e["agency"] for e in events_of(extractor, text, published="2025-02-07")}
    # a speaker after a plain comma still states it
    text = "DeepSeek is now banned on ministry computers, the Bank of Korea said."
    assert "Bank of Korea" in {e["agency"] for e in events_of(extractor, text, published="2025-02-07")}


def test_a_countrys_local_authorities_are_not_its_government(extractor):
    text = "Dutch municipal authorities have blocked Microsoft Copilot on their office laptops."
    assert "Government of the Netherlands" not in {e["agency"] for e in events_of(extractor, text, published="2025-06-12")}
    text = "Texas county officials have banned DeepSeek on county phones."
    assert "State of Texas" not in {e["agency"] for e in events_of(extractor, text, published="2025-02-03")}
    # the country's own government still acts
    text = "The Dutch government has blocked Microsoft Copilot on its office laptops."
    assert "Government of the Netherlands" in {e["agency"] for e in events_of(extractor, text, published="2025-06-12")}


def test_where_a_tools_data_is_kept_is_not_the_storys_country(extractor):
    text = ("Tennessee's governor put DeepSeek on the state's list of banned platforms on Thursday. What users type "
            "into it is stored in China and, his office said, serves Chinese government propaganda. "
            "Jonathan Skrmetti is among 21 Republican attorneys general who wrote to congressional leaders this "
            "month asking for a federal ban on DeepSeek.")
    events = events_of(extractor, text, published="2025-03-10")
    assert "Attorneys general (United States)" in {e["agency"] for e in events}
    assert not any("China" in e["agency"] for e in events)


def test_a_governor_named_bill_proposes_nothing(extractor):
    text = "On Thursday, Gov. Bill Lee put DeepSeek on Tennessee's list of banned platforms."
    e = one(events_of(extractor, text, published="2025-03-10"), tool_id="deepseek")
    assert (e["agency"], e["action"], e["stage"]) == ("State of Tennessee", "ban", "enacted")
    text = "Gov. Bill Lee backed a bill to ban DeepSeek on state devices."  # a bill is still a bill
    assert one(events_of(extractor, text, published="2025-03-10"), tool_id="deepseek")["stage"] == "proposed"


def test_a_governor_signing_a_bill_makes_it_law(extractor):
    text = "Governor Kay Ivey signed a bill that bans DeepSeek on state devices."
    assert one(events_of(extractor, text, published="2025-03-10"), tool_id="deepseek")["stage"] == "enacted"
    text = "Governor Larry Rhoden's actions this year include signing a bill that bans DeepSeek on state devices."
    assert one(events_of(extractor, text, published="2025-04-10"), tool_id="deepseek")["stage"] == "enacted"


def test_drafting_with_a_tool_is_no_draft_rule(extractor):
    text = ("From today, anyone who has used ChatGPT to draft a filing has to disclose it, the Supreme Court of "
            "Yukon said.")
    e = one(events_of(extractor, text, published="2023-06-26"), tool_id="chatgpt")
    assert (e["action"], e["stage"]) == ("restrict", "enacted")


def test_a_council_drafting_rules_proposes_them(extractor):
    e = one(events_of(extractor, "Cabonne Council drafts rules for staff using ChatGPT", published="2025-05-01"),
            tool_id="chatgpt")
    assert (e["agency"], e["stage"]) == ("Cabonne Council", "proposed")


def test_a_tool_that_would_stay_blocked_is_held_now(extractor):
    text = ("South Korea's Ministry of Education said DeepSeek would stay blocked at its headquarters until checks "
            "confirm the service is safe.")
    e = one(events_of(extractor, text, published="2025-02-07"), tool_id="deepseek")
    assert (e["action"], e["stage"]) == ("suspend", "enacted")  # blocked pending checks


def test_barring_everything_a_tool_produces_bans_it(extractor):
    text = "Stack Overflow does not permit content produced by ChatGPT to be posted as answers on the site."
    assert one(events_of(extractor, text, published="2022-12-05"), tool_id="chatgpt")["action"] == "ban"
    text = "Stack Overflow does not permit some content produced by ChatGPT to be posted as answers on the site."
    assert one(events_of(extractor, text, published="2022-12-05"), tool_id="chatgpt")["action"] == "restrict"


def test_the_next_sentence_pointing_back_names_the_papers_author(extractor):
    text = ("Staff should never paste citizens' records into Microsoft Copilot. That is the core of a handbook "
            "published this week by the Association of Netherlands Municipalities.")
    e = one(events_of(extractor, text, published="2025-06-12"), tool_id="microsoft-copilot")
    assert (e["agency"], e["action"]) == ("Association of Netherlands Municipalities", "warn")
    # a next sentence about another paper is no author of this one
    text = ("Staff should never paste citizens' records into Microsoft Copilot. A handbook published this week by "
            "the Association of Netherlands Municipalities covers chatbots in general.")
    assert "Association of Netherlands Municipalities" not in {e["agency"] for e in events_of(extractor, text)}


def test_the_month_of_may_proposes_nothing(extractor):
    text = "Since May 2023, the City of Boston has barred staff from using ChatGPT on city devices."
    e = one(events_of(extractor, text, published="2023-09-05"), tool_id="chatgpt")
    assert (e["agency"], e["stage"], e["date"]) == ("City of Boston", "enacted", "2023-05")


def test_capitals_before_a_short_name_in_brackets_name_a_body(extractor):
    text = ("The Ibero-American Data Protection Network (RIPD), which groups 16 data protection authorities, has "
            "announced a coordinated action on OpenAI's ChatGPT.")
    e = one(events_of(extractor, text, published="2023-05-08"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Ibero-American Data Protection Network", "investigate")
    # a known body's short name keeps the known body
    text = "The Dutch Data Protection Authority (AP) has warned users about ChatGPT."
    assert one(events_of(extractor, text, published="2023-06-07"), tool_id="chatgpt")["agency_id"] == "nl-ap"


def test_a_paper_named_again_is_by_the_author_named_with_it_first(extractor):
    text = ("Guidance published on Tuesday by the Courts and Tribunals Judiciary tells judges to treat whatever they "
            "type into a public chatbot as published. It covers summaries and emails. It says little about fees. "
            "The guidance also tells judges to be alert to filings that may have been drafted with ChatGPT.")
    e = one(events_of(extractor, text, published="2023-12-12"), tool_id="chatgpt")
    assert e["agency"] == "Courts and Tribunals Judiciary"


def test_rules_for_a_places_use_of_a_tool_are_on_the_tool(extractor):
    text = "The Associated Press has laid down its first rules for newsroom use of ChatGPT."
    e = one(events_of(extractor, text, published="2023-08-16"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Associated Press", "restrict")


def test_reminding_staff_to_use_a_tool_responsibly_is_a_warning(extractor):
    text = ("Accenture has taken a softer line, reminding its workforce to use ChatGPT responsibly rather than "
            "barring it.")
    e = one(events_of(extractor, text, published="2023-03-01"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Accenture", "warn")


def test_a_ban_called_temporary_suspends(extractor):
    text = ("The Victorian Department of Education has banned ChatGPT temporarily from public schools while it "
            "explores the technology.")
    assert one(events_of(extractor, text, published="2023-02-01"), tool_id="chatgpt")["action"] == "suspend"
    text = "The Victorian Department of Education has banned ChatGPT from public schools, a temporary measure."
    assert one(events_of(extractor, text, published="2023-02-01"), tool_id="chatgpt")["action"] == "ban"


def test_a_class_of_tools_takes_the_examples_given_for_it_before(extractor):
    text = ("Staff who use free chatbots such as ChatGPT, Claude or Gemini to write up patients' records could face "
            "disciplinary action, Health New Zealand said.\n\nThe memo went out this week to mental health staff.\n\n"
            "Health New Zealand says using free AI tools for clinical purposes is strictly prohibited.")
    bans = {e["tool_id"] for e in events_of(extractor, text, published="2026-03-25") if e["action"] == "ban"}
    assert bans == {"chatgpt", "claude", "gemini"}
    # a class after a sentence merely naming tools (no examples of a class) stays on the story's tool
    text = ("Health New Zealand compared ChatGPT, Claude and Gemini last year.\n\nHealth New Zealand says using free "
            "AI tools for clinical purposes is strictly prohibited.")
    bans = {e["tool_id"] for e in events_of(extractor, text, published="2026-03-25") if e["action"] == "ban"}
    assert bans == {"chatgpt"}


def test_a_request_goes_on_over_and_to(extractor):
    text = ("The group is asking the Norwegian Data Protection Authority to order OpenAI to delete the defamatory "
            "output about ChatGPT users and to fine the company.")
    assert not events_of(extractor, text, published="2024-12-10")
    text = ("The Norwegian Data Protection Authority ordered OpenAI to delete the output of ChatGPT and to fine the "
            "company.")
    assert events_of(extractor, text, published="2024-12-10")


def test_a_measure_announced_for_later_is_dated_when_it_takes_effect(extractor):
    text = ("The National Archives and Records Administration told staff in an email Wednesday that it will block "
            "ChatGPT on its internal network and on all agency-issued laptops, tablets and phones beginning May 6.")
    assert date_of(extractor, text, "2024-05-02", "chatgpt") == "2024-05-06"
    # a measure already taken keeps the day it was taken
    text = ("The National Archives and Records Administration told staff in an email Wednesday that it blocked "
            "ChatGPT on its internal network and on all agency-issued laptops, tablets and phones beginning May 6.")
    assert date_of(extractor, text, "2024-05-02", "chatgpt") == "2024-05-01"


def test_a_measure_naming_nobody_is_the_body_the_story_is_about(extractor):
    text = ("The Town of Oliver held its regular council meeting on Monday.\n\n"
            "The Town of Oliver also approved money for road repairs and a new fire hall.\n\n"
            "Using ChatGPT for town business is now prohibited.")
    e = one(events_of(extractor, text, published="2026-04-29"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Town of Oliver", "ban")
    # a story naming two bodies as often names neither as the measure's author
    text = text.replace("also approved money", "and the Town of Osoyoos approved money") \
        + "\n\nThe Town of Osoyoos met on Tuesday."
    assert not events_of(extractor, text, published="2026-04-29")


def test_a_use_counted_as_misconduct_is_restricted(extractor):
    text = ("The Joint Council for Qualifications says that passing off what AI tools such as ChatGPT write as a "
            "student's own work counts as misuse.")
    e = one(events_of(extractor, text, published="2023-03-29"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Joint Council for Qualifications", "restrict")


def test_a_list_of_known_tools_after_a_class_names_no_other_tool(extractor):
    text = "Using AI tools such as ChatGPT for coursework is banned, the Joint Council for Qualifications said."
    assert {e["tool_id"] for e in events_of(extractor, text, published="2023-03-29")} == {"chatgpt"}


def test_a_date_a_product_arrived_is_not_the_measure_date(extractor):
    text = "Vanderbilt University has switched off Turnitin's AI detector, a feature that arrived in April."
    e = one(events_of(extractor, text, published="2023-08-16"), agency="Vanderbilt University")
    assert e["date"] == "2023-08-16"


def test_a_measure_announced_for_later_takes_effect_on_the_next_such_date(extractor):
    text = ("The National Archives and Records Administration told staff on Wednesday that it will block ChatGPT on "
            "all agency-issued laptops beginning March 1.")
    assert date_of(extractor, text, "2024-11-20", "chatgpt") == "2025-03-01"


def test_of_bodies_named_as_often_the_headline_s_is_the_story_s(extractor):
    text = ("The Town of Oliver held its council meeting on Monday.\n\nThe Town of Osoyoos held its own on Tuesday.\n\n"
            "The Town of Osoyoos also approved money for road repairs.\n\n"
            "Using ChatGPT for town business is now prohibited.")
    e = one(events_of(extractor, text, published="2026-04-29", title="Town of Oliver council meets"), tool_id="chatgpt")
    assert e["agency"] == "Town of Oliver"
    assert not events_of(extractor, text, published="2026-04-29")


def test_a_word_for_tools_stands_for_those_the_sentence_before_names(extractor):
    text = ("Many newsrooms have experimented with ChatGPT this year.\n\n"
            "The Associated Press has laid down its first rules for newsroom use of generative AI.")
    e = one(events_of(extractor, text, published="2023-08-17"), tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Associated Press", "restrict")
    # no word for a tool in the measure's sentence: the tools before are not its
    text = text.replace("newsroom use of generative AI", "its reporters on deadlines")
    assert not events_of(extractor, text, published="2023-08-17")


def test_as_much_as_compares_degree_and_states_no_measure(extractor):
    text = ("The Indian Computer Emergency Response Team said DeepSeek could not be used as casually as the "
            "chatbots made in the United States.")
    assert not events_of(extractor, text, published="2025-02-10")
    text = "The Indian Computer Emergency Response Team said DeepSeek could not be used on official computers."
    assert events_of(extractor, text, published="2025-02-10")


@pytest.mark.parametrize("text", [
    "The Pentagon no longer blocks ChatGPT on its unclassified network.",
    "NASA revoked its ban on DeepSeek in March.",
    "New York City Public Schools repealed the ChatGPT ban.",
    "New York City Public Schools walked back its ban on ChatGPT.",
    "New York City Public Schools backtracked on its ChatGPT ban.",
    "New York City Public Schools has unbanned ChatGPT.",
])
def test_ending_a_ban_in_other_words_is_a_lift(extractor, text):
    events = events_of(extractor, text)
    assert "lift" in {e["action"] for e in events}, events


def test_no_longer_blocking_is_not_a_ban(extractor):
    events = events_of(extractor, "The Pentagon no longer blocks ChatGPT on its unclassified network.")
    assert [e["action"] for e in events] == ["lift"]


def test_a_rule_no_longer_in_force_still_needs_its_measure_named(extractor):
    # "no longer apply" with no measure noun before it tightens nothing and lifts nothing named
    assert events_of(extractor, "NASA said its exemption for ChatGPT would no longer apply.") == []


def test_a_body_named_as_where_a_measure_holds_takes_it(extractor):
    e = one(events_of(extractor, "DeepSeek is banned at the Department of Defense."), tool_id="deepseek")
    assert (e["agency_id"], e["action"]) == ("us-dod", "ban")


def test_a_court_where_a_suit_is_filed_does_not_take_the_measure(extractor):
    # only a measure said of the tool (passive) is held where it is named as where; not an active suit
    events = events_of(extractor, "A newspaper publisher filed a lawsuit against Perplexity in the Tokyo District Court.")
    assert not any("Court" in e["agency"] for e in events), events


@pytest.mark.parametrize("text, action", [
    ("The Department of Defense ordered Apple and Google to pull DeepSeek from their app stores.", "suspend"),
    ("The Department of Defense has shut off DeepSeek on its network.", "ban"),
    ("The Department of Defense is scrutinising DeepSeek.", "investigate"),
])
def test_more_words_for_measures(extractor, text, action):
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency_id"], e["action"]) == ("us-dod", action)


def test_a_quoted_title_is_not_a_body(extractor):
    # NER tags the memo's quoted title as an organisation
    events = events_of(extractor, "The memo, titled “Protecting Federal Networks”, bans DeepSeek on agency devices.")
    assert not any("Protecting" in e["agency"] for e in events), events


def test_permitted_only_under_a_condition_is_a_restriction(extractor):
    e = one(events_of(extractor, "The University of Sydney permits ChatGPT in assessments only when the unit "
                                 "coordinator says so."), tool_id="chatgpt")
    assert e["action"] == "restrict"


def test_a_date_in_a_relative_clause_with_its_own_measure_is_not_the_lift_s(extractor):
    events = events_of(extractor, "ChatGPT is available again in Italy after OpenAI met the demands of the Garante, "
                                  "which had blocked the service in March.", published="2023-04-28")
    lift = one(events, action="lift")
    assert lift["date_source"] == "published" and lift["date"] == "2023-04-28"


def test_the_body_the_sentence_before_opens_on_with_the_tool_takes_a_measure_naming_nobody(extractor):
    events = events_of(extractor, "DISA reviewed DeepSeek last week. Staff were told on Friday that the app is no "
                                  "longer permitted on any agency device.",
                       title="Agency acts on DeepSeek")
    e = one(events, action="ban")
    assert (e["agency_id"], e["tool_id"]) == ("us-disa", "deepseek")


@pytest.mark.parametrize("text", [
    "Texas lawmakers filed a bill to ban DeepSeek on state devices.",
    "A Texas senator has filed a bill to ban DeepSeek on state devices.",
    "Lawmakers in Texas proposed legislation to bar DeepSeek from state devices.",
])
def test_a_place_s_lawmakers_are_its_legislature_not_the_country_s(extractor, text):
    e = one(events_of(extractor, text, published="2025-02-10"), action="ban")
    assert (e["agency"], e["stage"]) == ("Texas Legislature", "proposed")


@pytest.mark.parametrize("text", [
    "If NASA bans DeepSeek, other agencies will follow.",
    "It is unclear whether NASA will ban DeepSeek.",
    "Critics want NASA to ban DeepSeek.",
    "NASA has asked Congress to ban DeepSeek.",
])
def test_a_measure_supposed_wished_or_asked_of_a_legislature_is_not_taken(extractor, text):
    assert not [e for e in events_of(extractor, text) if e["agency_id"] == "us-nasa"], text


def test_a_measure_taken_whatever_others_do_still_stands(extractor):
    # the condition is a clause of its own, closed by a comma
    e = one(events_of(extractor, "Whether or not other agencies follow, NASA has banned DeepSeek."), tool_id="deepseek")
    assert (e["agency_id"], e["action"]) == ("us-nasa", "ban")


def test_an_effective_date_after_the_tool_s_release_but_yearless_is_the_next_one(extractor):
    # "March 1" read as last March predates DeepSeek's release and was dropped before it was moved on a year
    assert date_of(extractor, "NASA will ban DeepSeek from March 1.", "2025-02-10", "deepseek") == "2025-03-01"


def test_a_foreign_company_asked_to_act_is_told_by_the_body_asking(extractor):
    # unlike a foreign body (the European Commission asked by Poland), a company asked carries out the request
    text = "Germany's data protection commissioner asked Apple and Google to remove DeepSeek from their app stores."
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency_kind"], e["action"]) == ("dpa", "suspend")


@pytest.mark.parametrize("text, month", [
    ("NASA banned DeepSeek in the final days of January.", "2025-01"),
    ("NASA banned DeepSeek in the first week of February.", "2025-02"),
])
def test_a_part_of_a_month_named_in_words_is_that_month(extractor, text, month):
    assert date_of(extractor, text, "2025-02-12", "deepseek") == month


def test_app_stores_carrying_out_an_earlier_measure_take_none_of_their_own(extractor):
    text = ("The Garante opened an inquiry into DeepSeek on Tuesday. By Wednesday, Apple and Google had removed "
            "the app from their Italian stores.")
    events = events_of(extractor, text, published="2025-02-05")
    assert {e["agency"] for e in events} == {"Garante per la protezione dei dati personali"}, events
    assert {e["tool_id"] for e in events} == {"deepseek"}


def test_app_stores_acting_alone_take_no_measure(extractor):
    assert events_of(extractor, "Apple and Google removed DeepSeek from their app stores in Italy.") == []


def test_a_year_naming_a_measure_dates_it_and_no_other(extractor):
    e = one(events_of(extractor, "The move mirrors Italy's 2023 ban on ChatGPT."), tool_id="chatgpt")
    assert e["date"] == "2023"
    text = "The FTC opened an investigation into Snapchat's My AI over compliance with its 2014 order."
    assert all(e["date"] != "2014" for e in events_of(extractor, text, published="2025-01-20"))


def test_the_first_place_after_the_governors_of_acts_like_the_rest_of_the_list(extractor):
    events = events_of(extractor, "The governors of Texas, Virginia and New York have banned DeepSeek on state devices.")
    assert {e["agency"] for e in events} >= {"State of Texas", "Commonwealth of Virginia", "State of New York"}
    events = events_of(extractor, "The states of Texas and Virginia have both banned DeepSeek.")
    assert {e["agency"] for e in events} >= {"State of Texas", "Commonwealth of Virginia"}


def test_the_ban_a_lift_undoes_does_not_take_the_lift_s_date(extractor):
    events = events_of(extractor, "The Garante lifted its ban on ChatGPT on April 28, a month after imposing it.",
                       published="2023-05-02")
    assert one(events, action="lift")["date"] == "2023-04-28"
    assert one(events, action="ban")["date"] != "2023-04-28"


def test_a_date_in_a_relative_clause_before_a_lift_is_the_clause_s(extractor):
    events = events_of(extractor, "The Garante, which had blocked ChatGPT on March 31, lifted the ban on April 28.",
                       published="2023-05-02")
    assert [e["date"] for e in events if e["action"] == "lift"] == ["2023-04-28"]


def test_the_agency_can_refer_back_to_a_department(extractor):
    text = ("Officials at the Department of Commerce reviewed the app last month. The agency has now banned "
            "DeepSeek on its devices.")
    e = one(events_of(extractor, text), tool_id="deepseek")
    assert (e["agency"], e["action"]) == ("U.S. Department of Commerce", "ban")


def test_a_measure_a_body_wants_taken_is_proposed(extractor):
    events = events_of(extractor, "The White House wants NASA to ban DeepSeek.")
    assert events and all(e["stage"] == "proposed" for e in events), events


def test_a_body_that_follows_suit_takes_the_measure_before(extractor):
    events = events_of(extractor, "Italy's Garante restricted DeepSeek on January 30. The Irish Data Protection "
                                  "Commission did the same a week later.")
    assert one(events, agency="Data Protection Commission")["action"] == "restrict"
    events = events_of(extractor, "The Navy banned DeepSeek on January 24. NASA followed suit days later.")
    assert one(events, agency="National Aeronautics and Space Administration")["action"] == "ban"
    # one who may follow has enacted nothing; a follower whose own measure word says what it did copies nothing
    events = events_of(extractor, "The Garante banned ChatGPT. Germany may follow suit.")
    assert one(events, agency="Federal Government of Germany")["stage"] == "proposed"
    events = events_of(extractor, "The Garante banned ChatGPT in March. France's CNIL followed suit with its own probe.")
    assert all(e["action"] != "ban" for e in events if e["agency"] != "Garante per la protezione dei dati personali")


def test_washington_with_a_federal_word_is_the_federal_government(extractor):
    e = one(events_of(extractor, "Washington has banned DeepSeek on federal devices."), tool_id="deepseek")
    assert e["agency"] == "United States federal government"
    text = "Washington banned DeepSeek on state-owned devices, Governor Bob Ferguson said."
    assert one(events_of(extractor, text), tool_id="deepseek")["agency"] == "State of Washington"


def test_a_ban_that_ended_is_lifted(extractor):
    events = events_of(extractor, "Italy's ban on ChatGPT ended on April 28.", published="2023-05-02")
    assert [(e["action"], e["date"]) for e in events] == [("lift", "2023-04-28")]
    # "ended up" is how the ban turned out
    assert all(e["action"] != "lift" for e in events_of(extractor, "Texas's ban on DeepSeek ended up covering every "
                                                                   "state device."))


def test_a_body_s_tool_ban_is_the_body_s_measure(extractor):
    # "X's DeepSeek" is where DeepSeek comes from only when X is its home: "Italy's ChatGPT ban" is Italy's
    for text, body in [("NASA's DeepSeek ban took effect on January 28.", "National Aeronautics and Space Administration"),
                       ("Italy's ChatGPT ban took effect on March 31.", "Government of Italy"),
                       ("The U.S. Navy's ChatGPT ban covers all sailors.", "U.S. Navy")]:
        assert one(events_of(extractor, text), action="ban")["agency"] == body
    assert events_of(extractor, "Officials worry about China's DeepSeek ban evasion.") == []


def test_a_question_word_opening_a_headline_opens_no_name(extractor):
    # "Why Italy", like "Telstra Australia", looked like a longer name the place closed
    events = events_of(extractor, "Officials cited privacy.", title="Why Italy Banned ChatGPT")
    assert one(events, tool_id="chatgpt")["agency"] == "Government of Italy"
    events = events_of(extractor, "How Texas became the first state to ban DeepSeek.")
    assert one(events, tool_id="deepseek")["agency"] == "State of Texas"


def test_since_when_a_lifted_ban_held_dates_the_ban_not_the_lift(extractor):
    events = events_of(extractor, "New York City Public Schools lifted its ban on ChatGPT, in place since January, "
                                  "on May 18.", published="2023-05-20")
    assert one(events, action="lift")["date"] == "2023-05-18"
    assert one(events, action="ban")["date"] == "2023-01"
    # "available again since": the lift's own date
    assert date_of(extractor, "ChatGPT has been available again in Italy since April 28.", "2023-05-20",
                   "chatgpt") == "2023-04-28"


def test_the_ban_a_planned_lift_undoes_was_taken(extractor):
    events = events_of(extractor, "The Garante said it would lift its ban on ChatGPT once OpenAI adds an age check.",
                       published="2023-04-20")
    assert one(events, action="ban")["stage"] == "enacted"


def test_the_place_after_in_heads_the_list_of_bodies_that_act(extractor):
    text = "Government agencies in Texas, Virginia, New York and Iowa have banned DeepSeek."
    assert {e["agency"] for e in events_of(extractor, text)} >= {"State of Texas", "Commonwealth of Virginia",
                                                                 "State of New York", "State of Iowa"}
    # "Both" opening the sentence is no name the first place closes
    events = events_of(extractor, "Both Texas and Virginia have banned DeepSeek on state devices.")
    assert {e["agency"] for e in events} == {"State of Texas", "Commonwealth of Virginia"}


def test_a_body_yet_to_act_has_not_acted(extractor):
    assert events_of(extractor, "NASA is among a handful of agencies yet to ban DeepSeek.") == []


def test_followed_by_names_a_follower_not_the_agent(extractor):
    events = events_of(extractor, "NASA was the first agency to ban DeepSeek, followed by the Navy.")
    assert {e["agency"] for e in events} == {"National Aeronautics and Space Administration", "U.S. Navy"}


def test_a_demand_for_records_is_a_probe(extractor):
    e = one(events_of(extractor, "The FTC sent OpenAI a 20-page demand for records about how ChatGPT handles risks."),
            tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Federal Trade Commission", "investigate")
    e = one(events_of(extractor, "The Texas AG has sent civil investigative demands to Character.AI."),
            tool_id="character-ai")
    assert e["action"] == "investigate"


def test_where_a_measure_held_owns_no_date_after_it(extractor):
    text = "The Garante, which briefly banned ChatGPT in Italy in 2023, said OpenAI had no legal basis."
    assert one(events_of(extractor, text, published="2025-02-18"), action="ban")["date"] == "2023"


def test_the_day_a_past_measure_was_told_yields_to_its_own_date(extractor):
    text = ("South Korea's Personal Information Protection Commission said on Monday that DeepSeek had been removed "
            "from local app stores pending a review. The suspension took effect on Saturday, February 15.")
    e = one(events_of(extractor, text, published="2025-02-18"), action="suspend")
    assert e["date"] == "2025-02-15"


def test_a_date_in_the_cause_of_a_measure_is_the_cause_s(extractor):
    text = ("Samsung Electronics has told employees not to use ChatGPT on company devices. The move came after "
            "engineers uploaded sensitive source code to the chatbot in April.")
    assert date_of(extractor, text, "2023-05-02", "chatgpt") != "2023-04"


def test_a_tool_s_launch_date_is_no_measure_s(extractor):
    text = "NASA banned DeepSeek a week after the app's launch on January 20."
    assert date_of(extractor, text, "2025-02-05", "deepseek") != "2025-01-20"


def test_a_state_s_education_department_is_the_state_s(extractor):
    for text in ["Queensland's education department banned ChatGPT in state schools.",
                 "Western Australia's Department of Education banned ChatGPT in public schools.",
                 "The Western Australian education department banned ChatGPT in public schools."]:
        e = one(events_of(extractor, text), tool_id="chatgpt")
        assert e["agency"] in ("Queensland Department of Education", "WA Department of Education"), text


def test_the_country_after_a_town_says_where_it_is(extractor):
    # "in Ankara, Turkey": the country is part of the address, not who acted
    assert all(e["agency"] != "Government of Türkiye"
               for e in events_of(extractor, "A court in Ankara, Turkey, ordered a ban on the Grok chatbot."))
    assert all(e["agency"] != "Department of Education (Australia)"
               for e in events_of(extractor, "Schools in Queensland, Australia banned ChatGPT."))


def test_an_unknown_county_s_schools_are_its_school_system(extractor):
    e = one(events_of(extractor, "Fairfax County schools blocked ChatGPT on county-issued devices."), tool_id="chatgpt")
    assert e["agency"] == "Fairfax County schools"


def test_bodies_told_in_order_after_a_measure_nobody_named_take_it(extractor):
    text = ("At least a dozen states have now barred DeepSeek from government devices. Texas was first, on January "
            "28, followed by New York on February 10 and Virginia on February 11.\n\nIowa, Oklahoma and South Dakota "
            "joined them later in February.")
    dates = {e["agency"]: e["date"] for e in events_of(extractor, text, published="2025-03-20") if e["action"] == "ban"}
    assert dates["State of Texas"] == "2025-01-28" and dates["State of New York"] == "2025-02-10"
    assert dates["Commonwealth of Virginia"] == "2025-02-11" and "State of Iowa" in dates
    # a measure with its own body is no list's: "NASA banned it" then "The Navy was first" states nothing more
    text = "NASA has barred DeepSeek. The agency was first among federal bodies, officials said."
    assert {e["agency"] for e in events_of(extractor, text)} == {"National Aeronautics and Space Administration"}


@pytest.mark.parametrize("text", ["The Garante ended its suspension of Replika.",
                                  "NASA put its DeepSeek ban on hold.",
                                  "The Navy paused its ban on DeepSeek after the review.",
                                  "New York City's schools reversed course on ChatGPT in May.",
                                  "Italy's privacy regulator allowed ChatGPT to return on April 28."])
def test_more_ways_to_lift(extractor, text):
    assert {e["action"] for e in events_of(extractor, text, published="2023-06-01")} >= {"lift"}, text


def test_places_listed_before_a_school_system_stand_for_their_own(extractor):
    events = events_of(extractor, "New York City, Los Angeles and Seattle public schools have blocked ChatGPT.")
    assert {e["agency"] for e in events} >= {"New York City Department of Education", "Seattle Public Schools"}


def test_the_schools_in_a_place_opening_a_sentence_are_its_school_system(extractor):
    e = one(events_of(extractor, "Schools in Queensland, Australia banned ChatGPT."), tool_id="chatgpt")
    assert e["agency"] == "Queensland Department of Education"
    e = one(events_of(extractor, "Public schools in New York City blocked ChatGPT on school devices."), tool_id="chatgpt")
    assert e["agency"] == "New York City Department of Education"


def test_a_place_s_parliament_is_its_legislature(extractor):
    e = one(events_of(extractor, "Australia's parliament banned DeepSeek on parliamentary devices."), tool_id="deepseek")
    assert e["agency"] == "Parliament of Australia"


def test_a_waiver_far_into_a_long_sentence_still_restricts(extractor):
    text = ("Keio University will not accept essays, reports or theses that contain text produced by ChatGPT or "
            "other AI chatbots unless the course instructor has given permission.")
    assert one(events_of(extractor, text), tool_id="chatgpt")["action"] == "restrict"


def test_a_headline_verb_weighs_no_more_than_the_body_s(extractor):
    e = one(events_of(extractor, "NASA has blocked DeepSeek on its systems and devices, according to a memo sent to "
                                 "employees on January 31.", title="NASA restricts DeepSeek"), tool_id="deepseek")
    assert e["action"] == "ban"


def test_github_s_copilot_is_github_copilot(extractor):
    events = events_of(extractor, "Apple restricted employees from using ChatGPT and GitHub's Copilot.")
    assert {e["tool"] for e in events} == {"ChatGPT", "GitHub Copilot"}


def test_following_a_lift_lifts(extractor):
    events = events_of(extractor, "Italy lifted its ChatGPT ban. France did the same.")
    assert one(events, agency="Government of France")["action"] == "lift"


@pytest.mark.parametrize("verb", ["installed", "downloaded"])
def test_a_tool_that_may_not_be_installed_is_banned(extractor, verb):
    text = f"DeepSeek may not be {verb} on any Commerce Department device, the department said."
    assert one(events_of(extractor, text), tool_id="deepseek")["action"] == "ban"


def test_officials_at_an_unknown_body_are_that_body_s(extractor):
    e = one(events_of(extractor, "Officials at Sydney's Macquarie University warned students against using ChatGPT."),
            tool_id="chatgpt")
    assert (e["agency"], e["action"]) == ("Macquarie University", "warn")


def test_a_measure_extended_to_more_tools_takes_the_paper_s_date(extractor):
    text = ("Japan's Digital Agency told government employees not to use DeepSeek. The guidance, issued on February 6, "
            "also covers Chinese apps such as Kimi and Doubao.")
    events = events_of(extractor, text, published="2025-02-10")
    assert one(events, tool_id="doubao")["date"] == "2025-02-06"


@pytest.mark.parametrize("text", ["The Navy has not lifted its ban on DeepSeek.",
                                  "Texas has no plans to lift its DeepSeek ban."])
def test_a_denied_lift_leaves_the_ban_standing(extractor, text):
    events = events_of(extractor, text)
    assert [e["action"] for e in events] == ["ban"], events


def test_a_full_month_name_takes_no_full_stop_into_the_date_text(extractor):
    e = one(events_of(extractor, "Italy banned ChatGPT in March.", published="2023-12-20"), tool_id="chatgpt")
    assert (e["date"], e["date_text"]) == ("2023-03", "in March")
    e = one(events_of(extractor, "Italy banned ChatGPT on Mar. 31, 2023.", published="2023-12-20"), tool_id="chatgpt")
    assert e["date_text"] == "Mar. 31, 2023"


def test_a_place_s_own_body_after_its_possessive_is_that_body(extractor):
    # not the State of Tennessee: a body the reference does not know, of that place
    e = one(events_of(extractor, "Officials at Tennessee's Department of Finance and Administration said state "
                                 "employees may not use DeepSeek."), tool_id="deepseek")
    assert (e["agency_verified"], e["country"]) == (False, "United States")
    assert e["agency"].startswith("Tennessee Department of Finance")
    # known to the reference under the name that ends on its place
    e = one(events_of(extractor, "Canada's Office of the Privacy Commissioner opened an investigation into "
                                 "ChatGPT on April 4.", published="2023-04-05"), tool_id="chatgpt")
    assert e["agency_id"] == "ca-opc"
    e = one(events_of(extractor, "Utah's Division of Consumer Protection warned parents about Character.AI."),
            tool_id="character-ai")
    assert e["agency"] == "Utah Division of Consumer Protection"
    e = one(events_of(extractor, "Belgium's Centre for Cybersecurity warned civil servants about DeepSeek."),
            tool_id="deepseek")
    assert e["agency"] == "Centre for Cybersecurity Belgium"
    # listed with another body, it still acts
    events = events_of(extractor, "Utah's Division of Consumer Protection and the FTC warned parents about "
                                  "Character.AI.")
    assert {e["agency"] for e in events} == {"Utah Division of Consumer Protection", "Federal Trade Commission"}


@pytest.mark.parametrize("text, action", [
    ("NASA ordered the removal of DeepSeek from all agency devices on February 5.", "ban"),
    ("NASA added DeepSeek to its blocklist on February 5.", "ban"),
    ("NASA declared DeepSeek unauthorized for use on agency systems on February 5.", "ban"),
    ("NASA revoked employees' access to DeepSeek on February 5.", "ban"),
    ("NASA is phasing out DeepSeek, staff were told on February 5.", "ban"),
    ("NASA has taken down access to DeepSeek on parts of its network, it said on February 5.", "ban"),
    ("NASA imposed a moratorium on DeepSeek on February 5.", "suspend"),
    ("The Garante opened a case against OpenAI over ChatGPT on February 5.", "investigate"),
    ("The Garante flagged privacy risks in ChatGPT on February 5.", "warn"),
    ("The Garante relaxed its restrictions on ChatGPT on February 5.", "lift"),
    ("The Garante approved the return of ChatGPT on February 5.", "lift"),
    ("New York City public schools will now allow ChatGPT, the chancellor said on February 5.", "lift"),
    ("The Garante urged users on February 5 not to install ChatGPT.", "warn"),
    ("NASA told staff on February 5 that only ChatGPT Enterprise is authorized for use.", "restrict"),
    ("The Garante said on February 5 that people should think carefully before using ChatGPT.", "warn"),
])
def test_more_ways_of_saying_a_measure(extractor, text, action):
    events = [e for e in events_of(extractor, text, published="2025-02-20") if e["date"] == "2025-02-05"]
    assert [e["action"] for e in events] == [action]


def test_paris_prosecutors_are_the_paris_prosecutor_s_office(extractor):
    for text in ["French prosecutors opened an investigation into the AI chatbot Grok on July 11.",
                 "Prosecutors in Paris launched a criminal probe into X's Grok chatbot on July 11.",
                 "The Paris prosecutor's office searched X's premises over the AI chatbot Grok on July 11."]:
        e = one(events_of(extractor, text, published="2025-07-20"), tool_id="grok")
        assert (e["agency_id"], e["action"]) == ("fr-paris-prosecutor", "investigate"), text


def test_officeholders_listed_with_their_names_act_together(extractor):
    events = events_of(extractor, "California Attorney General Rob Bonta and Delaware Attorney General Kathy "
                                  "Jennings sent a letter to OpenAI on September 5 demanding answers about ChatGPT.",
                       published="2025-09-10")
    assert sorted(e["agency_id"] for e in events if e["tool_id"] == "chatgpt") == \
        ["us-ca-attorney-general", "us-de-attorney-general"]


@pytest.mark.parametrize("text", ["Lawmakers push to ban DeepSeek app from U.S. government devices",
                                  "House lawmakers are looking to ban DeepSeek on federal devices."])
def test_a_push_to_ban_is_a_proposal(extractor, text):
    assert [e["stage"] for e in events_of(extractor, text) if e["tool_id"] == "deepseek"] == ["proposed"]


def test_looking_to_a_tool_proposes_nothing(extractor):
    events = events_of(extractor, "Students are looking to ChatGPT after the Garante banned it on March 31.",
                       published="2023-04-10")
    assert one(events, agency_id="it-garante")["stage"] == "enacted"


def test_a_bill_is_dated_by_the_sentence_about_the_bill(extractor):
    events = events_of(extractor, "Georgia senators have filed a bill that would prohibit the use of DeepSeek on "
                                  "state phones. The bill was introduced on February 3.", published="2025-03-20")
    e = one(events, tool_id="deepseek")
    assert (e["stage"], e["date"], e["date_source"]) == ("proposed", "2025-02-03", "text")


def test_it_covers_extends_the_measure_just_told(extractor):
    events = events_of(extractor, "Texas bans Chinese AI apps. Governor Greg Abbott issued the order on Tuesday. "
                                  "It covers DeepSeek, Moonshot's Kimi and the social apps RedNote and Lemon8 on "
                                  "state-issued devices.", published="2025-02-07")
    assert {e["tool_id"] for e in events if e["agency_id"] == "us-tx-government"} == {"deepseek", "kimi"}


def test_a_date_before_and_a_second_measure_is_the_first_measure_s(extractor):
    events = events_of(extractor, "Italy's Garante banned ChatGPT on March 31, 2023 and fined OpenAI on "
                                  "December 20, 2024.", published="2025-01-15")
    assert one(events, action="investigate")["date"] == "2024-12-20"


def test_a_date_without_its_year_goes_on_in_the_story_s_year(extractor):
    text = "New York City's education department blocked ChatGPT in January 2023. It reversed the ban in May."
    assert one(events_of(extractor, text, published="2026-06-10"), action="lift")["date"] == "2023-05"
    # a date that would fall before the one the story dated stays in the report's year
    text = "New York City's education department blocked ChatGPT in June 2023. It reversed the ban in May."
    assert one(events_of(extractor, text, published="2026-06-10"), action="lift")["date"] == "2026-05"
    # a product's launch sets no year for the story
    text = "OpenAI released GPT-4o in May 2024. NASA banned ChatGPT on Oct. 3."
    assert one(events_of(extractor, text, published="2025-12-10"), agency_id="us-nasa")["date"] == "2025-10-03"


def test_the_eu_acting_is_the_european_commission(extractor):
    e = one(events_of(extractor, "The EU opened formal proceedings against X over the AI chatbot Grok on January 26.",
                      published="2026-01-28"), tool_id="grok")
    assert (e["agency_id"], e["action"]) == ("eu-commission", "investigate")


def test_its_privacy_regulator_is_the_country_s(extractor):
    events = events_of(extractor, "Italy became the first Western country to block ChatGPT on March 31 after its "
                                  "data protection authority raised privacy concerns.", published="2023-04-05")
    assert one(events, tool_id="chatgpt")["agency_id"] == "it-garante"
    # a company's "its" is no country's
    events = events_of(extractor, "Microsoft said its data protection authority had opened an investigation "
                                  "into Copilot.")
    assert not [e for e in events if e["agency_id"] == "it-garante" or e["agency_kind"] == "dpa"]


def test_a_word_for_the_tool_in_its_clause_takes_the_tool_another_clause_names(extractor):
    events = events_of(extractor, "South Korea's Personal Information Protection Commission suspended new "
                                  "downloads of the app on February 15 while it reviewed DeepSeek's data practices.",
                       published="2025-03-05")
    e = one(events, agency_id="kr-pipc")
    assert (e["tool_id"], e["action"], e["date"]) == ("deepseek", "suspend", "2025-02-15")
    # not a tool the sentence says stays available
    spared = events_of(extractor, "NASA blocked the app on February 15, leaving ChatGPT available to staff.")
    assert not [e for e in spared if e["tool_id"] == "chatgpt" and e["action"] != "lift"]


def test_a_probe_of_several_makers_is_on_each_one_s_tool_the_story_names(extractor):
    events = events_of(extractor, "The FTC opened an inquiry into Google and OpenAI on September 11. It asked how "
                                  "Gemini and ChatGPT handle children's data.", published="2025-10-01")
    assert {e["tool_id"] for e in events if e["agency_id"] == "us-ftc" and e["date"] == "2025-09-11"} == \
        {"gemini", "chatgpt"}


def test_the_probe_named_again_keeps_its_date_for_the_maker_s_tool(extractor):
    events = events_of(extractor, "Texas Attorney General Ken Paxton opened an investigation into Meta and "
                                  "Character.AI on August 18. The probe covers Meta AI Studio.", published="2025-10-01")
    assert one(events, tool_id="meta-ai-studio")["date"] == "2025-08-18"
