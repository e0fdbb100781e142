# essmap serve in a container: the web pages and the JSON API for one catalogue.
#   docker build -t essmap .
#   docker run --rm -p 127.0.0.1:8000:8000 essmap
# To serve your own catalogue, mount it and name it:
#   docker run --rm -p 127.0.0.1:8000:8000 -v "$PWD/data:/catalogue:ro" essmap \
#       essmap serve --host 0.0.0.0 --catalogue /catalogue/structures.yaml
# Publish it behind a reverse proxy (TLS, rate limits); the app itself is read-only.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE hatch_build.py ./
COPY data ./data
COPY src ./src
RUN pip install '.[web]' && rm -rf /src

# an unprivileged user, with a cache folder of its own
RUN useradd --create-home --uid 10001 essmap
USER essmap
WORKDIR /home/essmap
EXPOSE 8000
# inside the container it must listen on every interface; the host decides what reaches it
CMD ["essmap", "serve", "--host", "0.0.0.0", "--port", "8000"]
