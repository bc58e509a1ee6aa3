"""Factories for the registry. They save through the model directly, with a history reason,
so that tests can arrange rows quickly; the services under test are called explicitly."""

import datetime

import factory

from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    Membership,
    Organization,
    RecordStatus,
)
from geography.models import Country, State
from tests.factories.users import UserFactory


class TrackedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = model_class(*args, **kwargs)
        instance._change_reason = "test: factory"
        instance.save()
        return instance


class OrganizationFactory(TrackedFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Health Group {n}")
    slug = factory.Sequence(lambda n: f"health-group-{n}")
    time_zone = "America/New_York"


class MembershipFactory(TrackedFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OFFICER


class FacilityFactory(TrackedFactory):
    """A US hospital in California by default; pass country/state codes for others."""

    class Meta:
        model = Facility

    class Params:
        state_code = "US-CA"

    organization = factory.SubFactory(OrganizationFactory)
    facility_name = factory.Sequence(lambda n: f"Facility {n}")
    facility_type = "hospital"
    ownership = "private"
    bed_count = 120
    services = factory.LazyFunction(list)
    state = factory.LazyAttribute(lambda o: State.objects.get(code=o.state_code))
    country = factory.LazyAttribute(lambda o: Country.objects.get(pk=o.state.country_id))
    district = None
    address = "1 Main Street"


class FacilityLicenseFactory(TrackedFactory):
    """A California hospital licence issued a year ago, expiring in about a year."""

    class Meta:
        model = FacilityLicense

    facility = factory.SubFactory(FacilityFactory)
    organization = factory.LazyAttribute(lambda o: o.facility.organization)
    license_type = "US-CA-HOSPITAL"
    license_number = factory.Sequence(lambda n: f"LIC-{n:05}")
    issued_by = "California Department of Public Health"
    issued_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=200))
    expiry_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=165))
    status = RecordStatus.ACTIVE


class AccreditationFactory(TrackedFactory):
    class Meta:
        model = Accreditation

    facility = factory.SubFactory(FacilityFactory)
    organization = factory.LazyAttribute(lambda o: o.facility.organization)
    accreditation_body = "TJC"
    accreditation_level = "accredited"
    certificate_number = factory.Sequence(lambda n: f"TJC-{n:05}")
    certified_date = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=400)
    )
    expiry_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=700))
    status = RecordStatus.ACTIVE
