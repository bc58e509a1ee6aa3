from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from facilities.models import User


@admin.register(User)
class HimsUserAdmin(UserAdmin[User]):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
