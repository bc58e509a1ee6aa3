"""Lei Geral de Proteção de Dados Pessoais (LGPD, Lei nº 13.709/2018) for health facilities.

Health data are sensitive personal data (art. 5º II), so every facility is a controller of
sensitive data. Encoded: the record of processing operations (art. 37), the data protection
impact report (art. 38), the encarregado (art. 41, with Res. CD/ANPD 18/2024), security measures
(art. 46) and incident communication (art. 48, with Res. CD/ANPD 15/2024) (facts §2.1, all [V]).

No licence shows these duties, so an attestation does; one made for the whole organization
covers every facility. The law sets no review period: re-attesting every 365 days is a
documented default ([M]), not a legal deadline.
"""

from __future__ import annotations

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

# [M] default: the LGPD sets no review period for these documents; a yearly re-attestation keeps
# them from going stale unnoticed.
ATTESTATION_MAX_AGE_DAYS = 365

_IN_BRAZIL = Applicability(countries=frozenset({"BR"}))
_ATTESTED = (Attested(max_age_days=ATTESTATION_MAX_AGE_DAYS),)

RECORD_OF_PROCESSING = Requirement(
    code="LGPD-ART-37",
    title=_("Record of personal-data processing operations"),
    citation="Lei nº 13.709/2018, art. 37",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_BRAZIL,
    description=_(
        "LGPD art. 37: the controller and the operator keep a record of the personal-data "
        "processing operations they carry out, especially when based on legitimate interest. "
        "Shown by an attestation that the record exists and is current; re-attesting every "
        "365 days is a documented default, not a legal deadline."
    ),
)

IMPACT_REPORT = Requirement(
    code="LGPD-ART-38",
    title=_("Data protection impact report (RIPD) ready"),
    citation="Lei nº 13.709/2018, art. 38",
    obligation=Obligation.RECOMMENDED,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_BRAZIL,
    description=_(
        "LGPD art. 38: the ANPD may require the controller to prepare a Relatório de Impacto à "
        "Proteção de Dados (RIPD), including for sensitive data, describing the types of data "
        "collected, the collection and security methodology and the risk-mitigation measures. "
        "The report is due when the ANPD asks for it, not of the law's own accord, so it is "
        "recommended: a facility that processes health data should have one ready. A missing "
        "report is a warning, never a failure."
    ),
)

ENCARREGADO = Requirement(
    code="LGPD-ART-41",
    title=_("Data protection officer (encarregado) appointed and published"),
    citation="Lei nº 13.709/2018, art. 41; Resolução CD/ANPD nº 18/2024",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_BRAZIL,
    description=_(
        "LGPD art. 41: the controller appoints an encarregado, whose identity and contact "
        "details are disclosed publicly, preferably on its website. Res. CD/ANPD 18/2024: the "
        "appointment is a formal written act, dated and signed, and the encarregado's full name "
        "is published. Small processing agents are exempt but must offer a communication "
        "channel; the small-agent regime (Res. CD/ANPD 2/2022) is understood not to cover "
        "high-risk processing of sensitive data (an unverified criterion), so every health "
        "facility is held to this duty. A small agent relying on the exemption says so in its "
        "attestation and names the channel it offers."
    ),
)

SECURITY_MEASURES = Requirement(
    code="LGPD-ART-46",
    title=_("Technical and administrative security measures"),
    citation="Lei nº 13.709/2018, art. 46",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_BRAZIL,
    description=_(
        "LGPD art. 46: processing agents adopt technical and administrative security measures "
        "that protect personal data from unauthorised access and from accidental or unlawful "
        "destruction, loss, alteration, communication or dissemination. Shown by an attestation; "
        "re-attesting every 365 days is a documented default."
    ),
)

INCIDENT_COMMUNICATION = Requirement(
    code="LGPD-ART-48",
    title=_("Security incident communication procedure"),
    citation="Lei nº 13.709/2018, art. 48; Resolução CD/ANPD nº 15/2024, art. 10",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_ATTESTED,
    applicability=_IN_BRAZIL,
    description=_(
        "LGPD art. 48 and Res. CD/ANPD 15/2024: a documented procedure to communicate a "
        "security incident that may cause relevant risk or damage to the ANPD and to the data "
        "subjects within 3 working days of learning that it affected personal data, to send "
        "complementary information within 20 working days (both doubled for small processing "
        "agents), and to keep a record of every incident, notified or not, for at least 5 years "
        "(Res. 15/2024 art. 10). Health data are sensitive, one of the relevant-risk criteria."
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        code="BR-LGPD",
        title="Lei Geral de Proteção de Dados Pessoais (Lei nº 13.709/2018)",
        jurisdiction="BR",
        level=Level.NATIONAL,
        version="1",
        requirements=(
            RECORD_OF_PROCESSING,
            IMPACT_REPORT,
            ENCARREGADO,
            SECURITY_MEASURES,
            INCIDENT_COMMUNICATION,
        ),
        citation="Lei nº 13.709/2018; Resoluções CD/ANPD nº 15/2024 e nº 18/2024",
        # [M]: the small-agent regime's exclusion criteria (Res. CD/ANPD 2/2022), art. 41.
        source_grades=(Grade.VERIFIED, Grade.MEMORY),
    ),
)
