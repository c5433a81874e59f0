"""The cost categories of an AMIF financing plan, as shipped: loaded by the migrations and, where a
test database was emptied, by the demo. Project staff add, rename or reorder them in the admin."""

from decimal import Decimal

# name, flat rate
CATEGORIES = [
    ("Personalausgaben", False),
    ("Sachausgaben", False),
    ("Reisekosten", False),
    ("Honorare/Qualifizierung", False),
    ("Öffentlichkeitsarbeit", False),
    ("Indirekte Kosten (Pauschale)", True),
]
PERSONNEL = "Personalausgaben"
# Indirect costs as 7 % of all direct costs: Art. 54 (a) of Regulation (EU) 2021/1060 (see CostCategory).
FLAT_RATE_PERCENT = Decimal("7.00")
FLAT_RATE_BASE = "direct"


def categories_load(*, CostCategory) -> None:  # noqa: N803 (the model is passed in, for migrations)
    for position, (name, flat_rate) in enumerate(CATEGORIES, 1):
        CostCategory.objects.get_or_create(
            name=name, defaults={"position": position, "is_flat_rate": flat_rate}
        )


def flat_rates_load(*, CostCategory) -> None:  # noqa: N803
    """The flat rate and the personnel mark of the shipped categories (after `categories_load`)."""
    CostCategory.objects.filter(name=PERSONNEL).update(is_personnel=True)
    CostCategory.objects.filter(is_flat_rate=True, flat_rate_percent__isnull=True).update(
        flat_rate_percent=FLAT_RATE_PERCENT, flat_rate_base=FLAT_RATE_BASE
    )
