# The marsad image for docker-compose: `marsad serve`, `marsad watch`, `marsad kibana setup`.
# Installed with uv and the light camel-tools override (no torch), like `make`.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MARSAD_STATE_DIR=/var/lib/marsad \
    MARSAD_INBOX_DIR=/inbox

RUN pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml README.md ./
COPY constraints ./constraints
COPY marsad ./marsad
COPY flows ./flows
COPY extractors ./extractors
COPY seeds ./seeds
COPY tests/fixtures/pages ./tests/fixtures/pages
RUN uv pip install --system --no-cache --compile-bytecode --override constraints/light-camel.txt -e .

RUN useradd --create-home --uid 10001 marsad \
    && mkdir -p /inbox /var/lib/marsad \
    && chown marsad:marsad /inbox /var/lib/marsad
USER marsad

CMD ["marsad", "--help"]
