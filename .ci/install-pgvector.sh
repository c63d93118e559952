#!/usr/bin/env bash
# Builds pgvector for the machine's PostgreSQL from Debian trixie's source package (Debian 12 does not
# package it for PostgreSQL 15). A private apt configuration holds the deb-src line, so the system's
# sources stay untouched. Idempotent: does nothing when the extension is already installed.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
SHAREDIR=$("$PGBIN/pg_config" --sharedir)
if [ -f "$SHAREDIR/extension/vector.control" ]; then
  echo "pgvector: already installed"; exit 0
fi
apt-get install -y -q postgresql-server-dev-15 dpkg-dev >/dev/null
WORK=$(mktemp -d)
mkdir -p "$WORK/apt/lists/partial" "$WORK/apt/sources.list.d" "$WORK/apt/cache/archives/partial"
echo "deb-src http://deb.debian.org/debian trixie main" > "$WORK/apt/sources.list"
APTOPTS=(-o "Dir::Etc::sourcelist=$WORK/apt/sources.list" -o "Dir::Etc::sourceparts=$WORK/apt/sources.list.d"
         -o "Dir::State::Lists=$WORK/apt/lists" -o "Dir::Cache=$WORK/apt/cache" -o "APT::Get::List-Cleanup=0")
apt-get "${APTOPTS[@]}" update -q >/dev/null
cd "$WORK"
apt-get "${APTOPTS[@]}" source --download-only pgvector -q >/dev/null
dpkg-source -x pgvector_*.dsc src >/dev/null
cd src
make -s OPTFLAGS="" with_llvm=no PG_CONFIG="$PGBIN/pg_config" >/dev/null
make -s OPTFLAGS="" with_llvm=no PG_CONFIG="$PGBIN/pg_config" install >/dev/null
rm -rf "$WORK"
echo "pgvector: installed"
