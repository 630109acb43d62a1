"""Starting configuration an admin can change: a default business calendar, SLA policies per tier
and severity, complaint categories and root causes (named in English, Russian and Lithuanian)."""

from django.db import migrations

CATEGORIES = [
    ("Late delivery", "Задержка доставки", "Vėluojantis pristatymas"),
    ("Damaged goods", "Повреждённый товар", "Sugadintos prekės"),
    ("Wrong or missing items", "Не тот или недостающий товар", "Netinkamos ar trūkstamos prekės"),
    ("Product quality", "Качество продукции", "Produkto kokybė"),
    ("Invoice or price", "Счёт или цена", "Sąskaita ar kaina"),
    ("Service and communication", "Обслуживание и общение", "Aptarnavimas ir bendravimas"),
    ("Other", "Другое", "Kita"),
]
ROOT_CAUSES = [
    ("Carrier delay", "Задержка перевозчика", "Vežėjo vėlavimas"),
    ("Warehouse picking error", "Ошибка комплектации на складе", "Sandėlio komplektavimo klaida"),
    ("Packaging", "Упаковка", "Pakuotė"),
    ("Supplier defect", "Брак поставщика", "Tiekėjo brokas"),
    ("Order entry error", "Ошибка при оформлении заказа", "Užsakymo įvedimo klaida"),
    ("Pricing or invoicing error", "Ошибка в цене или счёте", "Kainos ar sąskaitos klaida"),
    ("Miscommunication", "Недопонимание", "Nesusikalbėjimas"),
    ("Client-side issue", "Причина на стороне клиента", "Priežastis kliento pusėje"),
]
# Business minutes: (first response, resolution), tighter for key and VIP clients.
TARGETS = {
    ("standard", "low"): (16 * 60, 80 * 60),
    ("standard", "normal"): (8 * 60, 40 * 60),
    ("standard", "high"): (4 * 60, 16 * 60),
    ("standard", "critical"): (60, 8 * 60),
    ("key", "low"): (8 * 60, 40 * 60),
    ("key", "normal"): (4 * 60, 24 * 60),
    ("key", "high"): (2 * 60, 8 * 60),
    ("key", "critical"): (30, 4 * 60),
    ("vip", "low"): (4 * 60, 24 * 60),
    ("vip", "normal"): (2 * 60, 16 * 60),
    ("vip", "high"): (60, 6 * 60),
    ("vip", "critical"): (15, 2 * 60),
}


def create_defaults(apps, schema_editor):
    calendar_model = apps.get_model("complaints", "BusinessCalendar")
    if not calendar_model.objects.filter(is_default=True).exists():
        calendar_model.objects.create(
            name="Lithuania (Vilnius)",
            time_zone="Europe/Vilnius",
            country="LT",
            working_days=[0, 1, 2, 3, 4],
            day_start="09:00",
            day_end="17:00",
            is_default=True,
        )
    policy = apps.get_model("complaints", "SlaPolicy")
    for (tier, severity), (first, resolution) in TARGETS.items():
        policy.objects.get_or_create(
            tier=tier, severity=severity, defaults={"first_response_minutes": first, "resolution_minutes": resolution}
        )
    for model_name, rows in (("ComplaintCategory", CATEGORIES), ("RootCause", ROOT_CAUSES)):
        model = apps.get_model("complaints", model_name)
        for position, (en, ru, lt) in enumerate(rows, start=1):
            model.objects.get_or_create(name=en, defaults={"name_ru": ru, "name_lt": lt, "position": position})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
