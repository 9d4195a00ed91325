"""A WISN result written out step by step, as WHO's manual lays the calculation out (the command line's
``--format text``): each step with the figures it is made of, so a planner can redo it by hand.
Figures are rounded for reading (hours to 1 decimal, staff and factors to 4, percentages to 2) and
written as the language of the command line writes numbers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sswis.figures import rounded_number_text
from sswis.planning.wisn import WisnResult, WisnStudy


def _figure(value: float | None, places: int) -> str:
    """``value`` rounded to ``places`` decimals, written as the language writes numbers (``1,696.0``,
    ``1 696,0``)."""
    if value is None:
        return "—"
    return rounded_number_text(value, places=places)


def wisn_result_text(*, study: WisnStudy, result: WisnResult) -> str:
    time = study.working_time
    leave = time.public_holidays + time.annual_leave + time.sick_leave + time.other_leave
    lines = [
        _("WISN study: cadre %(cadre)s at %(location)s, %(year)s")
        % {
            "cadre": study.cadre,
            "location": study.location,
            "year": study.year,
        },
        "",
        _("Step 1. Available working time (AWT)"),
        _(
            "  (%(days)s working days - %(leave)s days of holidays and leave) x %(hours)s hours = %(awt)s hours"
        )
        % {
            "days": _figure(time.working_days, 1),
            "leave": _figure(leave, 1),
            "hours": _figure(time.hours_per_day, 2),
            "awt": _figure(result.available_working_time_hours, 1),
        },
        "",
        _("Step 2. Standard workloads and the staff each activity needs"),
    ]
    for activity in result.activities:
        lines.append(
            _(
                "  %(name)s: standard workload %(awt)s / %(unit)s h = %(standard)s a year; "
                "%(workload)s / %(standard)s = %(staff)s staff"
            )
            % {
                "name": activity.name,
                "awt": _figure(result.available_working_time_hours, 1),
                "unit": _figure(activity.unit_time_hours, 4),
                "standard": _figure(activity.standard_workload, 2),
                "workload": _figure(activity.annual_workload, 1),
                "staff": _figure(activity.required_staff, 4),
            }
        )
    lines += [
        _("  A (all activities) = %(staff)s staff") % {"staff": _figure(result.activities_required_staff, 4)},
        "",
        _("Step 3. Category allowance factor (CAF)"),
    ]
    for allowance in result.category_allowances:
        lines.append(
            _("  %(name)s: %(hours)s h / %(awt)s h = %(percent)s%%")
            % {
                "name": allowance.name,
                "hours": _figure(allowance.hours_per_year, 1),
                "awt": _figure(result.available_working_time_hours, 1),
                "percent": _figure(allowance.percent, 2),
            }
        )
    lines += [
        _("  CAF = 1 / (1 - %(percent)s%% / 100) = %(factor)s")
        % {
            "percent": _figure(result.category_allowance_percent, 2),
            "factor": _figure(result.category_allowance_factor, 4),
        },
        "",
        _("Step 4. Individual allowance factor (IAF)"),
    ]
    for allowance in result.individual_allowances:
        lines.append(
            _("  %(name)s: %(hours)s h x %(staff)s staff")
            % {
                "name": allowance.name,
                "hours": _figure(allowance.hours_per_year, 1),
                "staff": _figure(allowance.staff, 2),
            }
        )
    lines += [
        _("  IAF = %(factor)s") % {"factor": _figure(result.individual_allowance_factor, 4)},
        "",
        _("Step 5. Required staff = A x CAF + IAF = %(required)s")
        % {"required": _figure(result.required_staff, 4)},
        "",
        _(
            "Step 6. Existing staff %(existing)s; difference %(difference)s; WISN ratio %(ratio)s; workload pressure %(pressure)s%%"
        )
        % {
            "existing": _figure(result.existing_staff, 2),
            "difference": _figure(result.difference, 4),
            "ratio": _figure(result.wisn_ratio, 4),
            "pressure": _figure(result.workload_pressure, 2),
        },
    ]
    return "\n".join(lines)
