#!/bin/sh
# The `check-secrets` one-shot of docker-compose.yml: every other service waits for it to exit 0.
# It refuses empty secrets, .env.example's sample `change-me-*` values and short ones, so a
# stack started from an unedited copy of .env.example never comes up with known passwords.
# POSIX sh (runs in the elasticsearch image, and in tests/test_compose.py). Exit 1 when any fails.
SECRETS="ELASTIC_PASSWORD MARSAD_PASSWORD KIBANA_PASSWORD KIBANA_ENCRYPTION_KEY POSTGRES_PASSWORD"
MIN_LENGTH=12      # passwords
MIN_KEY_LENGTH=32  # KIBANA_ENCRYPTION_KEY: Kibana's own minimum

status=0
refuse() {
    echo "check-secrets: $1 $2: set a real value in .env (see .env.example)" >&2
    status=1
}
for name in $SECRETS; do
    eval "value=\${$name-}"
    minimum=$MIN_LENGTH
    [ "$name" = KIBANA_ENCRYPTION_KEY ] && minimum=$MIN_KEY_LENGTH
    case "$value" in
        "") refuse "$name" "is empty" ;;
        change-me*) refuse "$name" "still has the sample value from .env.example" ;;
        *) [ "${#value}" -ge "$minimum" ] || refuse "$name" "is shorter than $minimum characters" ;;
    esac
done
for name in MARSAD_PASSWORD KIBANA_PASSWORD; do  # a leaked limited login must not be the admin's
    eval "value=\${$name-}"
    if [ -n "$value" ] && [ "$value" = "${ELASTIC_PASSWORD-}" ]; then
        refuse "$name" "is the same as ELASTIC_PASSWORD"
    fi
done
[ "$status" -eq 0 ] && echo "check-secrets: all secrets are set"
exit "$status"
