#!/bin/sh
# Runs a command with a real, unlocked Secret Service (gnome-keyring) on a private D-Bus
# session, as on a Linux desktop. Usage: scripts/with-keyring.sh npm test
exec dbus-run-session -- sh -c 'export $(printf x | gnome-keyring-daemon --unlock --components=secrets); exec "$@"' sh "$@"
