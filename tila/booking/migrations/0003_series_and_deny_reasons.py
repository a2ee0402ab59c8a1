# Recurring reservation series (one Reservation row per occurrence) and ready-made, trilingual reasons for denial.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0002_occupancy_no_overlap'),
        ('catalogue', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DenyReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('active', models.BooleanField(default=True, verbose_name='in use')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('text_fi', models.CharField(blank=True, default='', max_length=300, verbose_name='text (fi)')),
                ('text_sv', models.CharField(blank=True, default='', max_length=300, verbose_name='text (sv)')),
                ('text_en', models.CharField(blank=True, default='', max_length=300, verbose_name='text (en)')),
            ],
            options={
                'verbose_name': 'reason for denial',
                'verbose_name_plural': 'reasons for denial',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReservationSeries',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('modified_at', models.DateTimeField(auto_now=True, verbose_name='modified at')),
                ('type', models.CharField(choices=[('normal', 'Normal'), ('blocked', 'Closure')], default='normal', max_length=16, verbose_name='type')),
                ('state', models.CharField(choices=[('active', 'Active'), ('cancelled', 'Cancelled')], default='active', max_length=16, verbose_name='state')),
                ('weekdays', models.JSONField(default=list, help_text='0 is Monday, 6 is Sunday.', verbose_name='weekdays')),
                ('interval_weeks', models.PositiveSmallIntegerField(default=1, verbose_name='every n weeks')),
                ('start_date', models.DateField(verbose_name='first day')),
                ('until_date', models.DateField(blank=True, null=True, verbose_name='last day')),
                ('count', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='number of occurrences')),
                ('begin_time', models.TimeField(verbose_name='begins (local time)')),
                ('end_time', models.TimeField(verbose_name='ends (local time)')),
                ('event_subject', models.CharField(blank=True, default='', max_length=200, verbose_name='subject')),
                ('reserver_name', models.CharField(blank=True, default='', max_length=200, verbose_name="reserver's name")),
                ('reserver_email', models.EmailField(blank=True, default='', max_length=254, verbose_name="reserver's email")),
                ('staff_comment', models.TextField(blank=True, default='', verbose_name='staff comment')),
                ('skipped', models.JSONField(blank=True, default=list, verbose_name='occurrences not booked')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('resource', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='series', to='catalogue.resource', verbose_name='resource')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reservation_series', to=settings.AUTH_USER_MODEL, verbose_name='customer')),
            ],
            options={
                'verbose_name': 'reservation series',
                'verbose_name_plural': 'reservation series',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='reservation',
            name='series',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='occurrences', to='booking.reservationseries', verbose_name='series'),
        ),
        migrations.AddConstraint(
            model_name='reservationseries',
            constraint=models.CheckConstraint(condition=models.Q(('interval_weeks__gte', 1)), name='series_interval_positive'),
        ),
        migrations.AddConstraint(
            model_name='reservationseries',
            constraint=models.CheckConstraint(condition=models.Q(('until_date__isnull', False), ('count__isnull', False), _connector='OR'), name='series_has_an_end'),
        ),
        migrations.AddConstraint(
            model_name='reservationseries',
            constraint=models.CheckConstraint(condition=models.Q(('begin_time__lt', models.F('end_time'))), name='series_begin_before_end'),
        ),
    ]
