"""Reference data: the agencies, jurisdictions, AI tools, vendors and reasons banwatch knows by name.

The data lives in the YAML files beside this module, one per table. They name entities only:
never a ban, its date or any other event fact (the extractor must read every event from the
text). `load_reference()` reads and validates them and returns a `Reference`.

    from banwatch.reference import load_reference
    ref = load_reference()
    ref.agencies["us-navy"]["name"]          # 'U.S. Navy'
    ref.ancestors("us-navy")                 # ['us-don', 'us-dod', 'us-government']
    ref.country_of(ref.jurisdiction_of("us-tx-dir"))   # 'us'
    ref.resolve("agencies", "the Pentagon")  # 'us-dod'

Adding an agency: append an entry to agencies.yml next to its relatives:

    - id: us-tx-dir                  # stable slug, never reused or renamed (people cite it)
      name: Texas Department of Information Resources    # canonical English name
      short: DIR                     # optional short form or acronym
      type: agency                   # see AGENCY_TYPES
      parent: us-tx-government       # the agency it belongs to, if any
      jurisdiction: us-tx            # an id from jurisdictions.yml (required)
      qid: Q...                      # Wikidata QID, only when you checked it: none beats a wrong one
      aliases: [Texas DIR, ...]      # forms reporters write; not words that mean other things alone
      people: []                     # office holders whose orders are the agency's (a governor,
                                     # on the state government's entry: [Greg Abbott])

Adding a tool: the same in tools.yml with `vendor:` (an id in vendors.yml, which needs a
`country:`) and `kind:` (see TOOL_KINDS), and `released:` (YYYY-MM, when the product became
publicly available: a measure can't predate it, which dates a year-less "Jan. 31" when a page
gives no year at all). When a name is also an ordinary word or a person's
name ("Pi", "Claude", "Gemini"), list it under `needs_context:` (or write `needs_context: true`
for all of the entry's names) so the extractor only takes it with AI context nearby.

Two entries of one table may not share a name unless the file lists it under
`ambiguous_aliases:` at its top (e.g. the "Ministry of Foreign Affairs" of Japan, South Korea
and Taiwan); a shared name then resolves only with a jurisdiction to tell the candidates apart.
Names are compared after `name_key` (case, accents, punctuation, a leading "the" ignored).

Run `python -m pytest tests/test_app_reference.py` after an edit: the loader refuses duplicate
ids, dangling or circular references, missing fields, unknown types and unlisted shared names,
naming the file and the entry.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from banwatch.errors import BanwatchError
from banwatch.names import name_key
from banwatch.utils import SafeLoader
from banwatch.vocab import AGENCY_TYPES, JURISDICTION_TYPES, REASONS, TOOL_KINDS

REFERENCE_DIR = Path(__file__).resolve().parent
TABLES = ("jurisdictions", "agencies", "tools", "vendors", "reasons")


# Per table: the fields an entry must have, and the optional ones with the defaults filled in.
_SCHEMA = {
    "jurisdictions": {
        "required": ("id", "name", "type"),
        "optional": {"parent": None, "iso": None, "qid": None, "aliases": [], "demonyms": [],
                     "needs_context": [], "seat": None, "executive": None},
    },
    "agencies": {
        "required": ("id", "name", "type", "jurisdiction"),
        "optional": {"short": None, "aliases": [], "parent": None, "qid": None, "people": [],
                     "needs_context": [], "domains": []},
    },
    "tools": {
        "required": ("id", "name", "vendor", "kind"),
        "optional": {"aliases": [], "qid": None, "needs_context": [], "released": None},
    },
    "vendors": {
        "required": ("id", "name", "country"),
        "optional": {"aliases": [], "qid": None, "parent": None, "needs_context": [], "flagship": None},
    },
    "reasons": {
        "required": ("id", "label", "description"),
        "optional": {},
    },
}
_LIST_FIELDS = ("aliases", "demonyms", "people")
_VOCABULARY = {"jurisdictions": ("type", JURISDICTION_TYPES), "agencies": ("type", AGENCY_TYPES),
               "tools": ("kind", TOOL_KINDS)}
# Jurisdictions that stand on their own; every other type sits inside a parent.
_TOP_LEVEL_JURISDICTIONS = ("country", "supranational")

_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


# the bodies a reporter names by function once the country is clear: "the interior ministry"
BARE_BODY = re.compile(r"^[a-z][a-z ,&-]* (?:ministry|ministries)$")


@dataclass
class Reference:
    """The loaded reference tables (id -> entry, defaults filled) and helpers over them.

    Shared by every caller of `load_reference()` for the same directory: treat it as read-only.
    """

    directory: Path
    jurisdictions: dict
    agencies: dict
    tools: dict
    vendors: dict
    reasons: dict
    # table -> the names its file allows several entries to share
    ambiguous_aliases: dict = field(default_factory=dict)
    _index: dict = field(default_factory=dict, repr=False)
    _sites: dict | None = field(default=None, repr=False)  # domain -> agency id, built on first use

    def table(self, name):
        if name not in TABLES:
            raise KeyError(f"no reference table {name!r}; tables are {', '.join(TABLES)}")
        return getattr(self, name)

    @staticmethod
    def names(entry):
        """Every name an entry goes by: name, short, aliases, people (deduplicated, in order)."""
        seen, out = set(), []
        for name in [entry.get("name"), entry.get("short"), *entry.get("aliases", ()),
                     *entry.get("people", ())]:
            if name and name not in seen:
                seen.add(name)
                out.append(name)
        return out

    @staticmethod
    def requires_context(entry, name):
        """Whether a match on `name` needs AI context nearby ("Pi", "Gemini", "Manus"...)."""
        key = name_key(name)
        return any(name_key(n) == key for n in entry.get("needs_context", ()))

    def ancestors(self, agency_id):
        """The chain of parent agencies, nearest first: us-navy -> [us-don, us-dod, us-government]."""
        chain, current = [], self.agencies[agency_id]["parent"]
        while current is not None:
            chain.append(current)
            current = self.agencies[current]["parent"]
        return chain

    def publisher_of(self, url):
        """The agency whose own site `url` is on (one of its domains, or a subdomain of one), or None."""
        if self._sites is None:  # once, even when no agency lists a domain
            self._sites = {d: agency_id for agency_id, a in self.agencies.items() for d in a["domains"]}
        host = (urlsplit(url or "").hostname or "").rstrip(".")
        labels = host.split(".")
        for k in range(len(labels) - 1):
            found = self._sites.get(".".join(labels[k:]))
            if found:
                return found
        return None

    def publisher_spelled_by(self, url, agency_ids):
        """The one agency among `agency_ids` (those a page names) whose name the page's site spells, or
        None: seattleschools.org is Seattle Public Schools, utexas.edu the University of Texas, nasa.gov
        NASA. Bodies publish on sites nobody lists; the name in the host says whose voice "we" is."""
        labels = site_labels(url)
        official = bool(OFFICIAL_SITE_LABELS & set((urlsplit(url or "").hostname or "").lower().split(".")))
        for label in labels:  # the owner's label first: utexas.atlassian.net is on atlassian
            if len(label) < 3 and not official:
                continue  # two letters name a place only under a government suffix (sa.gov.au), not aa.com.tr
            scores = {}
            for agency_id in set(agency_ids):
                entry = self.agencies[agency_id]
                names = [entry.get("name"), entry.get("short"), *entry.get("aliases", ())]
                best = max((spelled_share(label, n) for n in names if n), default=0.0)
                if best:
                    scores[agency_id] = best
            ranked = sorted(scores.items(), key=lambda kv: -kv[1])
            if ranked:
                # two bodies that fit the host equally well: no guess
                return ranked[0][0] if len(ranked) == 1 or ranked[1][1] < ranked[0][1] else None
        return None

    def jurisdiction_of(self, agency_id):
        """The agency's jurisdiction id, or the nearest ancestor's (None for None)."""
        if agency_id is None:
            return None
        for candidate in (agency_id, *self.ancestors(agency_id)):
            jurisdiction = self.agencies[candidate]["jurisdiction"]
            if jurisdiction:
                return jurisdiction
        return None

    def jurisdiction_chain(self, jurisdiction_id):
        """The jurisdiction and its parents, innermost first: us-tx -> [us-tx, us]."""
        chain, current = [], jurisdiction_id
        while current is not None:
            chain.append(current)
            current = self.jurisdictions[current]["parent"]
        return chain

    def country_of(self, jurisdiction_id):
        """The country a jurisdiction lies in (us-tx -> us, jp-mie -> jp).

        A jurisdiction above any country (the EU) is its own answer: it is what a
        measure of the European Commission should be filed under.
        """
        if jurisdiction_id is None:
            return None
        chain = self.jurisdiction_chain(jurisdiction_id)
        for candidate in chain:
            if self.jurisdictions[candidate]["type"] == "country":
                return candidate
        return chain[-1]

    def lookup(self, table, name):
        """Ids of the entries of `table` that go by `name` (after name_key): [] if none."""
        self.table(table)
        return list(self._index[table].get(name_key(name), ()))

    def resolve(self, table, name, jurisdiction=None):
        """The one id `name` stands for in `table`, or None when unknown or still ambiguous.

        A name shared by several entries (e.g. "Ministry of Environment") is settled by
        `jurisdiction`: the candidate in that jurisdiction, or else in the same country.
        """
        candidates = self.lookup(table, name)
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) < 2 or not jurisdiction or jurisdiction not in self.jurisdictions:
            return None
        for matches in (lambda j: j == jurisdiction,
                        lambda j: j is not None and self.country_of(j) == self.country_of(jurisdiction)):
            chosen = [c for c in candidates if matches(self.jurisdiction_of_entry(table, c))]
            if len(chosen) == 1:
                return chosen[0]
        return None

    def bare_names(self):
        """Agency names without their country, derived from the aliases that carry it: "South Korea's
        interior ministry" -> "interior ministry". Reporters drop the country once the story has named
        it; such a name means that agency only where the sentence or the story is about that country.
        Returns {bare name (lower case): [agency ids]}."""
        if getattr(self, "_bare_names", None) is None:
            prefixes = {}
            for jid, jur in self.jurisdictions.items():
                if jur.get("type") != "country":
                    continue
                for name in [jur.get("name"), *(jur.get("aliases") or [])]:
                    if name:
                        prefixes[f"{name}'s ".lower()] = jid
                for demonym in jur.get("demonyms") or []:
                    prefixes[f"{demonym} ".lower()] = jid
            found = {}
            for agency_id, agency in self.agencies.items():
                country = self.country_of(self.jurisdiction_of(agency_id))
                for alias in [agency.get("name"), *(agency.get("aliases") or [])]:
                    low = (alias or "").lower().replace("’", "'")
                    for prefix, jid in prefixes.items():
                        if low.startswith(prefix) and jid == country and BARE_BODY.search(low[len(prefix):]):
                            bare = low[len(prefix):]
                            for spelling in {bare, bare.replace("defense", "defence"), bare.replace("defence", "defense")}:
                                found.setdefault(spelling, set()).add(agency_id)
            self._bare_names = {name: sorted(ids) for name, ids in found.items()}
        return self._bare_names

    def jurisdiction_of_entry(self, table, entry_id):
        """Where an entry of any table belongs: an agency's jurisdiction, a vendor's country,
        a tool's vendor's country, a jurisdiction itself (None for reasons)."""
        if table == "agencies":
            return self.jurisdiction_of(entry_id)
        if table == "jurisdictions":
            return entry_id
        if table == "vendors":
            return self.vendors[entry_id]["country"]
        if table == "tools":
            return self.vendors[self.tools[entry_id]["vendor"]]["country"]
        return None

    _jurisdiction_of_entry = jurisdiction_of_entry  # the name pipeline/components.py first used


_cache = {}


def load_reference(directory=None):
    """Load and validate the reference tables in `directory` (default: this package's YAML).

    Cached per directory; an edited file is read again. Raises BanwatchError naming the
    file and the entry for anything wrong.
    """
    directory = Path(directory).resolve() if directory is not None else REFERENCE_DIR
    paths = [directory / f"{table}.yml" for table in TABLES]
    try:
        stamp = tuple(p.stat().st_mtime_ns for p in paths)
    except FileNotFoundError as e:
        raise BanwatchError(f"reference data: missing file {e.filename} "
                            f"(a reference directory holds {', '.join(t + '.yml' for t in TABLES)})") from None
    key = (directory, stamp)
    if key not in _cache:
        if len(_cache) > 32:  # tests load many small directories; don't keep them all
            _cache.clear()
        _cache[key] = _load(directory, paths)
    return _cache[key]


def _load(directory, paths):
    problems = []
    tables, allowances = {}, {}
    for table, path in zip(TABLES, paths):
        entries, allowed = _read_file(table, path, problems)
        tables[table] = entries
        allowances[table] = allowed
    _check_references(tables, paths, problems)
    index = {}
    for table, path in zip(TABLES, paths):
        index[table] = _build_index(table, tables[table], allowances[table], path, problems)
    if problems:
        more = f" (+{len(problems) - 1} more problems)" if len(problems) > 1 else ""
        error = BanwatchError(problems[0] + more)
        error.problems = problems
        raise error
    ambiguous = {table: tuple(allowed.values()) for table, allowed in allowances.items()}
    return Reference(directory=directory, ambiguous_aliases=ambiguous, _index=index, **tables)


def _read_file(table, path, problems):
    """Parse one file into {id: entry} with defaults filled; record what is wrong with it."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problems.append(f"{path}: not valid YAML{where}: {getattr(e, 'problem', None) or e}")
        return {}, {}
    allowed_names = []
    if isinstance(data, dict):
        unknown = set(data) - {table, "ambiguous_aliases"}
        if unknown:
            problems.append(f"{path}: unknown top-level key(s) {', '.join(sorted(map(str, unknown)))}; "
                            f"expected '{table}:' and optionally 'ambiguous_aliases:'")
        allowed_names = data.get("ambiguous_aliases") or []
        if not _is_name_list(allowed_names):
            problems.append(f"{path}: ambiguous_aliases must be a list of names")
            allowed_names = []
        data = data.get(table)
    if data is None:
        data = []
    if not isinstance(data, list):
        problems.append(f"{path}: expected a list of {table} (or a mapping with a '{table}:' list)")
        return {}, {}

    schema = _SCHEMA[table]
    allowed_fields = set(schema["required"]) | set(schema["optional"])
    entries = {}
    for position, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            problems.append(f"{path}: entry #{position} is not a mapping of fields")
            continue
        label = f"{path}: entry {raw.get('id')!r}" if raw.get("id") else f"{path}: entry #{position}"
        missing = [f for f in schema["required"] if raw.get(f) in (None, "")]
        if missing:
            problems.append(f"{label}: missing required field(s) {', '.join(missing)}")
            continue
        unknown = sorted(set(map(str, raw)) - allowed_fields)
        if unknown:
            problems.append(f"{label}: unknown field(s) {', '.join(unknown)} "
                            f"(allowed: {', '.join(sorted(allowed_fields))})")
        entry_id = raw["id"]
        if not isinstance(entry_id, str) or not _SLUG.match(entry_id):
            problems.append(f"{label}: id must be a lowercase slug like 'us-navy'")
            continue
        if entry_id in entries:
            problems.append(f"{label}: duplicate id (already used by an earlier entry)")
            continue
        entry = {**{k: (list(v) if isinstance(v, list) else v) for k, v in schema["optional"].items()},
                 **raw}
        _check_entry(table, entry, label, problems)
        entries[entry_id] = entry
    if table == "reasons":
        unknown = sorted(set(entries) - set(REASONS))
        if unknown:
            problems.append(f"{path}: reason id(s) {', '.join(unknown)} are not in the fixed "
                            f"vocabulary ({', '.join(REASONS)})")
    return entries, {name_key(n): n for n in allowed_names}


def _check_entry(table, entry, label, problems):
    for name_field in ("name", "label", "description", "short", "iso"):
        value = entry.get(name_field)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append(f"{label}: {name_field} must be non-empty text")
    for list_field in _LIST_FIELDS:
        if list_field in entry and not _is_name_list(entry[list_field]):
            problems.append(f"{label}: {list_field} must be a list of names")
            entry[list_field] = []
    if entry.get("qid") is not None and not (isinstance(entry["qid"], str) and _QID.match(entry["qid"])):
        problems.append(f"{label}: qid {entry['qid']!r} is not a Wikidata QID like 'Q30'")
    for domain in entry.get("domains", ()):
        if not (isinstance(domain, str) and _HOST.match(domain)):
            problems.append(f"{label}: domains: {domain!r} is not a lower-case host name like 'cnil.fr'")
    if entry.get("released") is not None:
        # YAML reads 2025-01 as text; a full date would come back as a date object
        entry["released"] = str(entry["released"])
        if not re.fullmatch(r"(19|20)\d\d(-[01]\d)?", entry["released"]):
            problems.append(f"{label}: released {entry['released']!r} must be YYYY or YYYY-MM")
    if table in _VOCABULARY:
        vocab_field, vocabulary = _VOCABULARY[table]
        if entry[vocab_field] not in vocabulary:
            problems.append(f"{label}: unknown {vocab_field} {entry[vocab_field]!r} "
                            f"(one of {', '.join(vocabulary)})")
    if "needs_context" in entry:
        flag = entry["needs_context"]
        if flag is True:
            entry["needs_context"] = Reference.names(entry)
        elif flag is False or flag is None:
            entry["needs_context"] = []
        elif not _is_name_list(flag):
            problems.append(f"{label}: needs_context must be true or a list of the entry's names")
            entry["needs_context"] = []
        else:
            own = {name_key(n) for n in Reference.names(entry)}
            stray = [n for n in flag if name_key(n) not in own]
            if stray:
                problems.append(f"{label}: needs_context lists {', '.join(map(repr, stray))}, "
                                f"which is not one of the entry's names")


def _is_name_list(value):
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _check_references(tables, paths, problems):
    """Every parent / jurisdiction / vendor / country points at an entry, and no parent loops."""
    path = dict(zip(TABLES, paths))
    links = (
        ("jurisdictions", "parent", "jurisdictions"),
        ("agencies", "parent", "agencies"),
        ("agencies", "jurisdiction", "jurisdictions"),
        ("jurisdictions", "executive", "agencies"),
        ("tools", "vendor", "vendors"),
        ("vendors", "country", "jurisdictions"),
        ("vendors", "parent", "vendors"),
        ("vendors", "flagship", "tools"),
    )
    for table, link, target in links:
        for entry_id, entry in tables[table].items():
            value = entry.get(link)
            if value is not None and value not in tables[target]:
                problems.append(f"{path[table]}: entry {entry_id!r}: {link} {value!r} "
                                f"is not an id in {target}.yml")
    owners = {}
    for entry_id, entry in tables["agencies"].items():
        for domain in entry.get("domains", ()):
            if domain in owners:  # a site speaks for one body: two owners would make "we" ambiguous
                problems.append(f"{path['agencies']}: entry {entry_id!r}: domain {domain!r} is also "
                                f"given to {owners[domain]!r}")
            owners.setdefault(domain, entry_id)
    for table in ("jurisdictions", "agencies", "tools", "vendors"):
        holders = {}
        for entry_id, entry in tables[table].items():
            if entry.get("qid"):
                holders.setdefault(entry["qid"], []).append(entry_id)
        for qid, ids in holders.items():
            if len(ids) > 1:  # one Wikidata item is one entity: two entries with it are a mistake
                problems.append(f"{path[table]}: entry {ids[1]!r}: qid {qid} is also given to "
                                f"{', '.join(map(repr, [i for i in ids if i != ids[1]]))}")
    for entry_id, entry in tables["vendors"].items():
        country = tables["jurisdictions"].get(entry["country"])
        if country is not None and country["type"] != "country":
            problems.append(f"{path['vendors']}: entry {entry_id!r}: country {entry['country']!r} "
                            f"is a {country['type']}, not a country")
    for entry_id, entry in tables["jurisdictions"].items():
        if entry["type"] not in _TOP_LEVEL_JURISDICTIONS and entry["parent"] is None:
            problems.append(f"{path['jurisdictions']}: entry {entry_id!r}: a {entry['type']} "
                            f"needs a parent jurisdiction")
    for table in ("jurisdictions", "agencies", "vendors"):
        entries = tables[table]
        for start in entries:
            seen, current = [], start
            while current in entries and current not in seen:
                seen.append(current)
                current = entries[current].get("parent")
            if current == start:
                cycle = " -> ".join([*seen, start])
                problems.append(f"{path[table]}: entry {start!r}: parents form a cycle ({cycle})")


def _build_index(table, entries, allowed, path, problems):
    """normalized name -> ids; a name two entries share must be listed in ambiguous_aliases."""
    index = {}
    for entry_id, entry in entries.items():
        for name in Reference.names(entry) if table != "reasons" else [entry_id, entry["label"]]:
            key = name_key(name)
            if key and entry_id not in index.setdefault(key, []):
                index[key].append(entry_id)
    for key, ids in index.items():
        if len(ids) > 1 and key not in allowed:
            names = sorted({n for i in ids for n in Reference.names(entries[i])
                            if name_key(n) == key}) if table != "reasons" else [key]
            problems.append(f"{path}: entry {ids[1]!r}: name {names[0]!r} is also used by "
                            f"{', '.join(map(repr, [i for i in ids if i != ids[1]]))}; rename it or "
                            f"list it under ambiguous_aliases")
    for key, name in allowed.items():
        if len(index.get(key, ())) < 2:
            problems.append(f"{path}: ambiguous_aliases lists {name!r}, which fewer than two "
                            f"entries use; remove it")
    return {key: tuple(ids) for key, ids in index.items()}


# second-level labels that say what kind of site, not whose (gov.au, ac.uk, k12.tx.us...)
GENERIC_SITE_LABELS = {"www", "gov", "govt", "gob", "gouv", "go", "edu", "ac", "co", "com", "org", "or", "net",
                       "ne", "nic", "mil", "k12", "int", "eu", "us", "web", "news", "public"}
OFFICIAL_SITE_LABELS = {"gov", "govt", "gob", "gouv", "go", "mil"}
BODY_KIND_WORDS = {"government", "department", "ministry", "office", "public", "state", "city", "county",
                   "district", "agency", "commission", "authority", "council"}
NAME_FILLERS = {"of", "the", "and", "for", "on", "at", "de", "du", "des", "la", "le", "&"}


def site_labels(url):
    """The labels of a host that may name its owner, the registered name first: 'security.sa.gov.au' ->
    ['sa', 'security'], 'www.seattleschools.org' -> ['seattleschools'] (hand-written: the public-suffix
    list is a download, and this needs only the generic labels)."""
    labels = [x for x in (urlsplit(url or "").hostname or "").rstrip(".").lower().split(".") if x][:-1]
    return [x.replace("-", "") for x in reversed(labels) if x not in GENERIC_SITE_LABELS]


@functools.lru_cache(maxsize=65536)  # every page of a site asks again for the same names
def spelled_share(label, name):
    """How much of `name` the host label spells, in order, each word in full or by its initial: the share
    of the name's words spelled. 0.0 unless the label is spelled out entirely, with a word in full or, by
    initials alone, every word but the kind of body ("Government", "Department"...)."""
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in NAME_FILLERS]
    if not words or len(label) < 2:
        return 0.0
    best = 0.0
    stack = [(0, 0, 0, 0, 0)]  # position in label, word index, words in full, words spelled, others skipped
    while stack:
        pos, j, full, spelled, skipped = stack.pop()
        if j == len(words) or pos == len(label):
            skipped += sum(1 for w in words[j:] if w not in BODY_KIND_WORDS)
            if pos == len(label) and (full or (spelled >= 2 and not skipped)):
                best = max(best, spelled / len(words))
            continue
        word = words[j]
        if len(word) >= 3 and label.startswith(word, pos):
            stack.append((pos + len(word), j + 1, full + 1, spelled + 1, skipped))
        if label[pos] == word[0]:
            stack.append((pos + 1, j + 1, full, spelled + 1, skipped))
        stack.append((pos, j + 1, full, spelled, skipped + (word not in BODY_KIND_WORDS)))
    return best
