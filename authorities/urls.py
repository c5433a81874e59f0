from django.urls import path

from authorities.views import assessment, overview, process, registry, staff_survey, survey

app_name = "authorities"

CONTACT = "<id:pk>/ansprechpersonen/<id:contact_pk>/"
P = "<id:pk>/prozess/<id:process_pk>/"

urlpatterns = [
    # registry: the authorities, their contact persons and history
    path("", registry.authority_list, name="list"),
    path("export.csv", registry.authority_export, name="export"),
    path("neu/", registry.authority_create, name="create"),
    path("<id:pk>/", registry.authority_detail, name="detail"),
    path("<id:pk>/bearbeiten/", registry.authority_edit, name="edit"),
    path("<id:pk>/status/", registry.authority_status, name="status"),
    path("<id:pk>/status/<id:change_pk>/datum/", registry.status_change_correct, name="status_correct"),
    path("<id:pk>/ansprechpersonen/neu/", registry.contact_create, name="contact_create"),
    path(CONTACT, registry.contact_edit, name="contact_edit"),
    path(CONTACT + "entfernen/", registry.contact_delete, name="contact_delete"),
    # process: an authority's change process
    path("<id:pk>/prozess/beginnen/", process.process_start, name="process_start"),
    path(P, process.process_detail, name="process"),
    path(P + "meilensteine-und-beratungen/", process.process_milestones, name="process_milestones"),
    path(P + "selbstcheck/", process.process_self_check, name="process_self_check"),
    path(P + "verlauf/", process.process_history, name="process_history"),
    path(P + "einstellungen/", process.process_edit, name="process_edit"),
    path(P + "phase/", process.phase_change, name="phase_change"),
    path(P + "status/<id:change_pk>/datum/", process.process_status_correct, name="process_status_correct"),
    path(P + "ziele/neu/", process.goal_create, name="goal_create"),
    path(P + "ziele/<id:goal_pk>/", process.goal_edit, name="goal_edit"),
    path(P + "massnahmen/neu/", process.measure_create, name="measure_create"),
    path(P + "massnahmen/aus-dem-katalog/", process.measure_from_template, name="measure_from_template"),
    path(P + "massnahmen/<id:measure_pk>/", process.measure_edit, name="measure_edit"),
    path(P + "massnahmen/<id:measure_pk>/entfernen/", process.measure_delete, name="measure_delete"),
    path(
        P + "massnahmen/<id:measure_pk>/umgesetzt-am/",
        process.measure_done_on_correct,
        name="done_on_correct",
    ),
    path(P + "meilensteine/neu/", process.milestone_create, name="milestone_create"),
    path(P + "meilensteine/<id:milestone_pk>/", process.milestone_edit, name="milestone_edit"),
    path(P + "beratungen/neu/", process.consultation_create, name="consultation_create"),
    # assessment: the self-check, its questionnaire and the catalogue of example measures
    path(P + "selbstcheck/neu/", assessment.assessment_new, name="assessment_new"),
    path("selbstcheck/fragebogen/", assessment.questionnaire_edit, name="questionnaire"),
    path("katalog/", assessment.catalogue, name="catalogue"),
    path("katalog/neu/", assessment.catalogue_create, name="catalogue_create"),
    path("katalog/<id:template_pk>/", assessment.catalogue_edit, name="catalogue_edit"),
    # overview: all running processes, and the measure plan as a PDF
    path("prozesse/", overview.process_overview, name="process_overview"),
    path("prozesse/export.xlsx", overview.process_overview_xlsx, name="process_overview_xlsx"),
    path("<id:pk>/massnahmenplan/", overview.measure_plan, name="measure_plan"),
    path("<id:pk>/massnahmenplan.pdf", overview.measure_plan_pdf, name="measure_plan_pdf"),
    # survey: the customers' survey of an authority (waves, poster, results, comments)
    path("<id:pk>/umfrage/", survey.survey_home, name="survey"),
    path("<id:pk>/umfrage/team/", staff_survey.staff_home, name="staff_survey"),
    path("<id:pk>/umfrage/team/<id:wave_pk>/", staff_survey.staff_wave, name="staff_wave"),
    path("<id:pk>/umfrage/<id:wave_pk>/", survey.wave_results, name="survey_results"),
    path("<id:pk>/umfrage/<id:wave_pk>/schliessen/", survey.wave_close, name="survey_close"),
    path("<id:pk>/umfrage/<id:wave_pk>/massnahmen/", survey.survey_measures, name="survey_measures"),
    path("<id:pk>/umfrage/<id:wave_pk>/aushang-<str:size>.pdf", survey.wave_poster, name="survey_poster"),
    path(
        "<id:pk>/umfrage/<id:wave_pk>/kommentare/<uuid:comment_pk>/",
        survey.comment_review,
        name="survey_comment",
    ),
]

# The public pages customers answer on, without login (mounted at /umfrage/ as namespace "survey").
public_urlpatterns = [
    # A colleague's one-time link of the staff survey (wave keys are 12 characters, never "team").
    path("team/<str:token>/", staff_survey.staff_answer, name="staff_answer"),
    path("<str:key>/", survey.survey_answer, name="answer_de"),
    path("<str:key>/<str:language>/", survey.survey_answer, name="answer"),
    path("<str:key>/<str:language>/danke/", survey.survey_thanks, name="thanks"),
]
