"""Command line: `cartohdf build-data | export-data | compare-study | export`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from cartohdf import paths
from cartohdf.errors import CartohdfError

F = TypeVar("F", bound=Callable[..., Any])


def _friendly_errors(func: F) -> F:
    """Turn a CartohdfError into a one-line message and exit code 2, no traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CartohdfError as exc:
            click.echo(f"Erreur : {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


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
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=paths.ROOT,
    show_default=True,
    help="Dossier où écrire geo/ et data/.",
)
@_friendly_errors
def build_data(raw: Path, out: Path) -> None:
    """Régénère tous les fichiers dérivés de geo/ et data/ à partir des données brutes."""
    from cartohdf.build import build_all

    if not raw.is_dir():
        raise CartohdfError(f"dossier de données brutes introuvable : {raw}")
    measures = build_all(raw, out / "geo", out / "data", _log)
    _log(
        f"terminé : {measures['ze2010_zones']} zones ZE2010, {measures['ze2020_zones']} zones ZE2020, "
        f"erreur de tracé max {measures['boundary_error_m']['max']} m"
    )


def _data_options(func: F) -> F:
    """Options that change the data behind a map or a table."""
    opts = [
        click.option(
            "--employment",
            "employment",
            type=click.Path(path_type=Path, file_okay=False),
            help="Dossier écrit par `cartohdf import-urssaf` : remplace les données d'emploi intégrées.",
        ),
        click.option(
            "--indicator-file",
            "indicator_file",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Votre indicateur par zone (CSV ou XLSX : une colonne de codes, une de valeurs).",
        ),
        click.option(
            "--indicator-column",
            "indicator_column",
            help="Colonne de valeurs à prendre dans ce fichier.",
        ),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def _load_data(employment: Path | None, indicator_file: Path | None, indicator_column: str | None,
               zoning: str | None = None) -> tuple[Any, Any]:  # fmt: skip
    """The dataset, with an import and/or a user indicator applied; returns (data, user indicator)."""
    from cartohdf.dataset import (
        load_dataset,
        user_zones,
        with_employment_import,
        with_user_indicator,
    )
    from cartohdf.userdata import parse_indicator

    data = load_dataset()
    if employment is not None:
        data = with_employment_import(data, employment)
    user = None
    if indicator_file is not None:
        if not indicator_file.is_file():
            raise CartohdfError(f"fichier introuvable : {indicator_file}")
        user = parse_indicator(indicator_file.read_bytes(), indicator_file.name, user_zones(data),
                               column=indicator_column, zoning=zoning)  # fmt: skip
        data = with_user_indicator(data, user)
    return data, user


@main.command("export-data")
@click.option(
    "--zoning",
    type=click.Choice(["ze2010", "ze2020"]),
    default="ze2010",
    show_default=True,
    help="Zonage : ze2010 (celui de l'étude) ou ze2020 (actuel).",
)
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["csv", "geojson"]),
    default="csv",
    show_default=True,
    help="Format du fichier.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Fichier à écrire.",
)
@_data_options
@_friendly_errors
def export_data(
    zoning: str,
    fmt_: str,
    out: Path,
    employment: Path | None,
    indicator_file: Path | None,
    indicator_column: str | None,
) -> None:
    """Exporte une ligne par zone : code, nom, puis chaque indicateur pour chaque année."""
    from cartohdf.export import write_zone_table

    data, _ = _load_data(employment, indicator_file, indicator_column, zoning)
    write_zone_table(data, zoning, fmt_, out)
    _log(f"écrit : {out}")


@main.command("compare-study")
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["text", "csv"]),
    default="text",
    show_default=True,
    help="text : tableau lisible ; csv : pour un tableur.",
)
@_friendly_errors
def compare_study(fmt_: str) -> None:
    """Compare les chiffres de l'étude de 2019 aux mêmes chiffres recalculés sur données ouvertes."""
    from cartohdf import fmt
    from cartohdf.dataset import load_dataset
    from cartohdf.study import compare, verbatim

    data = load_dataset()
    table = compare(data)
    if fmt_ == "csv":
        click.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)
        return
    for _, row in table.iterrows():
        click.echo(f"• {row['Chiffre']}")
        click.echo(
            f"    étude : {row['Étude (2019)']}   |   données ouvertes : {row['Données ouvertes']}"
            f"   |   écart : {row['Écart']}"
        )
        click.echo(f"    {row['Différence de définition']}")
    rest = verbatim(data, table)
    click.echo(
        f"\nRepris tels quels de l'étude (aucune donnée ouverte pour les recalculer) : {len(rest)} chiffres"
    )
    for _, r in rest.iterrows():
        click.echo(
            f"  - {r['label_fr']} : {fmt.stated(r['value'])} {r['unit']} ({r['period'] or 's.d.'})"
        )


def _state_options(func: F) -> F:
    """The MapState flags, shared by every command that draws a map."""
    from cartohdf import mapstate

    opts = [
        click.option("--zoning", help="ze2010 (zonage de l'étude, défaut) ou ze2020."),
        click.option(
            "--indicator",
            help="Indicateur : industrial_share (défaut), industrial_share_market, "
            "industrial_jobs, industrial_change, specialisation, specialisation_<a38> (ze2020).",
        ),
        click.option(
            "--year", help="Année (ex. 2017) ou période pour industrial_change (ex. 2007-2017)."
        ),
        click.option("--scheme", help=f"Classes : {', '.join(mapstate.SCHEMES)}."),
        click.option("--k", help="Nombre de classes, 3 à 7 (défaut 5)."),
        click.option(
            "--breaks", help="Bornes du schéma user, séparées par des virgules (ex. 0.1,0.2,0.3)."
        ),
        click.option("--palette", help=f"Palette : {', '.join(mapstate.PALETTES)}."),
        click.option(
            "--layers",
            help="Couches visibles, ex. s3,employers,ti2018 (s3 = les 7 domaines ; none).",
        ),
        click.option("--zone", help="Code de la zone sélectionnée (ex. 2203)."),
        click.option("--basemap", help=f"Fond de carte : {', '.join(mapstate.BASEMAPS)}."),
        click.option("--lang", help="Langue : fr (défaut) ou en."),
    ]
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
    help="Fichier HTML autonome à écrire (fonctionne hors ligne).",
)
@click.option(
    "--date",
    "date",
    default=None,
    help="Date de génération affichée (AAAA-MM-JJ ; défaut : aujourd'hui).",
)
@_data_options
@_friendly_errors
def export(
    out: Path,
    date: str | None,
    employment: Path | None,
    indicator_file: Path | None,
    indicator_column: str | None,
    **params: str | None,
) -> None:
    """Exporte la carte en un fichier HTML autonome, identique à celle de l'application."""
    import datetime as dt

    from cartohdf.mapstate import from_query
    from cartohdf.mapview import map_html

    data, user = _load_data(employment, indicator_file, indicator_column, params.get("zoning"))
    query = {k: v for k, v in params.items() if v is not None}
    if user is not None:  # the file's indicator is what the user asked to see
        query.setdefault("indicator", "user")
        query.setdefault("zoning", user.zoning)
    state = from_query(query)
    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise CartohdfError(f"--date : {date!r} n'est pas une date AAAA-MM-JJ") from None
    html = map_html(state, data, day)
    out.write_text(html, encoding="utf-8")
    _log(f"écrit : {out} ({len(html.encode()) // 1024} Ko)")


@main.command("import-urssaf")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Dossier des imports (défaut : imports/ à côté des données).",
)
@click.option("--name", "name", default=None, help="Nom de l'import (défaut : nom du fichier).")
@_friendly_errors
def import_urssaf_cmd(file: Path, out: Path | None, name: str | None) -> None:
    """Importe le fichier Urssaf « établissements et effectifs salariés par commune x APE »."""
    from cartohdf import sources
    from cartohdf.urssaf_import import import_urssaf

    communes = sources.load_communes()
    total = file.stat().st_size if file.is_file() else 0
    with click.progressbar(length=max(total, 1), label="lecture", file=sys.stderr) as bar:
        done = [0]

        def progress(read: int, _total: int) -> None:
            bar.update(read - done[0])
            done[0] = read

        target, summary = import_urssaf(file, communes, out or sources.IMPORTS_DIR, name, progress)
    _log(f"import écrit : {target}")
    _log(
        f"{summary.rows} lignes lues, {summary.rows_region} dans la région, années {summary.years[0]}-{summary.years[-1]}"
    )
    _log(
        f"zones couvertes : {summary.zones.get('ze2010', 0)} ZE2010, {summary.zones.get('ze2020', 0)} ZE2020"
    )
    if summary.rows_unplaced:
        shown = ", ".join(summary.unplaced_communes[:10])
        _log(f"non placées : {summary.rows_unplaced} lignes, communes inconnues {shown}")
    _log(
        f"cellules vides dans la région (aucun salarié ou secret statistique) : {summary.empty_cells_region}"
    )
    if summary.rows_region == 0:
        _log("attention : aucune commune des Hauts-de-France dans ce fichier, rien à cartographier")
