"""A small country with hand-counted figures for the DHIS2 export, and its mapping.

Workers counted in 2024 (child protection assignments from 2020, still active):

* D11: two women social workers (SW), one man para-social worker (PSW);
* D12: one woman child protection volunteer (CPV);
* D21: one man social worker (SW) of the NGO.

Child population 2024: D11 40,000, D12 20,000, D21 50,000 (so R1 60,000, R2 50,000, KD 110,000).

By hand, location by location (depth first, children by code: KD, R1, D11, D12, R2, D21):

======== ===== ====== ==== === ============ ========
location count female male SW female share children
======== ===== ====== ==== === ============ ========
KD       5     3      2    3   3 / 5        110000
R1       4     3      1    2   3 / 4        60000
D11      3     2      1    2   2 / 3        40000
D12      1     1      0    0   1 / 1        20000
R2       1     0      1    1   0 / 1        50000
D21      1     0      1    1   0 / 1        50000
======== ===== ====== ==== === ============ ========

The mapping (scheme uid): the count's total, the count by sex (female, male), the count of SW (cadre),
the female share's numerator and denominator, the child population. Org units: every location's
``dhis2_uid`` but R2's (none: unmapped) and D21's, which the file maps to ``OUd21000001``.
"""

from __future__ import annotations

from typing import Any

import pytest

from sswis.dhis2.mapping import dhis2_mapping_import
from tests.conftest import Country
from tests.factories import AssignmentFactory, PopulationEstimateFactory, WorkerFactory

MAPPING_CSV = """record,indicator,part,disaggregation,group,location,dhis2,category_option_combo,attribute_option_combo,adx_categories
data_set,,,,,,DSworkforce,,,
id_scheme,,,,,,uid,,,
value,workforce.count,numerator,,,,DEcount0001,,,
value,workforce.count,numerator,sex,female,,DEcountSex1,COCfemale01,,SSW_SEX=FEMALE
value,workforce.count,numerator,sex,male,,DEcountSex1,COCmale0001,,SSW_SEX=MALE
value,workforce.count,numerator,cadre,SW,,DEcadre0001,COCcadreSW1,,
value,workforce.female_share,numerator,,,,DEfemale001,,,
value,workforce.female_share,denominator,,,,DEknownSex1,,,
child_population,,,,,,DEchildren1,,,
org_unit,,,,,D21,OUd21000001,,,
"""

UIDS = {"KD": "OUkd0000001", "R1": "OUr10000001", "D11": "OUd11000001", "D12": "OUd12000001"}


@pytest.fixture
def world(country: Country) -> Country:
    for location in (country.root, country.region_1, country.district_11, country.district_12):
        location.dhis2_uid = UIDS[location.code]
        location.save(update_fields=["dhis2_uid"])
    people: list[tuple[Any, str, Any, Any]] = [
        (country.district_11, "female", country.social_worker, country.ministry),
        (country.district_11, "female", country.social_worker, country.ministry),
        (country.district_11, "male", country.para_social_worker, country.ministry),
        (country.district_12, "female", country.volunteer, country.ministry),
        (country.district_21, "male", country.social_worker, country.ngo),
    ]
    for location, sex, cadre, organisation in people:
        AssignmentFactory(
            worker=WorkerFactory(sex=sex), location=location, cadre=cadre, organisation=organisation
        )
    for location, children in (
        (country.district_11, 40000),
        (country.district_12, 20000),
        (country.district_21, 50000),
    ):
        PopulationEstimateFactory(location=location, year=2024, children=children)
    return country


@pytest.fixture
def mapped(world: Country) -> Country:
    dhis2_mapping_import(actor=None, content=MAPPING_CSV.encode(), file_name="mapping.csv")
    return world
