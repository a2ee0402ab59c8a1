"""Finland's VAT rates as data (Verohallinto): each category's percentage from a date.

General rate 24 % from 2013, 25.5 % from 1 September 2024. Reduced rate (food, restaurants,
sports and exercise services, culture, accommodation, books, passenger transport) 14 % from
2013, 13.5 % from 1 January 2026. Lowest reduced rate (newspapers and magazines) 10 %. No VAT: 0 %.
A later change is a new row (admin or a migration), never a code change.
"""

from decimal import Decimal

from django.db import migrations

RATES = [
    ("general", "2013-01-01", "24.00"),
    ("general", "2024-09-01", "25.50"),
    ("reduced", "2013-01-01", "14.00"),
    ("reduced", "2026-01-01", "13.50"),
    ("lowest", "2013-01-01", "10.00"),
    ("exempt", "2000-01-01", "0.00"),
]


def add_rates(apps, schema_editor):
    VatRate = apps.get_model("payments", "VatRate")
    for category, valid_from, percentage in RATES:
        VatRate.objects.get_or_create(
            category=category, valid_from=valid_from, defaults={"percentage": Decimal(percentage)}
        )


def remove_rates(apps, schema_editor):
    VatRate = apps.get_model("payments", "VatRate")
    for category, valid_from, _percentage in RATES:
        VatRate.objects.filter(category=category, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_prices_orders_payments_refunds_and_invoices")]

    operations = [migrations.RunPython(add_rates, remove_rates)]
