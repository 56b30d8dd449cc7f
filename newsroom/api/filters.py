"""Query filters every API resource may use."""

from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, in UTC: PostgreSQL refuses UTC offsets of 16 hours or more,
    which ISO 8601 and Python allow, so the offset is applied here and never sent."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 is before the first representable instant
            raise forms.ValidationError("The date and time is out of range.", code="overflow") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """``IsoDateTimeFilter`` with any valid offset accepted (see ``UtcIsoDateTimeField``)."""

    field_class = UtcIsoDateTimeField
