"""Carry the API tokens of Django REST framework's ``authtoken`` app into django-rest-knox, hashed.

DRF kept every token in clear text (``authtoken_token.key``, 40 hexadecimal characters). Knox finds a
token by its first 15 characters (``token_key``) and checks the SHA-512 digest of the whole token, so an
old key hashed the same way keeps working with the same ``Authorization: Token <key>`` header: clients
need no change. Each carried token expires ``SSWIS_API_TOKEN_TTL_DAYS`` days after this migration
(DRF's never expired). Then the clear-text table is dropped, with the ``authtoken`` app's migration
records, content types and permissions. A database that never had DRF tokens is left as it is.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import timezone

DRF_TOKEN_TABLE = "authtoken_token"


def tokens_carry(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if DRF_TOKEN_TABLE not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("knox", "AuthToken")
    expiry = timezone.now() + datetime.timedelta(days=settings.SSWIS_API_TOKEN_TTL_DAYS)
    table = schema_editor.quote_name(DRF_TOKEN_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {schema_editor.quote_name('key')}, user_id, created FROM {table}")
        rows = cursor.fetchall()
    AuthToken.objects.bulk_create(
        [
            AuthToken(
                digest=hashlib.sha512(key.encode()).hexdigest(),
                token_key=key[:15],
                user_id=user_id,
                created=created,
                expiry=expiry,
            )
            for key, user_id, created in rows
        ]
    )
    # auto_now_add replaced the dates given: put back when each token was made.
    for key, _user_id, created in rows:
        AuthToken.objects.filter(digest=hashlib.sha512(key.encode()).hexdigest()).update(created=created)
    schema_editor.execute(f"DROP TABLE {table}")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="authtoken").delete()
    ContentType.objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_api_token_history"),
        ("knox", "0009_extend_authtoken_field"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # So that admin log entries about a DRF token lose their content type instead of blocking.
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(tokens_carry, migrations.RunPython.noop)]
