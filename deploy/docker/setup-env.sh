#!/bin/sh
# `docker compose run --rm --user "$(id -u):$(id -g)" setup [--origin <name>]`: writes the .env of
# this deployment into the project directory (mounted at /out): the CLI's secrets, then the
# password of the compose file's PostgreSQL, which the CLI does not know about. An existing .env is
# kept (the CLI refuses to overwrite it), so a second run cannot orphan the databases' secrets.
# With --force every secret is new, the password too: a PostgreSQL volume made with the old one
# refuses it (set POSTGRES_PASSWORD back to the old value, or start from an empty volume).
set -eu
out=/out/.env
npm run --silent cli -- setup --out "$out" "$@"
# base64url: safe inside DATABASE_URL without escaping.
password=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))')
printf '\n## PostgreSQL of docker-compose.yml (its data volume keeps the password it was created with)\nPOSTGRES_PASSWORD=%s\n' "$password" >> "$out"
