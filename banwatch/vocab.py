"""The fixed vocabularies every stage shares (docs/design.md): defined here once.

Tests, exports and the evaluation depend on these exact values; the KB schema, the CLI's
choices, the extractor and the curation checks all import them from here.
"""

# What a measure does (docs/design.md, "Vocabularies").
ACTIONS = ("ban", "restrict", "suspend", "lift", "investigate", "warn")
# How far it got: in force / decided, or only proposed (a bill, a call, a plan).
STAGES = ("enacted", "proposed")
# Why, as the sources say.
REASONS = (
    "national_security", "data_privacy", "data_sovereignty", "cybersecurity", "confidentiality",
    "disinformation_censorship", "harmful_content", "legal_compliance", "unvetted", "other",
)
# How precise a date is: YYYY-MM-DD, YYYY-MM or YYYY.
PRECISIONS = ("day", "month", "year")

# Reference entity types (banwatch/reference/*.yml).
JURISDICTION_TYPES = ("country", "state", "province", "prefecture", "city", "supranational")
AGENCY_TYPES = (
    "national_government", "state_government", "ministry", "agency", "military", "legislature",
    "legislative_office", "regulator", "dpa", "court", "local_government", "university",
    "company", "other",
)
# Agency types that stand for a whole government (a country's, a state's, a city's).
GOVERNMENT_TYPES = ("national_government", "state_government", "local_government")
TOOL_KINDS = ("chatbot", "model", "assistant", "image_generator", "app")

# The graph kb.db stores: edge kinds, those drawn from events and those from the reference data.
EVENT_EDGE_KINDS = ("acted_on", "cites_reason", "reported_by")
STRUCTURAL_EDGE_KINDS = ("part_of", "located_in", "made_by", "based_in")
EDGE_KINDS = (*EVENT_EDGE_KINDS, *STRUCTURAL_EDGE_KINDS, "followed")

# Export formats: `banwatch export timeline --format` and `export graph --format`.
TIMELINE_FORMATS = ("json", "csv", "timelinejs", "timelinejs-csv", "ics", "markdown")
GRAPH_FORMATS = ("graphml", "gexf", "json")

# How far a published event can be trusted: confirmed by a curator, machine-read with a confidence
# at or above the review threshold, or machine-read below it (kept, shown on the review page, left
# out of the default timeline, feeds and exports).
STATUSES = ("verified", "machine", "needs_review")
# The default review threshold (`banwatch build --review-threshold`, $BANWATCH_REVIEW_THRESHOLD).
REVIEW_THRESHOLD = 0.8

# Policy diffusion (the "followed" edges, the adoption curves): published restrictive measures in
# force, by public bodies. A needs_review event is no fact yet; a company's or a university's rule for its
# staff is a measure, but no government "follows" it.
DIFFUSION_ACTIONS = ("ban", "restrict", "suspend")
PUBLISHED_STATUSES = ("verified", "machine")
NOT_DIFFUSING_TYPES = ("company", "university", "other")

# What happened to one source report in the build.
SOURCE_STATUSES = ("merged", "rejected", "invalid")
