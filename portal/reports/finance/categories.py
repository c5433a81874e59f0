"""The cost categories of an AMIF financing plan, as shipped: loaded by the migration and, where a
test database was emptied, by the demo. Project staff add, rename or reorder them in the admin."""

# name, flat rate
CATEGORIES = [
    ("Personalausgaben", False),
    ("Sachausgaben", False),
    ("Reisekosten", False),
    ("Honorare/Qualifizierung", False),
    ("Öffentlichkeitsarbeit", False),
    ("Indirekte Kosten (Pauschale)", True),
]


def categories_load(*, CostCategory) -> None:  # noqa: N803 (the model is passed in, for migrations)
    for position, (name, flat_rate) in enumerate(CATEGORIES, 1):
        CostCategory.objects.get_or_create(
            name=name, defaults={"position": position, "is_flat_rate": flat_rate}
        )
