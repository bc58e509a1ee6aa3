from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from geography.selectors import countries_with_coverage


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "facilities/home.html", {"countries": countries_with_coverage()})
