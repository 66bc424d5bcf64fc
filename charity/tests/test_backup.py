"""The restore drill: a dump restored into a scratch database has every table's row count."""

import pytest

from charity.backup import backup, restore_drill
from conftest import needs_postgresql


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_drill_compare_row_counts(tmp_path, profile, make_user):
    needs_postgresql("backups are taken with pg_dump; CI's second pass runs this on PostgreSQL")
    from charity.roles import Role

    make_user(Role.MANAGER)
    dump, manifest = backup(tmp_path)
    assert dump.stat().st_size > 0 and manifest.exists()
    result = restore_drill(dump)
    assert result.ok and result.compared > 20, result.mismatches
    # A dump whose manifest disagrees is caught.
    import json

    data = json.loads(manifest.read_text())
    data["counts"]["charity_user"] += 1
    manifest.write_text(json.dumps(data))
    result = restore_drill(dump)
    assert not result.ok and "charity_user" in result.mismatches
