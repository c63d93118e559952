"""The joint projects' workplan points at ``commitments.Commitment`` (moved from the secretariat app over the
same table): a change of Django's state only, the table ``programmes_jointproject_workplan`` is unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0001_initial'),
        ('programmes', '0003_peer_learning'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='jointproject',
                    name='workplan',
                    field=models.ManyToManyField(blank=True, related_name='joint_projects', to='commitments.commitment', verbose_name='workplan milestones'),
                ),
            ],
        ),
    ]
