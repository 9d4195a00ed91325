"""Routes of the REST API, mounted under ``/api/v1/`` (namespace ``api``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import APIRootView, DefaultRouter

from sswis.api.permissions import AGGREGATES
from sswis.api.views.auth import TokenObtainView, TokenRevokeAllView, TokenRevokeView
from sswis.api.views.docs import RedocDocsView, SwaggerDocsView
from sswis.api.views.imports import ImportRecordViewSet
from sswis.api.views.indicators import IndicatorDefinitionsView, IndicatorsView
from sswis.api.views.mapping_template import MappingTemplateView
from sswis.api.views.merging import WorkerMergeDetailView, WorkerMergeListView, WorkerUnmergeView
from sswis.api.views.planning import (
    NormGapsView,
    ScenarioComparisonView,
    ScenarioDetailView,
    ScenarioListView,
    ScenarioProjectionView,
    WisnView,
)
from sswis.api.views.planning_costs import CadreCostListView, SalaryScaleListView, WorkforceCostsView
from sswis.api.views.planning_graduates import ScenarioTrainingGraduatesView
from sswis.api.views.planning_studies import (
    NormDetailView,
    NormListView,
    SettingGapsView,
    WisnStudyDetailView,
    WisnStudyListView,
    WisnStudyLocationsView,
)
from sswis.api.views.public import PublicRegisterView
from sswis.api.views.reference import (
    CadreViewSet,
    LocationViewSet,
    OrganisationViewSet,
    PopulationEstimateViewSet,
)
from sswis.api.views.registry import AssignmentViewSet, PostViewSet, WorkerViewSet
from sswis.api.views.regulation import (
    CpdImportView,
    RegisterListView,
    RegistrationDetailView,
    RegistrationListView,
    RegistrationStepView,
    RegulationSetupSaveView,
    RegulationSetupView,
    RegulationStatisticsView,
)
from sswis.api.views.regulation_cases import (
    ComplaintDetailView,
    ComplaintListView,
    ComplaintStepView,
    ExamSessionDetailView,
    ExamSessionListView,
    ExamSessionStepView,
)
from sswis.api.views.surveys import (
    PerceptionsView,
    SubmissionsImportView,
    SurveyRoundViewSet,
    XLSFormView,
)

app_name = "api"


class ApiRootView(APIRootView):
    """Links to the API's resources (users with a role only, like everything else)."""

    permission_classes = AGGREGATES


router = DefaultRouter()
router.APIRootView = ApiRootView
router.register("locations", LocationViewSet, basename="location")
router.register("population", PopulationEstimateViewSet, basename="population")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("cadres", CadreViewSet, basename="cadre")
router.register("posts", PostViewSet, basename="post")
router.register("workers", WorkerViewSet, basename="worker")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("imports", ImportRecordViewSet, basename="import")
router.register("survey-rounds", SurveyRoundViewSet, basename="survey-round")

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="token-revoke"),
    path("auth/token/revoke-all/", TokenRevokeAllView.as_view(), name="token-revoke-all"),
    path("indicators/", IndicatorsView.as_view(), name="indicators"),
    path("indicators/definitions/", IndicatorDefinitionsView.as_view(), name="indicator-definitions"),
    path("template/", MappingTemplateView.as_view(), name="template"),
    # Before the router's workers/<worker ID>/: "merges" is no worker ID here.
    path("workers/merges/", WorkerMergeListView.as_view(), name="worker-merges"),
    path("workers/merges/<uuid:uuid>/", WorkerMergeDetailView.as_view(), name="worker-merge"),
    path("workers/merges/<uuid:uuid>/unmerge/", WorkerUnmergeView.as_view(), name="worker-unmerge"),
    path("regulation/registers/", RegisterListView.as_view(), name="regulation-registers"),
    path("regulation/registrations/", RegistrationListView.as_view(), name="regulation-registrations"),
    path("regulation/statistics/", RegulationStatisticsView.as_view(), name="regulation-statistics"),
    path("regulation/setup/", RegulationSetupView.as_view(), name="regulation-setup"),
    path("regulation/cpd-import/", CpdImportView.as_view(), name="regulation-cpd-import"),
    path("regulation/setup/<str:what>/", RegulationSetupSaveView.as_view(), name="regulation-setup-save"),
    path(
        "regulation/registrations/<int:pk>/",
        RegistrationDetailView.as_view(),
        name="regulation-registration",
    ),
    path(
        "regulation/registrations/<int:pk>/<str:step>/",
        RegistrationStepView.as_view(),
        name="regulation-registration-step",
    ),
    path("regulation/exams/", ExamSessionListView.as_view(), name="regulation-exams"),
    path("regulation/exams/<int:pk>/", ExamSessionDetailView.as_view(), name="regulation-exam"),
    path("regulation/exams/<int:pk>/<str:step>/", ExamSessionStepView.as_view(), name="regulation-exam-step"),
    path("regulation/complaints/", ComplaintListView.as_view(), name="regulation-complaints"),
    path("regulation/complaints/<int:pk>/", ComplaintDetailView.as_view(), name="regulation-complaint"),
    path(
        "regulation/complaints/<int:pk>/<str:step>/",
        ComplaintStepView.as_view(),
        name="regulation-complaint-step",
    ),
    path("plan/norms/", NormGapsView.as_view(), name="plan-norms"),
    path("plan/scenarios/", ScenarioListView.as_view(), name="plan-scenarios"),
    path("plan/scenarios/compare/", ScenarioComparisonView.as_view(), name="plan-scenario-comparison"),
    path("plan/scenarios/<str:code>/", ScenarioDetailView.as_view(), name="plan-scenario"),
    path(
        "plan/scenarios/<str:code>/projection/",
        ScenarioProjectionView.as_view(),
        name="plan-scenario-projection",
    ),
    path(
        "plan/scenarios/<str:code>/training-graduates/",
        ScenarioTrainingGraduatesView.as_view(),
        name="plan-scenario-training-graduates",
    ),
    path("plan/wisn/", WisnView.as_view(), name="plan-wisn"),
    path("plan/studies/", WisnStudyListView.as_view(), name="plan-studies"),
    path("plan/studies/<str:code>/", WisnStudyDetailView.as_view(), name="plan-study"),
    path("plan/studies/<str:code>/locations/", WisnStudyLocationsView.as_view(), name="plan-study-locations"),
    path("plan/targets/", NormListView.as_view(), name="plan-targets"),
    path("plan/targets/<int:pk>/", NormDetailView.as_view(), name="plan-target"),
    path("plan/settings/", SettingGapsView.as_view(), name="plan-settings"),
    path("plan/costs/", WorkforceCostsView.as_view(), name="plan-costs"),
    path("plan/salary-scales/", SalaryScaleListView.as_view(), name="plan-salary-scales"),
    path("plan/cadre-costs/", CadreCostListView.as_view(), name="plan-cadre-costs"),
    path("perceptions/", PerceptionsView.as_view(), name="perceptions"),
    path("public/register/", PublicRegisterView.as_view(), name="public-register"),
    path("xlsform/", XLSFormView.as_view(), name="xlsform"),
    path("imports/submissions/", SubmissionsImportView.as_view(), name="submissions-import"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(), name="docs"),
    path("redoc/", RedocDocsView.as_view(), name="redoc"),
    path("training/", include("sswis.api.training_urls")),
    path("quality/", include("sswis.api.quality_urls")),
    path("duplicates/", include("sswis.api.duplicate_urls")),
    path("support/primero/", include("sswis.api.primero_urls")),
    path("dhis2/", include("sswis.api.dhis2_urls")),
    path("reports/", include("sswis.api.report_urls")),
    path("support/associations/", include("sswis.api.association_urls")),
    path("support/", include("sswis.api.caseload_urls")),
    path("support/retention/", include("sswis.api.retention_urls")),
    path("support/supervision/", include("sswis.api.supervision_urls")),
    path("", include(router.urls)),
]
