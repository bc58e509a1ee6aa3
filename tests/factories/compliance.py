import datetime

import factory

from compliance.models import Attestation
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
