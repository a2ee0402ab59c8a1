# A few ready-made reasons for denial in Finnish, Swedish and English; administrators edit them as data.

from django.db import migrations

REASONS = [
    (
        "Tila on jo varattu tai käytössä tuolloin.",
        "Lokalen är redan bokad eller används vid den tiden.",
        "The space is already booked or in use at that time.",
    ),
    (
        "Varauksen tarkoitus ei sovi tähän tilaan.",
        "Ändamålet passar inte för den här lokalen.",
        "The purpose does not suit this space.",
    ),
    (
        "Tarvitsemme lisätietoja, jotta voimme hyväksyä varauksen.",
        "Vi behöver mer information för att kunna godkänna bokningen.",
        "We need more information before we can approve the booking.",
    ),
    (
        "Tila on suljettu huollon tai tapahtuman vuoksi.",
        "Lokalen är stängd på grund av underhåll eller ett evenemang.",
        "The space is closed for maintenance or an event.",
    ),
]


def add_reasons(apps, schema_editor):
    DenyReason = apps.get_model("booking", "DenyReason")
    if DenyReason.objects.exists():
        return
    DenyReason.objects.bulk_create(
        DenyReason(text_fi=fi, text_sv=sv, text_en=en, order=n * 10) for n, (fi, sv, en) in enumerate(REASONS, 1)
    )


def remove_reasons(apps, schema_editor):
    DenyReason = apps.get_model("booking", "DenyReason")
    DenyReason.objects.filter(text_en__in=[en for _, _, en in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("booking", "0003_series_and_deny_reasons")]

    operations = [migrations.RunPython(add_reasons, remove_reasons)]
