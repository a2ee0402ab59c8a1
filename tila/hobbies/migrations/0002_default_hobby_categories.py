from django.db import migrations

CATEGORIES = [
    ("sports", "Liikunta ja urheilu", "Motion och idrott", "Sports and exercise"),
    ("music", "Musiikki", "Musik", "Music"),
    ("dance-theatre", "Tanssi ja teatteri", "Dans och teater", "Dance and theatre"),
    ("arts-crafts", "Kuvataide ja käsityöt", "Bildkonst och hantverk", "Arts and crafts"),
    ("games-tech", "Pelit, media ja teknologia", "Spel, media och teknik", "Games, media and technology"),
    ("languages-reading", "Kielet, lukeminen ja kirjoittaminen", "Språk, läsning och skrivande", "Languages, reading and writing"),
    ("nature-food", "Luonto, ruoka ja retkeily", "Natur, mat och friluftsliv", "Nature, food and the outdoors"),
    ("community", "Yhteisöt ja vapaaehtoistoiminta", "Gemenskap och frivilligarbete", "Community and volunteering"),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("hobbies", "HobbyCategory")
    for order, (slug, fi, sv, en) in enumerate(CATEGORIES):
        Category.objects.get_or_create(id=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "order": order})


def remove_categories(apps, schema_editor):
    apps.get_model("hobbies", "HobbyCategory").objects.filter(
        id__in=[c[0] for c in CATEGORIES], groups__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("hobbies", "0001_hobby_groups_and_weekly_times")]
    operations = [migrations.RunPython(add_categories, remove_categories)]
