"""The numbers of the extraction rules: mention weights, date scores and the windows rules look in.

One frozen RuleSettings object holds them. It is the config of the registered spaCy component
`banwatch_events` (pipeline/components.py), so a pipeline shows and overrides them the spaCy way:

    nlp.add_pipe("banwatch_events", config={"settings": {"title_weight": 2.0}})
    [components.banwatch_events.settings]  title_weight = 1.5 ...

and the rules read them from the document context: `ctx.settings.title_weight`. Windows count
tokens unless their name says otherwise. Counts that define a structure rather than tune a rule
("a list names at least two bodies", "the next sentence") stay in the code.

Every setting shapes the candidates and their features: after changing one, retrain the decision
layer (`banwatch train`) and bump EXTRACTOR_VERSION.
"""
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class RuleSettings:
    # ---- mention weights (pipeline/events.py find_events, pipeline/triggers.py tools_for) ----
    title_weight: float = 1.5  # a mention in the headline
    context_weight: float = 0.6  # an actor taken from the context (author, previous sentence, headline)
    # the story's own body (pipeline.events.main_body) is named in this many times as many sentences as any other
    main_body_dominance: float = 3.0
    weak_trigger_weight: float = 0.5  # a weak trigger ("inquiry", "scrutiny")
    named_tool_weight: float = 1.0  # a tool named in the trigger's clause
    listed_tool_weight: float = 0.9  # a tool of a list the sentence introduces ("the following apps:")
    class_list_tool_weight: float = 0.8  # "Chinese AI apps", then the next sentence lists them
    vendor_tool_weight: float = 0.7  # a vendor's flagship ("ordered OpenAI to stop processing")
    focus_tool_weight: float = 0.6  # the document's focus tool, for "the app" / "the chatbot"
    permitted_object_window: int = 16  # "not allow X ... to be": words read for what is not allowed
    suspect_window: int = 8  # words before a passive probe read for the people it is about ("students are being ...")

    # ---- document context (pipeline/context.py) ----
    focus_title_count: int = 2  # a tool named in the title counts this many times toward the focus tool
    dominant_agency_count: int = 2  # an agency counts this many times toward its jurisdiction
    origin_window: int = 3  # words after a name read for "China's DeepSeek", "the Chinese AI startup"

    # ---- triggers (pipeline/triggers.py) ----
    negation_window: int = 6  # a negation this many words before the trigger cancels it
    elsewhere_window: int = 2  # "similar", "such" this close before the trigger...
    elsewhere_gap: int = 1  # ...with at most this many words between
    proposal_window_before: int = 10  # proposal cues read before the trigger
    proposal_window_after: int = 2  # ... and after it
    vendor_request_window: int = 20  # "asked DeepSeek ... to remove its apps": request word to trigger, tokens
    verdict_window: int = 14  # "a ban ... looks likely": verdict cues after the trigger
    list_colon_window: int = 3  # a colon among the sentence's last words introduces a list
    class_list_lookahead_sentences: int = 3  # a class of tools ("AI tools") whose members one of these next sentences lists
    bill_step_window: int = 8  # words after "passed" read for the step a bill passed ("... Committee")
    release_grace_months: int = 12  # a page published this long before its tool came out dates no measure on it
    lead_sentences: int = 2  # an undated page's first body sentences read for the date it was told
    closing_sentences: int = 3  # an undated page's last sentences read for the day it was signed
    list_lookahead_sentences: int = 40  # list items read after such a sentence
    list_item_max_tokens: int = 12  # a longer sentence ends the list
    vendor_order_gap: int = 4  # "ordered OpenAI to stop": words from vendor to trigger
    vendor_object_gap: int = 2  # "an investigation into xAI": words from trigger to the maker it acts on
    processing_by_window: int = 16  # "the limitation of the processing of ... data by the company": words from trigger to "by" and its maker
    store_window: int = 4  # "the Apple and Google app stores": words from a vendor to the store it runs
    close_window: int = 4  # a "close" trigger's tool sits this near ("delete DeepSeek")
    company_people_window: int = 5  # "summoned executives from social platform Momo over ZAO": Momo's people
    close_use_gap: int = 6  # ... or this near after "for staff who use", "on staff use of"
    spared_window_before: int = 8  # "left ... ChatGPT available": words read before the tool
    spared_window_after: int = 4  # ... and after it
    scope_modifier_words: int = 3  # words before a scope noun kept as its modifiers ("agency devices")
    lift_object_gap: int = 3  # "lifted its ban": words from the lift to the trigger it lifts
    passive_lift_gap: int = 16  # "the ban on ... may be reversed": words from the measure to its passive lift
    background_window: int = 12  # words before a trigger read for "already", "previously"
    input_bar_window: int = 4  # "bars staff from feeding data to ...": how far after a ban "from" may come
    pending_check_window: int = 12  # "blocked ... until safety is confirmed": trigger to "until", and on to the check
    temporary_window: int = 4  # "banned it temporarily": trigger to "temporarily"
    class_examples_back: int = 2  # "free chatbots such as ChatGPT, Claude or Gemini" up to this many sentences before "free AI tools"
    name_max_words: int = 7  # "The Ibero-American Data Protection Network (RIPD)": words of a capitalised name read as a new body
    ban_exception_window: int = 20  # "will not accept ... unless the instructor has given permission": trigger to the exception
    permission_gap: int = 6  # "unless the course instructor has given permission": "unless" to the permission
    tool_part_window: int = 6  # "blocks Grok content", "access to some content generated by Grok to be blocked": trigger to tool
    permission_condition_window: int = 12  # "let students use the chatbot, as long as ...": a lift on a condition restricts

    # ---- who is named (pipeline/actors.py, sentence_actors and its finders) ----
    anaphor_lookback_sentences: int = 8  # "the bureau" names a body of the last this many sentences
    place_noun_gap: int = 2  # "Texas officials", "Dutch government": words from place to noun
    government_words_before: int = 2  # words before "government" read for "federal", "state"
    collective_mention_words: int = 2  # words before "attorneys general" kept in the mention
    ministry_place_window: int = 3  # words before "foreign and trade ministries" read for the place
    ner_place_window: int = 3  # words around an NER body read for its place

    # ---- who acts (pipeline/actors.py, agents_for and its helpers) ----
    by_agent_window: int = 6  # "banned by X": words from trigger to X
    launched_window: int = 6  # "a probe that X, the AGCM, launched": words from X to its verb
    relative_gap: int = 8  # "the Navy, which banned it": words from the actor to the trigger
    bill_opening_words: int = 3  # "This bill prohibits": words a sentence may open with before its bill
    issued_under_window: int = 8  # "under a notice from the chief information officer of the Senate ...": words to the issuer
    urged_window: int = 6  # "urged Google and Apple to remove it": words before the addressee...
    urged_gap: int = 8  # ...and at most this many from the addressee to the trigger
    order_gap: int = 3  # "X ordered Y to block": words from the order verb to Y
    joined_gap: int = 8  # "Tasmania has joined NSW in banning": words between the joiner and the body
    follower_window: int = 12  # "..., following NSW and Queensland": words after the trigger read
    follower_gap: int = 3  # words from "following" to the first body
    passive_locative_gap: int = 3  # "banned in Italy": words from a passive trigger to the place
    locative_gap: int = 4  # "back online in Italy": the same when nobody is named
    speaker_window: int = 3  # "X said": words after the actor read for a speech verb
    according_window: int = 4  # "according to X": words before the actor
    holder_suffix_gap: int = 3  # "Treasury-issued laptops": words from holder to staff/scope noun
    holder_link_gap: int = 2  # "staff at the Treasury": words from the noun to the holder

    # ---- who issued the measure (pipeline/events.py measure_author) ----
    author_link_gap: int = 5  # "a memo from X": words from the measure noun to X
    author_possessive_gap: int = 4  # "X's directive", "X's new AI policy"
    author_announcing_gap: int = 3  # "X announced the ban"
    author_spread_sentences: int = 3  # an author names the measure of its sentence and the next two

    # ---- dates (pipeline/event_dates.py) ----
    date_words_before: int = 3  # words before a date read for "released", "on", "effective"
    described_body_lookahead: int = 4  # "a New South Wales government department" is named within this many sentences
    judge_name_words: int = 3  # "Judge Brantley Starr": the capitalised words after the title that name the judge
    imposed_date_window: int = 6  # "the rule the board adopted at its meeting in February": the lifted measure's date
    date_measure_window: int = 8  # "an open letter to providers published in November": a measure this close owns the date
    date_untargeted_score: float = 2.0  # a date scored for no trigger
    date_base_score: float = 3.0  # a date right by its trigger...
    date_distance_cap: int = 30  # ...losing 1 per date_distance_scale words, up to this many
    date_distance_scale: int = 10
    date_other_trigger_penalty: float = 1.5  # another trigger is nearer the date
    date_relative_clause_penalty: float = 1.5  # "which", "who" or ";" between date and trigger
    date_reported_penalty: float = 1.5  # "said on Monday that DeepSeek had been removed": the day it was told
    date_cue_bonus: float = 0.3  # "on", "effective", "since" before the date
    date_day_bonus: float = 0.2  # a date to the day
    effective_date_bonus: float = 3.0  # "will block it ... beginning May 6": the day a measure announced for later takes effect
    document_dated_bonus: float = 1.5  # "a letter dated Feb. 27": the date of the paper stating the measure
    announcement_days: int = 14  # "the ministry said on Monday": the body's announcement this close before publication dates a fresh measure

    # ---- events (pipeline/assemble.py) ----
    conditional_window: int = 8  # "If NASA bans DeepSeek": words back from a trigger to its "if" or "whether"
    advice_window: int = 6  # "urged civil servants on February 5 not to install": the advising verb this far before
    one_measure_months: int = 12  # kept events of one body on one tool this close are one measure (the surest stands)
    same_measure_days: int = 45  # mentions of one body's measure on a tool this far apart are one event

    # the rules' own confidence (pipeline/assemble.py confidence; the decision layer replaces it)
    prior_base: float = 0.35
    prior_reference_actor: float = 0.25  # the actor is in the reference data
    prior_other_actor: float = 0.05
    prior_direct_via: float = 0.1  # found "by", as subject, holder or relative antecedent
    prior_full_weight: float = 0.1  # the best mention weighs at least 1
    prior_text_date: float = 0.1  # the date was read from the text
    prior_per_mention: float = 0.05  # each further mention...
    prior_mentions_cap: float = 0.15  # ...up to this
    prior_floor: float = 0.05
    prior_ceiling: float = 0.99

    # ---- features of the decision layer (pipeline/decide.py) ----
    cue_window: int = 8  # words before a trigger read for hedges and comparisons
    late_sentences: int = 2  # a measure first told in the document's last sentences (this many) is "late"
    early_sentences: int = 3  # a mention in the first sentences (index at most this) is "early"
    weight_feature_cap: float = 1.5  # the "weight" feature is the best mention's weight, capped

    def as_config(self):
        return asdict(self)


DEFAULT_SETTINGS = RuleSettings()
