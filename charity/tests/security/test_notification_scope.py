"""RT-6, RT-10, CP-8: the outbox shows a notification only to who may see the record it is about."""

import pytest
from django.contrib.contenttypes.models import ContentType

from beneficiaries.models import BeneficiaryFile
from charity.models import Notification
from charity.scopes import is_registered
from complaints.models import Complaint

pytestmark = pytest.mark.django_db


def test_every_kind_of_record_a_notification_is_about_has_a_scope(world):
    kinds = ContentType.objects.filter(pk__in=Notification.objects.values("content_type"))
    assert kinds.count() >= 3
    assert [k.model for k in kinds if not is_registered(k.model_class())] == []


@pytest.mark.rule("RT-6", "CP-8")
def test_the_outbox_of_each_role_stays_within_its_files_and_complaints(world):
    for key, user in world.users.items():
        visible = Notification.objects.visible_to(user)
        files = {str(pk) for pk in BeneficiaryFile.objects.visible_to(user).values_list("pk", flat=True)}
        complaints = {str(pk) for pk in Complaint.objects.visible_to(user).values_list("pk", flat=True)}
        about_files = set(visible.filter(content_type__model="beneficiaryfile").values_list("object_id", flat=True))
        about_complaints = set(visible.filter(content_type__model="complaint").values_list("object_id", flat=True))
        assert about_files <= files and about_complaints <= complaints, key
