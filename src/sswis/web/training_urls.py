"""The training's pages (``/training/``, namespace ``web``): institutions and programmes, completions,
competency frameworks and gaps, the field practicum."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = [
    # institutions, programmes, instructors, intakes (catalogue)
    # completions and their imports
    # competency frameworks, assessments, gaps, training needs
    # field practicum
]
