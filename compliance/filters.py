"""Filters of the compliance pages (django-filter)."""
