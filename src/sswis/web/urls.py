"""The pages of sswis (namespace ``web``). Every page but the login page requires a signed-in user."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import (
    auth,
    dashboard,
    imports,
    language,
    mapping_template,
    organisations,
    posts,
    submissions,
    surveys,
    workers,
)

app_name = "web"
urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("language/", language.language_choose_view, name="language"),
    path("", dashboard.dashboard, name="dashboard"),
    path("workers/", workers.worker_list_view, name="worker_list"),
    path("workers/new/", workers.worker_register_view, name="worker_register"),
    path("workers/export/", workers.worker_export_view, name="worker_export"),
    path("workers/<str:worker_id>/", workers.worker_detail_view, name="worker_detail"),
    path("workers/<str:worker_id>/edit/", workers.worker_edit_view, name="worker_edit"),
    path(
        "workers/<str:worker_id>/assignments/new/",
        workers.assignment_start_view,
        name="assignment_start",
    ),
    path("assignments/<uuid:assignment_uuid>/end/", workers.assignment_end_view, name="assignment_end"),
    path(
        "assignments/<uuid:assignment_uuid>/transfer/",
        workers.assignment_transfer_view,
        name="assignment_transfer",
    ),
    path("organisations/", organisations.organisation_list_view, name="organisation_list"),
    path("organisations/<str:code>/", organisations.organisation_detail_view, name="organisation_detail"),
    path("posts/", posts.post_list_view, name="post_list"),
    path("imports/", imports.import_list_view, name="import_list"),
    path("imports/new/", imports.import_upload_view, name="import_upload"),
    path("imports/<uuid:record_uuid>/", imports.import_detail_view, name="import_detail"),
    path(
        "imports/<uuid:record_uuid>/problems.<str:extension>",
        imports.import_problems_view,
        name="import_problems",
    ),
    path("imports/template/", mapping_template.mapping_template_view, name="mapping_template"),
    path("imports/submissions/", submissions.submissions_import_view, name="submissions_import"),
    path("imports/submissions/xlsform/", submissions.xlsform_view, name="xlsform"),
    path("surveys/perceptions/", surveys.perceptions_view, name="perceptions"),
]
