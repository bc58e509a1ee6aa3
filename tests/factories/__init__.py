from tests.factories.facilities import (
    AccreditationFactory,
    FacilityFactory,
    FacilityLicenseFactory,
    MembershipFactory,
    OrganizationFactory,
)
from tests.factories.users import UserFactory

__all__ = [
    "AccreditationFactory",
    "FacilityFactory",
    "FacilityLicenseFactory",
    "MembershipFactory",
    "OrganizationFactory",
    "UserFactory",
]
