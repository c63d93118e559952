"""Commitments moved to the ``commitments`` app: removed from this app's state only; the tables and rows stay
(``commitments.0001_initial`` adopts them). The agenda items' link to commitments now names the new model,
over the same table (``secretariat_agendaitem_commitments``, columns unchanged)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0001_initial'),
        ('programmes', '0004_workplan_commitments_moved'),
        ('secretariat', '0004_agenda_links'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='commitment',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='depends_on',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='dialogue',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='parent',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='partners',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='party',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='source_outcome',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='themes',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='working_group',
                ),
                migrations.RemoveField(
                    model_name='commitmentparty',
                    name='commitment',
                ),
                migrations.RemoveField(
                    model_name='progressupdate',
                    name='commitment',
                ),
                migrations.RemoveField(
                    model_name='milestone',
                    name='commitment',
                ),
                migrations.RemoveField(
                    model_name='commitmentparty',
                    name='lead_agency',
                ),
                migrations.RemoveField(
                    model_name='commitmentparty',
                    name='party',
                ),
                migrations.RemoveField(
                    model_name='evidencefile',
                    name='update',
                ),
                migrations.RemoveField(
                    model_name='milestone',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='progressupdate',
                    name='party',
                ),
                migrations.RemoveField(
                    model_name='progressupdate',
                    name='reviewed_by',
                ),
                migrations.RemoveField(
                    model_name='progressupdate',
                    name='submitted_by',
                ),
                migrations.DeleteModel(
                    name='SentReminder',
                ),
                migrations.AlterField(
                    model_name='agendaitem',
                    name='commitments',
                    field=models.ManyToManyField(blank=True, related_name='agenda_items', to='commitments.commitment'),
                ),
                migrations.DeleteModel(
                    name='Commitment',
                ),
                migrations.DeleteModel(
                    name='CommitmentParty',
                ),
                migrations.DeleteModel(
                    name='EvidenceFile',
                ),
                migrations.DeleteModel(
                    name='Milestone',
                ),
                migrations.DeleteModel(
                    name='ProgressUpdate',
                ),
            ],
        ),
    ]
