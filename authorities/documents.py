"""Downloads of the change processes: the measure plan of one authority (PDF) and the overview (XLSX).

Each renderer returns `(filename, mimetype, content)`. The PDF is made by the worker
(authorities/tasks.py), never in a web request; the XLSX is small and made in the request.
"""

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook

from authorities.models.process import ChangeProcess, Field, MeasureStatus, Phase
from authorities.models.survey import PosterSize, SurveyWave
from authorities.models.survey_words import LANGUAGES, words
from portal import xlsx
from portal.downloads import file_slug
from portal.pdf import PDF, render_pdf

__all__ = [
    "PDF",
    "measure_plan_filename",
    "measure_plan_pdf",
    "overview_xlsx",
    "poster_filename",
    "public_survey_url",
    "survey_poster_pdf",
]


# --- the measure plan (PDF) -----------------------------------------------------------------------


def measure_plan_context(process: ChangeProcess) -> dict:
    """Everything the plan shows, in five queries whatever the number of goals and measures."""
    today = timezone.localdate()
    return {
        "process": process,
        "authority": process.authority,
        "phases": [
            {"number": number, "label": label, "current": number == process.phase}
            for number, label in Phase.choices
        ],
        "goals": process.goals.with_progress(),
        "measures": process.measures.for_plan().with_overdue(today),
        "milestones": process.milestones.all(),
        "today": today,
    }


def measure_plan_pdf(process: ChangeProcess, *, lang: str = "de") -> tuple[str, str, bytes]:
    with translation.override(lang):
        content = render_pdf("pdf/measure_plan.html", measure_plan_context(process))
        filename = measure_plan_filename(process)
    return filename, PDF, content


def measure_plan_filename(process: ChangeProcess) -> str:
    return _("massnahmenplan-%(name)s-%(date)s.pdf") % {
        "name": file_slug(process.authority.name) or process.authority_id,
        "date": f"{timezone.localdate():%Y-%m-%d}",
    }


# --- the overview (XLSX) --------------------------------------------------------------------------


def overview_xlsx(rows, *, lang: str = "de") -> tuple[str, str, bytes]:
    """The rows of selectors.overview.overview_rows() as a spreadsheet, one line per running process."""
    with translation.override(lang):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Veränderungsprozesse"))
        header = [
            _("Ausländerbehörde"),
            _("Land"),
            _("Phase"),
            _("Status"),
            _("Prozessbegleitung"),
            _("Beginn"),
            *[_("Maßnahmen: %(status)s") % {"status": label} for _code, label in MeasureStatus.choices],
            *[_("Maßnahmen: %(field)s") % {"field": label} for _code, label in Field.choices],
            _("Maßnahmen überfällig"),
            _("Meilensteine"),
            _("Meilensteine erreicht"),
            _("Meilensteine überfällig"),
        ]
        # Widths must be set before the first row in write-only mode.
        for index, width in enumerate([34, 18, 20, 12, 24, 12] + [14] * (len(header) - 6)):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        xlsx.header(sheet, header)
        for process in rows:
            coach = process.coach
            sheet.append(
                [
                    xlsx.text(sheet, process.authority.name),
                    xlsx.text(sheet, process.authority.get_state_display()),
                    xlsx.text(sheet, process.get_phase_display()),
                    xlsx.text(sheet, process.get_status_display()),
                    xlsx.text(sheet, coach.get_full_name() or coach.email),
                    xlsx.date(sheet, process.started_on),
                    *[getattr(process, f"measures_{code}") for code in MeasureStatus.values],
                    *[getattr(process, f"measures_{code}") for code in Field.values],
                    process.measures_overdue,
                    process.milestones_total,
                    process.milestones_reached,
                    process.milestones_overdue,
                ]
            )
        filename = _("veraenderungsprozesse-%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y-%m-%d}"}
    return filename, xlsx.XLSX, xlsx.to_bytes(workbook)


# --- the customer survey's poster and table card (PDF) --------------------------------------------


def public_survey_url(wave: SurveyWave) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("survey:answer_de", args=[wave.key])


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG, drawn here (segno): no service elsewhere sees the link."""
    svg = segno.make(url, error="m").svg_inline(border=2, omitsize=True, dark="#000", light="#fff")
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR-Code" ', 1))  # noqa: S308 (segno's markup)


def survey_poster_pdf(wave: SurveyWave, size: str) -> tuple[str, str, bytes]:
    """The poster: the authority's name, the QR code of the public link, the link as text and one
    line per language inviting to answer, each in its own language and direction."""
    url = public_survey_url(wave)
    with translation.override("de"):
        context = {
            "wave": wave,
            "authority": wave.authority,
            "size": size,
            "url": url,
            "qr": qr_svg(url),
            "lines": [
                {"language": language, "text": words(code)["invitation"]}
                for code, language in LANGUAGES.items()
            ],
        }
        content = render_pdf("pdf/survey_poster.html", context)
    return poster_filename(wave, size), PDF, content


def poster_filename(wave: SurveyWave, size: str) -> str:
    kind = "aushang" if size == PosterSize.A4 else "tischkarte"
    return f"umfrage-{kind}-{file_slug(wave.authority.name) or wave.authority_id}.pdf"
