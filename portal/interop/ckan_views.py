from django.http import HttpRequest, HttpResponse


def action(request: HttpRequest, action: str) -> HttpResponse:
    raise NotImplementedError


def api_version(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
