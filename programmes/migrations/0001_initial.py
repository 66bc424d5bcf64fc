"""The programmes models, taken over from the beneficiaries app without touching the database.

Their tables (and history tables) were created by beneficiaries/migrations/0003_aid_programmes.py
and keep their `beneficiaries_` names (Meta.db_table, HistoricalRecords(table_name=...)): this
migration only records the models in the programmes app's state, and beneficiaries 0006 removes them
from beneficiaries' state. No row is copied, so none can be lost (aid/tests/test_migration_move.py)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('beneficiaries', '0005_file_submitted_channel_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='HistoricalProgramme',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('kind', models.CharField(choices=[('programme', 'Programme'), ('training', 'Training'), ('activity', 'Activity')], max_length=20, verbose_name='kind')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('location', models.CharField(blank=True, max_length=200, verbose_name='place')),
                    ('capacity', models.PositiveSmallIntegerField(verbose_name='capacity')),
                    ('starts_on', models.DateField(verbose_name='starts on')),
                    ('ends_on', models.DateField(verbose_name='ends on')),
                    ('response_days', models.PositiveSmallIntegerField(default=5, verbose_name='days a nominee has to answer')),
                    ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('coordinator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='coordinator')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical programme',
                    'verbose_name_plural': 'historical programmes',
                    'db_table': 'beneficiaries_historicalprogramme',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='Programme',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('kind', models.CharField(choices=[('programme', 'Programme'), ('training', 'Training'), ('activity', 'Activity')], max_length=20, verbose_name='kind')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('location', models.CharField(blank=True, max_length=200, verbose_name='place')),
                    ('capacity', models.PositiveSmallIntegerField(verbose_name='capacity')),
                    ('starts_on', models.DateField(verbose_name='starts on')),
                    ('ends_on', models.DateField(verbose_name='ends on')),
                    ('response_days', models.PositiveSmallIntegerField(default=5, verbose_name='days a nominee has to answer')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ('coordinator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='coordinator')),
                ],
                options={
                    'verbose_name': 'programme',
                    'verbose_name_plural': 'programmes',
                    'db_table': 'beneficiaries_programme',
                    'ordering': ['-starts_on'],
                    'permissions': [('manage_programmes', 'Can run programmes, nominations and attendance')],
                },
            ),
            migrations.CreateModel(
                name='Nomination',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('rank', models.PositiveIntegerField(verbose_name='order on the list')),
                    ('status', models.CharField(choices=[('waiting', 'On the waiting list'), ('nominated', 'Nominated, awaiting the answer'), ('accepted', 'Accepted in writing'), ('refused', 'Refused in writing'), ('no_answer', 'No answer in time'), ('completed', 'Completed the programme'), ('dropped_out', 'Dropped out')], db_index=True, default='waiting', max_length=20, verbose_name='status')),
                    ('nominated_on', models.DateField(blank=True, null=True, verbose_name='nominated on')),
                    ('answer_due_on', models.DateField(blank=True, null=True, verbose_name='answer due on')),
                    ('answered_on', models.DateField(blank=True, null=True, verbose_name='answered on')),
                    ('written_answer', models.TextField(blank=True, verbose_name='the written answer')),
                    ('dropout_reasons', models.TextField(blank=True, verbose_name='reasons for dropping out')),
                    ('dropout_discussed', models.BooleanField(null=True, verbose_name='talked to the association before dropping out')),
                    ('dropped_out_on', models.DateField(blank=True, null=True, verbose_name='dropped out on')),
                    ('answer_document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='beneficiaries.document', verbose_name='signed answer')),
                    ('file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='beneficiaries.beneficiaryfile', verbose_name='file')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='beneficiaries.member', verbose_name='household member')),
                    ('nominated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='nominated by')),
                    ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='programmes.programme', verbose_name='programme')),
                ],
                options={
                    'verbose_name': 'nomination',
                    'verbose_name_plural': 'nominations',
                    'db_table': 'beneficiaries_nomination',
                    'ordering': ['programme', 'rank'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalNomination',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('rank', models.PositiveIntegerField(verbose_name='order on the list')),
                    ('status', models.CharField(choices=[('waiting', 'On the waiting list'), ('nominated', 'Nominated, awaiting the answer'), ('accepted', 'Accepted in writing'), ('refused', 'Refused in writing'), ('no_answer', 'No answer in time'), ('completed', 'Completed the programme'), ('dropped_out', 'Dropped out')], db_index=True, default='waiting', max_length=20, verbose_name='status')),
                    ('nominated_on', models.DateField(blank=True, null=True, verbose_name='nominated on')),
                    ('answer_due_on', models.DateField(blank=True, null=True, verbose_name='answer due on')),
                    ('answered_on', models.DateField(blank=True, null=True, verbose_name='answered on')),
                    ('written_answer', models.TextField(blank=True, verbose_name='the written answer')),
                    ('dropout_reasons', models.TextField(blank=True, verbose_name='reasons for dropping out')),
                    ('dropout_discussed', models.BooleanField(null=True, verbose_name='talked to the association before dropping out')),
                    ('dropped_out_on', models.DateField(blank=True, null=True, verbose_name='dropped out on')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('answer_document', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='beneficiaries.document', verbose_name='signed answer')),
                    ('file', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='beneficiaries.beneficiaryfile', verbose_name='file')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='beneficiaries.member', verbose_name='household member')),
                    ('nominated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='nominated by')),
                    ('programme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.programme', verbose_name='programme')),
                ],
                options={
                    'verbose_name': 'historical nomination',
                    'verbose_name_plural': 'historical nominations',
                    'db_table': 'beneficiaries_historicalnomination',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='Session',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('held_on', models.DateField(verbose_name='date')),
                    ('topic', models.CharField(blank=True, max_length=200, verbose_name='topic')),
                    ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='programmes.programme', verbose_name='programme')),
                ],
                options={
                    'verbose_name': 'session',
                    'verbose_name_plural': 'sessions',
                    'db_table': 'beneficiaries_session',
                    'ordering': ['programme', 'held_on'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalAttendance',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('mark', models.CharField(choices=[('present', 'Present'), ('absent', 'Absent'), ('excused', 'Apologised in advance')], max_length=10, verbose_name='attendance')),
                    ('apology', models.TextField(blank=True, verbose_name='apology')),
                    ('apologised_on', models.DateField(blank=True, null=True, verbose_name='apologised on')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ('nomination', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.nomination', verbose_name='participant')),
                    ('session', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.session', verbose_name='session')),
                ],
                options={
                    'verbose_name': 'historical attendance',
                    'verbose_name_plural': 'historical attendance',
                    'db_table': 'beneficiaries_historicalattendance',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='Attendance',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('mark', models.CharField(choices=[('present', 'Present'), ('absent', 'Absent'), ('excused', 'Apologised in advance')], max_length=10, verbose_name='attendance')),
                    ('apology', models.TextField(blank=True, verbose_name='apology')),
                    ('apologised_on', models.DateField(blank=True, null=True, verbose_name='apologised on')),
                    ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='programmes.nomination', verbose_name='participant')),
                    ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='programmes.session', verbose_name='session')),
                ],
                options={
                    'verbose_name': 'attendance',
                    'verbose_name_plural': 'attendance',
                    'db_table': 'beneficiaries_attendance',
                },
            ),
            migrations.AddConstraint(
                model_name='nomination',
                constraint=models.UniqueConstraint(fields=('programme', 'member'), name='one_nomination_per_member'),
            ),
            migrations.AddConstraint(
                model_name='nomination',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'refused'), _negated=True), models.Q(('written_answer', ''), _negated=True), ('answer_document__isnull', False), _connector='OR'), name='refusal_is_in_writing'),
            ),
            migrations.AddConstraint(
                model_name='session',
                constraint=models.UniqueConstraint(fields=('programme', 'held_on'), name='one_session_a_day'),
            ),
            migrations.AddConstraint(
                model_name='attendance',
                constraint=models.UniqueConstraint(fields=('session', 'nomination'), name='one_mark_per_session'),
            ),
        ]),
    ]
