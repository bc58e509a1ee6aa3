"""Digital Personal Data Protection Act, 2023 and DPDP Rules, 2025: Data Fiduciary duties.

The Rules were notified on 13 November 2025; rules 3, 5 to 16, 22 and 23 come into force 18
months later, on 13 May 2027 [V] (facts §3.2). Every duty below is given its detail by one of
those rules, so none applies before 13 May 2027.

Grades: the s.8 duties and the Schedule penalties are [V] (facts §9 row 15); the notice (s.5,
rule 3) and the 72-hour breach report to the Board (rule 7) are [V] in facts §3.2. The children's
data duty (s.9) rests only on §3.2's [M] section mapping, so it shows "needs verification".

Shown by attestations: one for the whole organization covers every facility. The Act sets no
review period; re-attesting every 365 days is a documented default ([M]). Significant Data
Fiduciary duties (s.10) apply only to fiduciaries the Government notifies as such, which no
facility record says, so they are not encoded.
"""

from __future__ import annotations

import datetime

from compliance.regulations._i18n import _
from compliance.regulations.framework import (
    Applicability,
    Attested,
    Framework,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.vocabularies import Grade

RULES_NOTIFIED = datetime.date(2025, 11, 13)
# Rules 3, 5-16, 22 and 23: 18 months after notification.
RULES_IN_FORCE = datetime.date(2027, 5, 13)

# [M] default: the Act sets no review period for these documents.
ATTESTATION_MAX_AGE_DAYS = 365

_IN_INDIA = Applicability(countries=frozenset({"IN"}))
_ATTESTED = (Attested(max_age_days=ATTESTATION_MAX_AGE_DAYS),)

NOTICE = Requirement(
    code="IN-DPDP-S5",
    title=_("Notice to data principals before seeking consent"),
    citation="DPDP Act, 2023, s.5; DPDP Rules, 2025, rule 3",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_INDIA,
    effective_from=RULES_IN_FORCE,
    description=_(
        "DPDP Act s.5 and Rules rule 3: a notice accompanying each request for consent, with an "
        "itemised description of the personal data and the purposes of processing, and how to "
        "withdraw consent, exercise rights and complain to the Data Protection Board. In force "
        "from 13 May 2027."
    ),
)

SECURITY_SAFEGUARDS = Requirement(
    code="IN-DPDP-S8-5",
    title=_("Reasonable security safeguards against personal data breach"),
    citation="DPDP Act, 2023, s.8(5); DPDP Rules, 2025",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_INDIA,
    effective_from=RULES_IN_FORCE,
    description=_(
        "DPDP Act s.8(5): the Data Fiduciary protects personal data in its possession or under "
        "its control by taking reasonable security safeguards to prevent a personal data "
        "breach. Failure is punishable with a penalty of up to ₹250 crore (Schedule). In force "
        "from 13 May 2027, with the Rules that detail the safeguards."
    ),
)

BREACH_INTIMATION = Requirement(
    code="IN-DPDP-S8-6",
    title=_("Breach intimation to the Board and to data principals"),
    citation="DPDP Act, 2023, s.8(6); DPDP Rules, 2025, rule 7",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_INDIA,
    effective_from=RULES_IN_FORCE,
    description=_(
        "DPDP Act s.8(6) and Rules rule 7: a documented procedure to intimate each personal "
        "data breach to the Data Protection Board, with a detailed report within 72 hours of "
        "becoming aware of it, and to each affected data principal without delay. Failure is "
        "punishable with a penalty of up to ₹200 crore (Schedule). In force from 13 May 2027."
    ),
)

ERASURE = Requirement(
    code="IN-DPDP-S8-7",
    title=_("Erasure when consent is withdrawn or the purpose is served"),
    citation="DPDP Act, 2023, s.8(7); DPDP Rules, 2025",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_INDIA,
    effective_from=RULES_IN_FORCE,
    description=_(
        "DPDP Act s.8(7): personal data are erased when the data principal withdraws consent or "
        "the specified purpose is no longer served, unless retention is necessary to comply "
        "with a law (medical-record retention rules, for instance). Shown by an attested "
        "retention and erasure policy. In force from 13 May 2027."
    ),
)

PUBLISHED_CONTACT = Requirement(
    code="IN-DPDP-S8-9",
    title=_("Contact for data protection questions published"),
    citation="DPDP Act, 2023, s.8(9); DPDP Rules, 2025",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_INDIA,
    effective_from=RULES_IN_FORCE,
    description=_(
        "DPDP Act s.8(9): the Data Fiduciary publishes the business contact information of its "
        "Data Protection Officer, if it has one, or of a person able to answer data principals' "
        "questions about the processing of their personal data. In force from 13 May 2027."
    ),
)

GRIEVANCE_REDRESSAL = Requirement(
    code="IN-DPDP-S8-10",
    title=_("Grievance redressal mechanism for data principals"),
    citation="DPDP Act, 2023, s.8(10); DPDP Rules, 2025",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_INDIA,
    effective_from=RULES_IN_FORCE,
    description=_(
        "DPDP Act s.8(10): the Data Fiduciary establishes an effective mechanism to redress "
        "data principals' grievances. In force from 13 May 2027."
    ),
)

CHILDREN = Requirement(
    code="IN-DPDP-S9",
    title=_("Verifiable parental consent for children's personal data"),
    citation="DPDP Act, 2023, s.9; DPDP Rules, 2025",
    obligation=Obligation.MANDATORY,
    grade=Grade.MEMORY,
    satisfied_by=_ATTESTED,
    applicability=_IN_INDIA,
    effective_from=RULES_IN_FORCE,
    description=_(
        "DPDP Act s.9: verifiable consent of a parent or lawful guardian before processing a "
        "child's personal data, and no tracking, behavioural monitoring or targeted advertising "
        "directed at children. The section mapping is not verified (facts §3.2), and an exemption "
        "in the Rules for clinical establishments providing health services may narrow it (from "
        'memory, not verified), so this is a warning: it shows "needs verification" and '
        "never fails the facility. In force from 13 May 2027."
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        code="IN-DPDP",
        title="Digital Personal Data Protection Act, 2023 and Digital Personal Data "
        "Protection Rules, 2025",
        jurisdiction="IN",
        level=Level.NATIONAL,
        version="1",
        requirements=(
            NOTICE,
            SECURITY_SAFEGUARDS,
            BREACH_INTIMATION,
            ERASURE,
            PUBLISHED_CONTACT,
            GRIEVANCE_REDRESSAL,
            CHILDREN,
        ),
        effective_from=RULES_NOTIFIED,
        citation="Digital Personal Data Protection Act, 2023; DPDP Rules, 2025",
        source_grades=(Grade.VERIFIED, Grade.MEMORY),
    ),
)
