"""HIPAA: the Security Rule (45 CFR 164 Subpart C), the Privacy Rule's facility duties (Subpart E)
and the Breach Notification Rule (Subpart D), as graded in facts §1.

Security Rule: every standard and implementation specification of 164.308, 164.310, 164.312,
164.314 and 164.316. A standard with implementation specifications is represented by its
specifications; a standard without any (164.308(a)(2), 164.310(b), …) is a requirement itself.
The 164.316(b)(1) documentation standard is also kept: its duties (written form, written records)
are not the ones its (b)(2) specifications set (retention, availability, updates). The
Required/Addressable label is the `hipaa_label` field from Appendix A (and the section text where
the matrix has no label); both labels are mandatory (164.306(d)(3)): an Addressable specification
is implemented, or attested as not reasonable with the reason and an equivalent alternative.

Every requirement is shown by an attestation. Where the regulation sets no cadence, yearly
renewal (`ANNUAL_REVIEW_DAYS`) is a documented default [M], and each description says so; an
attestation's own valid-until date still applies when it is earlier.

Grades: the facts grade almost everything [V]. Two facts stay [M] and so only ever show "needs
verification": the group health plan specifications of 164.314(b) (never applicable to a provider
anyway) and the 164.406 media notice. Compliance dates (2003-2013) are left unset: no date here is
invented.

The HHS/OCR proposal of 6 Jan 2025 (90 FR 898) to remove the Addressable label is not final
(facts §1.1); if it becomes final, the labels change here as data.
"""

from __future__ import annotations

from compliance.regulations._i18n import _
from compliance.regulations.framework import (
    Applicability,
    Attested,
    Framework,
    HipaaLabel,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.vocabularies import Grade

# [M] documented default: a yearly re-attestation where the regulation sets no cadence (it asks
# for "periodic" or "regular" reviews, or none). An earlier `valid until` on the attestation wins.
ANNUAL_REVIEW_DAYS = 365

_US = Applicability(countries=frozenset({"US"}))
_CLEARINGHOUSES_ONLY = Applicability(
    countries=frozenset({"US"}),
    never_for_providers=_("Applies to health care clearinghouses only."),
)
_GROUP_HEALTH_PLANS_ONLY = Applicability(
    countries=frozenset({"US"}),
    never_for_providers=_("Applies to group health plans only."),
)

R = HipaaLabel.REQUIRED
A = HipaaLabel.ADDRESSABLE


def _security(
    paragraph: str,
    title: str,
    label: HipaaLabel,
    description: str,
    *,
    citation: str = "",
    grade: Grade = Grade.VERIFIED,
    applicability: Applicability = _US,
) -> Requirement:
    """A Security Rule requirement, coded and cited by its paragraph."""
    return Requirement(
        code=f"HIPAA-{paragraph}",
        title=title,
        citation=citation or f"45 CFR {paragraph}",
        obligation=Obligation.MANDATORY,
        grade=grade,
        satisfied_by=(Attested(max_age_days=ANNUAL_REVIEW_DAYS),),
        applicability=applicability,
        hipaa_label=label,
        description=description,
    )


def _attested(
    code: str, title: str, citation: str, description: str, *, grade: Grade = Grade.VERIFIED
) -> Requirement:
    """A Privacy or Breach Notification Rule duty shown by a yearly attestation."""
    return Requirement(
        code=code,
        title=title,
        citation=citation,
        obligation=Obligation.MANDATORY,
        grade=grade,
        satisfied_by=(Attested(max_age_days=ANNUAL_REVIEW_DAYS),),
        applicability=_US,
        description=description,
    )


# --- Security Rule: 164.308 Administrative safeguards --------------------------------------------

_ADMINISTRATIVE: tuple[Requirement, ...] = (
    _security(
        "164.308(a)(1)(ii)(A)",
        _("Risk analysis"),
        R,
        _(
            "45 CFR 164.308(a)(1)(ii)(A), security management process standard; Required. "
            "Conduct an accurate and thorough assessment of the potential risks and "
            "vulnerabilities to the confidentiality, integrity and availability of ePHI. "
            "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal is a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(1)(ii)(B)",
        _("Risk management"),
        R,
        _(
            "45 CFR 164.308(a)(1)(ii)(B), security management process standard; Required. "
            "Implement security measures that reduce risks and vulnerabilities to a reasonable "
            "and appropriate level. Re-attested every 365 days: the regulation sets no cadence, "
            "so yearly renewal is a documented default [M]; an attestation's own valid-until "
            "date still applies."
        ),
    ),
    _security(
        "164.308(a)(1)(ii)(C)",
        _("Sanction policy"),
        R,
        _(
            "45 CFR 164.308(a)(1)(ii)(C), security management process standard; Required. "
            "Apply appropriate sanctions against workforce members who fail to comply with the "
            "security policies and procedures. Re-attested every 365 days: the regulation sets "
            "no cadence, so yearly renewal is a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(1)(ii)(D)",
        _("Information system activity review"),
        R,
        _(
            "45 CFR 164.308(a)(1)(ii)(D), security management process standard; Required. "
            "Regularly review records of information system activity (audit logs, access "
            "reports, security incident tracking reports). Re-attested every 365 days: the "
            'regulation says "regularly" without a cadence, so yearly renewal is a documented '
            "default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(2)",
        _("Assigned security responsibility (security official)"),
        R,
        _(
            "45 CFR 164.308(a)(2), a standard with no separate implementation specifications; "
            "Required. Identify the security official responsible for developing and "
            "implementing the security policies and procedures. Re-attested every 365 days: the "
            "regulation sets no cadence, so yearly renewal is a documented default [M]; an "
            "attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(3)(ii)(A)",
        _("Authorization and/or supervision"),
        A,
        _(
            "45 CFR 164.308(a)(3)(ii)(A), workforce security standard; Addressable. Implement "
            "procedures for the authorization and/or supervision of workforce members who work "
            "with ePHI or where it might be accessed. Addressable is not optional: implement it, "
            "or attest it as not reasonable with the documented reason and the equivalent "
            "alternative adopted (164.306(d)(3)). Re-attested every 365 days: a documented "
            "default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(3)(ii)(B)",
        _("Workforce clearance procedure"),
        A,
        _(
            "45 CFR 164.308(a)(3)(ii)(B), workforce security standard. Implement procedures to "
            "determine that a workforce member's access to ePHI is appropriate. The "
            "specification exists [V], but the Appendix A matrix prints its row without an "
            "(R)/(A) label in every copy read; the Addressable label comes from the section text "
            "[M]. Addressable is not optional: implement it, or attest it as not reasonable with "
            "the documented reason and the equivalent alternative adopted (164.306(d)(3)). "
            "Re-attested every 365 days: a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(3)(ii)(C)",
        _("Termination procedures"),
        A,
        _(
            "45 CFR 164.308(a)(3)(ii)(C), workforce security standard; Addressable. Implement "
            "procedures for terminating access to ePHI when a workforce member's employment "
            "ends. Addressable is not optional: implement it, or attest it as not reasonable "
            "with the documented reason and the equivalent alternative adopted (164.306(d)(3)). "
            "Re-attested every 365 days: a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(4)(ii)(A)",
        _("Isolating health care clearinghouse functions"),
        R,
        _(
            "45 CFR 164.308(a)(4)(ii)(A), information access management standard; Required, "
            "but only for a health care clearinghouse that is part of a larger organization. "
            "Kept so that the standard is complete; never applicable to a provider facility."
        ),
        applicability=_CLEARINGHOUSES_ONLY,
    ),
    _security(
        "164.308(a)(4)(ii)(B)",
        _("Access authorization"),
        A,
        _(
            "45 CFR 164.308(a)(4)(ii)(B), information access management standard; Addressable. "
            "Policies and procedures for granting access to ePHI. Addressable is not optional: "
            "implement it, or attest it as not reasonable with the documented reason and the "
            "equivalent alternative adopted (164.306(d)(3)). Re-attested every 365 days: a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(4)(ii)(C)",
        _("Access establishment and modification"),
        A,
        _(
            "45 CFR 164.308(a)(4)(ii)(C), information access management standard; Addressable. "
            "Policies and procedures to establish, document, review and modify a user's right "
            "of access. Addressable is not optional: implement it, or attest it as not "
            "reasonable with the documented reason and the equivalent alternative adopted "
            "(164.306(d)(3)). Re-attested every 365 days: a documented default [M]; an "
            "attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(5)(ii)(A)",
        _("Security reminders"),
        A,
        _(
            "45 CFR 164.308(a)(5)(ii)(A), security awareness and training standard; "
            "Addressable. Periodic security updates to the workforce. Addressable is not "
            "optional: implement it, or attest it as not reasonable with the documented reason "
            "and the equivalent alternative adopted (164.306(d)(3)). Re-attested every 365 "
            "days: a documented default [M]; an attestation's own valid-until date still "
            "applies."
        ),
    ),
    _security(
        "164.308(a)(5)(ii)(B)",
        _("Protection from malicious software"),
        A,
        _(
            "45 CFR 164.308(a)(5)(ii)(B), security awareness and training standard; "
            "Addressable. Procedures for guarding against, detecting and reporting malicious "
            "software. Addressable is not optional: implement it, or attest it as not "
            "reasonable with the documented reason and the equivalent alternative adopted "
            "(164.306(d)(3)). Re-attested every 365 days: a documented default [M]; an "
            "attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(5)(ii)(C)",
        _("Log-in monitoring"),
        A,
        _(
            "45 CFR 164.308(a)(5)(ii)(C), security awareness and training standard; "
            "Addressable. Procedures for monitoring log-in attempts and reporting discrepancies. "
            "Addressable is not optional: implement it, or attest it as not reasonable with the "
            "documented reason and the equivalent alternative adopted (164.306(d)(3)). "
            "Re-attested every 365 days: a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(5)(ii)(D)",
        _("Password management"),
        A,
        _(
            "45 CFR 164.308(a)(5)(ii)(D), security awareness and training standard; "
            "Addressable. Procedures for creating, changing and safeguarding passwords. "
            "Addressable is not optional: implement it, or attest it as not reasonable with the "
            "documented reason and the equivalent alternative adopted (164.306(d)(3)). "
            "Re-attested every 365 days: a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(6)(ii)",
        _("Security incident response and reporting"),
        R,
        _(
            "45 CFR 164.308(a)(6)(ii), security incident procedures standard; Required. "
            "Identify and respond to suspected or known security incidents, mitigate their "
            "harmful effects where practicable, and document them and their outcomes. "
            "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal is a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(7)(ii)(A)",
        _("Data backup plan"),
        R,
        _(
            "45 CFR 164.308(a)(7)(ii)(A), contingency plan standard; Required. Establish and "
            "implement procedures to create and keep retrievable exact copies of ePHI. "
            "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal is a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(7)(ii)(B)",
        _("Disaster recovery plan"),
        R,
        _(
            "45 CFR 164.308(a)(7)(ii)(B), contingency plan standard; Required. Procedures to "
            "restore any loss of data. Re-attested every 365 days: the regulation sets no "
            "cadence, so yearly renewal is a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(7)(ii)(C)",
        _("Emergency mode operation plan"),
        R,
        _(
            "45 CFR 164.308(a)(7)(ii)(C), contingency plan standard; Required. Procedures to "
            "continue critical business processes that protect ePHI while operating in "
            "emergency mode. Re-attested every 365 days: the regulation sets no cadence, so "
            "yearly renewal is a documented default [M]; an attestation's own valid-until date "
            "still applies."
        ),
    ),
    _security(
        "164.308(a)(7)(ii)(D)",
        _("Testing and revision procedures"),
        A,
        _(
            "45 CFR 164.308(a)(7)(ii)(D), contingency plan standard; Addressable. Periodic "
            "testing and revision of contingency plans. Addressable is not optional: implement "
            "it, or attest it as not reasonable with the documented reason and the equivalent "
            "alternative adopted (164.306(d)(3)). Re-attested every 365 days: the regulation "
            'says "periodic" without a cadence, so yearly renewal is a documented default [M]; '
            "an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(7)(ii)(E)",
        _("Applications and data criticality analysis"),
        A,
        _(
            "45 CFR 164.308(a)(7)(ii)(E), contingency plan standard; Addressable. Assess the "
            "relative criticality of applications and data in support of the other contingency "
            "plan components. Addressable is not optional: implement it, or attest it as not "
            "reasonable with the documented reason and the equivalent alternative adopted "
            "(164.306(d)(3)). Re-attested every 365 days: a documented default [M]; an "
            "attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(a)(8)",
        _("Evaluation"),
        R,
        _(
            "45 CFR 164.308(a)(8), a standard with no separate implementation specifications; "
            "Required. Perform a periodic technical and nontechnical evaluation of how well the "
            "security policies and procedures meet the Security Rule. Re-attested every 365 "
            'days: the regulation says "periodic" without a cadence, so yearly renewal is a '
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.308(b)(3)",
        _("Business associate contracts: written contract or other arrangement"),
        R,
        _(
            "45 CFR 164.308(b)(3), the implementation specification of the business associate "
            "contracts and other arrangements standard, 164.308(b)(1) (the Appendix A matrix "
            "lists it under (b)(1)); Required. Document the business associates' satisfactory "
            "assurances through a written contract or other arrangement meeting 164.314(a). "
            "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal is a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
        citation="45 CFR 164.308(b)(1), (b)(3)",
    ),
)

# --- Security Rule: 164.310 Physical safeguards --------------------------------------------------

_PHYSICAL: tuple[Requirement, ...] = (
    _security(
        "164.310(a)(2)(i)",
        _("Contingency operations"),
        A,
        _(
            "45 CFR 164.310(a)(2)(i), facility access controls standard (164.310(a)(1)); "
            "Addressable. Procedures that allow facility access to restore lost data under the "
            "disaster recovery and emergency mode operation plans. Addressable is not optional: "
            "implement it, or attest it as not reasonable with the documented reason and the "
            "equivalent alternative adopted (164.306(d)(3)). Re-attested every 365 days: a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.310(a)(2)(ii)",
        _("Facility security plan"),
        A,
        _(
            "45 CFR 164.310(a)(2)(ii), facility access controls standard (164.310(a)(1)); "
            "Addressable. Policies and procedures to safeguard the facility and its equipment "
            "from unauthorized physical access, tampering and theft. Addressable is not "
            "optional: implement it, or attest it as not reasonable with the documented reason "
            "and the equivalent alternative adopted (164.306(d)(3)). Re-attested every 365 "
            "days: a documented default [M]; an attestation's own valid-until date still "
            "applies."
        ),
    ),
    _security(
        "164.310(a)(2)(iii)",
        _("Access control and validation procedures"),
        A,
        _(
            "45 CFR 164.310(a)(2)(iii), facility access controls standard (164.310(a)(1)); "
            "Addressable. Procedures to control and validate a person's access to facilities "
            "based on role or function, including visitor control. Addressable is not optional: "
            "implement it, or attest it as not reasonable with the documented reason and the "
            "equivalent alternative adopted (164.306(d)(3)). Re-attested every 365 days: a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.310(a)(2)(iv)",
        _("Maintenance records"),
        A,
        _(
            "45 CFR 164.310(a)(2)(iv), facility access controls standard (164.310(a)(1)); "
            "Addressable. Document repairs and modifications to the security-related physical "
            "components of a facility (hardware, walls, doors, locks). Addressable is not "
            "optional: implement it, or attest it as not reasonable with the documented reason "
            "and the equivalent alternative adopted (164.306(d)(3)). Re-attested every 365 "
            "days: a documented default [M]; an attestation's own valid-until date still "
            "applies."
        ),
    ),
    _security(
        "164.310(b)",
        _("Workstation use"),
        R,
        _(
            "45 CFR 164.310(b), a standard with no separate implementation specifications; "
            "Required. Policies and procedures specifying the proper functions, the manner of "
            "performing them and the physical surroundings of workstations that can access "
            "ePHI. Re-attested every 365 days: the regulation sets no cadence, so yearly renewal "
            "is a documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.310(c)",
        _("Workstation security"),
        R,
        _(
            "45 CFR 164.310(c), a standard with no separate implementation specifications; "
            "Required. Physical safeguards for all workstations that access ePHI, restricting "
            "access to authorized users. Re-attested every 365 days: the regulation sets no "
            "cadence, so yearly renewal is a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.310(d)(2)(i)",
        _("Disposal"),
        R,
        _(
            "45 CFR 164.310(d)(2)(i), device and media controls standard (164.310(d)(1)); "
            "Required. Policies and procedures for the final disposition of ePHI and of the "
            "hardware or media it is stored on. Re-attested every 365 days: the regulation sets "
            "no cadence, so yearly renewal is a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.310(d)(2)(ii)",
        _("Media re-use"),
        R,
        _(
            "45 CFR 164.310(d)(2)(ii), device and media controls standard (164.310(d)(1)); "
            "Required. Procedures for removing ePHI from electronic media before the media are "
            "re-used. Re-attested every 365 days: the regulation sets no cadence, so yearly "
            "renewal is a documented default [M]; an attestation's own valid-until date still "
            "applies."
        ),
    ),
    _security(
        "164.310(d)(2)(iii)",
        _("Accountability"),
        A,
        _(
            "45 CFR 164.310(d)(2)(iii), device and media controls standard (164.310(d)(1)); "
            "Addressable. Keep a record of the movements of hardware and electronic media and of "
            "the person responsible. Addressable is not optional: implement it, or attest it as "
            "not reasonable with the documented reason and the equivalent alternative adopted "
            "(164.306(d)(3)). Re-attested every 365 days: a documented default [M]; an "
            "attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.310(d)(2)(iv)",
        _("Data backup and storage"),
        A,
        _(
            "45 CFR 164.310(d)(2)(iv), device and media controls standard (164.310(d)(1)); "
            "Addressable. Create a retrievable exact copy of ePHI before equipment is moved. "
            "Addressable is not optional: implement it, or attest it as not reasonable with the "
            "documented reason and the equivalent alternative adopted (164.306(d)(3)). "
            "Re-attested every 365 days: a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
)

# --- Security Rule: 164.312 Technical safeguards -------------------------------------------------

_TECHNICAL: tuple[Requirement, ...] = (
    _security(
        "164.312(a)(2)(i)",
        _("Unique user identification"),
        R,
        _(
            "45 CFR 164.312(a)(2)(i), access control standard (164.312(a)(1)); Required. Assign "
            "a unique name and/or number for identifying and tracking user identity. "
            "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal is a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.312(a)(2)(ii)",
        _("Emergency access procedure"),
        R,
        _(
            "45 CFR 164.312(a)(2)(ii), access control standard (164.312(a)(1)); Required. "
            "Procedures for obtaining necessary ePHI during an emergency. Re-attested every 365 "
            "days: the regulation sets no cadence, so yearly renewal is a documented default "
            "[M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.312(a)(2)(iii)",
        _("Automatic logoff"),
        A,
        _(
            "45 CFR 164.312(a)(2)(iii), access control standard (164.312(a)(1)); Addressable. "
            "Electronic procedures that end a session after a predetermined time of inactivity. "
            "Addressable is not optional: implement it, or attest it as not reasonable with the "
            "documented reason and the equivalent alternative adopted (164.306(d)(3)). "
            "Re-attested every 365 days: a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.312(a)(2)(iv)",
        _("Encryption and decryption"),
        A,
        _(
            "45 CFR 164.312(a)(2)(iv), access control standard (164.312(a)(1)); Addressable. A "
            "mechanism to encrypt and decrypt ePHI. Addressable is not optional: implement it, "
            "or attest it as not reasonable with the documented reason and the equivalent "
            "alternative adopted (164.306(d)(3)). Re-attested every 365 days: a documented "
            "default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.312(b)",
        _("Audit controls"),
        R,
        _(
            "45 CFR 164.312(b), a standard with no separate implementation specifications; "
            "Required. Mechanisms that record and examine activity in information systems that "
            "contain or use ePHI. Re-attested every 365 days: the regulation sets no cadence, so "
            "yearly renewal is a documented default [M]; an attestation's own valid-until date "
            "still applies."
        ),
    ),
    _security(
        "164.312(c)(2)",
        _("Mechanism to authenticate electronic protected health information"),
        A,
        _(
            "45 CFR 164.312(c)(2), integrity standard (164.312(c)(1)); Addressable (the matrix "
            "excerpt read was truncated; the label is confirmed by secondary sources). "
            "Electronic mechanisms to corroborate that ePHI has not been altered or destroyed "
            "in an unauthorized manner. Addressable is not optional: implement it, or attest it "
            "as not reasonable with the documented reason and the equivalent alternative "
            "adopted (164.306(d)(3)). Re-attested every 365 days: a documented default [M]; an "
            "attestation's own valid-until date still applies."
        ),
        citation="45 CFR 164.312(c)(1), (c)(2)",
    ),
    _security(
        "164.312(d)",
        _("Person or entity authentication"),
        R,
        _(
            "45 CFR 164.312(d), a standard with no separate implementation specifications; "
            "Required (Appendix A). Procedures to verify that a person or entity seeking access "
            "to ePHI is the one claimed (this wording is from memory [M]; the standard and its "
            "label are verified). Re-attested every 365 days: the regulation sets no cadence, so "
            "yearly renewal is a documented default [M]; an attestation's own valid-until date "
            "still applies."
        ),
    ),
    _security(
        "164.312(e)(2)(i)",
        _("Transmission integrity controls"),
        A,
        _(
            "45 CFR 164.312(e)(2)(i), transmission security standard (164.312(e)(1)); "
            "Addressable (label from secondary sources). Security measures ensuring that ePHI "
            "transmitted electronically is not improperly modified without detection. "
            "Addressable is not optional: implement it, or attest it as not reasonable with the "
            "documented reason and the equivalent alternative adopted (164.306(d)(3)). "
            "Re-attested every 365 days: a documented default [M]; an attestation's own "
            "valid-until date still applies."
        ),
    ),
    _security(
        "164.312(e)(2)(ii)",
        _("Transmission encryption"),
        A,
        _(
            "45 CFR 164.312(e)(2)(ii), transmission security standard (164.312(e)(1)); "
            "Addressable (label from secondary sources). A mechanism to encrypt ePHI whenever "
            "deemed appropriate. Addressable is not optional: implement it, or attest it as not "
            "reasonable with the documented reason and the equivalent alternative adopted "
            "(164.306(d)(3)). Re-attested every 365 days: a documented default [M]; an "
            "attestation's own valid-until date still applies."
        ),
    ),
)

# --- Security Rule: 164.314 Organizational requirements ------------------------------------------

_ORGANIZATIONAL: tuple[Requirement, ...] = (
    _security(
        "164.314(a)(2)(i)",
        _("Business associate contracts"),
        R,
        _(
            "45 CFR 164.314(a)(2)(i), business associate contracts or other arrangements "
            "standard (164.314(a)(1)); implementation specifications Required. Contracts with "
            "business associates contain the Security Rule terms this section sets. "
            "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal is a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.314(a)(2)(ii)",
        _("Other arrangements"),
        R,
        _(
            "45 CFR 164.314(a)(2)(ii), business associate contracts or other arrangements "
            "standard (164.314(a)(1)); Required. Where a contract is not used (other "
            "arrangements, such as between government entities), the arrangement meets this "
            "paragraph. Re-attested every 365 days: the regulation sets no cadence, so yearly "
            "renewal is a documented default [M]; an attestation's own valid-until date still "
            "applies."
        ),
    ),
    _security(
        "164.314(a)(2)(iii)",
        _("Business associate contracts with subcontractors"),
        R,
        _(
            "45 CFR 164.314(a)(2)(iii), added by the 2013 Omnibus Rule; Required. The contract "
            "requirements of (a)(2)(i) and (ii) also bind a business associate's contracts with "
            "its subcontractors. Re-attested every 365 days: the regulation sets no cadence, so "
            "yearly renewal is a documented default [M]; an attestation's own valid-until date "
            "still applies."
        ),
    ),
    _security(
        "164.314(b)(2)",
        _("Group health plan documents"),
        R,
        _(
            "45 CFR 164.314(b)(2), the implementation specifications (Required) of the group "
            "health plan standard (164.314(b)(1)): a group health plan's plan documents must "
            "bind the plan sponsor to safeguard ePHI. "
            "This row is from memory [M]. Kept so that the section is complete; never "
            "applicable to a provider facility."
        ),
        citation="45 CFR 164.314(b)(1), (b)(2)",
        grade=Grade.MEMORY,
        applicability=_GROUP_HEALTH_PLANS_ONLY,
    ),
)

# --- Security Rule: 164.316 Policies and procedures and documentation requirements ---------------

_DOCUMENTATION: tuple[Requirement, ...] = (
    _security(
        "164.316(a)",
        _("Policies and procedures"),
        R,
        _(
            "45 CFR 164.316(a), a standard with no separate implementation specifications. "
            "Implement reasonable and appropriate policies and procedures to comply with the "
            "Security Rule. A standard carries no (R)/(A) label and must be met, so it is "
            "encoded as Required. Re-attested every 365 days: the regulation sets no cadence, so "
            "yearly renewal is a documented default [M]; an attestation's own valid-until date "
            "still applies."
        ),
    ),
    _security(
        "164.316(b)(1)",
        _("Documentation"),
        R,
        _(
            "45 CFR 164.316(b)(1), documentation standard. Keep the security policies and "
            "procedures in written (which may be electronic) form, and a written record of every "
            "action, activity or assessment the Security Rule requires to be documented. A "
            "standard carries no (R)/(A) label and must be met, so it is encoded as Required. "
            "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal is a "
            "documented default [M]; an attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.316(b)(2)(i)",
        _("Documentation time limit (6 years)"),
        R,
        _(
            "45 CFR 164.316(b)(2)(i), documentation standard (164.316(b)(1)); Required. Retain "
            "the documentation for 6 years from the date of its creation or the date when it "
            "last was in effect, whichever is later. Re-attested every 365 days: the regulation "
            "sets no review cadence, so yearly renewal is a documented default [M]; an "
            "attestation's own valid-until date still applies."
        ),
    ),
    _security(
        "164.316(b)(2)(ii)",
        _("Documentation availability"),
        R,
        _(
            "45 CFR 164.316(b)(2)(ii), documentation standard (164.316(b)(1)); Required. Make "
            "the documentation available to those responsible for implementing the procedures "
            "it covers. Re-attested every 365 days: the regulation sets no cadence, so yearly "
            "renewal is a documented default [M]; an attestation's own valid-until date still "
            "applies."
        ),
    ),
    _security(
        "164.316(b)(2)(iii)",
        _("Documentation updates"),
        R,
        _(
            "45 CFR 164.316(b)(2)(iii), documentation standard (164.316(b)(1)); Required. Review "
            "the documentation periodically and update it as needed in response to "
            "environmental or operational changes affecting the security of ePHI. Re-attested "
            'every 365 days: the regulation says "periodically" without a cadence, so yearly '
            "renewal is a documented default [M]; an attestation's own valid-until date still "
            "applies."
        ),
    ),
)

SECURITY_RULE = Framework(
    code="US-HIPAA-SEC",
    title=_("HIPAA Security Rule"),
    jurisdiction="US",
    level=Level.NATIONAL,
    version="45 CFR 164 Subpart C (2013)",
    requirements=_ADMINISTRATIVE + _PHYSICAL + _TECHNICAL + _ORGANIZATIONAL + _DOCUMENTATION,
    citation="45 CFR Part 164, Subpart C; Appendix A",
    source_grades=(Grade.VERIFIED, Grade.MEMORY),
)

# --- Privacy Rule --------------------------------------------------------------------------------

PRIVACY_RULE = Framework(
    code="US-HIPAA-PRIV",
    title=_("HIPAA Privacy Rule"),
    jurisdiction="US",
    level=Level.NATIONAL,
    version="45 CFR 164 Subpart E (2013)",
    requirements=(
        _attested(
            "HIPAA-164.530(a)(1)(i)",
            _("Privacy official"),
            "45 CFR 164.530(a)(1)(i)",
            _(
                "45 CFR 164.530(a)(1)(i): designate a privacy official responsible for "
                "developing and implementing the privacy policies and procedures. Re-attested "
                "every 365 days: the regulation sets no cadence, so yearly renewal is a "
                "documented default [M]; an attestation's own valid-until date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.530(a)(1)(ii)",
            _("Contact person or office"),
            "45 CFR 164.530(a)(1)(ii)",
            _(
                "45 CFR 164.530(a)(1)(ii): designate a contact person or office to receive "
                "complaints and to answer questions about the notice of privacy practices. "
                "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal "
                "is a documented default [M]; an attestation's own valid-until date still "
                "applies."
            ),
        ),
        _attested(
            "HIPAA-164.530(a)(2)",
            _("Documentation of the personnel designations"),
            "45 CFR 164.530(a)(2)",
            _(
                "45 CFR 164.530(a)(2): document the privacy official and contact designations "
                "and retain the documentation as 164.530(j) requires. Re-attested every 365 "
                "days: the regulation sets no cadence, so yearly renewal is a documented default "
                "[M]; an attestation's own valid-until date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.520",
            _("Notice of privacy practices"),
            "45 CFR 164.520",
            _(
                "45 CFR 164.520: the duty to provide a notice of privacy practices is verified "
                "(the section); its details are from memory [M] and only guide: a direct "
                "treatment provider gives the notice no later than the first service delivery, "
                "makes a good-faith effort to obtain a written acknowledgment, posts it at the "
                "delivery site and on its website if it has one. Re-attested every 365 days: a "
                "documented default [M]; an attestation's own valid-until date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.530(b)",
            _("Workforce privacy training"),
            "45 CFR 164.530(b)",
            _(
                "45 CFR 164.530(b): train all workforce members on the privacy policies and "
                "procedures: each new member within a reasonable period after joining, and each "
                "member affected by a material change within a reasonable period after it; "
                'document the training. Re-attested every 365 days: the rule sets "a reasonable '
                'period", not a cadence, so yearly renewal is a documented default [M]; an '
                "attestation's own valid-until date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.530(c)",
            _("Privacy safeguards"),
            "45 CFR 164.530(c)",
            _(
                "45 CFR 164.530(c) (verified from a secondary list): appropriate "
                "administrative, technical and physical safeguards to protect the privacy of "
                "protected health information in any form. Re-attested every 365 days: the "
                "regulation sets no cadence, so yearly renewal is a documented default [M]; an "
                "attestation's own valid-until date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.530(d)",
            _("Complaint process"),
            "45 CFR 164.530(d)",
            _(
                "45 CFR 164.530(d) (verified from a secondary list): a process for individuals "
                "to complain about the privacy policies and procedures or compliance with them, "
                "with the complaints and their disposition documented. Re-attested every 365 "
                "days: the regulation sets no cadence, so yearly renewal is a documented default "
                "[M]; an attestation's own valid-until date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.530(e)",
            _("Sanctions"),
            "45 CFR 164.530(e)",
            _(
                "45 CFR 164.530(e) (verified from a secondary list): apply and document "
                "appropriate sanctions against workforce members who fail to comply with the "
                "privacy policies and procedures. Re-attested every 365 days: the regulation "
                "sets no cadence, so yearly renewal is a documented default [M]; an "
                "attestation's own valid-until date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.530(f)",
            _("Mitigation"),
            "45 CFR 164.530(f)",
            _(
                "45 CFR 164.530(f) (verified from a secondary list): mitigate, to the extent "
                "practicable, any known harmful effect of a use or disclosure of protected "
                "health information in violation of the policies or the Privacy Rule. "
                "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal "
                "is a documented default [M]; an attestation's own valid-until date still "
                "applies."
            ),
        ),
        _attested(
            "HIPAA-164.530(i)",
            _("Privacy policies and procedures"),
            "45 CFR 164.530(i)",
            _(
                "45 CFR 164.530(i) (verified from a secondary list): written policies and "
                "procedures designed to comply with the Privacy Rule. Re-attested every 365 "
                "days: the regulation sets no cadence, so yearly renewal is a documented default "
                "[M]; an attestation's own valid-until date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.530(j)",
            _("Privacy documentation retention (6 years)"),
            "45 CFR 164.530(j)",
            _(
                "45 CFR 164.530(j) (verified from an audit-protocol excerpt, secondary): retain "
                "the required documentation for 6 years from its creation or the date it was "
                "last in effect, whichever is later. Re-attested every 365 days: the regulation "
                "sets no review cadence, so yearly renewal is a documented default [M]; an "
                "attestation's own valid-until date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.502(e)",
            _("Business associate agreements"),
            "45 CFR 164.502(e), 164.504(e)",
            _(
                "45 CFR 164.502(e) and 164.504(e) (verified from a secondary source): protected "
                "health information is shared with a business associate only under a business "
                "associate agreement meeting 164.504(e), made before the information is shared. "
                "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal "
                "is a documented default [M]; an attestation's own valid-until date still "
                "applies."
            ),
        ),
    ),
    citation="45 CFR Part 164, Subpart E",
    source_grades=(Grade.VERIFIED, Grade.MEMORY),
)

# --- Breach Notification Rule --------------------------------------------------------------------

BREACH_NOTIFICATION_RULE = Framework(
    code="US-HIPAA-BREACH",
    title=_("HIPAA Breach Notification Rule"),
    jurisdiction="US",
    level=Level.NATIONAL,
    version="45 CFR 164 Subpart D (2013)",
    requirements=(
        _attested(
            "HIPAA-164.402",
            _("Breach risk assessment procedure"),
            "45 CFR 164.402",
            _(
                "45 CFR 164.402 (verified from a secondary source): an impermissible use or "
                "disclosure of unsecured protected health information is presumed a breach "
                "unless a documented risk assessment of at least four factors shows a low "
                "probability that the information was compromised. Attest the procedure. "
                "Re-attested every 365 days: the regulation sets no cadence, so yearly renewal "
                "is a documented default [M]; an attestation's own valid-until date still "
                "applies."
            ),
        ),
        _attested(
            "HIPAA-164.404",
            _("Breach notice to individuals"),
            "45 CFR 164.404",
            _(
                "45 CFR 164.404(b): notify each affected individual without unreasonable delay "
                "and in no case later than 60 calendar days after discovery (the first day the "
                "breach is known, or would have been known with reasonable diligence). Attest "
                "the procedure. Re-attested every 365 days: the regulation sets no cadence, so "
                "yearly renewal is a documented default [M]; an attestation's own valid-until "
                "date still applies."
            ),
        ),
        _attested(
            "HIPAA-164.406",
            _("Breach notice to the media"),
            "45 CFR 164.406",
            _(
                "45 CFR 164.406, from memory [M], so this shows as needing verification and "
                "never fails a facility: notify prominent media outlets when a breach involves "
                "more than 500 residents of a State or jurisdiction, within the same 60-day "
                "limit. Re-attested every 365 days: a documented default [M]; an attestation's "
                "own valid-until date still applies."
            ),
            grade=Grade.MEMORY,
        ),
        _attested(
            "HIPAA-164.408",
            _("Breach notice to the Secretary"),
            "45 CFR 164.408",
            _(
                "45 CFR 164.408: for a breach of 500 or more individuals, notify the Secretary "
                "at the same time as the 164.404 notice (164.408(b)); for fewer than 500, log "
                "the breach and notify the Secretary no later than 60 days after the end of the "
                "calendar year (1 March, or 29 February in a leap year) (164.408(c)). Attest the "
                "procedure and the log. Re-attested every 365 days: the regulation sets no "
                "cadence, so yearly renewal is a documented default [M]; an attestation's own "
                "valid-until date still applies."
            ),
        ),
    ),
    citation="45 CFR 164.400-414 (Subpart D)",
    source_grades=(Grade.VERIFIED, Grade.MEMORY),
)

FRAMEWORKS: tuple[Framework, ...] = (SECURITY_RULE, PRIVACY_RULE, BREACH_NOTIFICATION_RULE)
