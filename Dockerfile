# fundwatch: the daemon image (also runs `fundwatch db upgrade`, `fundwatch crawl`, ...).
#
#   docker build -t fundwatch .
#   docker compose up -d            (see docker-compose.yml and README "Docker compose")
#
# Two stages: the build stage has the compilers (for any dependency without a wheel for
# this platform), builds fundwatch's wheel and installs it into a virtualenv; the final stage
# copies only the virtualenv (the wheel carries the catalog, keyword lists and migrations as
# package data), so neither build tools nor the source tree end up in the image. The app runs
# as an unprivileged user.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc g++ libc6-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels . \
    && pip install /wheels/fundwatch-*.whl \
    && python -m compileall -q /opt/venv

FROM ${PYTHON_IMAGE} AS final
LABEL org.opencontainers.image.title="fundwatch" \
      org.opencontainers.image.description="Watches Chinese and English news for AI-video funding stories"
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN groupadd --system --gid 10001 fundwatch \
    && useradd --system --uid 10001 --gid fundwatch --home-dir /home/fundwatch --create-home \
       --shell /usr/sbin/nologin fundwatch \
    && mkdir -p /data && chown fundwatch:fundwatch /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /data
USER fundwatch:fundwatch
ENTRYPOINT ["fundwatch"]
CMD ["daemon"]
