"""The self-check (Selbstcheck Willkommenskultur), its questionnaire, and the catalogue of example
measures. The results are shown on the process page's part "Selbstcheck" (_results.html)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from authorities import rules
from authorities.forms.assessment import (
    AssessmentForm,
    CatalogueFilterForm,
    DimensionForm,
    MeasureTemplateForm,
    StatementForm,
)
from authorities.models.assessment import Dimension, MeasureTemplate, Statement
from authorities.rules import process_for
from authorities.selectors.assessment import active_questionnaire, default_label
from authorities.services import assessment as services
from authorities.views.process import part_crumb
from portal.forms import form_errors
from portal.permissions import rule_required


def _questionnaire_or_404():
    questionnaire = active_questionnaire()
    if questionnaire is None:
        raise Http404(_("Es gibt keinen Fragebogen in Verwendung."))
    return questionnaire


def _dimensions_of(questionnaire) -> list[Dimension]:
    return list(
        questionnaire.dimensions.prefetch_related(
            Prefetch("statements", queryset=Statement.objects.order_by("position", "pk"))
        )
    )


def assessment_new(request, pk, process_pk):
    # Scoped first: staff of another authority and funders get 404, not 403.
    process = process_for(request.user, pk, process_pk)
    if not rules.may_fill_in_self_check(request.user, process):
        raise PermissionDenied
    questionnaire = _questionnaire_or_404()
    back = process.section_url("selbstcheck")
    form = AssessmentForm(
        request.POST or None,
        dimensions=_dimensions_of(questionnaire),
        initial={"label": default_label(process)},
    )
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            assessment = services.assessment_submit(
                process=process,
                questionnaire=questionnaire,
                label=form.cleaned_data["label"],
                ratings=form.ratings(),
                by=request.user,
            )
            messages.success(
                request, _("Der Selbstcheck „%(label)s“ wurde gespeichert.") % {"label": assessment.label}
            )
            return redirect(back)
    context = {
        "form": form,
        "process": process,
        "authority": process.authority,
        "questionnaire": questionnaire,
        "back": back,
        "part_crumb": part_crumb("selbstcheck", back),
    }
    return render(request, "authorities/assessment/form.html", context)


@rule_required(rules.may_edit_questionnaire)
def questionnaire_edit(request):
    questionnaire = _questionnaire_or_404()
    posted = request.POST if request.method == "POST" else None
    # Two small forms on one page; the prefix of the posted fields tells which one was sent.
    dimension_form = DimensionForm(
        posted if posted and "dimension-name" in posted else None, prefix="dimension"
    )
    statement_form = StatementForm(
        posted if posted and "statement-text" in posted else None,
        prefix="statement",
        questionnaire=questionnaire,
    )
    if dimension_form.is_bound and dimension_form.is_valid():
        dimension = services.dimension_add(
            questionnaire=questionnaire,
            name=dimension_form.cleaned_data["name"],
            name_en=dimension_form.cleaned_data["name_en"],
            by=request.user,
        )
        messages.success(request, _("Die Dimension „%(name)s“ wurde hinzugefügt.") % {"name": dimension.name})
        return redirect("authorities:questionnaire")
    if statement_form.is_bound and statement_form.is_valid():
        services.statement_add(
            dimension=statement_form.cleaned_data["dimension"],
            text=statement_form.cleaned_data["text"],
            text_en=statement_form.cleaned_data["text_en"],
            by=request.user,
        )
        messages.success(request, _("Die Aussage wurde hinzugefügt."))
        return redirect("authorities:questionnaire")
    context = {
        "questionnaire": questionnaire,
        "dimensions": _dimensions_of(questionnaire),
        "dimension_form": dimension_form,
        "statement_form": statement_form,
    }
    return render(request, "authorities/assessment/questionnaire.html", context)


@rule_required(rules.may_read_catalogue)
def catalogue(request):
    form = CatalogueFilterForm(request.GET)
    templates = form.apply(MeasureTemplate.objects.order_by("title"))
    context = {"form": form, "templates": templates, "may_edit": rules.may_edit_catalogue(request.user)}
    return render(request, "authorities/assessment/catalogue.html", context)


@rule_required(rules.may_edit_catalogue)
def catalogue_create(request):
    return _catalogue_form_page(request, None)


@rule_required(rules.may_edit_catalogue)
def catalogue_edit(request, template_pk):
    return _catalogue_form_page(request, get_object_or_404(MeasureTemplate, pk=template_pk))


def _catalogue_form_page(request, template):
    # The form gets its own copy: validating it changes the instance, the service writes the original.
    copy = MeasureTemplate.objects.get(pk=template.pk) if template else None
    form = MeasureTemplateForm(request.POST or None, instance=copy)
    if request.method == "POST" and form.is_valid():
        saved = services.measure_template_save(by=request.user, template=template, **form.cleaned_data)
        messages.success(
            request, _("Die Beispielmaßnahme „%(title)s“ wurde gespeichert.") % {"title": saved.title}
        )
        return redirect("authorities:catalogue")
    title = _("Beispielmaßnahme bearbeiten") if template else _("Beispielmaßnahme anlegen")
    return render(request, "authorities/assessment/catalogue_form.html", {"form": form, "title": title})
