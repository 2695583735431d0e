"""Forms of the feedback pages. They read shapes; the rules (spam controls, lengths) are the
services' input objects (inputs.py), so the pages and /api/v1 refuse the same things."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency
from portal.catalog.forms import StaffForm
from portal.feedback.inputs import NAME_MAX_LENGTH, TITLE_MAX_LENGTH, Submission
from portal.feedback.models import Category, Kind

VISIBILITY = [("public", _("Public: everyone can read my message and its answers (never my "
                           "name or e-mail address)")),
              ("private", _("Private: only the agency and the supervising department read "
                            "it"))]
HONEYPOT_LABEL = _("Leave this field empty")


def _active_agencies() -> Any:
    return Agency.objects.active().order_by("name")


class PublicForm(StaffForm):
    """What the public writes: a message, optionally a name and an address, public or not,
    and the honeypot field people do not see."""

    message = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": _("Write your message.")})
    author_name = forms.CharField(label=_("Your name (optional)"), required=False,
                                  widget=forms.TextInput(attrs={"maxlength": NAME_MAX_LENGTH,
                                                                "autocomplete": "name"}))
    author_email = forms.CharField(
        label=_("Your e-mail address (optional)"), required=False,
        help_text=_("To receive the answer. It is never shown publicly and is erased some "
                    "time after your message is closed."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=VISIBILITY,
                                   initial="public", widget=forms.RadioSelect)
    website = forms.CharField(label=HONEYPOT_LABEL, required=False, widget=forms.TextInput(
        attrs={"tabindex": "-1", "autocomplete": "off"}))

    kind = Kind.FEEDBACK

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            kind=self.kind, message=data["message"], category=data.get("category") or "other",
            title=data.get("title") or "", author_name=data["author_name"],
            author_email=data["author_email"], public=data["visibility"] == "public",
            honeypot=data["website"])


class FeedbackForm(PublicForm):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices,
                                 initial=Category.DATA_QUALITY)
    field_order = ["category", "message", "author_name", "author_email", "visibility",
                   "website"]


class RequestForm(PublicForm):
    title = forms.CharField(label=_("What data do you need?"), widget=forms.TextInput(
        attrs={"maxlength": TITLE_MAX_LENGTH}))
    agency = forms.ModelChoiceField(
        label=_("Agency that may hold it (optional)"), queryset=Agency.objects.none(),
        required=False, empty_label=_("I do not know"), to_field_name="slug")
    field_order = ["title", "message", "agency", "author_name", "author_email", "visibility",
                   "website"]
    kind = Kind.DATA_REQUEST

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].label = _("Describe the data, its use and the period it "
                                         "should cover")
        self.fields["agency"].queryset = _active_agencies()  # type: ignore[attr-defined]


class StaffThreadForm(StaffForm):
    """A request to another agency, or a difficulty reported to the supervising department."""

    kind = forms.ChoiceField(label=_("Kind"), widget=forms.RadioSelect, choices=[
        (Kind.AGENCY_REQUEST, _("A request to another agency (article 7.1)")),
        (Kind.DIFFICULTY, _("A difficulty reported to the supervising department "
                            "(article 16)"))])
    agency = forms.ModelChoiceField(
        label=_("Agency asked"), queryset=Agency.objects.none(), required=False,
        to_field_name="slug", help_text=_("For a request to another agency."))
    title = forms.CharField(label=_("Title"), widget=forms.TextInput(
        attrs={"maxlength": TITLE_MAX_LENGTH}))
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    dataset = forms.CharField(label=_("Dataset concerned (optional)"), required=False,
                              help_text=_("Its URL name, as in /dataset/<name>."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _active_agencies()  # type: ignore[attr-defined]

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(kind=data["kind"], message=data["message"], title=data["title"],
                          public=False)


class AnswerForm(StaffForm):
    message = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Sent to the sender, and shown with the thread when "
                                          "it is public; signed by your agency."))
    close = forms.BooleanField(label=_("Close the thread with this answer"), required=False)


class NoteForm(StaffForm):
    message = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Read only by your agency, the supervising "
                                          "department and the operating unit."))


class CloseForm(StaffForm):
    message = forms.CharField(label=_("Last answer (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(StaffForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For spam or abuse. The thread disappears from the "
                                         "public pages; the sender is told the reason."))


class ReassignForm(StaffForm):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(),
                                    to_field_name="slug")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _active_agencies()  # type: ignore[attr-defined]


class FulfilForm(StaffForm):
    dataset = forms.CharField(label=_("Dataset that fulfils the request"),
                              help_text=_("Its URL name, as in /dataset/<name>. The request "
                                          "is closed and its sender told."))


class PlanForm(StaffForm):
    list_item_code = forms.CharField(label=_("Item of the open data list"), max_length=100,
                                     help_text=_("Its code in the province's open data list."))


ACTION_FORMS: dict[str, type[StaffForm]] = {
    "answer": AnswerForm, "note": NoteForm, "close": CloseForm, "reject": RejectForm,
    "reassign": ReassignForm, "fulfil": FulfilForm, "plan": PlanForm,
}
