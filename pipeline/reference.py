"""The extractor's view of banwatch/reference: lookups the event rules need, built once per process."""
import functools
from urllib.parse import urlsplit

from banwatch.names import name_words
from banwatch.reference import OFFICIAL_SITE_LABELS, load_reference, site_labels
from banwatch.vocab import GOVERNMENT_TYPES
from pipeline.dates import first_day


NOT_OUTLET_LABELS = OFFICIAL_SITE_LABELS | {"edu", "ac", "k12", "sch", "int", "europa", "parliament"}


@functools.lru_cache(maxsize=8192)
def fold_name(text):
    """A name folded for comparing bodies and makers: "Meta Platforms, Inc." and "meta platforms"."""
    return name_words(text).replace(" inc", "")


class ReferenceIndex:
    def __init__(self, reference):
        self.reference = reference
        self.agencies = reference.agencies
        self.tools = reference.tools
        self.vendors = reference.vendors
        self.jurisdictions = reference.jurisdictions
        self._by_type = {}
        self._makers_names = {}  # tool id -> folded names of its makers (makers_names)
        for agency_id, agency in self.agencies.items():
            key = (agency.get("type"), agency.get("jurisdiction"))
            # the first entry of a type in a jurisdiction is its main one (the files list it first)
            self._by_type.setdefault(key, agency_id)
        self._tools_by_vendor = {}
        # tool id -> the first day of its release month: no measure on it predates that
        self.release_days = {tool_id: first_day(tool.get("released")) for tool_id, tool in self.tools.items()}
        for tool_id, tool in self.tools.items():
            self._tools_by_vendor.setdefault(tool.get("vendor"), []).append(tool_id)
        # "Washington" -> "us": a capital named for its national government (find_places)
        self.seats = {jur["seat"]: jid for jid, jur in self.jurisdictions.items() if jur.get("seat")}
        self._jurisdiction_names = {}
        for jid, jur in self.jurisdictions.items():
            for name in [jur.get("name"), *(jur.get("aliases") or []), *(jur.get("demonyms") or [])]:
                if name:
                    self._jurisdiction_names.setdefault(name_words(name), jid)

    def names(self, entry):
        return self.reference.names(entry)

    def makers_names(self, tool_id):
        """The folded names of a tool's maker and its parents (a body by one of them acting on the tool
        is a maker acting on its own product)."""
        if tool_id not in self._makers_names:
            chain = [self.maker_of(tool_id)]
            while chain[-1] and self.vendors.get(chain[-1], {}).get("parent"):
                chain.append(self.vendors[chain[-1]]["parent"])
            self._makers_names[tool_id] = frozenset(
                fold_name(n) for v in chain if v for n in self.names(self.vendors[v]))
        return self._makers_names[tool_id]

    def publisher_of(self, url, named=()):
        """The body whose site `url` is: by its listed domains, else the one of the `named` agencies whose
        name the host spells."""
        return self.reference.publisher_of(url) or self.reference.publisher_spelled_by(url, named)

    @staticmethod
    def outlet_names(url):
        """What a news site's host spells, squashed ("cyberdaily.au": "cyberdaily"): a name the page gives
        in a reporting position that the host spells in full is the outlet reporting ("told Cyber Daily"),
        not a body acting. Never on a government's or an academic site (.gov, .edu, .ac ...)."""
        host = (urlsplit(url or "").hostname or "").lower().split(".")
        if set(host) & NOT_OUTLET_LABELS:
            return frozenset()
        return frozenset(site_labels(url))

    def country_of(self, jurisdiction_id):
        if not jurisdiction_id:
            return None
        return self.reference.country_of(jurisdiction_id)

    def maker_of(self, tool_id):
        """The vendor id of a tool's maker, or None (a tool the reference does not know)."""
        return self.tools.get(tool_id, {}).get("vendor")

    def tool_home(self, tool_id):
        """The country of a tool's maker, or None (a tool the reference does not know)."""
        return self.vendors.get(self.maker_of(tool_id), {}).get("country")

    def government_of(self, jurisdiction_id):
        for agency_type in GOVERNMENT_TYPES:
            agency_id = self._by_type.get((agency_type, jurisdiction_id))
            if agency_id:
                return agency_id
        # a body of another type acting as the government: the EU's is the European Commission
        return self.jurisdictions.get(jurisdiction_id, {}).get("executive")

    def data_protection_authority(self, jurisdiction_id):
        return self._by_type.get(("dpa", jurisdiction_id))

    def education_body(self, jurisdiction_id):
        """The body that runs a jurisdiction's public schools: its ministry or department of education."""
        for agency_id, agency in self.agencies.items():
            if agency.get("jurisdiction") == jurisdiction_id and agency.get("type") in ("ministry", "agency", "local_government") \
                    and "education" in agency["name"].lower():
                return agency_id
        return None

    def legislature_of(self, jurisdiction_id):
        return self._by_type.get(("legislature", jurisdiction_id))

    def find_jurisdiction(self, name):
        return self._jurisdiction_names.get(name_words(name))

    def country_name(self, jurisdiction_id):
        country = self.country_of(jurisdiction_id)
        return self.jurisdictions.get(country, {}).get("name") if country else None

    def flagship_tool(self, vendor_id):
        """The AI product a vendor's name stands for in AI context: its flagship, the tool named after
        it, else its first."""
        flagship = self.vendors.get(vendor_id, {}).get("flagship")
        if flagship in self.tools:
            return flagship
        tools = self._tools_by_vendor.get(vendor_id, [])
        vendor_name = name_words(self.vendors.get(vendor_id, {}).get("name", ""))
        for tool_id in tools:
            if name_words(self.tools[tool_id]["name"]).startswith(vendor_name):
                return tool_id
        return tools[0] if tools else None



@functools.lru_cache(maxsize=None)
def reference_index(directory=None):
    return ReferenceIndex(load_reference(directory))
