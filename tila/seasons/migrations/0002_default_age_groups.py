# The usual age groups of Finnish youth and sports services, in Finnish, Swedish and English.
# Administrators edit them as data; a round's equity weights refer to them.

from django.db import migrations

GROUPS = [
    (0, 6, ("Alle kouluikäiset (0–6)", "Barn under skolåldern (0–6)", "Under school age (0–6)")),
    (7, 12, ("Lapset (7–12)", "Barn (7–12)", "Children (7–12)")),
    (13, 17, ("Nuoret (13–17)", "Unga (13–17)", "Young people (13–17)")),
    (18, 29, ("Nuoret aikuiset (18–29)", "Unga vuxna (18–29)", "Young adults (18–29)")),
    (30, 64, ("Aikuiset (30–64)", "Vuxna (30–64)", "Adults (30–64)")),
    (65, None, ("Ikäihmiset (65+)", "Äldre (65+)", "Older people (65+)")),
]


def add_groups(apps, schema_editor):
    AgeGroup = apps.get_model("seasons", "AgeGroup")
    if AgeGroup.objects.exists():
        return
    AgeGroup.objects.bulk_create(
        AgeGroup(name_fi=fi, name_sv=sv, name_en=en, minimum=low, maximum=high, order=n * 10)
        for n, (low, high, (fi, sv, en)) in enumerate(GROUPS, 1)
    )


def remove_groups(apps, schema_editor):
    AgeGroup = apps.get_model("seasons", "AgeGroup")
    AgeGroup.objects.filter(name_en__in=[names[2] for _, _, names in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("seasons", "0001_rounds_applications_runs_and_decisions")]

    operations = [migrations.RunPython(add_groups, remove_groups)]
