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
    # Migration 0007's model has no flat-rate fields yet (0012 adds and fills them); the demo's model,
    # loading into an emptied test database, needs them at once: its constraint checks every row.
    has_rates = any(field.name == "flat_rate_percent" for field in CostCategory._meta.get_fields())
    for position, (name, flat_rate) in enumerate(CATEGORIES, 1):
        defaults: dict[str, object] = {"position": position, "is_flat_rate": flat_rate}
        if has_rates:
            defaults["is_personnel"] = name == PERSONNEL
            if flat_rate:
                defaults |= {"flat_rate_percent": FLAT_RATE_PERCENT, "flat_rate_base": FLAT_RATE_BASE}
        CostCategory.objects.get_or_create(name=name, defaults=defaults)


def flat_rates_load(*, CostCategory) -> None:  # noqa: N803
    """The flat rate and the personnel mark of the shipped categories (after `categories_load`)."""
    CostCategory.objects.filter(name=PERSONNEL).update(is_personnel=True)
    CostCategory.objects.filter(is_flat_rate=True, flat_rate_percent__isnull=True).update(
        flat_rate_percent=FLAT_RATE_PERCENT, flat_rate_base=FLAT_RATE_BASE
    )
