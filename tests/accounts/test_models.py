"""The database keeps roles and authorities consistent, whatever code writes the row."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.accounts.models import Role, User


@pytest.mark.parametrize(
    "role,with_authority,coordinator",
    [
        (Role.AUTHORITY_STAFF, False, False),
        (Role.FUNDER, True, False),
        (Role.PROJECT_STAFF, True, False),
        (Role.FUNDER, False, True),
    ],
)
def test_database_refuses_a_user_whose_authority_does_not_match_the_role(
    mainz, role, with_authority, coordinator
):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            email="falsch@example.org",
            role=role,
            authority=mainz if with_authority else None,
            is_coordinator=coordinator,
        )
    assert not User.objects.filter(email="falsch@example.org").exists()


def test_model_validation_explains_the_constraint_in_german(db):
    user = User(email="falsch@example.org", role=Role.AUTHORITY_STAFF)
    user.set_unusable_password()

    with pytest.raises(ValidationError) as error:
        user.full_clean()

    assert "Mitarbeitende einer Ausländerbehörde brauchen eine Behörde; andere Rollen haben keine." in str(
        error.value
    )


def test_email_is_stored_in_lower_case_and_unique_regardless_of_case(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="MEMBER@Mainz.Example.org", role=Role.FUNDER)

    assert User.objects.create_user("Neu@Example.org", "x" * 12, role=Role.FUNDER).email == "neu@example.org"
