"""The demo country's quality-assurance score: a normative framework inventory (a children's act in force,
a social work professions bill in draft, national standards, a code of ethics, a workforce strategy under
review) and the scores of record of the year before the demo's last, so that the score's pages show
something on first start. The last year is left to score: its page shows the proposals only.

Everything is written through the quality's services by the demo's national data manager: criterion 1 is
scored from the inventory; criteria 2-4 accept the proposals sswis computes from the demo's data. A second
run writes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from sswis.quality.models import Criterion, CriterionScore, Instrument
from sswis.quality.proposals import proposals_compute
from sswis.quality.services import instrument_add, score_record
from sswis.registry.models import Cadre

D = datetime.date
# title -> kind, status, reference, issuing body, adopted on, in force from, cadre codes (empty: the whole
# workforce), notes
INSTRUMENTS: dict[str, tuple[str, str, str, str, D | None, D | None, tuple[str, ...], str]] = {
    "Children's Act": (
        "law", "in_force", "Act No. 8 of 2012", "Parliament of Kandara", D(2012, 6, 14), D(2013, 1, 1), (),
        "Defines child protection duties of the social welfare service and of district child protection "
        "committees.",
    ),
    "Social Work Professions Bill": (
        "law", "draft", "Bill No. 21 of 2024", "Ministry of Social Welfare", None, None, ("SWO", "SW", "PO"),
        "Would set up the Social Service Council in law and make registration compulsory; before Cabinet.",
    ),
    "National Standards for Child Protection Services": (
        "standard", "in_force", "MSW/STD/2019/1", "Ministry of Social Welfare", D(2019, 3, 1), D(2019, 7, 1), (),
        "Minimum standards of case management, supervision and record keeping.",
    ),
    "Code of Ethics for Social Service Workers": (
        "code_of_ethics", "in_force", "SSC/CE/2020", "Social Service Council", D(2020, 9, 30), D(2021, 1, 1), (),
        "",
    ),
    "Social Service Workforce Strategy 2021-2025": (
        "strategy", "under_review", "", "Ministry of Social Welfare", D(2021, 2, 1), D(2021, 2, 1), (),
        "Mid-term review under way.",
    ),
}  # fmt: skip
# The code of ethics and the framework score carry a short evidence file, so their file pages have one to show.
EVIDENCE_FILE_OF = "Code of Ethics for Social Service Workers"
FRAMEWORK_SCORE = 3
FRAMEWORK_EVIDENCE = (
    "The Children's Act (2012), the national standards (2019) and the code of ethics (2020) are in force; the "
    "social work professions bill, which would give the council its legal basis, is still a draft."
)


@transaction.atomic
def demo_quality_set(*, actor: Any, last_year: int) -> int:
    """Add the inventory's instruments missing (by title) and, when the year before ``last_year`` has no
    score yet, record its four criteria. Returns the number of instruments added."""
    cadres = {cadre.code: cadre for cadre in Cadre.objects.all()}
    added = 0
    for title, (kind, status, reference, body, adopted, start, codes, notes) in INSTRUMENTS.items():
        if Instrument.objects.filter(title=title).exists():
            continue
        covered = [cadres[code] for code in codes if code in cadres]
        instrument_add(
            actor=actor,
            kind=kind,
            title=title,
            status=status,
            reference=reference,
            issuing_body=body,
            adopted_on=adopted,
            in_force_from=start,
            whole_workforce=not covered,
            cadres=covered,
            notes=notes,
            file=_evidence_file(title) if title == EVIDENCE_FILE_OF else None,
        )
        added += 1
    year = last_year - 1
    if not CriterionScore.objects.filter(year=year).exists():
        score_record(
            actor=actor,
            year=year,
            criterion=Criterion.FRAMEWORK,
            score=FRAMEWORK_SCORE,
            evidence=FRAMEWORK_EVIDENCE,
            file=_evidence_file("Framework review"),
        )
        for name, proposal in proposals_compute(year=year).items():
            score_record(
                actor=actor,
                year=year,
                criterion=name,
                score=proposal.proposed,
                evidence="Reviewed with the figures of the annual mapping.",
            )
    return added


def _evidence_file(title: str) -> SimpleUploadedFile:
    """A small plain-text evidence file named after ``title`` (the demo keeps no real documents)."""
    name = title.lower().replace(" ", "-") + ".txt"
    return SimpleUploadedFile(name, f"{title}\n".encode(), content_type="text/plain")
