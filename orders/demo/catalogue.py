"""The demo catalogue, tier discounts and the words orders are written with."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from clients.models import Tier

from ..models import Product, TierDiscount


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    unit: str
    price: str  # EUR
    quantity: tuple[int, int, int]  # a standard client's usual range and the step it orders in
    weight: int  # how often it is ordered
    retired_days: int = 0  # inactive products: no longer sold for this many days


PRODUCTS = (
    ProductSpec("PKG-BOX-4033", "Corrugated box 400×300×300 mm, double wall", "pcs", "1.35", (100, 1500, 50), 10),
    ProductSpec("PKG-BOX-6044", "Corrugated box 600×400×400 mm, double wall", "pcs", "2.10", (50, 1000, 50), 8),
    ProductSpec("PKG-STR-0523", "Stretch film 500 mm × 300 m, 23 µm", "pcs", "11.90", (12, 240, 6), 10),
    ProductSpec(
        "PKG-STR-PAL54", "Machine stretch film 500 mm, full pallet (54 rolls)", "pallet", "595.00", (1, 3, 1), 3
    ),
    ProductSpec("PKG-TAP-4866", "Packing tape 48 mm × 66 m, brown (36 rolls)", "box", "38.50", (2, 40, 1), 8),
    ProductSpec("PKG-STP-1225", "PP strapping band 12 mm × 2500 m", "pcs", "27.80", (2, 30, 1), 5),
    ProductSpec("PKG-KRF-0070", "Kraft paper 70 g/m², 1000 mm roll", "kg", "1.95", (50, 800, 25), 5),
    ProductSpec("PKG-LBL-1015", "Thermal labels 100×150 mm (500 pcs)", "box", "9.90", (2, 60, 1), 6),
    ProductSpec("PKG-PAL-EPAL", "EUR pallet 1200×800 mm, new (EPAL)", "pcs", "14.50", (10, 200, 10), 5),
    ProductSpec("PKG-AIR-2010", "Air cushion film 200×100 mm, 500 m", "pcs", "24.90", (2, 20, 1), 4, retired_days=150),
    ProductSpec("IND-GLV-NTL-L", "Nitrile gloves, size L (100 pcs)", "box", "8.90", (5, 120, 5), 8),
    ProductSpec("IND-GLS-AFOG", "Safety glasses, clear, anti-fog", "pcs", "4.60", (10, 200, 10), 4),
    ProductSpec("IND-BLT-M1040", "Hex bolts M10×40, 8.8, zinc-plated (200 pcs)", "box", "21.40", (1, 30, 1), 5),
    ProductSpec("IND-TIE-4830", "Cable ties 4.8×300 mm, black (100 pcs)", "box", "6.30", (5, 100, 5), 5),
    ProductSpec("IND-WIP-3836", "Industrial wipes 38×36 cm, roll of 500", "pcs", "17.50", (4, 60, 2), 6),
    ProductSpec("IND-GRS-EP2", "Multipurpose grease EP2", "kg", "6.80", (5, 180, 5), 3),
    ProductSpec("IND-ROP-08G", "Steel wire rope 8 mm, galvanised", "m", "1.85", (50, 1000, 50), 3),
    ProductSpec("IND-HOS-19R", "PVC hose 19 mm, fabric-reinforced", "m", "2.95", (25, 500, 25), 3),
    ProductSpec("IND-ABS-OIL", "Oil absorbent granules", "kg", "0.95", (100, 2000, 100), 3),
    ProductSpec("SRV-TECH-HOUR", "On-site technician", "h", "45.00", (2, 24, 1), 3),
    ProductSpec("SRV-STOR-PAL", "Pallet storage, per pallet and month", "pallet", "9.50", (10, 120, 5), 2),
    ProductSpec("SRV-WRAP-RENT", "Stretch wrapper rental, per month", "pcs", "320.00", (1, 2, 1), 2, retired_days=210),
)
SPECS = {spec.sku: spec for spec in PRODUCTS}

TIER_DISCOUNTS = ((Tier.VIP, Decimal(5)), (Tier.KEY, Decimal(3)), (Tier.STANDARD, Decimal(0)))

# Lines typed by hand: (description, unit, quantity range, prices to pick from, share of orders that have one).
FREE_TEXT_LINES = (
    ("Express delivery surcharge", "", (1, 1), ("35.00", "45.00", "65.00", "90.00"), 0.07),
    ("Installation work", "h", (2, 8), ("52.00",), 0.03),
    ("Custom print on boxes, one-off printing plate", "pcs", (1, 1), ("180.00", "240.00"), 0.015),
)

ORDER_NOTES = (
    "Deliver to gate 3, Mon–Fri 8:00–15:00.",
    "Call the warehouse 30 minutes before arrival.",
    "Pallets no higher than 1.6 m.",
    "Quote our PO number on the invoice and the delivery note.",
    "Partial delivery is fine.",
    "Per the framework agreement; prices as agreed.",
    "Unload with a tail lift: no forklift on site.",
    "Invoice to the head office, goods to the branch.",
)

CANCEL_REASONS = (
    "The client postponed the project to next quarter.",
    "Duplicate of another order.",
    "The client found a cheaper offer.",
    "The client's budget was not approved.",
    "No longer needed after a design change on the client's side.",
    "We could not meet the date; the client bought locally.",
)


def seed_catalogue(*, now: datetime) -> tuple[list[Product], int]:
    """The demo products by SKU (existing ones as they are now), creating the missing ones."""
    existing = set(Product.objects.filter(sku__in=SPECS).values_list("sku", flat=True))
    missing = [
        Product(
            sku=spec.sku,
            name=spec.name,
            unit=spec.unit,
            default_price=Decimal(spec.price),
            currency="EUR",
            is_active=not spec.retired_days,
        )
        for spec in PRODUCTS
        if spec.sku not in existing
    ]
    Product.objects.bulk_create(missing)
    if missing:  # the catalogue predates the order history
        old = now - timedelta(days=3 * 365)
        Product.objects.filter(sku__in=[p.sku for p in missing]).update(created_at=old, updated_at=old)
    # Read back: prices as stored (four decimals), products someone edited as edited.
    return list(Product.objects.filter(sku__in=SPECS).order_by("sku")), len(missing)


def seed_tier_discounts() -> int:
    """The tier discounts, each only if the tier has none yet (an admin's value wins)."""
    present = set(TierDiscount.objects.values_list("tier", flat=True))
    rows = [TierDiscount(tier=tier, percent=percent) for tier, percent in TIER_DISCOUNTS if tier not in present]
    TierDiscount.objects.bulk_create(rows)
    return len(rows)
