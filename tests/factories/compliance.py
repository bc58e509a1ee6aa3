import datetime

import factory

from compliance.models import Attestation, CustomComplianceRule
from tests.factories.facilities import OrganizationFactory, TrackedFactory
from tests.factories.users import UserFactory


class AttestationFactory(TrackedFactory):
    """An organization-wide HIPAA risk analysis attested a month ago."""

    class Meta:
        model = Attestation

    organization = factory.SubFactory(OrganizationFactory)
    facility = None
    requirement_code = "HIPAA-164.308(a)(1)(ii)(A)"
    outcome = Attestation.Outcome.IMPLEMENTED
    attested_by = factory.SubFactory(UserFactory)
    attested_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))


class CustomComplianceRuleFactory(TrackedFactory):
    """An inactive organization rule: large sites hold a JCI accreditation."""

    class Meta:
        model = CustomComplianceRule

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"CUSTOM-RULE-{n}")
    name = factory.Sequence(lambda n: f"Rule {n}")
    description = "Large sites hold JCI."
    logic = factory.LazyFunction(
        lambda: {
            "when": {">=": [{"fact": "facility.beds"}, 200]},
            "require": {"accredited": {"body": "JCI"}},
        }
    )
    is_active = False
