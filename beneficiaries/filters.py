"""The search and filters of the file list. The queryset given is already scoped to the
user (BeneficiaryFile.objects.visible_to, RT-6, RT-10); filters only narrow it."""

import django_filters
from django.utils.translation import gettext_lazy as _

from charity import calendar
from charity.models import Category, PolicyProfile
from charity.policy import Channel
from charity.roles import Role, active_members

from .forms.files import FileFilterForm
from .policy import FileStatus

OVERDUE_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


def profile_categories(request):
    """The categories of the active profile (BEN-1, BEN-2)."""
    profile = PolicyProfile.objects.filter(is_active=True).first()
    return profile.categories.order_by("id") if profile else Category.objects.none()


def researchers(request):
    """Active members of the social-researcher group."""
    return active_members(Role.RESEARCHER)


class FileFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FileStatus.choices, empty_label=_("Any status"))
    category = django_filters.ModelChoiceFilter(label=_("Category"), field_name="categories",
                                                queryset=profile_categories, empty_label=_("Any category"))
    researcher = django_filters.ModelChoiceFilter(label=_("Social researcher"), queryset=researchers,
                                                  empty_label=_("Any researcher"))
    overdue = django_filters.ChoiceFilter(label=_("Decision overdue"), choices=OVERDUE_CHOICES,
                                          method="filter_overdue", empty_label=_("All"))
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices, empty_label=_("Any channel"))
    submitted_from = django_filters.DateFilter(label=_("Submitted from"), field_name="submitted_at",
                                               method="filter_submitted_from")
    submitted_to = django_filters.DateFilter(label=_("Submitted to"), field_name="submitted_at",
                                             method="filter_submitted_to")

    class Meta:
        form = FileFilterForm
        fields = ["q", "status", "category", "researcher", "overdue", "channel", "submitted_from", "submitted_to"]

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or calendar.today()

    def filter_search(self, queryset, name, value):
        """File number, identity number (head or member), mobile or Arabic name."""
        return queryset.search(value)

    def filter_overdue(self, queryset, name, value):
        """IN-5: applications still under study after their decision target."""
        if value == "yes":
            return queryset.overdue(self.today)
        return queryset.exclude(pk__in=queryset.model.objects.overdue(self.today).values("pk"))

    def filter_submitted_from(self, queryset, name, value):
        """From the start of that day in Riyadh (the dashboard's periods are local days)."""
        return queryset.filter(submitted_at__gte=calendar.start_of_day(value))

    def filter_submitted_to(self, queryset, name, value):
        """Up to the end of that day in Riyadh."""
        return queryset.filter(submitted_at__lt=calendar.start_of_day(calendar.add_days(value, 1)))
