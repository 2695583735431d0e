from django.http import HttpRequest, HttpResponse


def dashboard(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def dataset_create(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def dataset_edit(request: HttpRequest, name: str) -> HttpResponse:
    raise NotImplementedError


def dataset_publish(request: HttpRequest, name: str) -> HttpResponse:
    raise NotImplementedError


def dataset_withdraw(request: HttpRequest, name: str) -> HttpResponse:
    raise NotImplementedError


def resource_create(request: HttpRequest, name: str) -> HttpResponse:
    raise NotImplementedError


def resource_edit(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    raise NotImplementedError


def resource_delete(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    raise NotImplementedError
