from django.http import HttpRequest, HttpResponse


def agency_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    raise NotImplementedError


def sector_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def sector_detail(request: HttpRequest, code: str) -> HttpResponse:
    raise NotImplementedError
