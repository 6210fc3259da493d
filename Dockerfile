# syntax=docker/dockerfile:1
# cartohdf served by Streamlit, as a non-root user, on a read-only root filesystem.
#   docker build -t cartohdf .
#   docker run --read-only --tmpfs /tmp -v cartohdf-data:/data -p 8501:8501 cartohdf
# Writable at run time: /tmp (HOME, temporary files, matplotlib's settings; a tmpfs) and /data
# (the cache of checked data and uploaded files, the URSSAF imports; a volume the replicas share).
# tests/test_install.py checks these properties and runs this CMD the way the container does.

# Pinned by tag; tested with the Python of CI (3.11)
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS wheel
WORKDIR /src
COPY pyproject.toml README.md constraints.txt streamlit_app.py ./
COPY .streamlit/config.toml .streamlit/config.toml
COPY src src
COPY geo geo
COPY data data
# the wheel carries geo/, data/ and the app (pyproject's force-include)
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist .

FROM ${PYTHON_IMAGE}
# the tested versions of the dependencies (constraints.txt), then the wheel itself
RUN --mount=type=bind,from=wheel,source=/dist,target=/dist \
    --mount=type=bind,from=wheel,source=/src/constraints.txt,target=/constraints.txt \
    pip install --no-cache-dir --root-user-action=ignore -c /constraints.txt /dist/cartohdf-*.whl \
 && groupadd --system --gid 10001 cartohdf \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin cartohdf \
 && mkdir -p /data \
 && chown 10001:10001 /data
ENV HOME=/tmp \
    TMPDIR=/tmp \
    MPLCONFIGDIR=/tmp/matplotlib \
    CARTOHDF_CACHE_DIR=/data/cache \
    CARTOHDF_IMPORTS_DIR=/data/imports \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
VOLUME ["/data", "/tmp"]
# a numeric user: an orchestrator can check it is not root (runAsNonRoot)
USER 10001:10001
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
ENTRYPOINT ["cartohdf"]
CMD ["app", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.fileWatcherType", "none"]
