"""Minutes moved to the ``minutes`` app: removed from this app's state only; the tables and rows stay
(``minutes.0001_initial`` adopts them). No other model points at them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('minutes', '0001_initial'),
        ('secretariat', '0005_commitments_moved_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='minutes',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='minutesversion',
                    name='minutes',
                ),
                migrations.RemoveField(
                    model_name='minutesversion',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='Amendment',
                ),
                migrations.DeleteModel(
                    name='Minutes',
                ),
                migrations.DeleteModel(
                    name='MinutesVersion',
                ),
            ],
        ),
    ]
