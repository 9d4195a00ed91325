"""A starter set for a social-work WISN study: the main activities of a social worker in child
protection, with activity standards (hours one unit takes) and common support work.

These are EXAMPLES to adjust, not norms: WHO's method sets activity standards with the workers who do
the work, in the country, by expert working groups. The figures below only give a planner something
concrete to start a study from and to replace with their own; every page and document that shows them
says so.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

# (name, hours one unit takes)
STARTER_ACTIVITIES = (
    (gettext_lazy("Assessment of a child and family"), 3.0),
    (gettext_lazy("Case planning"), 2.0),
    (gettext_lazy("Home visit"), 2.5),
    (gettext_lazy("Court report"), 4.0),
    (gettext_lazy("Family conference"), 3.0),
    (gettext_lazy("Follow-up contact"), 1.0),
)

# (name, hours a year per worker)
STARTER_CATEGORY_ALLOWANCES = (
    (gettext_lazy("Supervision received"), 104.0),
    (gettext_lazy("Team meetings"), 48.0),
    (gettext_lazy("Training"), 40.0),
)

# (name, hours a year per worker who does it, workers who do it)
STARTER_INDIVIDUAL_ALLOWANCES = ((gettext_lazy("Supervising other workers"), 200.0, 1.0),)

# A common working year: 5 days a week, 8 hours a day, typical holidays and leave.
STARTER_WORKING_TIME = {
    "working_days": 260,
    "public_holidays": 12,
    "annual_leave": 21,
    "sick_leave": 10,
    "other_leave": 5,
    "hours_per_day": 8,
}
