#!/usr/bin/env bash
# Nightly backup: a custom-format pg_dump and an archive of the private media, kept 30 days.
# Run by charity-backup.timer. Needs DATABASE_URL (postgres://...) and MEDIA_ROOT.
set -euo pipefail
BACKUP_DIR=${BACKUP_DIR:-/srv/charity/backups}
KEEP_DAYS=${KEEP_DAYS:-30}
stamp=$(date +%Y%m%d-%H%M)
mkdir -p "$BACKUP_DIR"
umask 077
/srv/charity/app/.venv/bin/python /srv/charity/app/manage.py backup_database --out "$BACKUP_DIR"
tar --create --gzip --file="$BACKUP_DIR/media-$stamp.tar.gz" --directory="$MEDIA_ROOT" .
find "$BACKUP_DIR" -type f -mtime +"$KEEP_DAYS" -delete
echo "backup $stamp done: $(du -sh "$BACKUP_DIR" | cut -f1) in $BACKUP_DIR"
