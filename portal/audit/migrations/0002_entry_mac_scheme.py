"""Entries record how they are sealed: the ones already written keep their bare SHA-256."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='scheme',
            field=models.CharField(choices=[('sha256', 'SHA-256 without a key (entries written before keyed MACs)'), ('hmac-sha256', 'HMAC-SHA256 with the audit key')], default='sha256', max_length=12, verbose_name='hash scheme'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditentry',
            name='key_id',
            field=models.CharField(blank=True, default='', max_length=16, verbose_name='key id'),
            preserve_default=False,
        ),
    ]
