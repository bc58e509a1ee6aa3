"""Brazilian facility-level obligations: CNES, sanitary licence, fire certificate, CRM (facts §2.2).

- CNES, the national register of health establishments (Portaria SAS/MS nº 403/2000; Portaria
  MS nº 118/2014; Portaria de Consolidação SAES/MS nº 1/2022, arts. 189-190): registration and
  the 6-month update are [V] hard rules.
- Licença sanitária / alvará sanitário from the Vigilância Sanitária: existence [V]; its term
  varies by municipality, so the dates on the licence win.
- Fire safety certificate (AVCB, CLCB, CA, depending on the state) and the CRM registration of
  the legal entity and its technical director (Lei nº 6.839/1980; CFM Res. 2.147/2016): graded
  [M], so they only ever show "needs verification", never a pass or a failure.
"""

from __future__ import annotations

from compliance.regulations._i18n import _
from compliance.regulations.framework import (
    Applicability,
    Attested,
    CnesUpdatedWithin,
    Framework,
    HasIdentifier,
    HoldsLicense,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.licenses import SIX_MONTHS_IN_DAYS
from compliance.regulations.vocabularies import FACILITY_TYPES, Grade

_IN_BRAZIL = Applicability(countries=frozenset({"BR"}))

# A pharmacy's technical lead registers with the pharmacy council (CRF), not the medical one.
_MEDICAL_COUNCIL_TYPES = frozenset(term.code for term in FACILITY_TYPES) - {"pharmacy"}

CNES_REGISTRATION = Requirement(
    code="BR-CNES",
    title=_("Registered in CNES"),
    citation="Portaria SAS/MS nº 403/2000, art. 3; Portaria de Consolidação SAES/MS nº 1/2022",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HasIdentifier("cnes"),),
    applicability=_IN_BRAZIL,
    description=_(
        "Every health establishment in Brazil, public or private, SUS or not, is registered in "
        "the Cadastro Nacional de Estabelecimentos de Saúde (CNES). The number is 7 digits "
        "whose last is a check digit (Portaria SAS/MS 403/2000 art. 3); the algorithm is not "
        "published, so a check digit that does not match the usual rule asks for verification "
        "in CNES instead of failing the facility."
    ),
)

CNES_UPDATE = Requirement(
    code="BR-CNES-UPDATE",
    title=_("CNES record updated within 6 months"),
    citation="Portaria MS nº 118/2014; Portaria de Consolidação SAES/MS nº 1/2022, arts. 189-190",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(CnesUpdatedWithin(days=SIX_MONTHS_IN_DAYS),),
    applicability=_IN_BRAZIL,
    description=_(
        "Portaria MS 118/2014: a CNES record not updated for 6 months is flagged "
        '"desativado por falta de atualização". Six months is taken as 184 days, the longest '
        "six-month span, so the deadline shown is never earlier than the calendar one."
    ),
)

SANITARY_LICENCE = Requirement(
    code="BR-ALVARA-SANITARIO",
    title=_("Valid sanitary licence (alvará sanitário)"),
    citation="Municipal or state health code (Vigilância Sanitária)",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"BR-ALVARA-SANITARIO"})),),
    applicability=_IN_BRAZIL,
    description=_(
        "A health service operates under a licença sanitária from the Vigilância Sanitária: "
        "municipal, or the state's where licensing is not decentralised. It is typically valid "
        "1 year (SES-MG) and renewed about 30 days before expiry (Passo Fundo-RS), but terms "
        "vary by municipality, so the dates on the licence decide."
    ),
)

FIRE_CERTIFICATE = Requirement(
    code="BR-FIRE-CERTIFICATE",
    title=_("Fire safety certificate (AVCB or state equivalent)"),
    citation="State fire-safety regulations (São Paulo: Decreto nº 63.911/2018; IT-01/2019)",
    obligation=Obligation.MANDATORY,
    grade=Grade.MEMORY,
    satisfied_by=(HoldsLicense(frozenset({"BR-AVCB"})),),
    applicability=_IN_BRAZIL,
    description=_(
        "Each state's Corpo de Bombeiros Militar certifies buildings' fire safety: AVCB in São "
        "Paulo, CLCB for low risk, other names elsewhere. The obligation and its validity are "
        "not verified against a source (facts §2.2, §9 row 13b), so this is a warning: it shows "
        '"needs verification" with or without a certificate, and never fails the facility.'
    ),
)

CRM_TECHNICAL_LEAD = Requirement(
    code="BR-CRM-TECHNICAL-LEAD",
    title=_("Legal entity and technical director registered with the CRM"),
    citation="Lei nº 6.839/1980; CFM Res. nº 1.980/2011; CFM Res. nº 2.147/2016",
    obligation=Obligation.MANDATORY,
    grade=Grade.MEMORY,
    satisfied_by=(
        HoldsLicense(frozenset({"BR-CRM-PJ"})),
        Attested(max_age_days=365),
    ),
    applicability=Applicability(countries=frozenset({"BR"}), facility_types=_MEDICAL_COUNCIL_TYPES),
    description=_(
        "Lei 6.839/1980 requires companies to register with the professional council of their "
        "core activity, and CFM Res. 2.147/2016 requires a medical technical director (diretor "
        "técnico) registered with the Conselho Regional de Medicina. These citations are not "
        'verified against their sources, so this is a warning: it shows "needs verification" '
        "and never fails the facility. Shown by the CRM certificate of regular registration or "
        "by an attestation (re-attested every 365 days, a documented default). Pharmacies "
        "register with the pharmacy council instead."
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        code="BR-CNES",
        title="Cadastro Nacional de Estabelecimentos de Saúde (CNES)",
        jurisdiction="BR",
        level=Level.NATIONAL,
        version="1",
        requirements=(CNES_REGISTRATION, CNES_UPDATE),
        citation="Portaria de Consolidação SAES/MS nº 1/2022, arts. 189-190",
        source_grades=(Grade.VERIFIED,),
    ),
    Framework(
        code="BR-VISA",
        title=_("Sanitary licensing (Vigilância Sanitária)"),
        jurisdiction="BR",
        # Issued by the municipality, or by the state where licensing is not decentralised.
        level=Level.DISTRICT,
        version="1",
        requirements=(SANITARY_LICENCE,),
        citation="Municipal or state health code",
        source_grades=(Grade.VERIFIED,),
    ),
    Framework(
        code="BR-BOMBEIROS",
        title=_("Fire safety certification (Corpo de Bombeiros Militar)"),
        jurisdiction="BR",
        level=Level.STATE,
        version="1",
        requirements=(FIRE_CERTIFICATE,),
        citation="State fire-safety regulations",
        source_grades=(Grade.MEMORY,),
    ),
    Framework(
        code="BR-CRM",
        title=_("Medical council registration (Conselho Regional de Medicina)"),
        jurisdiction="BR",
        level=Level.NATIONAL,
        version="1",
        requirements=(CRM_TECHNICAL_LEAD,),
        citation="Lei nº 6.839/1980; CFM Res. nº 1.980/2011; CFM Res. nº 2.147/2016",
        source_grades=(Grade.MEMORY,),
    ),
)
