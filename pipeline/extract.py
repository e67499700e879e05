"""Documents in, events out: the design's evaluation contract, one record at a time or in batches."""
import datetime
import re
from collections import Counter

from pipeline import assemble, events
from pipeline.budget import SECONDS_PER_DOCUMENT, OverBudget, time_budget
from pipeline.context import DocContext
from pipeline.dates import date_from_url, dateline, month_from_url, parse_iso
from pipeline.decide import MODEL_PATH, DecisionModel, one_event_per_measure
from pipeline.documents import DocumentError, detect_language, document_from_html
from pipeline.nlp import full_pipeline, light_pipeline
from pipeline.reference import reference_index

# Bump when rules, patterns or reference data change what is extracted: crawl.db pages are then
# re-extracted by the next incremental `banwatch extract`.
EXTRACTOR_VERSION = "1.0.0"

MAX_CHARS = 200_000  # longer bodies are cut: a measure is stated early, and spaCy's cost is linear


class Extractor:
    """Reads measures from documents. `full_pipeline=True` runs all of en_core_web_sm over all text."""

    def __init__(self, full_pipeline=False, reference_dir=None, model_path=MODEL_PATH, candidates=False):
        """`candidates=True` returns every candidate event with its features, undecided (for training)."""
        self.full = full_pipeline
        self.reference_dir = str(reference_dir) if reference_dir else None
        self.nlp = None
        self.ref = reference_index(self.reference_dir)
        self.candidates = candidates
        self.model = None if candidates else DecisionModel.load(model_path)
        model_version = f".m{self.model.digest}" if self.model else ".candidates"
        self.version = EXTRACTOR_VERSION + model_version + ("+full" if full_pipeline else "")

    def _pipeline(self):
        if self.nlp is None:
            self.nlp = (full_pipeline if self.full else light_pipeline)(self.reference_dir)
        return self.nlp

    def prepare(self, record):
        """A record of the evaluation contract -> the document fields (text from html when needed)."""
        title = record.get("title") or ""
        if record.get("text") is None and record.get("html") is not None:
            doc = document_from_html(record["html"], url=record.get("url"),
                                     hints={"title": title, "published": record.get("published")})
            if record.get("published"):
                doc["published"], doc["published_source"] = record["published"], "record"
            return doc
        text = record.get("text") or ""
        published = record.get("published")
        source = "record" if parse_iso(published) else None
        if not source and date_from_url(record.get("url")):
            published, source = date_from_url(record.get("url")).isoformat(), "url"
        return {"title": title, "text": text, "published": published if source else None,
                "published_source": source, "url": record.get("url"),
                "language": detect_language(title + "\n" + text)}

    def extract(self, record):
        return self.extract_many([record])[0]

    def extract_many(self, records):
        """Records -> [{"id", "events", "document", "error"}], in order; one bad record never stops the rest."""
        prepared = []
        for record in records:
            try:
                with time_budget(SECONDS_PER_DOCUMENT, "reading the page"):
                    prepared.append((record, self.prepare(record), None))
            except (DocumentError, OverBudget) as e:
                prepared.append((record, None, str(e)))
            except Exception as e:  # an unforeseen failure on one record: recorded, the batch goes on
                prepared.append((record, None, f"{type(e).__name__}: {e}"))
        nlp = self._pipeline()
        todo = [(i, doc) for i, (_, doc, err) in enumerate(prepared) if doc and doc.get("language") in ("en", None)]
        texts = [compose(doc)[0] for _, doc in todo]
        parsed = {}
        # one call per document: measured faster than nlp.pipe here (the components are per-document
        # functions), and a document that breaks the pipeline breaks only itself
        for (i, doc), text in zip(todo, texts):
            try:
                with time_budget(SECONDS_PER_DOCUMENT, "reading the document's language"):
                    parsed[i] = nlp(text)
            except Exception as e:
                parsed[i] = e
        results = []
        for i, (record, doc, error) in enumerate(prepared):
            found = []
            try:
                if isinstance(parsed.get(i), Exception):
                    raise parsed[i]
                if i in parsed:
                    with time_budget(SECONDS_PER_DOCUMENT, "finding the document's events"):
                        found = self.events_of(parsed[i], doc)
            except Exception as e:  # recorded with the document; the rest of the batch goes on
                error = f"{type(e).__name__}: {e}"
            results.append({"id": record.get("id"), "events": found, "document": doc, "error": error})
        return results

    def events_of(self, sdoc, doc):
        text, body_offset = compose(doc)
        published = parse_iso(doc.get("published"))
        month = None if published else month_from_url(doc.get("url"))
        default_year = None if published else (int(month[:4]) if month else likely_year(text))
        head = dateline(doc.get("text") or "", published.year if published else default_year)
        if head and not published and head[0]:
            published = parse_iso(head[0])  # "MILAN, March 31 (Reuters) -": the day the story was filed
            default_year = None
        ctx = DocContext(sdoc, self.ref, published=published, title_end=body_offset,
                         default_year=default_year, settings=self._pipeline().get_pipe("banwatch_events").settings)
        ctx.published_month = month
        ctx.publisher = self.ref.publisher_of(doc.get("url"), [s.kb_id_ for s in sdoc.spans.get("agency", ()) if s.kb_id_])
        ctx.outlet_names = self.ref.outlet_names(doc.get("url"))
        if head:
            ctx.dateline = (body_offset, body_offset + head[1])
        mentions = events.find_events(ctx)
        found = assemble.assemble(ctx, mentions, body_offset)
        if self.candidates:
            return found
        found = one_event_per_measure(self.model.decide(found), ctx.settings.one_measure_months)
        for event in found:
            del event["features"]
        return found


def compose(doc):
    """Title and body as one text (the title is a sentence of its own); returns (text, body offset)."""
    title = re.sub(r"\s+", " ", doc.get("title") or "").strip()
    body = (doc.get("text") or "")[:MAX_CHARS]
    if not title:
        return body, 0
    return f"{title}\n\n{body}", len(title) + 2


def likely_year(text):
    """Without a publication date, a year-less 'Jan. 31' takes the year the text mentions most."""
    years = Counter(re.findall(r"\b(20[0-4]\d)\b", text))
    if not years:
        return None
    year = max(years, key=lambda y: (years[y], y))
    return int(year) if int(year) <= datetime.date.today().year + 1 else None
