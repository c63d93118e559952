"""Minutes, their versions and amendments, moved here from the secretariat app. The tables exist already
(``secretariat_minutes``, ``secretariat_minutesversion``, ``secretariat_amendment``, kept by
``Meta.db_table``), with their rows: this migration creates the models in Django's state only ("Moving a
model between apps" in Django's documentation); ``secretariat.0006_minutes_moved_out`` removes them from the
secretariat's state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('secretariat', '0005_commitments_moved_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Minutes',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('language', models.CharField(choices=[('en', 'English'), ('ms', 'Malay'), ('ur', 'Urdu')], max_length=2, verbose_name='language')),
                        ('state', models.CharField(choices=[('draft', 'Draft'), ('circulated', 'Circulated'), ('adopted', 'Adopted')], default='draft', max_length=12, verbose_name='state')),
                        ('body', models.TextField(max_length=100000, verbose_name='text')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('adopted_at', models.DateTimeField(blank=True, null=True, verbose_name='adopted')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='minutes', to='secretariat.meeting')),
                    ],
                    options={
                        'verbose_name': 'minutes',
                        'verbose_name_plural': 'minutes',
                        'db_table': 'secretariat_minutes',
                        'ordering': ['meeting', 'language'],
                    },
                ),
                migrations.CreateModel(
                    name='Amendment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('original', models.TextField(blank=True, max_length=5000, verbose_name='text to replace')),
                        ('replacement', models.TextField(max_length=5000, verbose_name='proposed text')),
                        ('rationale', models.TextField(blank=True, max_length=2000, verbose_name='reason')),
                        ('state', models.CharField(choices=[('proposed', 'Proposed'), ('accepted', 'Accepted'), ('rejected', 'Rejected')], default='proposed', max_length=10, verbose_name='state')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('minutes', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='amendments', to='minutes.minutes')),
                    ],
                    options={
                        'verbose_name': 'amendment',
                        'verbose_name_plural': 'amendments',
                        'db_table': 'secretariat_amendment',
                        'ordering': ['minutes', 'created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='MinutesVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField()),
                        ('state', models.CharField(choices=[('draft', 'Draft'), ('circulated', 'Circulated'), ('adopted', 'Adopted')], max_length=12)),
                        ('body', models.TextField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('minutes', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='minutes.minutes')),
                    ],
                    options={
                        'db_table': 'secretariat_minutesversion',
                        'ordering': ['minutes', 'version'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='minutes',
                    constraint=models.UniqueConstraint(fields=('meeting', 'language'), name='minutes_unique_language'),
                ),
                migrations.AddConstraint(
                    model_name='minutesversion',
                    constraint=models.UniqueConstraint(fields=('minutes', 'version'), name='minutesversion_unique'),
                ),
            ],
        ),
    ]
