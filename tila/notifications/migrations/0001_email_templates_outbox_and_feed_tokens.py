# Editable email templates, the outbox (also the send log) and calendar feed tokens.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('booking', '0003_series_and_deny_reasons'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarFeedToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64, unique=True, verbose_name='digest')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used at')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed_token', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'calendar feed token',
                'verbose_name_plural': 'calendar feed tokens',
            },
        ),
        migrations.CreateModel(
            name='EmailTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(choices=[('request_received', 'Request received'), ('confirmed', 'Reservation confirmed'), ('denied', 'Request denied'), ('cancelled', 'Reservation cancelled'), ('changed', 'Reservation changed'), ('reminder', 'Reminder before the start'), ('info_requested', 'More information requested'), ('series_created', 'Recurring reservation created'), ('series_cancelled', 'Recurring reservation cancelled'), ('series_changed', 'Recurring reservation changed')], max_length=32, verbose_name='event')),
                ('language', models.CharField(choices=[('fi', 'Finnish'), ('sv', 'Swedish'), ('en', 'English')], max_length=2, verbose_name='language')),
                ('subject', models.CharField(max_length=300, verbose_name='subject')),
                ('body_text', models.TextField(verbose_name='plain text body')),
                ('body_html', models.TextField(blank=True, default='', verbose_name='HTML body')),
                ('modified_at', models.DateTimeField(auto_now=True, verbose_name='modified at')),
            ],
            options={
                'verbose_name': 'email template',
                'verbose_name_plural': 'email templates',
                'ordering': ['event', 'language'],
                'constraints': [models.UniqueConstraint(fields=('event', 'language'), name='emailtemplate_event_language')],
            },
        ),
        migrations.CreateModel(
            name='OutboundEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(choices=[('request_received', 'Request received'), ('confirmed', 'Reservation confirmed'), ('denied', 'Request denied'), ('cancelled', 'Reservation cancelled'), ('changed', 'Reservation changed'), ('reminder', 'Reminder before the start'), ('info_requested', 'More information requested'), ('series_created', 'Recurring reservation created'), ('series_cancelled', 'Recurring reservation cancelled'), ('series_changed', 'Recurring reservation changed')], db_index=True, max_length=32, verbose_name='event')),
                ('language', models.CharField(choices=[('fi', 'Finnish'), ('sv', 'Swedish'), ('en', 'English')], default='fi', max_length=2, verbose_name='language')),
                ('to', models.EmailField(blank=True, default='', max_length=254, verbose_name='to')),
                ('context', models.JSONField(blank=True, default=dict, verbose_name='extra data')),
                ('dedupe_key', models.CharField(blank=True, max_length=200, null=True, verbose_name='deduplication key')),
                ('state', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Not sent')], default='pending', max_length=16, verbose_name='state')),
                ('subject', models.CharField(blank=True, default='', max_length=300, verbose_name='subject')),
                ('body_text', models.TextField(blank=True, default='', verbose_name='plain text body')),
                ('body_html', models.TextField(blank=True, default='', verbose_name='HTML body')),
                ('ics', models.TextField(blank=True, default='', verbose_name='calendar attachment')),
                ('rendered', models.BooleanField(default=False, verbose_name='rendered')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('last_error', models.TextField(blank=True, default='', verbose_name='last error')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt at')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                ('reservation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='booking.reservation', verbose_name='reservation')),
                ('series', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='booking.reservationseries', verbose_name='series')),
            ],
            options={
                'verbose_name': 'outbound email',
                'verbose_name_plural': 'outbound emails',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['state', 'next_attempt_at'], name='notificatio_state_df5d7a_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('dedupe_key__isnull', False)), fields=('dedupe_key',), name='outboundemail_dedupe_key')],
            },
        ),
    ]
