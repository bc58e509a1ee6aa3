"""The project's admin site: Django's, with "view on site" scoped like the rest of the admin.

Django's `/admin/r/<content_type_id>/<object_id>/` redirects any staff member to the public
URL of any object with a `get_absolute_url()`, whatever its organization: the URL names the
other organization and confirms that the object exists. Here a staff member who is not a
superuser is redirected only for an object that the model's admin would show them (the
organization-scoped querysets of `facilities.admin`); any other object answers 404, as a
missing one does.

The admins that third-party apps register (django-axes' login attempts, the task results of
django-tasks-db) hold rows of every organization and no organization column to scope them by:
on this site they are for superusers only, whatever permissions a staff member was granted.

Replacing the default site (`HimsAdminConfig.default_site`) keeps `admin.site` and
`@admin.register` working unchanged. This module is imported while the app registry loads:
it must not import models at module level.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _

# Apps whose admins show every organization's rows: superusers only.
SUPERUSER_ONLY_APPS = frozenset({"axes", "django_tasks_database"})


def _is_superuser(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


class SuperuserOnlyAdminMixin:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_superuser(request) and bool(super().has_module_permission(request))  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request) and bool(super().has_view_permission(request, obj))  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_superuser(request) and bool(super().has_add_permission(request, *args))  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request) and bool(super().has_change_permission(request, obj))  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request) and bool(super().has_delete_permission(request, obj))  # type: ignore[misc]


class HimsAdminSite(admin.AdminSite):
    def register(
        self,
        model_or_iterable: Any,
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        models = (
            model_or_iterable if isinstance(model_or_iterable, Iterable) else [model_or_iterable]
        )
        for model in models:
            base = admin_class or admin.ModelAdmin
            if model._meta.app_label in SUPERUSER_ONLY_APPS:
                base = type(f"SuperuserOnly{base.__name__}", (SuperuserOnlyAdminMixin, base), {})
            super().register(model, base, **options)

    def get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = super().get_urls()
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if isinstance(url, URLPattern) and url.name == "view_on_site"
            else url
            for url in urls
        ]

    def view_on_site(
        self, request: HttpRequest, content_type_id: str, object_id: str
    ) -> HttpResponse:
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        if not _is_superuser(request):
            missing = Http404(_("This object does not exist."))
            try:
                model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
            except (ValueError, ContentType.DoesNotExist):
                raise missing from None
            if model is None or not self.is_registered(model):
                raise missing
            model_admin = self.get_model_admin(model)
            # The model admin's queryset is already narrowed to the staff member's
            # organizations; an object outside it is as missing as a deleted one.
            obj = model_admin.get_object(request, object_id)
            if obj is None or not model_admin.has_view_or_change_permission(request, obj):
                raise missing
        response: Any = shortcut(request, content_type_id, object_id)
        return response  # type: ignore[no-any-return]


class HimsAdminConfig(AdminConfig):
    """`django.contrib.admin` with `HimsAdminSite` as `admin.site`."""

    default_site = "facilities.admin_site.HimsAdminSite"
