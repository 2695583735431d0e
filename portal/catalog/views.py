from django.http import HttpRequest, HttpResponse


def dataset_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    raise NotImplementedError


def resource_detail(request: HttpRequest, name: str, resource_id: str) -> HttpResponse:
    raise NotImplementedError


def resource_download(request: HttpRequest, name: str, resource_id: str,
                      filename: str) -> HttpResponse:
    raise NotImplementedError
