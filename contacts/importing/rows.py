"""Checking the rows: each row through a form, then the valid rows for duplicates."""

from itertools import islice

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import Language, User
from accounts.selectors import list_assignable_managers
from clients.models import Client, Industry, Source, Status, Tier
from clients.selectors import clients_visible_to
from clients.services import parse_tags

from ..models import Contact
from .columns import CLIENT_COLUMNS, CONTACT_COLUMNS, CONTACT_FIELD_BY_COLUMN
from .parsing import normalise_text, parse_rows
from .report import DuplicateRow, ImportReport, ImportRow


class CodeField(forms.ChoiceField):
    """A choice given by its code (`vip`), case-insensitively; the error lists the valid codes."""

    def __init__(self, *, choices, **kwargs):
        super().__init__(choices=choices, required=False, **kwargs)
        self.codes = [code for code, _label in choices]

    def to_python(self, value):
        return super().to_python(value).strip().lower()

    def validate(self, value):
        if value and value not in self.codes:
            raise ValidationError(
                gettext_lazy("“%(value)s” is not one of %(codes)s."),
                code="invalid_choice",
                params={"value": value, "codes": ", ".join(self.codes)},
            )


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class ClientRowForm(forms.Form):
    """One CSV row: the client's fields, its manager by e-mail and its first contact."""

    name = forms.CharField(max_length=_max_length(Client, "name"))
    registration_code = forms.CharField(max_length=_max_length(Client, "registration_code"), required=False)
    tier = CodeField(choices=Tier.choices)
    status = CodeField(choices=Status.choices)
    industry = CodeField(choices=Industry.choices)
    country = forms.CharField(required=False)
    city = forms.CharField(max_length=_max_length(Client, "city"), required=False)
    address = forms.CharField(max_length=_max_length(Client, "address"), required=False)
    website = forms.URLField(max_length=_max_length(Client, "website"), required=False, assume_scheme="https")
    account_manager_email = forms.EmailField(required=False)
    source = CodeField(choices=Source.choices)
    tags = forms.CharField(required=False)
    notes = forms.CharField(required=False)
    contact_name = forms.CharField(max_length=_max_length(Contact, "full_name"), required=False)
    contact_position = forms.CharField(max_length=_max_length(Contact, "position"), required=False)
    contact_email = forms.EmailField(required=False)
    contact_phone = forms.CharField(required=False)
    contact_language = CodeField(choices=Language.choices)

    def __init__(self, *args, user: User, managers: dict[str, User], **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.managers = managers  # assignable managers by lower-cased e-mail, fetched once per file

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == Status.CHURNED:
            # A churn is a person's decision with a date and a reason, and it moves the churn rate.
            raise ValidationError(
                _("Churned clients cannot be imported. Import the client as inactive, then mark it churned.")
            )
        return status or Status.PROSPECT

    def clean_tier(self):
        return self.cleaned_data["tier"] or Tier.STANDARD

    def clean_country(self):
        value = self.cleaned_data["country"].strip()
        if not value:
            return ""
        code = countries.alpha2(value) or countries.by_name(value)  # LT, ltu, 440 or Lithuania
        if not code:
            raise ValidationError(_("“%(value)s” is not a country code (e.g. LT, LV, PL).") % {"value": value})
        return code

    def clean_account_manager_email(self):
        email = self.cleaned_data["account_manager_email"].lower()
        if self.user.is_manager:
            if email and email != self.user.email.lower():
                raise ValidationError(
                    _("You can import clients only for yourself: leave it empty or give your own e-mail.")
                )
            return self.user
        if not email:
            # An admin may leave a client unassigned; a lead's client with nobody would vanish
            # from the lead's own list, so it is the lead's.
            return None if self.user.is_admin else self.user
        manager = self.managers.get(email)
        if manager is None:
            raise ValidationError(_("“%(email)s” is not a manager you can assign clients to.") % {"email": email})
        return manager

    def clean_tags(self):
        return parse_tags(self.cleaned_data["tags"])

    def clean_contact_phone(self):
        raw = self.cleaned_data["contact_phone"].strip()
        # A national number belongs to the client's country, not to the default region.
        country = self.cleaned_data.get("country")
        region = country if country in phonenumbers.SUPPORTED_REGIONS else None
        return PhoneNumberField(region=region, required=False).clean(raw)

    def clean(self):
        data = super().clean()
        has_contact = any(data.get(column) for column in CONTACT_COLUMNS if column != "contact_language")
        if has_contact and not data.get("contact_name"):
            self.add_error("contact_name", _("Give the contact's name when other contact columns are filled."))
        return data

    def client_fields(self) -> dict:
        data = self.cleaned_data
        fields = {column: data[column] for column in CLIENT_COLUMNS if column != "account_manager_email"}
        fields["account_manager"] = data["account_manager_email"]
        return fields

    def contact_fields(self) -> dict | None:
        data = self.cleaned_data
        if not data["contact_name"]:
            return None
        fields = {CONTACT_FIELD_BY_COLUMN[column]: data[column] for column in CONTACT_COLUMNS}
        if not fields["language"]:
            del fields["language"]  # the model's default
        return fields


class _Duplicates:
    """Finds rows already in the CRM or earlier in the file, by registration code or name + country."""

    def __init__(self, user: User, rows: list[dict]):
        codes = {row["registration_code"] for row in rows if row["registration_code"]}
        names = list({row["name"].lower() for row in rows})
        existing = list(Client.objects.filter(registration_code__in=codes).only("pk", "name", "registration_code"))
        self.by_code = {client.registration_code: client for client in existing}
        self.by_name: dict[tuple[str, str], Client] = {}
        # PostgreSQL lowers every letter; SQLite (development only) lowers ASCII letters only.
        for start in range(0, len(names), 500):
            batch = Client.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=names[start : start + 500])
            for client in batch.only("pk", "name", "country"):
                existing.append(client)
                self.by_name.setdefault((client.name.lower(), client.country.code or ""), client)
        found = {client.pk for client in existing}
        self.visible = (
            set(clients_visible_to(user).filter(pk__in=found).values_list("pk", flat=True)) if found else set()
        )
        self.seen_codes: dict[str, tuple[int, str]] = {}
        self.seen_names: dict[tuple[str, str], tuple[int, str]] = {}

    def _existing(self, client: Client, reason: str) -> str:
        if client.pk in self.visible:
            return _("Duplicate of “%(name)s” (same %(reason)s).") % {"name": client.name, "reason": reason}
        # Another team's client: say that it exists (the code is unique anyway), not whose it is.
        return _("Duplicate of a client already in the CRM (same %(reason)s).") % {"reason": reason}

    def check(self, line: int, fields: dict) -> str | None:
        """Why this row is a duplicate, or None after remembering it for the rows below."""
        code, name_key = fields["registration_code"], (fields["name"].lower(), fields["country"] or "")
        if code and code in self.by_code:
            return self._existing(self.by_code[code], _("registration code"))
        if name_key in self.by_name:
            return self._existing(self.by_name[name_key], _("name and country"))
        earlier = (code and self.seen_codes.get(code)) or self.seen_names.get(name_key)
        if earlier:
            return _("Duplicate of line %(line)s (“%(name)s”).") % {"line": earlier[0], "name": earlier[1]}
        if code:
            self.seen_codes[code] = (line, fields["name"])
        self.seen_names[name_key] = (line, fields["name"])
        return None


def validate_client_csv(*, user: User, text: str) -> ImportReport:
    """Check every row of the CSV text as `user` would import it; nothing is written."""
    text = normalise_text(text)
    report = ImportReport(text=text)
    if len(text.encode()) > settings.CLIENT_IMPORT_MAX_BYTES:
        report.add_error(
            1, "", _("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.CLIENT_IMPORT_MAX_BYTES)}
        )
        return report
    if not text.strip():
        report.add_error(1, "", _("The file is empty."))
        return report
    if "\x00" in text:
        report.add_error(1, "", _("This is not a CSV text file."))
        return report
    # Each row is checked through a form (a few milliseconds) and the confirm step checks it again: a file of
    # 100,000 short lines fits in the size limit but would keep a web worker busy for minutes. Counted first by
    # the CSV reader alone, which is quick.
    max_rows = settings.CLIENT_IMPORT_MAX_ROWS
    if next(islice(parse_rows(ImportReport(text=text), text), max_rows, None), None) is not None:
        report.add_error(
            1,
            "",
            ngettext(
                "The file has more than %(count)s client. Split it into smaller files.",
                "The file has more than %(count)s clients. Split it into smaller files.",
                max_rows,
            )
            % {"count": max_rows},
        )
        return report

    managers = {m.email.lower(): m for m in list_assignable_managers(user)}
    valid: list[tuple[int, ClientRowForm]] = []
    for line, row in parse_rows(report, text):
        form = ClientRowForm(row, user=user, managers=managers)
        if form.is_valid():
            valid.append((line, form))
            continue
        for column, errors in form.errors.items():
            for message in errors:
                report.add_error(line, "" if column == "__all__" else column, message)
    if not report.error_count and not valid:
        report.add_error(1, "", _("The file has a header but no clients."))

    duplicates = _Duplicates(user, [form.cleaned_data for _line, form in valid])
    for line, form in valid:
        fields = form.client_fields()
        reason = duplicates.check(line, fields)
        if reason:
            report.duplicates.append(DuplicateRow(line, fields["name"], reason))
        else:
            report.rows.append(ImportRow(line=line, client=fields, contact=form.contact_fields()))
    return report
