"""Accreditation bodies, their levels and cycles (DESIGN.md §5; facts §4.3, §5, §9).

Only the bodies' codes, levels and validity are tracked: their standards are copyrighted and out
of scope (DESIGN.md §13). Cycle lengths only flag anomalies and schedule reminders; the dates on
the certificate win (facts §5, "Rule-engine advice").

Body names are proper names and are not marked for translation; level labels are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compliance.regulations._i18n import _
from compliance.regulations.vocabularies import Grade, Term

# [M] default renewal lead for every body: no body's own filing deadline is in the sources.
# Six months is the one lead seen (a consultant's note on NABL, facts §9 row 8), and re-surveys
# are booked months ahead; 184 days is the longest six-month span, so a deadline is never late.
ACCREDITATION_FILE_BY_DAYS = 184

_ACCREDITED = Term("accredited", _("Accredited"))


@dataclass(frozen=True, slots=True)
class AccreditationBody:
    """A body that accredits facilities, with the levels it awards.

    `countries` are where it accredits facilities in this product (empty: any country);
    `cms_deeming_authority` says whether its accreditation gives Medicare deemed status in lieu
    of a state survey; `note` records what is unverified about the cycle.
    """

    code: str
    name: str
    countries: frozenset[str]
    levels: tuple[Term, ...]
    cycle_months: int
    cycle_grade: Grade
    file_by_days: int
    cms_deeming_authority: bool
    citation: str
    note: str = ""


ACCREDITATION_BODIES: tuple[AccreditationBody, ...] = (
    AccreditationBody(
        code="JCI",
        name="Joint Commission International",
        countries=frozenset(),
        levels=(_ACCREDITED,),
        cycle_months=36,
        cycle_grade=Grade.MEMORY,
        file_by_days=ACCREDITATION_FILE_BY_DAYS,
        # International accreditation; JCI is not a CMS-approved accrediting organisation.
        cms_deeming_authority=False,
        citation="JCI hospital accreditation programme",
        note=_(
            "[M] default: a 3-year cycle is very likely but no JCI source confirms it; the "
            "dates on the certificate win."
        ),
    ),
    AccreditationBody(
        code="TJC",
        name="The Joint Commission",
        countries=frozenset({"US"}),
        levels=(
            _ACCREDITED,
            Term("accredited_with_follow_up", _("Accredited with follow-up")),
            Term("preliminary_denial", _("Preliminary denial of accreditation")),
        ),
        cycle_months=36,
        cycle_grade=Grade.VERIFIED,
        file_by_days=ACCREDITATION_FILE_BY_DAYS,
        cms_deeming_authority=True,
        citation="Social Security Act §1865(a) (deemed status); TJC hospital accreditation",
        note=_(
            "Awarded for 3 years (laboratories 2 years); hospital surveys are unannounced "
            "within the 36-month cycle (secondary sources). [M] default: 184-day renewal lead."
        ),
    ),
    AccreditationBody(
        code="DNV",
        name="DNV Healthcare (NIAHO)",
        countries=frozenset({"US"}),
        levels=(_ACCREDITED,),
        cycle_months=36,
        cycle_grade=Grade.VERIFIED,
        file_by_days=ACCREDITATION_FILE_BY_DAYS,
        cms_deeming_authority=True,
        citation="Social Security Act §1865(a) (deemed status); DNV NIAHO accreditation",
        note=_(
            "Surveyed every year (NIAHO and ISO 9001); the CMS deemed-status survey runs every "
            "3 years and full ISO 9001 conformance is due by the third annual survey "
            "(secondary sources). [M] default: 184-day renewal lead."
        ),
    ),
    AccreditationBody(
        code="ACHC",
        name="Accreditation Commission for Health Care",
        countries=frozenset({"US"}),
        levels=(_ACCREDITED,),
        cycle_months=36,
        cycle_grade=Grade.MEMORY,
        file_by_days=ACCREDITATION_FILE_BY_DAYS,
        cms_deeming_authority=True,
        citation="Social Security Act §1865(a) (deemed status); ACHC (formerly HFAP) programme",
        note=_(
            "[M] default: a 3-year cycle is assumed (not verified); absorbed the HFAP programme "
            "in 2020. The dates on the certificate win."
        ),
    ),
    AccreditationBody(
        code="NABH",
        name="National Accreditation Board for Hospitals & Healthcare Providers",
        countries=frozenset({"IN"}),
        levels=(
            Term("full", _("Full accreditation")),
            Term("entry_level", _("Entry-level certification")),
        ),
        cycle_months=36,
        cycle_grade=Grade.VERIFIED,
        file_by_days=ACCREDITATION_FILE_BY_DAYS,
        cms_deeming_authority=False,
        citation="NABH accreditation programme (Quality Council of India)",
        note=_(
            "Full accreditation and entry-level certification are both valid 3 years, with "
            "surveillance visits (QCI knowledge base); programme documents change per edition. "
            "[M] default: 184-day renewal lead."
        ),
    ),
    AccreditationBody(
        code="NABL",
        name="National Accreditation Board for Testing and Calibration Laboratories",
        countries=frozenset({"IN"}),
        levels=(_ACCREDITED,),
        cycle_months=24,
        cycle_grade=Grade.MEMORY,
        file_by_days=ACCREDITATION_FILE_BY_DAYS,
        cms_deeming_authority=False,
        citation="NABL accreditation of medical laboratories (ISO 15189)",
        note=_(
            "[M] default: sources disagree (a 2-year cycle with surveillance; a consultant "
            "says 4 years, renewed 6 months ahead). The shorter is assumed so that reminders "
            "come early; the dates on the certificate win."
        ),
    ),
    AccreditationBody(
        code="ONA",
        name="Organização Nacional de Acreditação",
        countries=frozenset({"BR"}),
        # The en dash is deliberate typography; the Portuguese names are ONA's titles.
        levels=(
            Term("nivel_1", _("Level 1 – Acreditado")),  # noqa: RUF001
            Term("nivel_2", _("Level 2 – Acreditado Pleno")),  # noqa: RUF001
            Term("nivel_3", _("Level 3 – Acreditado com Excelência")),  # noqa: RUF001
        ),
        cycle_months=24,
        cycle_grade=Grade.MEMORY,
        file_by_days=ACCREDITATION_FILE_BY_DAYS,
        cms_deeming_authority=False,
        citation="ONA accreditation programme",
        note=_(
            "[M] default: reported as 2 years for levels 1 and 2 and 3 years for level 3 (not "
            "verified); 24 months is assumed for every level. The dates on the certificate win."
        ),
    ),
)

_BY_CODE = {body.code: body for body in ACCREDITATION_BODIES}


def get_accreditation_body(code: str) -> AccreditationBody | None:
    """Return the body with this code, or None (a code no longer in the catalog)."""
    return _BY_CODE.get(code)


def accreditation_bodies_for(country_code: str) -> tuple[AccreditationBody, ...]:
    """Return the bodies that accredit facilities in this country, in catalog order."""
    return tuple(
        body
        for body in ACCREDITATION_BODIES
        if not body.countries or country_code in body.countries
    )


def body_choices(bodies: Iterable[AccreditationBody]) -> list[tuple[str, str]]:
    """Return `(code, name)` pairs for a form's `choices`."""
    return [(body.code, body.name) for body in bodies]


def level_choices(body: AccreditationBody) -> list[tuple[str, str]]:
    """Return `(code, label)` pairs of the levels this body awards."""
    return [(level.code, level.label) for level in body.levels]
