"""The `banwatch` command: a thin Click group over the library functions of each stage."""
import json
import os
import sqlite3
import sys
from pathlib import Path

import click

from banwatch.db import DATA_DIR_ENV, DEFAULT_DATA_DIR
from banwatch.errors import BanwatchError
from banwatch.utils import summary_line
from banwatch.vocab import ACTIONS, GRAPH_FORMATS, STAGES, STATUSES, TIMELINE_FORMATS


def data_dir_option(f):
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=lambda: os.environ.get(DATA_DIR_ENV, DEFAULT_DATA_DIR),
        show_default="./data or $BANWATCH_DATA",
        help="Directory holding crawl.db and kb.db.",
    )(f)


def crawl_options(f):
    """The options `crawl` and `run` share."""
    options = [
        click.option("--source", "sources", multiple=True, metavar="NAME",
                     help="Only this source from the sources file (repeatable)."),
        click.option("--sources", "sources_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Sources file (default: the configured sources, crawlers/sources.yml)."),
        click.option("--feed", "feeds", multiple=True, metavar="URL",
                     help="Also crawl this RSS/Atom feed (repeatable)."),
        click.option("--url", "urls", multiple=True, metavar="URL",
                     help="Also fetch this page (repeatable)."),
        click.option("--only", is_flag=True,
                     help="Crawl only the --feed/--url sources, not the configured ones."),
        click.option("--replay", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Serve the crawl from this WARC archive instead of the live web."),
        click.option("--archive", type=click.Path(dir_okay=False, path_type=Path),
                     help="Also write every response to this WARC file (.warc.gz)."),
        click.option("--redis", "redis_url", metavar="URL",
                     help="Distributed crawl: share the frontier in Redis (redis://HOST:PORT/DB); "
                          "pages go to the Redis ingest queue, read by `banwatch ingest`."),
        click.option("--max-pages", type=int, default=None, help="Stop after this many responses."),
        click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
                     callback=lambda ctx, param, value: value.date() if value else None,
                     help="Backfill from this date instead of each source's own `since`: GDELT in time "
                          "windows back to this date (2017 at the earliest), Federal Register documents "
                          "published since, sitemap entries modified since."),
        click.option("--allow-private", is_flag=True,
                     help="Let each source reach the loopback or private host of its own URL (your own "
                          "servers); off by default, so no listing can point the crawler at your network."),
        click.option("--polite/--no-polite", default=True, show_default=True,
                     help="Obey robots.txt, AutoThrottle and per-domain limits (turn off only for local tests)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


class BanwatchGroup(click.Group):
    """Turns library errors into one clear line and a non-zero exit, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BanwatchError as e:
            raise click.ClickException(str(e)) from None
        except (sqlite3.DatabaseError, OSError) as e:
            # a damaged database or an unreadable file is the user's to fix: say which, not where in our code
            if os.environ.get("BANWATCH_DEBUG"):
                raise
            kind = "database" if isinstance(e, sqlite3.DatabaseError) else "file"
            raise click.ClickException(f"{kind} problem: {e} (run `banwatch verify`; "
                                       "BANWATCH_DEBUG=1 shows the traceback)") from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(cls=BanwatchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="banwatch")
def cli():
    """banwatch: a knowledge base of government bans and restrictions of AI tools.

    Crawl news and official notices, extract who acted on which AI tool, when and
    why, link it into a graph, and publish it with Datasette.

    \b
    Quick start (the bundled demo archive, then Datasette on http://127.0.0.1:8001):
        banwatch demo
    \b
    A live crawl:
        banwatch run && banwatch serve
    """


@cli.command()
@data_dir_option
@crawl_options
def crawl(data_dir, **options):
    """Crawl the configured sources into crawl.db.

    \b
    Examples:
        banwatch crawl
        banwatch crawl --source bing-news-deepseek --source federal-register-deepseek
        banwatch crawl --source gdelt-ai-tool-bans --since 2017-01-01    # GDELT backfill
        banwatch crawl --feed https://example.org/news.rss --only
        banwatch crawl --replay demo.warc.gz --sources banwatch/demo/sources.yml
        banwatch crawl --redis redis://127.0.0.1:6379/0    # one worker of many
    """
    from crawlers.runner import run_crawl

    stats = run_crawl(data_dir, **options)
    click.echo(summary_line("crawl", stats))


@cli.group()
def sources():
    """The configured sources: check that they answer before crawling them."""


@sources.command("check")
@click.option("--sources", "sources_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Sources file (default: the configured sources, crawlers/sources.yml).")
@click.option("--source", "names", multiple=True, metavar="NAME", help="Only this source (repeatable).")
@click.option("--allow-private", is_flag=True,
              help="Let each source reach the loopback or private host of its own URL (your own servers).")
@click.option("--timeout", type=click.FloatRange(1, 300), default=20.0, show_default=True,
              help="Seconds to wait for each answer.")
def sources_check(sources_file, names, allow_private, timeout):
    """Fetch each source's robots.txt and one listing; print one line per source.

    Each line says whether robots.txt allows the listing, the HTTP status, how
    many items the listing has, how many pass the relevance filter, the newest
    item's date, and what is wrong ("ok" when nothing is). Requests are as polite
    as a crawl's (banwatch's user agent, one a second per site, one every 5 s
    per GDELT host). Exits 1 when any source has a problem.

    \b
    Examples:
        banwatch sources check
        banwatch sources check --source bing-news-deepseek --source edpb-news
    """
    from crawlers.check import Fetcher, check_sources
    from crawlers.runner import choose_sources
    from crawlers.sources import allowing_own_hosts

    chosen = choose_sources(names, sources_file)
    if allow_private:
        chosen = allowing_own_hosts(chosen)
    width = max(len(s.name) for s in chosen)
    fetcher = Fetcher(timeout=timeout)
    failing = 0
    try:
        for result in check_sources(chosen, fetcher=fetcher):
            failing += not result.ok
            click.echo(result.line(width))
    finally:
        fetcher.close()
    click.echo(f"sources check: {len(chosen)} source(s), {len(chosen) - failing} ok, {failing} with problems", err=True)
    if failing:
        sys.exit(1)


@cli.command()
@data_dir_option
@click.option("--redis", "redis_url", required=True, metavar="URL", help="Redis holding the ingest queue.")
@click.option("--idle-exit", type=float, default=None, metavar="SECONDS",
              help="Exit once the queue has been empty, with no crawl worker alive, this long "
                   "(default: run until stopped).")
def ingest(data_dir, redis_url, idle_exit):
    """Write pages crawled by distributed workers into crawl.db (the single writer).

    \b
    Example:
        banwatch ingest --redis redis://10.0.0.5:6379/0
    """
    from crawlers.distributed import run_ingest

    stats = run_ingest(data_dir, redis_url, idle_exit=idle_exit)
    click.echo(summary_line("ingest", stats))


@cli.command()
@data_dir_option
@click.option("--input", "input_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Standalone mode: read documents from this JSONL file ('-' for stdin).")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="With --input: write events here as JSONL (default: stdout).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parallel extraction processes.")
@click.option("--full-pipeline", is_flag=True,
              help="Run the whole spaCy pipeline over all text (slower; for comparison).")
@click.option("--force", is_flag=True, help="Re-extract every page, not only new or changed ones.")
def extract(data_dir, input_path, output_path, workers, full_pipeline, force):
    """Extract events: incrementally over crawl.db, or from a JSONL file.

    Each input line is {"id", "url", "title", "published", "text"} ("html" instead
    of "text" also works); each output line is {"id", "events": [...]}.

    \b
    Examples:
        banwatch extract
        banwatch extract --input docs.jsonl --output pred.jsonl
    """
    from pipeline.run import extract_crawl_db, extract_jsonl

    if output_path and not input_path:
        raise click.UsageError("--output goes with --input")
    if input_path:
        stats = extract_jsonl(input_path, output_path, workers=workers, full_pipeline=full_pipeline)
        click.echo(summary_line("extract", stats), err=True)
    else:
        stats = extract_crawl_db(data_dir, workers=workers, full_pipeline=full_pipeline, force=force)
        click.echo(summary_line("extract", stats))


@cli.command()
@data_dir_option
@click.option("--curation", "curation_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Curation directory (default: kb/curation).")
@click.option("--full-text", is_flag=True, help="Include full document text (private deployments only).")
@click.option("--rebuild", is_flag=True, help="Ignore the incremental cache and rebuild everything.")
@click.option("--review-threshold", type=click.FloatRange(0, 1), default=None, metavar="0-1",
              help="Machine-read events below this confidence are kept but marked needs_review "
                   "(default: $BANWATCH_REVIEW_THRESHOLD, else 0.8).")
@click.option("--allow-retire", is_flag=True,
              help="Retire the events whose documents are gone even when that is more than 20% of them "
                   "(and more than 5): without it such a build stops and kb.db stays as it was.")
def build(data_dir, curation_dir, full_text, rebuild, review_threshold, allow_retire):
    """Build kb.db from crawl.db and the curation files, atomically.

    The new kb.db is written to a temporary file and renamed into place only when
    complete, so a failed or interrupted build never replaces a good one. The kb.db
    it replaces is kept as kb.db.previous: `mv data/kb.db.previous data/kb.db` goes back.

    \b
    Example:
        banwatch build
    """
    from kb.build import build_kb

    stats = build_kb(data_dir, curation_dir=curation_dir, full_text=full_text, rebuild=rebuild,
                     review_threshold=review_threshold, allow_retire=allow_retire,
                     progress=lambda message: click.echo(f"build: {message}", err=True))
    click.echo(summary_line("build", stats))


@cli.command()
@data_dir_option
def verify(data_dir):
    """Check the integrity of crawl.db and kb.db; exit 1 on any problem.

    \b
    Example:
        banwatch verify && echo ok
    """
    from kb.verify import verify_data

    problems = verify_data(data_dir)
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo("ok: crawl.db and kb.db are consistent")


@cli.command()
@data_dir_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--sql/--no-sql", "allow_sql", default=True, show_default=True,
              help="Let visitors run their own SQL; --no-sql for a public deployment.")
def serve(data_dir, port, host, allow_sql):
    """Serve kb.db with Datasette (read-only), metadata.yml and the banwatch plugin.

    \b
    Example:
        banwatch serve --port 8001
        banwatch serve --host 0.0.0.0 --no-sql    # public: no arbitrary SQL
    """
    from publish.serve import serve_kb

    serve_kb(data_dir, port=port, host=host, allow_sql=allow_sql)


@cli.command()
@data_dir_option
@crawl_options
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parallel extraction processes.")
def run(data_dir, workers, **options):
    """Crawl, extract and build in one go (takes the crawl options).

    \b
    Example:
        banwatch run --feed https://example.org/news.rss
    """
    from crawlers.runner import run_crawl
    from kb.build import build_kb
    from pipeline.run import extract_crawl_db

    click.echo(summary_line("crawl", run_crawl(data_dir, **options)))
    click.echo(summary_line("extract", extract_crawl_db(data_dir, workers=workers)))
    click.echo(summary_line("build", build_kb(data_dir)))


@cli.command()
@data_dir_option
@click.option("--serve/--no-serve", default=True, show_default=True,
              help="Serve the KB when the build is done.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
def demo(data_dir, serve, port):
    """Run the whole flow on the bundled demo archive, then serve it.

    Builds a WARC archive from the demo pages (reconstructions written for this
    project, each linking to the original report), replays it through the real
    crawlers, extracts, builds kb.db and serves it on http://127.0.0.1:8001.

    \b
    Example:
        banwatch demo --data-dir /tmp/banwatch-demo
    """
    from banwatch.demo import run_demo

    run_demo(data_dir, serve=serve, port=port, echo=click.echo)


@cli.group()
def export():
    """Export the KB: timelines for journalists, graphs for network tools."""


def partial_date(ctx, param, value):
    """A date as precise as the user knows it: 2025, 2025-02 or 2025-02-03."""
    import datetime

    if value is None:
        return None
    parts = value.split("-")
    try:
        if len(parts) > 3 or len(parts[0]) != 4:
            raise ValueError
        datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date as YYYY, YYYY-MM or YYYY-MM-DD") from None
    return value


def timeline_filters(f):
    for option in reversed([
        click.option("--tool", multiple=True, help="Tool id or name (repeatable)."),
        click.option("--jurisdiction", multiple=True, help="Jurisdiction id or name (repeatable)."),
        click.option("--action", multiple=True,
                     type=click.Choice(ACTIONS)),
        click.option("--stage", multiple=True, type=click.Choice(STAGES)),
        click.option("--since", metavar="YYYY[-MM[-DD]]", callback=partial_date,
                     help="Events on or after this date."),
        click.option("--until", metavar="YYYY[-MM[-DD]]", callback=partial_date,
                     help="Events on or before this date."),
    ]):
        f = option(f)
    return f


@export.command("timeline")
@data_dir_option
@click.option("--format", "fmt", default="json", show_default=True,
              type=click.Choice(TIMELINE_FORMATS))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of stdout.")
@timeline_filters
@click.option("--status", multiple=True, type=click.Choice((*STATUSES, "all")),
              help="verified, machine, needs_review or all (default: verified and machine).")
@click.option("--base-url", metavar="URL", default=None,
              help="The public site, to link each event page (default $BANWATCH_PUBLIC_URL, else site-relative).")
def export_timeline_command(data_dir, fmt, output, **filters):
    """Export the timeline of events (verified and machine-read ones unless --status says otherwise).

    \b
    Examples:
        banwatch export timeline --format csv --tool deepseek -o deepseek.csv
        banwatch export timeline --format timelinejs --since 2025-01 > timeline.json
        banwatch export timeline --format ics --jurisdiction us > bans.ics
    """
    from publish.export import export_timeline

    text = export_timeline(data_dir, fmt, **filters)
    _write(text, output)


@export.command("graph")
@data_dir_option
@click.option("--format", "fmt", default="graphml", show_default=True,
              type=click.Choice(GRAPH_FORMATS))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of stdout.")
def export_graph_command(data_dir, fmt, output):
    """Export the linked graph (GraphML, GEXF, or node-link JSON for d3/Cytoscape).

    \b
    Example:
        banwatch export graph --format gexf -o banwatch.gexf
    """
    from publish.export import export_graph

    _write(export_graph(data_dir, fmt), output)


@cli.command("eval")
@click.option("--gold", required=True, metavar="FILE|demo",
              help="Gold JSONL (documents with their events), or 'demo' for the bundled demo archive's manifest.")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the predictions here.")
@click.option("--details", is_flag=True, help="List missed (FN) and spurious (FP) events.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option("--full-pipeline", is_flag=True, help="Evaluate the full-pipeline variant.")
@click.option("--part", type=click.Choice(["working", "check"]),
              help="Score only this part of the gold file's fixed split (study the working part's errors only).")
@click.option("--split", "by_part", is_flag=True,
              help="Score the working and the check part separately (report both; keep a change only if "
                   "the check part does not drop).")
@click.option("--site", is_flag=True,
              help="Measure the whole product: serve the gold documents as a local news site, crawl its feed, "
                   "extract, build, and score the KB's events against the gold measures.")
def eval_command(gold, output_path, details, as_json, full_pipeline, part, by_part, site):
    """Score the extractor against a gold file (the evaluation contract of docs/design.md).

    The gold file is split by measure into a fixed working part and check part
    (docs/extraction.md says how): look at the working part's errors, never the
    check part's, and report both.

    \b
    Examples:
        banwatch eval --gold gold.jsonl --split
        banwatch eval --gold gold.jsonl --part working --details
        banwatch eval --gold demo
        banwatch eval --gold gold.jsonl --site --part check
    """
    import tempfile

    from pipeline.evaluate import (
        PARTS,
        evaluate,
        format_measure_scores,
        format_scores,
        read_gold,
    )

    if by_part and (part or details or output_path):
        raise click.UsageError("--split reports both parts: use --part PART for --details or --output")

    with tempfile.TemporaryDirectory() as tmp:
        if gold == "demo":
            from banwatch.demo import demo_gold_records

            gold_path = Path(tmp) / "demo-gold.jsonl"
            gold_path.write_text("".join(json.dumps(r, default=str) + "\n" for r in demo_gold_records()),
                                 encoding="utf-8")
        else:
            gold_path = Path(gold)
            if not gold_path.is_file():
                raise click.BadParameter(f"File {gold!r} does not exist.", param_hint="'--gold'")
        if site:
            from banwatch.site_eval import run_site_eval

            scores = run_site_eval(list(read_gold(gold_path, part).values()),
                                   echo=lambda message: click.echo(message, err=True))
            click.echo(json.dumps(scores) if as_json else format_measure_scores(scores))
            return
        if by_part:
            results = {name: evaluate(gold_path, full_pipeline=full_pipeline, part=name)[0] for name in PARTS}
            if as_json:
                click.echo(json.dumps(results))
            else:
                click.echo("\n\n".join(f"== {name} part\n{format_scores(s)}" for name, s in results.items()))
            return
        scores, detail_lines = evaluate(gold_path, output_path=output_path, full_pipeline=full_pipeline, part=part)
    if details:
        click.echo("\n".join(detail_lines))
    click.echo(json.dumps(scores) if as_json else format_scores(scores))


@cli.command()
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="Collect the training rows afresh from this gold file's working part (and the demo's "
                   "pages); without it, refit from the committed rows.")
def train(gold):
    """Rebuild the extractor's decision model (pipeline/model/decision.json).

    Candidate events are labelled against gold events; a logistic regression
    over their features decides which are measures, and its cross-validated
    scores calibrate the confidence. Training reads the working part of the gold
    file, the demo's pages (but those about a measure of the check part), the
    working part of our own corpus (pipeline/model/corpus/fresh.jsonl) and our
    studied probe reports (pipeline/model/corpus/probes_studied.jsonl); check
    parts and held probes are for scoring only. Without
    --gold the model is refitted from pipeline/model/training.jsonl, which
    reproduces the committed model exactly.

    \b
    Examples:
        banwatch train
        banwatch train --gold dev.jsonl
    """
    from banwatch.demo import demo_training_records
    from pipeline.evaluate import read_gold
    from pipeline.train import (
        FRESH_CORPUS,
        MODEL_PATH,
        ROWS_PATH,
        STUDIED_PROBES,
        collect_rows,
        fit,
        read_rows,
        write_model,
        write_rows,
    )

    if gold:
        working = list(read_gold(gold, part="working").values())
        fresh = list(read_gold(FRESH_CORPUS, part="working").values())
        probes = list(read_gold(STUDIED_PROBES).values())
        click.echo(f"train: collecting candidates from {len(working)} working documents, the demo pages, "
                   f"{len(fresh)} working documents of our own corpus and {len(probes)} studied probes", err=True)
        rows = collect_rows(working, "gold-working") + collect_rows(demo_training_records(), "demo") + \
            collect_rows(fresh, "fresh-working") + collect_rows(probes, "probes-studied")
        write_rows(rows)
    else:
        if not ROWS_PATH.exists():
            raise BanwatchError(f"no training rows at {ROWS_PATH}: run `banwatch train --gold FILE` first")
        rows = read_rows()
    spec = fit(rows)
    write_model(spec)
    click.echo(f"train: {spec['trained_on']['rows']} candidates ({spec['trained_on']['positives']} real), "
               f"keep threshold {spec['keep_threshold']}; wrote {MODEL_PATH}")


def _write(text, output):
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))


if __name__ == "__main__":
    cli()
