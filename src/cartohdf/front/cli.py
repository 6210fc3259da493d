"""Command line: `cartohdf build-data | export | export-data | atlas | compare | compare-study | import-urssaf`.

Flags become a MapState (the same names as the URL); the map is drawn from its plan. Messages
come from the text catalogue, in French unless ``CARTOHDF_LANG=en`` (or the map's ``--lang``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from cartohdf.core import (
    BASEMAPS,
    LANGS,
    PALETTES,
    SCHEMES,
    ZONINGS,
    CartohdfError,
    TextKey,
    clock,
    os_reason,
    paths,
    t,
    write_atomic,
)

F = TypeVar("F", bound=Callable[..., Any])


def _lang(asked: str | None = None) -> str:
    """Language of messages: the command's --lang, else CARTOHDF_LANG, else French."""
    lang = asked or os.environ.get("CARTOHDF_LANG", "fr")
    return lang if lang in LANGS else "fr"


def _friendly_errors(func: F) -> F:
    """Turn any failure into a one-line message in the interface's language and exit code 2,
    no traceback: a CartohdfError (a WriteError names its path) says what to fix; an OSError
    names its path; anything else (a writer library's own error) names its kind. Every file
    is written whole or not at all (`write_atomic`), so no failure leaves a partial file."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = _lang(kwargs.get("lang"))
        try:
            return func(*args, **kwargs)
        except CartohdfError as exc:
            message = exc.message(lang)
        except OSError as exc:  # a path that cannot be read: say which, no traceback
            reason = t(r, lang) if isinstance(r := os_reason(exc), TextKey) else r
            message = (t("cli.os_error", lang, path=str(exc.filename), reason=reason)
                       if exc.filename is not None else t("cli.os_error_no_path", lang, reason=reason))  # fmt: skip
        except Exception as exc:  # the edge of the program: a library's error is still one line
            message = t("cli.unexpected", lang, kind=type(exc).__name__, detail=_first_line(exc))
        click.echo(t("cli.error", lang, msg=message), err=True)
        sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _first_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's text on one line, cut to `limit` characters."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _log(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cartohdf")
def main() -> None:
    """cartohdf : l'industrie et la stratégie S3 des Hauts-de-France, par zone d'emploi."""


@main.command("build-data")
@click.option(
    "--raw",
    "raw",
    type=click.Path(path_type=Path, file_okay=False),
    default=paths.DEFAULT_RAW_DIR,
    show_default=True,
    help="Dossier des données brutes (data-raw).",
)
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), default=paths.ROOT,
              show_default=True, help="Dossier où écrire geo/ et data/.")  # fmt: skip
@_friendly_errors
def build_data(raw: Path, out: Path) -> None:
    """Régénère tous les fichiers dérivés de geo/ et data/ à partir des données brutes."""
    from cartohdf.build import build_all  # the offline build: imported by this command only

    lang = _lang()
    if not raw.is_dir():
        raise CartohdfError("cli.raw_missing", path=str(raw))
    measures = build_all(raw, out / "geo", out / "data", _log)
    _log(t("cli.built", lang, ze2010=measures["ze2010_zones"], ze2020=measures["ze2020_zones"],
           error=measures["boundary_error_m"]["max"]))  # fmt: skip


def _data_options(func: F) -> F:
    """Options that change the data behind a map or a table: an import, an indicator file."""
    opts = [
        click.option("--source", "source", default=None,
                     help="Nom d'un import (`cartohdf import-urssaf`) : remplace les données d'emploi intégrées."),
        click.option("--indicator-file", "indicator_file", type=click.Path(path_type=Path, dir_okay=False),
                     help="Votre indicateur par zone (CSV ou XLSX : une colonne de codes, une de valeurs)."),
        click.option("--indicator-column", "indicator_column", help="Colonne de valeurs à prendre dans ce fichier."),
    ]  # fmt: skip
    for opt in reversed(opts):
        func = opt(func)
    return func


def _upload(indicator_file: Path, column: str | None, zoning: str | None) -> tuple[str, str]:
    """Check an indicator file, keep it in the upload cache; return (its key, its zoning)."""
    from cartohdf.data import load_dataset, parse_indicator, store_upload

    if not indicator_file.is_file():
        raise CartohdfError("err.file_not_found_path", path=str(indicator_file))
    raw = indicator_file.read_bytes()
    user = parse_indicator(raw, indicator_file.name, load_dataset().zone_codes(), column, zoning)
    return store_upload(raw, indicator_file.name, column, zoning), user.zoning


def _state(params: dict[str, str | None], source: str | None, indicator_file: Path | None,
           indicator_column: str | None) -> Any:  # fmt: skip
    """The MapState the flags describe (an indicator file is what the user asked to see)."""
    from cartohdf.state import from_query

    query = {k: v for k, v in params.items() if v is not None}
    if source is not None:
        query["source"] = source
    if indicator_file is not None:
        key, zoning = _upload(indicator_file, indicator_column, query.get("zoning"))
        query["upload"] = key
        query.setdefault("indicator", "user")
        query.setdefault("zoning", zoning)
    return from_query(query)


@main.command("export-data")
@click.option(
    "--zoning",
    type=click.Choice(list(ZONINGS)),
    default="ze2010",
    show_default=True,
    help="Zonage : ze2010 (celui de l'étude) ou ze2020 (actuel).",
)
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["csv", "csv-fr", "xlsx", "geojson"]),
    default="csv",
    show_default=True,
    help="Format du fichier : csv (« , », point décimal, pour les programmes), csv-fr (« ; », "
    "virgule décimale, UTF-8 avec BOM, pour Excel en français), xlsx, geojson.",
)
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Fichier à écrire.")  # fmt: skip
@click.option("--scope", "scope", type=click.Choice(["region", "france"]), default="region",
              show_default=True,
              help="region : les zones de la région ; france : toutes les zones de France "
              "métropolitaine, avec leur région (csv, csv-fr ou xlsx).")  # fmt: skip
@_data_options
@_friendly_errors
def export_data(zoning: str, fmt_: str, out: Path, scope: str, source: str | None,
                indicator_file: Path | None, indicator_column: str | None) -> None:  # fmt: skip
    """Exporte une ligne par zone : code, nom, puis chaque indicateur pour chaque année."""
    from cartohdf.export import write_zone_table
    from cartohdf.state import data_for

    state = _state({"zoning": zoning}, source, indicator_file, indicator_column)
    write_zone_table(data_for(state), zoning, fmt_, out, scope, _lang())
    _log(t("cli.written", _lang(), path=str(out)))


@main.command("compare-study")
@click.option("--format", "fmt_", type=click.Choice(["text", "csv"]), default="text", show_default=True,
              help="text : tableau lisible ; csv : pour un tableur.")  # fmt: skip
@_friendly_errors
def compare_study(fmt_: str) -> None:
    """Compare les chiffres de l'étude de 2019 aux mêmes chiffres recalculés sur données ouvertes."""
    from cartohdf.data import load_dataset
    from cartohdf.render import compare, figure_text, verbatim

    lang = _lang()
    data = load_dataset()
    table = compare(data, lang)
    if fmt_ == "csv":
        click.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)
        return
    figure, study, open_data, gap, definition = table.columns
    for _, row in table.iterrows():
        click.echo(f"• {row[figure]}")
        click.echo(
            t("cli.compare_line", lang, study=row[study], open_data=row[open_data], gap=row[gap])
        )
        click.echo(f"    {row[definition]}")
    rest = verbatim(data, table)
    click.echo("\n" + t("cli.verbatim", lang, n=len(rest)))
    for _, r in rest.iterrows():
        label = r["label_en"] if lang == "en" else r["label_fr"]
        period = r["period"] or t("undated", lang)
        shown = figure_text(float(r["value"]), str(r["unit"]), bool(r["approx"]), lang)
        click.echo(f"  - {t('cli.verbatim_line', lang, label=label, value=shown, period=period)}")


def _state_options(func: F) -> F:
    """The MapState flags, shared by every command that draws a map."""
    opts = [
        click.option("--zoning", help="ze2010 (zonage de l'étude, défaut) ou ze2020."),
        click.option("--indicator", help="Indicateur : industrial_share (défaut), industrial_share_market, "
                     "industrial_jobs, industrial_change, specialisation, user ; en ze2020, un secteur A38 "
                     "industriel : sector_jobs_<a38> (cercles), sector_change_<a38>, sector_share_<a38> "
                     "(part de l'emploi industriel), specialisation_<a38> (ex. sector_jobs_ch)."),
        click.option("--year", help="Année (ex. 2017) ou période pour industrial_change (ex. 2007-2017)."),
        click.option("--scheme", help=f"Classes : {', '.join(SCHEMES)}."),
        click.option("--k", help="Nombre de classes, 3 à 7 (défaut 5)."),
        click.option("--breaks", help="Bornes du schéma user, séparées par des virgules (ex. 0.1,0.2,0.3)."),
        click.option("--palette", help=f"Palette : {', '.join(PALETTES)}."),
        click.option("--layers", help="Couches visibles, ex. s3,employers,ti2018 (s3 = les 7 domaines ; none)."),
        click.option("--zone", help="Code de la zone sélectionnée (ex. 2203)."),
        click.option("--basemap", help=f"Fond de carte : {', '.join(BASEMAPS)}."),
        click.option("--lang", help="Langue : fr (défaut) ou en."),
        click.option("--upload", help="Clé d'un fichier déjà chargé (celle du lien de l'application)."),
        click.option("--scope", help="Étendue : region (les zones de la région, défaut) ou france "
                     "(toutes les zones de France métropolitaine, données intégrées)."),
        click.option("--compare", help="Zones comparées, 2 à 6 codes séparés par des virgules (ex. 2203,2209) : "
                     "nommées et cernées sur la carte."),
        click.option("--level", help="Niveau de la carte : zone (défaut), commune, epci ou departement "
                     "(les trois derniers avec un import Urssaf : --source) ; --zone désigne alors une unité."),
        click.option("--within", help="Avec --level commune : code d'une zone dont seules les communes "
                     "sont dessinées (ex. 3203)."),
    ]  # fmt: skip
    for opt in reversed(opts):
        func = opt(func)
    return func


@main.command("export")
@_state_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Fichier à écrire : carte HTML autonome (fonctionne hors ligne), SVG, PNG ou PDF.",
)
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["html", "svg", "png", "pdf"], case_sensitive=False),
    default=None,
    help="html, svg, png (300 dpi) ou pdf (page A4 paysage) ; défaut : d’après l’extension de --out, sinon html.",
)
@click.option(
    "--date",
    "date",
    default=None,
    help="Date de génération affichée (AAAA-MM-JJ ; défaut : aujourd'hui).",
)
@_data_options
@_friendly_errors
def export(out: Path, fmt_: str | None, date: str | None, source: str | None,
           indicator_file: Path | None, indicator_column: str | None, **params: str | None) -> None:  # fmt: skip
    """Exporte la carte de l'application : HTML autonome, ou SVG, PNG, PDF pour un document."""
    from cartohdf.compose import plan
    from cartohdf.export import format_of, map_file, write_map
    from cartohdf.state import data_for

    lang = _lang(params.get("lang"))
    fmt = format_of(out, fmt_)
    state = _state(params, source, indicator_file, indicator_column)
    day = _day(date)
    the_plan = plan(state, data_for(state))
    if fmt == "html":
        size = write_map(the_plan, out, day)
    else:
        size = write_atomic(out, map_file(the_plan, fmt, day))  # a comparison's pages after the map
    _log(t("cli.written_size", lang, path=str(out), kb=size // 1024))


def _day(date: str | None) -> Any:
    """The --date flag as a date (none given: today, or SOURCE_DATE_EPOCH's day)."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(date) if date else clock.today()
    except ValueError:
        raise CartohdfError("cli.bad_date", value=date) from None


@main.command("atlas")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Fichier PDF à écrire.")  # fmt: skip
@click.option("--zoning", type=click.Choice(list(ZONINGS)), default="ze2010", show_default=True,
              help="Zonage : ze2010 (celui de l'étude) ou ze2020 (actuel).")  # fmt: skip
@click.option("--lang", type=click.Choice(list(LANGS)), default=None,
              help="Langue de l'atlas : fr (défaut) ou en.")  # fmt: skip
@click.option("--zone", "zone", default=None,
              help="Code d'une zone (ex. 2203) : son seul portrait, sur une page.")  # fmt: skip
@click.option("--date", "date", default=None,
              help="Date de génération affichée (AAAA-MM-JJ ; défaut : aujourd'hui).")  # fmt: skip
@click.option("--indicator", "indicator", default=None,
              help="Indicateur des cartes (comme export, ex. sector_jobs_ch en ze2020 ; défaut : industrial_share).")  # fmt: skip
@click.option("--source", "source", default=None,
              help="Nom d'un import Urssaf (données d'emploi de l'atlas).")  # fmt: skip
@click.option("--level", "level", default=None,
              help="commune, epci ou departement (avec --source) : la carte de ce niveau, page 2.")  # fmt: skip
@click.option("--within", "within", default=None,
              help="Avec --level commune : les communes d'une seule zone (ex. 3203).")  # fmt: skip
@_friendly_errors
def atlas(out: Path, zoning: str, lang: str | None, zone: str | None, date: str | None,
          indicator: str | None, source: str | None, level: str | None, within: str | None) -> None:  # fmt: skip
    """Atlas PDF des zones : couverture, sommaire, une page par zone, secteurs, sources ; ou le portrait d'une zone."""
    from cartohdf.data import dataset_for
    from cartohdf.export import atlas_pdf, portrait_pdf
    from cartohdf.state import from_query

    lang = _lang(lang)
    day = _day(date)
    view = from_query({"zoning": zoning, "lang": lang, **({"indicator": indicator} if indicator else {}),
                       **({"source": source} if source else {}), **({"level": level} if level else {}),
                       **({"within": within} if within else {})})  # fmt: skip
    data = dataset_for(view.source, "")
    if zone is None:
        body = atlas_pdf(data, zoning, lang, day, view)
    else:
        body = portrait_pdf(data, zoning, zone, lang, day, view)
    size = write_atomic(out, body)
    _log(t("cli.written_size", lang, path=str(out), kb=size // 1024))


@main.command("compare")
@click.argument("zones", nargs=-1, required=True)
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Fichier à écrire : comparaison.pdf (rapport : tableau, indice, nuage), .csv (pour Excel) ou .xlsx.")  # fmt: skip
@click.option("--zoning", type=click.Choice(list(ZONINGS)), default="ze2010", show_default=True,
              help="Zonage : ze2010 (celui de l'étude) ou ze2020 (actuel).")  # fmt: skip
@click.option("--year", "year", default=None, help="Année des indicateurs (défaut : la dernière du zonage).")
@click.option("--lang", type=click.Choice(list(LANGS)), default=None, help="Langue : fr (défaut) ou en.")
@click.option("--scatter", "scatter", default=None,
              help="Les deux indicateurs du nuage, séparés par une virgule (défaut : industrial_share,industrial_change).")  # fmt: skip
@click.option("--source", "source", default=None,
              help="Nom d'un import (`cartohdf import-urssaf`) : remplace les données d'emploi intégrées.")  # fmt: skip
@_friendly_errors
def compare_command(zones: tuple[str, ...], out: Path, zoning: str, year: str | None, lang: str | None,
                    scatter: str | None, source: str | None) -> None:  # fmt: skip
    """Compare 2 à 6 zones côte à côte (ex. `cartohdf compare 2203 2209 --out comparaison.pdf`)."""
    from cartohdf.export import compared_view, write_comparison
    from cartohdf.state import data_for, from_query, resolve

    lang = _lang(lang)
    codes = [c for z in zones for c in z.split(",") if c.strip()]
    query = {"zoning": zoning, "compare": ",".join(codes), "lang": lang}
    if year is not None:
        query["year"] = year
    if source:
        query["source"] = source
    state = from_query(query)
    data = data_for(state)
    state = resolve(state, data)
    axes = (*tuple((scatter or "").split(",")[:2]), None, None)
    view = compared_view(data, zoning, state.compare, lang, state.year, (axes[0] or None, axes[1] or None))
    size = write_comparison(view, out)
    _log(t("cli.written_size", lang, path=str(out), kb=size // 1024))


@main.command("import-urssaf")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Dossier des imports (défaut : imports/ à côté des données, ou CARTOHDF_IMPORTS_DIR).",
)
@click.option("--name", "name", default=None, help="Nom de l'import (défaut : tiré du nom du fichier).")  # fmt: skip
@_friendly_errors
def import_urssaf_cmd(file: Path, out: Path | None, name: str | None) -> None:
    """Importe le fichier Urssaf « établissements et effectifs salariés par commune x APE »."""
    # Arrow's allocator (mimalloc) gives freed memory back to the system at once rather than
    # after a delay: measured on 1.5 M rows (7 runs each), the import's peak resident memory
    # falls by ~15 MB (median 265 -> 250 MB), its CPU time does not change. Read when pyarrow
    # loads, which the next line does (not before).
    os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")
    from cartohdf.data import import_urssaf, load_communes

    lang = _lang()
    if not file.is_file():
        raise CartohdfError("err.file_not_found_path", path=str(file))
    communes = load_communes()
    total = file.stat().st_size
    with click.progressbar(
        length=max(total, 1), label=t("cli.reading", lang), file=sys.stderr
    ) as bar:
        done = [0]

        def progress(read: int, _total: int) -> None:
            bar.update(read - done[0])
            done[0] = read

        target, summary = import_urssaf(file, communes, out or paths.imports_dir(), name, progress)
    _log(t("cli.import_written", lang, path=str(target), name=target.name))
    _log(t("cli.import_rows", lang, rows=summary.rows, region=summary.rows_region,
           first=summary.years[0], last=summary.years[-1]))  # fmt: skip
    _log(
        t(
            "cli.import_zones",
            lang,
            ze2010=summary.zones.get("ze2010", 0),
            ze2020=summary.zones.get("ze2020", 0),
        )
    )
    if summary.rows_unplaced:
        _log(
            t(
                "cli.import_unplaced",
                lang,
                n=summary.rows_unplaced,
                communes=", ".join(summary.unplaced_communes[:10]),
            )
        )
    _log(t("cli.import_empty_cells", lang, n=summary.empty_cells_region))
    _log(t("cli.import_levels", lang, withheld=summary.withheld_cells_region,
           carried=len(summary.communes_carried_forward)))  # fmt: skip



def app_command(streamlit_args: tuple[str, ...]) -> list[str]:
    """The command that serves the app: Streamlit on this machine's loopback unless the
    options given say otherwise (they go to ``streamlit run`` as they are)."""
    asked = " ".join(streamlit_args)
    defaults = [] if "--server.address" in asked else ["--server.address", "127.0.0.1"]
    return [sys.executable, "-m", "streamlit", "run", str(paths.app_script()), *defaults,
            "--server.headless", "true", *streamlit_args]  # fmt: skip


@main.command(
    "app", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def app(streamlit_args: tuple[str, ...]) -> None:
    """Lance l'application (http://127.0.0.1:8501 ; options passées à « streamlit run »)."""
    command = app_command(streamlit_args)
    # run from the app's own folder: Streamlit reads its settings from ./.streamlit there
    os.chdir(paths.app_script().parent)
    if os.name == "nt":
        import subprocess

        sys.exit(subprocess.run(command, check=False).returncode)
    # Streamlit takes this process's place: a stop signal (Ctrl+C, `docker stop`, a service
    # manager) reaches the server itself, and no orphan server outlives `cartohdf app`
    os.execv(command[0], command)


if __name__ == "__main__":  # python -m cartohdf.front.cli
    main()
