from tests.factories.users import UserFactory

__all__ = ["UserFactory"]
