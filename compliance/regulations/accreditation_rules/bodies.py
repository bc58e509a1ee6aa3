"""Accreditation kept current: JCI, TJC, DNV, ACHC, NABH, NABL and ONA (facts §4.3, §5, §9).

Accreditation is voluntary, so each body's requirement applies only to a facility that holds
(or held) an accreditation record of that body, and a lapse is a warning.

Medicare deemed status (Social Security Act §1865(a)) is the exception: a facility certified
through a CMS-approved accreditor (TJC, DNV, ACHC) instead of a state survey must hold a current
accreditation from one of them (facts §4.1 [V]). That is one mandatory requirement satisfied by
any deeming body, not a mandatory flag on each body's requirement: a hospital that moved from
TJC to DNV keeps its lapsed TJC record (records are never deleted), which must stay a warning,
and a facility that claims deemed status with no accreditation recorded at all must fail.

The programmes' existence is [V]; their cycle lengths are partly [M] and are used only to open
the renewal window (a warning). Validity always comes from the dates on the certificate
(facts §5, "Rule-engine advice"), which is why every requirement here is graded [V].
"""

from __future__ import annotations

from compliance.regulations._i18n import _
from compliance.regulations.accreditation import ACCREDITATION_BODIES, get_accreditation_body
from compliance.regulations.framework import (
    Applicability,
    Framework,
    HoldsAccreditation,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.vocabularies import Grade

DEEMED_STATUS = "accreditation_deemed_status"
DEEMING_BODIES = frozenset(body.code for body in ACCREDITATION_BODIES if body.cms_deeming_authority)


def _framework(code: str, title: str, description: str) -> Framework:
    """The framework of one catalog body: its accreditation, kept current, is recommended."""
    body = get_accreditation_body(code)
    if body is None:  # pragma: no cover - a typo here fails at import, in every test
        raise LookupError(f"accreditation body {code} is not in the catalog")
    requirement = Requirement(
        code=f"{code}-ACCREDITATION",
        title=title,
        citation=body.citation,
        obligation=Obligation.RECOMMENDED,
        grade=Grade.VERIFIED,
        satisfied_by=(HoldsAccreditation(frozenset({code})),),
        applicability=Applicability(accreditation_body=code),
        description=description,
    )
    return Framework(
        code=f"ACC-{code}",
        title=body.name,
        jurisdiction="*",
        level=Level.ACCREDITATION,
        version="1",
        requirements=(requirement,),
        citation=body.citation,
        # The cycle's grade: an [M] cycle only shapes the renewal window, a warning.
        source_grades=tuple(dict.fromkeys((Grade.VERIFIED, body.cycle_grade))),
    )


DEEMED_STATUS_ACCREDITATION = Requirement(
    code="DEEMED-STATUS-ACCREDITATION",
    title=_("Current accreditation for Medicare deemed status"),
    citation="Social Security Act §1865(a)",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsAccreditation(DEEMING_BODIES),),
    applicability=Applicability(countries=frozenset({"US"}), services=frozenset({DEEMED_STATUS})),
    description=_(
        "A facility certified for Medicare through deemed status is surveyed by a CMS-approved "
        "accrediting organisation (The Joint Commission, DNV or ACHC) instead of the state "
        "survey agency (Social Security Act §1865(a); CMS S&C 16-09-ALL), so it must hold a "
        "current accreditation from one of them: a lapse, or no accreditation on record, fails "
        "the facility."
    ),
)

DEEMED_STATUS_FRAMEWORK = Framework(
    code="ACC-DEEMED-STATUS",
    title=_("Medicare deemed status through accreditation"),
    jurisdiction="US",
    level=Level.ACCREDITATION,
    version="1",
    requirements=(DEEMED_STATUS_ACCREDITATION,),
    citation="Social Security Act §1865(a)",
    source_grades=(Grade.VERIFIED,),
)

# Whole sentences per body, not composed ones: a string built at import time from two marked
# strings has no entry in the translation catalog.
FRAMEWORKS: tuple[Framework, ...] = (
    _framework(
        "JCI",
        _("Joint Commission International accreditation current"),
        _(
            "Joint Commission International accredits hospitals worldwide. Voluntary, and JCI "
            "is not a CMS deeming body, so a lapse is a warning. Its usual 3-year cycle is not "
            "verified; the dates on the certificate decide."
        ),
    ),
    _framework(
        "TJC",
        _("The Joint Commission accreditation current"),
        _(
            "The Joint Commission accredits US hospitals for 3 years (laboratories 2), with "
            "unannounced surveys within the cycle (secondary sources). Voluntary: a lapse is a "
            "warning. Medicare deemed status through it is checked by DEEMED-STATUS-ACCREDITATION."
        ),
    ),
    _framework(
        "DNV",
        _("DNV (NIAHO) accreditation current"),
        _(
            "DNV's NIAHO accreditation runs a 3-year deemed-status cycle with annual surveys "
            "(secondary sources). Voluntary: a lapse is a warning. Medicare deemed status "
            "through it is checked by DEEMED-STATUS-ACCREDITATION."
        ),
    ),
    _framework(
        "ACHC",
        _("ACHC accreditation current"),
        _(
            "The Accreditation Commission for Health Care (which absorbed the HFAP programme in "
            "2020) accredits US facilities; its 3-year cycle is not verified. Voluntary: a "
            "lapse is a warning. Medicare deemed status through it is checked by "
            "DEEMED-STATUS-ACCREDITATION."
        ),
    ),
    _framework(
        "NABH",
        _("NABH accreditation current"),
        _(
            "NABH full accreditation and entry-level certification are valid 3 years with "
            "surveillance visits (QCI knowledge base). Voluntary: a lapse is a warning."
        ),
    ),
    _framework(
        "NABL",
        _("NABL accreditation current"),
        _(
            "NABL accredits medical laboratories to ISO 15189; its cycle is not verified (2 or "
            "4 years are reported). Voluntary: a lapse is a warning."
        ),
    ),
    _framework(
        "ONA",
        _("ONA accreditation current"),
        _(
            "The Organização Nacional de Acreditação accredits Brazilian health services at "
            "three levels; their validity (2 years for levels 1 and 2, 3 for level 3) is not "
            "verified. Voluntary: a lapse is a warning."
        ),
    ),
    DEEMED_STATUS_FRAMEWORK,
)
