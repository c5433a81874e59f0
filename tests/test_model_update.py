"""portal.services.model_update: the one way a service changes fields of a row."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from authorities.models import Authority
from portal.services import model_update

FIELDS = ["name", "phone", "postal_code", "population"]


def test_only_the_changed_fields_are_written_so_a_concurrent_change_of_another_field_stays(mainz):
    # Two people opened the authority; the other one saved a new phone number first.
    Authority.objects.filter(pk=mainz.pk).update(phone="06131 12-0")

    changed = model_update(
        instance=mainz, fields=FIELDS, data={"name": "Landeshauptstadt Mainz", "phone": mainz.phone}
    )

    assert list(changed) == ["name"]
    mainz.refresh_from_db()
    assert mainz.name == "Landeshauptstadt Mainz"
    assert mainz.phone == "06131 12-0"


def test_it_returns_each_changed_field_with_its_old_value_in_the_order_of_fields(mainz):
    mainz.population = 220_000
    mainz.save()

    changed = model_update(
        instance=mainz, fields=FIELDS, data={"population": 221_000, "phone": "06131 1", "name": mainz.name}
    )

    assert changed == {"phone": "", "population": 220_000}
    assert (mainz.phone, mainz.population) == ("06131 1", 221_000)


def test_nothing_changed_means_no_query_and_an_empty_result(mainz, django_assert_num_queries):
    with django_assert_num_queries(0):
        changed = model_update(instance=mainz, fields=FIELDS, data={"name": mainz.name, "phone": ""})

    assert changed == {}
    assert not changed


def test_a_change_moves_the_auto_now_timestamp_too(mainz):
    Authority.objects.filter(pk=mainz.pk).update(updated_at=mainz.updated_at - timedelta(days=3))
    mainz.refresh_from_db()
    before = mainz.updated_at

    model_update(instance=mainz, fields=FIELDS, data={"phone": "06131 2"})

    mainz.refresh_from_db()
    assert mainz.updated_at > before


def test_a_field_not_open_to_the_update_is_refused_and_nothing_changes(mainz):
    with pytest.raises(TypeError, match=r"fields not open to this update: \['notes'\]"):
        model_update(instance=mainz, fields=FIELDS, data={"name": "Mainz", "notes": "geheim"})

    mainz.refresh_from_db()
    assert (mainz.name, mainz.notes) == ("Stadt Mainz", "")


@pytest.mark.parametrize("name", ["nmae", "contacts"])
def test_a_name_that_is_no_column_is_refused(mainz, name):
    # A typo would otherwise set an attribute that is never saved; a reverse relation is no column.
    with pytest.raises(TypeError, match=name):
        model_update(instance=mainz, fields=[*FIELDS, name], data={"name": "Mainz"})

    mainz.refresh_from_db()
    assert mainz.name == "Stadt Mainz"


def test_invalid_values_are_refused_with_the_fields_message_and_the_instance_keeps_its_values(mainz):
    with pytest.raises(ValidationError) as error:
        model_update(instance=mainz, fields=FIELDS, data={"name": "Mainz", "postal_code": "551"})

    assert error.value.message_dict == {"postal_code": ["Die Postleitzahl besteht aus 5 Ziffern."]}
    assert (mainz.name, mainz.postal_code) == ("Stadt Mainz", "")
    mainz.refresh_from_db()
    assert mainz.name == "Stadt Mainz"
