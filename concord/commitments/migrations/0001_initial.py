"""Commitments, their parties, milestones, progress updates, evidence files and sent reminders, moved here
from the secretariat app. The tables exist already (``secretariat_*``, kept by ``Meta.db_table``), with their
rows: this migration creates the models in Django's state only ("Moving a model between apps" in Django's
documentation); ``secretariat.0005_commitments_moved_out`` removes them from the secretariat's state, and
``programmes.0004_workplan_commitments_moved`` re-points the joint projects' workplan."""

import concord.commitments.models
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_invitation'),
        ('library', '0005_version_text_deferred'),
        ('secretariat', '0004_agenda_links'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='SentReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=200, unique=True)),
                        ('recipient', models.EmailField(max_length=254)),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'secretariat_sentreminder',
                        'ordering': ['-sent_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Commitment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visibility', models.CharField(choices=[('public', 'Public'), ('dialogue', 'Dialogue members'), ('party', 'One party only')], default='dialogue', max_length=10, verbose_name='visibility')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('code', models.CharField(max_length=40, verbose_name='code')),
                        ('kind', models.CharField(choices=[('commitment', 'Commitment'), ('joint_programme', 'Joint programme')], default='commitment', max_length=20, verbose_name='kind')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('title_ms', models.CharField(blank=True, max_length=300, verbose_name='title (Malay)')),
                        ('title_ur', models.CharField(blank=True, max_length=300, verbose_name='title (Urdu)')),
                        ('description', models.TextField(blank=True, max_length=20000, verbose_name='description')),
                        ('start_date', models.DateField(blank=True, null=True, verbose_name='start')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='end')),
                        ('weight', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)], verbose_name='weight in its parent')),
                        ('is_joint', models.BooleanField(default=False, verbose_name='joint (both parties)')),
                        ('completion', models.CharField(choices=[('not_started', 'Not started'), ('limited', 'Limited'), ('substantial', 'Substantial'), ('complete', 'Complete'), ('withdrawn', 'Withdrawn')], default='not_started', max_length=12, verbose_name='completion')),
                        ('ambition', models.CharField(blank=True, choices=[('unclear', 'Unclear'), ('modest', 'Modest'), ('substantial', 'Substantial')], max_length=12, verbose_name='ambition')),
                        ('is_blocked', models.BooleanField(default=False, verbose_name='blocked')),
                        ('blocked_reason', models.TextField(blank=True, max_length=2000, verbose_name='why it is blocked')),
                        ('budget_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='budget')),
                        ('budget_currency', models.CharField(blank=True, max_length=3, verbose_name='currency')),
                        ('deliverables', models.TextField(blank=True, max_length=10000, verbose_name='deliverables')),
                        ('kpis', models.TextField(blank=True, max_length=10000, verbose_name='key performance indicators')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('depends_on', models.ManyToManyField(blank=True, db_table='secretariat_commitment_depends_on', related_name='dependents', to='commitments.commitment', verbose_name='depends on')),
                        ('dialogue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.dialogue', verbose_name='dialogue')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='children', to='commitments.commitment', verbose_name='part of')),
                        ('partners', models.ManyToManyField(blank=True, db_table='secretariat_commitment_partners', related_name='programmes', to='accounts.organization', verbose_name='partner organisations')),
                        ('party', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.party', verbose_name='owning party')),
                        ('source_outcome', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='commitments', to='secretariat.outcome', verbose_name='from the outcome')),
                        ('themes', models.ManyToManyField(blank=True, db_table='secretariat_commitment_themes', related_name='commitments', to='library.theme')),
                        ('working_group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='commitments', to='secretariat.workinggroup', verbose_name='working group')),
                    ],
                    options={
                        'verbose_name': 'commitment',
                        'verbose_name_plural': 'commitments',
                        'db_table': 'secretariat_commitment',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='CommitmentParty',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('completion', models.CharField(choices=[('not_started', 'Not started'), ('limited', 'Limited'), ('substantial', 'Substantial'), ('complete', 'Complete'), ('withdrawn', 'Withdrawn')], default='not_started', max_length=12, verbose_name='completion')),
                        ('commitment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_shares', to='commitments.commitment')),
                        ('lead_agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.organization')),
                        ('party', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.party')),
                    ],
                    options={
                        'db_table': 'secretariat_commitmentparty',
                        'ordering': ['commitment', 'party__code'],
                    },
                ),
                migrations.CreateModel(
                    name='Milestone',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('planned_date', models.DateField(blank=True, null=True, verbose_name='planned')),
                        ('actual_date', models.DateField(blank=True, null=True, verbose_name='reached')),
                        ('weight', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)], verbose_name='weight')),
                        ('evidence', models.TextField(blank=True, max_length=5000, verbose_name='evidence')),
                        ('evidence_url', models.URLField(blank=True, max_length=500, verbose_name='evidence address')),
                        ('order', models.PositiveIntegerField(default=0)),
                        ('commitment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='commitments.commitment')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                    ],
                    options={
                        'verbose_name': 'milestone',
                        'verbose_name_plural': 'milestones',
                        'db_table': 'secretariat_milestone',
                        'ordering': ['commitment', 'planned_date', 'order', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ProgressUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=10000, verbose_name='what was done')),
                        ('percent', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='percent complete')),
                        ('state', models.CharField(choices=[('submitted', 'Submitted'), ('verified', 'Verified'), ('returned', 'Returned')], default='submitted', max_length=10, verbose_name='state')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                        ('review_note', models.TextField(blank=True, max_length=5000, verbose_name="reviewer's note")),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='submitted')),
                        ('commitment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='commitments.commitment')),
                        ('party', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.party')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('submitted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'progress update',
                        'verbose_name_plural': 'progress updates',
                        'db_table': 'secretariat_progressupdate',
                        'ordering': ['commitment', '-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='EvidenceFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=300, upload_to=concord.commitments.models.evidence_path)),
                        ('name', models.CharField(max_length=255)),
                        ('size', models.PositiveIntegerField(default=0)),
                        ('media_type', models.CharField(blank=True, max_length=100)),
                        ('update', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='commitments.progressupdate')),
                    ],
                    options={
                        'db_table': 'secretariat_evidencefile',
                        'ordering': ['update', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='commitment',
                    constraint=models.UniqueConstraint(fields=('dialogue', 'code'), name='commitment_unique_code'),
                ),
                migrations.AddConstraint(
                    model_name='commitment',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('visibility', 'party'), _negated=True), ('party__isnull', False), _connector='OR'), name='commitment_party_visibility_names_party'),
                ),
                migrations.AddConstraint(
                    model_name='commitmentparty',
                    constraint=models.UniqueConstraint(fields=('commitment', 'party'), name='commitmentparty_unique'),
                ),
            ],
        ),
    ]
