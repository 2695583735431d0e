from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", {})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html", {})


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/terms.html", {})
