"""Follow pages: the form (also in the side of dataset, agency and sector pages), and the two
links of the e-mails: confirm, and unsubscribe in one click (a GET: opening the link is enough;
the signed token is the proof of the address)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.agencies.models import Agency, Sector
from portal.catalog.forms import StaffForm
from portal.catalog.models import Dataset
from portal.catalog.selectors import get_dataset
from portal.follows import services, tokens
from portal.follows.notify import target_path, target_title
from portal.lib.errors import ApplicationError, NotFound
from portal.lib.net import site_url

Target = Dataset | Agency | Sector
KINDS = ("dataset", "organization", "group")  # CKAN's words, as in the pages' URLs


class FollowForm(StaffForm):
    email = forms.CharField(label=gettext_lazy("Your e-mail address"), widget=forms.EmailInput(
        attrs={"autocomplete": "email", "maxlength": 254}))
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))


def find_target(request: HttpRequest, kind: str, key: str) -> Target:
    target: Target | None = None
    if kind == "dataset":
        try:
            found = get_dataset(request.user, key[:200])
        except NotFound:
            found = None
        target = found if found is not None and found.is_public else None
    elif kind == "organization":
        target = Agency.objects.filter(slug=key[:100]).first()
    elif kind == "group":
        target = Sector.objects.filter(code=key[:50]).first()
    if target is None:
        raise Http404(_("There is nothing to follow at this address."))
    return target


def kind_of(target: Target) -> str:
    return "dataset" if isinstance(target, Dataset) else (
        "organization" if isinstance(target, Agency) else "group")


def key_of(target: Target) -> str:
    return target.code if isinstance(target, Sector) else target.slug


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    target = find_target(request, kind, key)
    form = FollowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_request(email=form.cleaned_data["email"], target=target,
                                    honeypot=form.cleaned_data["website"],
                                    site_url=site_url(request))
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _(
                "Almost done: we sent a confirmation link to %(email)s. News will start once "
                "you open it. If nothing arrives, look in the spam folder.")
                % {"email": form.cleaned_data["email"].strip()})
            return redirect(target_path(target))
    return render(request, "follows/follow_form.html", {
        "form": form, "target": target, "target_title": target_title(target),
        "target_path": target_path(target), "kind": kind_of(target), "key": key_of(target),
    }, status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    found = tokens.read(token, tokens.CONFIRM)
    if found is None:
        return render(request, "follows/link_invalid.html", status=404)
    services.follow_confirm(found)
    return render(request, "follows/confirmed.html", {
        "target_title": target_title(found.target), "target_path": target_path(found.target),
        "unsubscribe_token": tokens.make(found, tokens.UNSUBSCRIBE)})


@require_http_methods(["GET"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = tokens.read(token, tokens.UNSUBSCRIBE)
    if found is None:
        return render(request, "follows/link_invalid.html", {"unsubscribe": True}, status=404)
    target = found.target
    services.follow_end(found)
    return render(request, "follows/unsubscribed.html", {
        "target_title": target_title(target), "target_path": target_path(target)})
