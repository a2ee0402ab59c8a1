from django.db import migrations

THEMES = [
    ("cleanliness", "Siisteys", "Städning", "Cleanliness"),
    ("equipment", "Välineet ja laitteet", "Utrustning", "Equipment"),
    ("booking", "Varaaminen ja verkkopalvelu", "Bokning och webbtjänst", "Booking and the web service"),
    ("opening-hours", "Aukioloajat", "Öppettider", "Opening hours"),
    ("accessibility", "Esteettömyys", "Tillgänglighet", "Accessibility"),
    ("staff", "Henkilökunta", "Personal", "Staff"),
    ("price", "Hinta", "Pris", "Price"),
    ("conditions", "Tilan kunto, valo ja lämpötila", "Lokalens skick, ljus och temperatur", "Condition, light and temperature"),
    ("noise", "Melu", "Buller", "Noise"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("feedback", "Theme")
    for order, (slug, fi, sv, en) in enumerate(THEMES):
        Theme.objects.get_or_create(id=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "order": order})


def remove_themes(apps, schema_editor):
    apps.get_model("feedback", "Theme").objects.filter(id__in=[t[0] for t in THEMES], responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_survey_answers_themes_and_public_marks")]
    operations = [migrations.RunPython(add_themes, remove_themes)]
