"""Forms of the staff pages. They check shapes; the catalogue's services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency, Sector
from portal.catalog import inputs, services
from portal.catalog.models import AccessLevel, Dataset, Frequency, Licence, Resource, ResourceKind
from portal.lib.errors import ApplicationError, Conflict
from portal.lib.places import units


class StaffForm(forms.Form):
    """Bootstrap classes on every widget, and the services' refusals shown on the right field."""

    conflict = False  # set when a service refused because someone else saved first

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden:
                continue
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        """Bootstrap's red outline on fields with errors; aria-describedby links the text."""
        for name in self.errors:
            attrs = self.fields[name].widget.attrs if name in self.fields else {}
            if "class" in attrs and "is-invalid" not in attrs["class"]:
                attrs["class"] += " is-invalid"

    def add_application_error(self, error: ApplicationError) -> None:
        """Put each message of a service's refusal next to its field, the rest on top."""
        self.conflict = isinstance(error, Conflict)
        self.add_error(None, error.message)
        for name, messages in error.field_errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        self.mark_invalid()


def text_field(rule: inputs.TextRule, *,
               widget: type[forms.Widget] | forms.Widget = forms.TextInput,
               required: bool = False, **kwargs: Any) -> forms.CharField:
    """A text field that shows its rule's limit (`maxlength`) and leaves the checking to the
    catalogue's services, so that the page refuses what the APIs refuse, in the same words."""
    field = forms.CharField(widget=widget, required=required, **kwargs)
    field.widget.attrs["maxlength"] = str(rule.max_length)
    return field


def choice_field(rule: inputs.TextRule, **kwargs: Any) -> forms.ChoiceField:
    """A choice whose refusal (a value not offered) says what the APIs say."""
    return forms.ChoiceField(error_messages={
        "invalid_choice": lazy(inputs.not_a_choice, str)(rule.choices)}, **kwargs)


class VersionForm(StaffForm):
    """The version of the dataset the person saw, so that a stale action is refused."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, required=False,
        error_messages={"invalid": _("This form is damaged or out of date. Reload the page and "
                                     "make your changes again."),
                        "min_value": _("This form is damaged or out of date. Reload the page "
                                       "and make your changes again.")})


class WithdrawForm(VersionForm):
    reason = text_field(
        inputs.WITHDRAWAL_REASON, label=_("Reason for withdrawal"), required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the dataset's history, for example: the data contained errors."))


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DatasetForm(VersionForm):
    """Every field of `services.DatasetFields`; sectors are those of the publishing agency."""

    title = text_field(inputs.DATASET["title"], label=_("Title"), required=True)
    slug = text_field(
        inputs.DATASET["slug"], label=_("URL name"),
        help_text=_("Lower-case letters without diacritics, digits and hyphens, used in the "
                    "dataset's address. Leave empty to make one from the title."))
    description = text_field(
        inputs.DATASET["description"], label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown is allowed: **bold**, *italic*, lists, links and tables."))
    keywords = forms.CharField(label=_("Keywords"), required=False,
                               help_text=_("Separate keywords with commas."))
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the sectors your agency may publish in are listed."))
    licence = forms.ModelChoiceField(label=_("Licence"), queryset=Licence.objects.all(),
                                     empty_label=None)
    access_level = choice_field(inputs.DATASET["access_level"], label=_("Access level"),
                                choices=AccessLevel.choices, widget=forms.RadioSelect,
                                initial=AccessLevel.PUBLIC)
    frequency = choice_field(inputs.DATASET["frequency"], label=_("Update frequency"),
                             choices=Frequency.choices, initial=Frequency.IRREGULAR)
    temporal_start = forms.DateField(label=_("Temporal coverage from"), required=False,
                                     widget=_date_input())
    temporal_end = forms.DateField(label=_("Temporal coverage until"), required=False,
                                   widget=_date_input())
    spatial_codes = forms.MultipleChoiceField(
        label=_("Spatial coverage"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("The province, or the communes and wards the data covers. Hold Ctrl (Cmd on "
                    "a Mac) to choose several; type a name's first letters to jump to it."))
    source_system = text_field(
        inputs.DATASET["source_system"], label=_("Authoritative source system"),
        help_text=_("The ministry or agency database this data comes from (article 4.3)."))
    contact_name = text_field(inputs.DATASET["contact_name"], label=_("Contact point"))
    contact_email = text_field(inputs.DATASET["contact_email"], label=_("Contact e-mail"),
                               widget=forms.EmailInput)

    def __init__(self, *args: Any, agency: Agency | None, dataset: Dataset | None = None,
                 **kwargs: Any) -> None:
        if dataset is not None:
            kwargs.setdefault("initial", initial_from_dataset(dataset))
        super().__init__(*args, **kwargs)
        self.agency, self.dataset = agency, dataset
        offered = list(agency.sectors.all()) if agency is not None else []
        if dataset is not None:
            offered += [s for s in dataset.sectors.all() if s not in offered]
        # Any sector is accepted here so that the service can refuse one outside the agency's
        # list with a message that names it; only the agency's own are offered.
        sectors, spatial = self.fields["sectors"], self.fields["spatial_codes"]
        assert isinstance(sectors, forms.ChoiceField)
        assert isinstance(spatial, forms.ChoiceField)
        sectors.choices = [(sector.pk, sector.name) for sector in offered]
        spatial.choices = list(units().items())
        if dataset is None:
            self.fields["licence"].initial = Licence.objects.filter(is_default=True).first()

    def suggest_slug_from(self, url: str) -> None:
        """While the title is typed, htmx asks `url` for a URL name (no inline script needed)."""
        self.fields["title"].widget.attrs.update({
            "hx-get": url, "hx-trigger": "input changed delay:500ms", "hx-target": "#slug-field",
            "hx-swap": "outerHTML", "hx-include": "#id_slug, #id_slug_suggested",
        })

    def clean_keywords(self) -> list[str]:
        raw = self.cleaned_data["keywords"].replace(";", ",")
        return [word.strip() for word in raw.split(",") if word.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = services.suggest_slug(cleaned["title"], dataset=self.dataset)
        return cleaned

    def dataset_fields(self) -> services.DatasetFields:
        data = self.cleaned_data
        return services.DatasetFields(
            title=data["title"].strip(), slug=data["slug"].strip(), licence=data["licence"],
            description=data["description"], keywords=data["keywords"],
            sectors=list(data["sectors"]), contact_name=data["contact_name"].strip(),
            contact_email=data["contact_email"].strip(), access_level=data["access_level"],
            frequency=data["frequency"], temporal_start=data["temporal_start"],
            temporal_end=data["temporal_end"], spatial_codes=data["spatial_codes"],
            source_system=data["source_system"].strip(),
        )


def initial_from_dataset(dataset: Dataset) -> dict[str, Any]:
    simple = ("title", "slug", "description", "licence", "access_level", "frequency",
              "temporal_start", "temporal_end", "spatial_codes", "source_system",
              "contact_name", "contact_email", "version")
    return {name: getattr(dataset, name) for name in simple} | {
        "keywords": ", ".join(keyword.name for keyword in dataset.keywords.all()),
        "sectors": [sector.pk for sector in dataset.sectors.all()],
    }


def upload_limit_message() -> str:
    return gettext("The file is larger than the limit of %(limit)s. Nothing was stored. Split "
                   "the data into smaller files, or publish it as a link.") % {
        "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)}


class ResourceForm(StaffForm):
    """An uploaded file, an external link or an API endpoint. The kind is fixed once created."""

    kind = choice_field(inputs.RESOURCE["kind"], label=_("Kind"), choices=ResourceKind.choices,
                        widget=forms.RadioSelect, initial=ResourceKind.FILE)
    name = text_field(inputs.RESOURCE["name"], label=_("Name"),
                      help_text=_("Leave empty to use the file's name."))
    file = forms.FileField(label=_("File"), required=False, max_length=255)
    url = text_field(inputs.RESOURCE["url"], label=_("Address (URL)"), widget=forms.URLInput,
                     help_text=_("For a link or an API: the full address, starting with "
                                 "https://"))
    description = text_field(inputs.RESOURCE["description"], label=_("Description"),
                             widget=forms.Textarea(attrs={"rows": 4}))
    format = text_field(inputs.RESOURCE["format"], label=_("Format"),
                        help_text=_("For example CSV, XLSX, JSON. Leave empty to detect it "
                                    "from the file."))
    period = text_field(inputs.RESOURCE["period"], label=_("Reporting period"),
                        help_text=_("For example 2026-03, 2026-Q1, 2026-H1 or 2026."))

    def __init__(self, *args: Any, resource: Resource | None = None,
                 upload_too_large: bool = False, **kwargs: Any) -> None:
        if resource is not None:
            kwargs.setdefault("initial", {name: getattr(resource, name) for name in (
                "kind", "name", "url", "description", "format", "period")})
        super().__init__(*args, **kwargs)
        self.resource, self.upload_too_large = resource, upload_too_large
        limit = filesizeformat(settings.MAX_UPLOAD_SIZE)
        self.fields["file"].help_text = gettext("Largest size: %(limit)s.") % {"limit": limit}
        if resource is not None:
            self.fields["kind"].disabled = True
            self.fields["file"].help_text = gettext(
                "Choose a file only to replace the current one. Largest size: %(limit)s."
            ) % {"limit": limit}

    def clean_file(self) -> Any:
        if self.upload_too_large:
            raise ValidationError(upload_limit_message())
        return self.cleaned_data["file"]

    @property
    def upload(self) -> Any:
        """The uploaded file, if one came with a resource that keeps a file."""
        if self.cleaned_data.get("kind") != ResourceKind.FILE:
            return None
        return self.cleaned_data.get("file")

    def resource_fields(self) -> services.ResourceFields:
        data, upload = self.cleaned_data, self.upload
        name = data["name"].strip() or (upload.name if upload is not None else "")
        file_format = data["format"].strip()
        if upload is not None and self.resource is not None and file_format == self.resource.format:
            file_format = ""  # a replaced file may have another format: detect it again
        return services.ResourceFields(
            name=name, description=data["description"], kind=data["kind"],
            url=data["url"].strip(),
            format=file_format, period=data["period"].strip())
