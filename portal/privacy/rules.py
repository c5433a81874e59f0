"""Who may erase whose personal data (DSGVO Art. 17): the rule of the confirmation page, of the
erasure itself and of the link in the list of accounts.

Project staff erase the data of any account but their own; their own account another member of
the team erases. The retention task erases without a person asking (`by=None` in
`erasure.person_erase`); that is no decision of this rule.
"""

from portal.accounts.models import User


def may_erase(by: User, person: User) -> bool:
    return by.is_project_staff and by.pk is not None and by.pk != person.pk
