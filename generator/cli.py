"""CLI: argv -> exit code. Each command is a function returning an exit code; this module only
parses arguments, calls, and prints. Results go to stdout, problems and progress to stderr."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import traceback
from pathlib import Path

from .load import Roots
from .problems import TODO, ContentError, limit_repeats

EXIT_HELP = """exitcodes:
  0   klaar
  1   bouwen of exporteren mislukt
  2   fouten in de inhoud (er is niets gebouwd)
  3   interne fout (details in .rolwijzer-fout.log)
  130 onderbroken
"""
ORG_HELP = "bouw alleen deze organisatie (mag vaker); standaard alle organisaties"
STRICT_HELP = "behandel waarschuwingen als fouten (niet wat de organisatie nog moet invullen of bevestigen)"
FORCE_HELP = "bouw opnieuw, ook als er niets veranderd is"
SITE_URL_HELP = ("openbaar basisadres van de sites: de site van een organisatie staat op URL/<organisatie>/ "
                 "(site_url in org.yml gaat voor); rolkaarten en posters krijgen dan een QR-code")
ERROR_LOG = ".rolwijzer-fout.log"


def _err(text: str = "") -> None:
    print(text, file=sys.stderr)


def _report_content_error(error: ContentError) -> int:
    for problem in error.problems:
        _err(problem.format())
    _err(str(error))
    return 2


def _roots(args: argparse.Namespace) -> Roots:
    return Roots(Path(args.project).resolve(), getattr(args, "site_url", None) or "")


def _site_url(value: str) -> str:
    """`--site-url`: an https:// (or http://) base address; an organisation's site is <base>/<org>/."""
    from pydantic_core import PydanticCustomError

    from .models import check_site_url

    try:
        return check_site_url(value).rstrip("/")
    except PydanticCustomError as error:
        raise argparse.ArgumentTypeError(error.message()) from None


def _unknown_orgs(roots: Roots, orgs: list[str] | None) -> int:
    from .problems import suggest

    known = roots.org_slugs()
    for slug in orgs or []:
        if slug not in known:
            hint = suggest(slug, known)
            _err(f"organisatie '{slug}' bestaat niet" + (f" ({hint})" if hint else f"; bekend: {', '.join(known)}"))
            return 2
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .pipeline import check

    roots = _roots(args)
    if code := _unknown_orgs(roots, args.org):
        return code
    try:
        project = check(roots, args.org)
    except ContentError as error:
        return _report_content_error(error)
    warnings = [w for w in project.warnings if w.severity != TODO]
    todos = [w for w in project.warnings if w.severity == TODO]
    for line in limit_repeats(warnings):
        _err(f"waarschuwing: {line}")
    for line in limit_repeats(todos):
        _err(f"te doen: {line}")
    names = ", ".join(project.variants)
    print(f"in orde: {len(project.variants)} organisatie(s) gecontroleerd ({names}); {len(warnings)} waarschuwing(en), "
          f"{len(todos)} te doen (in te vullen of te bevestigen door de organisatie)")
    if args.strict and warnings:
        _err("--strict: waarschuwingen tellen als fouten (wat nog te doen is niet)")
        return 2
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import Result, build_variants, in_shard
    from .publish import PublishError

    roots = _roots(args)
    if code := _unknown_orgs(roots, args.org):
        return code
    site_root = Path(args.site).resolve() if args.site else roots.project / "site"
    orgs = args.org
    if args.shard is not None:
        orgs = in_shard(args.org or roots.org_slugs(), args.shard)
        print(f"deel {args.shard[0]} van {args.shard[1]}: {len(orgs)} organisatie(s)" + (f" ({', '.join(orgs)})" if len(orgs) <= 10 else ""))
        if not orgs:
            return 0
    progress = _Progress()

    def on_result(result: Result) -> None:
        progress.done(result)

    try:
        timings: dict[str, float] = {}
        results = build_variants(roots, orgs, site_root, force=args.force, jobs=args.jobs, export=args.export,
                                 on_result=on_result, on_start=progress.start, on_wait=_waiting, timings=timings)
    except ContentError as error:
        progress.stop()
        return _report_content_error(error)
    except PublishError as error:
        progress.stop()
        return _report_publish_error(error)
    finally:
        progress.stop()
    code = _report_results(results, site_root)
    if timings:
        what = "exporteren en publiceren" if args.export else "publiceren"
        print(f"tijd: sites {timings['sites']:.1f} s, {what} {timings['exports']:.1f} s")
    return code


def _waiting(lock: Path) -> None:
    _err(f"er loopt al een andere build in {lock.parent}; deze wacht tot die klaar is ({lock.name})")


def _report_publish_error(error: Exception) -> int:
    """site/ could not be written (a file, read-only, immutable, full): the message names the path."""
    _err(str(error))
    return 1


def _report_results(results, site_root: Path) -> int:  # noqa: ANN001
    failed = [r for r in results if r.status == "mislukt"]
    for result in failed:
        _err(f"{result.slug}: mislukt; de vorige versie in {site_root / result.slug} is bewaard")
        for message in result.messages[:20]:
            _err(f"  {message}")
    for result in results:
        for note in result.notes:
            _err(f"{result.slug}: let op: {note}")
        pages = f", PDF {result.pdf_pages} pagina's" if result.pdf_pages else ""
        print(f"{result.slug}: {result.status} ({result.seconds:.1f} s{pages}) -> {site_root / result.slug / 'index.html'}")
    return 1 if failed else 0


def cmd_index(args: argparse.Namespace) -> int:
    """`rolwijzer index`: site/index.html from every published organisation in site/, e.g. after
    the shards of a CI matrix have been copied together."""
    from .publish import PublishError, site_lock, write_index

    site_root = Path(args.site).resolve() if args.site else _roots(args).project / "site"
    if not site_root.is_dir():
        _err(f"geen map {site_root}: bouw eerst, of kopieer de delen hierheen")
        return 1
    try:
        with site_lock(site_root, _waiting):
            count = write_index(site_root)
    except PublishError as error:
        return _report_publish_error(error)
    print(f"overzicht geschreven: {site_root / 'index.html'} ({count} organisatie(s))")
    return 0


def _shard(value: str) -> tuple[int, int]:
    """`--shard K/N`: part K (1..N) of N."""
    number, _, count = value.partition("/")
    if not (number.isdigit() and count.isdigit()) or not 1 <= int(number) <= int(count):
        raise argparse.ArgumentTypeError(f"'{value}' is geen deel: gebruik K/N met 1 <= K <= N, bijvoorbeeld 2/4")
    return int(number), int(count)


def cmd_export(args: argparse.Namespace) -> int:
    from .pipeline import export_variants
    from .publish import PublishError

    roots = _roots(args)
    if code := _unknown_orgs(roots, args.org):
        return code
    site_root = Path(args.site).resolve() if args.site else roots.project / "site"
    try:
        results = export_variants(roots, args.org, site_root, on_wait=_waiting)
    except ContentError as error:
        return _report_content_error(error)
    except PublishError as error:
        return _report_publish_error(error)
    return _report_results(results, site_root)


class _Progress:
    """rich progress on a terminal, plain lines otherwise."""

    def __init__(self) -> None:
        self.live = None
        self.task = None
        if sys.stderr.isatty():
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.live = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                 transient=True, console=None)

    def start(self, slugs: list[str]) -> None:
        if not slugs:
            return
        if self.live is not None:
            self.live.start()
            self.task = self.live.add_task(f"bouwen: {', '.join(slugs)}", total=len(slugs))
        else:
            _err(f"bouwen: {', '.join(slugs)}")

    def done(self, result) -> None:
        if self.live is not None and self.task is not None:
            self.live.advance(self.task)
            self.live.console.print(f"{result.slug}: {result.status}")
        else:
            _err(f"{result.slug}: {result.status}")

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None


def cmd_list(args: argparse.Namespace) -> int:
    import yaml

    roots = _roots(args)
    for slug in roots.org_slugs():
        data = yaml.safe_load((roots.org_dir(slug) / "org.yml").read_text(encoding="utf-8")) or {}
        print(f"{slug}\t{data.get('name', '')}\t{', '.join(data.get('sectors') or [])}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import link_schemas, write_schemas

    roots = _roots(args)
    out = roots.project / args.out
    for path in write_schemas(out):
        print(path.relative_to(roots.project))
    changed = link_schemas(roots.project, out)
    if changed:
        _err(f"schema-verwijzing toegevoegd aan {len(changed)} YAML-bestand(en)")
    return 0


def cmd_new_org(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, new_org

    roots = _roots(args)
    try:
        written = new_org(roots, args.slug, args.name, args.sector)
    except ScaffoldError as error:
        _err(str(error))
        return 2
    for path in written:
        print(path.relative_to(roots.project))
    _err(f"organisatie '{args.slug}' gemaakt. Volgende stap: rolwijzer check --org {args.slug}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_org, format_markdown, format_text

    roots = _roots(args)
    if code := _unknown_orgs(roots, [args.org]):
        return code
    try:
        report = diff_org(roots, args.org, stale_only=args.stale)
    except ContentError as error:
        return _report_content_error(error)
    print(format_text(report), end="")
    if args.markdown:
        Path(args.markdown).write_text(format_markdown(report), encoding="utf-8")
        _err(f"rapport geschreven: {args.markdown}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    import datetime as dt

    from .review import format_review, review

    roots = _roots(args)
    if code := _unknown_orgs(roots, args.org):
        return code
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    try:
        rows = review(roots, args.org, today)
    except ContentError as error:
        return _report_content_error(error)
    print(format_review(rows), end="")
    overdue = [r for r in rows if r.overdue]
    if overdue:
        _err(f"{len(overdue)} document(en) zijn over de datum voor herziening")
    return 1 if overdue and args.fail_overdue else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .publish import PublishError
    from .serve import serve

    roots = _roots(args)
    if code := _unknown_orgs(roots, [args.org]):
        return code
    try:
        return serve(roots, args.org, args.dev_addr)
    except ContentError as error:
        return _report_content_error(error)
    except PublishError as error:  # build/ cannot be written
        return _report_publish_error(error)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="rolwijzer", description="Rolwijzer: beleid sociale veiligheid als rolwijzer-site.",
                                   epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--project", default=".", help="projectmap (standaard: de huidige map)")
    sub = main.add_subparsers(dest="command", required=True, metavar="opdracht")

    build = sub.add_parser("build", help="controleer en bouw sites", epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--org", action="append", help=ORG_HELP)
    build.add_argument("--force", action="store_true", help=FORCE_HELP)
    build.add_argument("--jobs", type=int, default=None, help="aantal organisaties tegelijk (standaard: aantal kernen)")
    build.add_argument("--site", default=None, help="uitvoermap (standaard: site/)")
    build.add_argument("--site-url", type=_site_url, default=None, metavar="URL", help=SITE_URL_HELP)
    build.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                       help="bouw alleen deel K van N (een vaste verdeling van de organisaties, voor een CI-matrix); "
                            "daarna 'rolwijzer index' op de samengevoegde site/")
    build.add_argument("--no-export", dest="export", action="store_false",
                       help="alleen de site, zonder PDF, rolkaarten en schoolgids (sneller voorbeeld)")
    build.set_defaults(func=cmd_build)

    index = sub.add_parser("index", help="schrijf site/index.html opnieuw uit alle gebouwde organisaties (na --shard)")
    index.add_argument("--site", default=None, help="map met de gebouwde sites (standaard: site/)")
    index.set_defaults(func=cmd_index)

    export = sub.add_parser("export", help="maak PDF, rolkaarten en schoolgids opnieuw van een gebouwde site",
                            epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    export.add_argument("--org", action="append", help=ORG_HELP)
    export.add_argument("--site", default=None, help="map met de gebouwde sites (standaard: site/)")
    export.add_argument("--site-url", type=_site_url, default=None, metavar="URL", help=SITE_URL_HELP)
    export.set_defaults(func=cmd_export)

    check = sub.add_parser("check", help="controleer alle bronnen zonder te bouwen", epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("--org", action="append", help=ORG_HELP)
    check.add_argument("--strict", action="store_true", help=STRICT_HELP)
    check.set_defaults(func=cmd_check)

    serve = sub.add_parser("serve", help="voorbeeld met live herladen")
    serve.add_argument("--org", required=True, help="de organisatie om te tonen")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="adres:poort (standaard 127.0.0.1:8000)")
    serve.set_defaults(func=cmd_serve)

    new = sub.add_parser("new-org", help="maak een nieuwe organisatie (een overlay) vanuit een sjabloon")
    new.add_argument("slug", help="korte naam: kleine letters, cijfers en '-'")
    new.add_argument("--name", required=True, help="de volledige naam van de organisatie")
    new.add_argument("--sector", required=True, choices=["onderwijs", "school", "kinderopvang", "zorg", "training"],
                     help="het sectorpakket (school = onderwijs)")
    new.set_defaults(func=cmd_new_org)

    diff = sub.add_parser("diff", help="wat een organisatie overschrijft, toevoegt en verbergt ten opzichte van de basis")
    diff.add_argument("--org", required=True, help="de organisatie")
    diff.add_argument("--stale", action="store_true", help="alleen overschrijvingen van basisbestanden die daarna veranderd zijn")
    diff.add_argument("--markdown", default=None, metavar="BESTAND", help="schrijf het overzicht ook als Markdown-rapport")
    diff.set_defaults(func=cmd_diff)

    review_parser = sub.add_parser("review", help="eigenaar, versie en herzieningsdatum van elk document, meest dringend eerst")
    review_parser.add_argument("--org", action="append", help=ORG_HELP)
    review_parser.add_argument("--fail-overdue", action="store_true", help="exitcode 1 als een document over de datum is")
    review_parser.add_argument("--today", default=None, help=argparse.SUPPRESS)
    review_parser.set_defaults(func=cmd_review)

    listing = sub.add_parser("list", help="toon de organisaties")
    listing.set_defaults(func=cmd_list)

    schema = sub.add_parser("schema", help="schrijf de JSON Schema's voor editors")
    schema.add_argument("--out", default="schemas", help="map voor de schema's (standaard: schemas/)")
    schema.set_defaults(func=cmd_schema)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        # The pipeline has stopped its workers and Chromium and removed its unpublished folders.
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not print a traceback now
        _err("onderbroken")
        return 130
    except Exception as error:  # internal error: one line on screen, the traceback in a log file
        log = Path(getattr(args, "project", ".")) / ERROR_LOG
        log.write_text(traceback.format_exc(), encoding="utf-8")
        _err(f"interne fout: {type(error).__name__}: {error} (details in {log})")
        return 3


if __name__ == "__main__":
    sys.exit(main())
