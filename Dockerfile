# rightsbot: the Slack app (or any other command) in a container.
#   docker build -t rightsbot .
#   docker run --env-file .env -v rightsbot-data:/app/data rightsbot slack --http --port 3000
FROM python:3.11-slim

WORKDIR /app
ENV PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 RIGHTSBOT_DATA_DIR=/app/data

# torch first and exactly pinned. Point PIP_EXTRA_INDEX_URL at a CPU-only torch index at build time
# to avoid the multi-gigabyte CUDA wheels: docker build --build-arg PIP_EXTRA_INDEX_URL=... .
ARG PIP_EXTRA_INDEX_URL=""
RUN pip install --no-cache-dir torch==2.13.0

COPY pyproject.toml README.md ./
COPY bot bot
COPY ingest ingest
COPY knowledge knowledge
COPY evals evals
# The installed package must carry its own data (hand-over subjects, factsheets): fail the build if not.
RUN pip install --no-cache-dir . \
    && cd / && python -c "from bot.settings import Settings; from bot.triage import read_handover_subjects as r; r(Settings().handover_file)" \
    && cd /app && rightsbot ingest knowledge

EXPOSE 3000
ENTRYPOINT ["rightsbot"]
CMD ["slack", "--http", "--port", "3000"]
