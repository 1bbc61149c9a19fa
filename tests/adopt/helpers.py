"""Small repositories laid out in a temporary folder, modelled on real projects."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def lay_out(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def written_images(root: Path) -> dict[str, Any]:
    images: dict[str, Any] = tomllib.loads((root / "imgbuild.toml").read_text())["images"]
    return images


# A monorepo of Dockerfiles on a shared base, with what init must leave out.
MONOREPO = {
    ".gitignore": "build/\n",
    "platform/base/Dockerfile": "FROM local/busybox:1\nRUN mkdir -p /srv\n",
    # Copies from the repository root: the context is the root.
    "services/api/Dockerfile": (
        "FROM org/base:latest\nCOPY services/api/app.sh /srv/\nCOPY libs/common /srv/common\n"
    ),
    "services/api/app.sh": "echo api\n",
    "libs/common/util.sh": "echo util\n",
    "services/worker/Dockerfile": "FROM org/base AS run\nCOPY worker.sh /srv/\n",
    "services/worker/worker.sh": "echo worker\n",
    "services/worker/Dockerfile.dev": "FROM org/worker\nRUN echo dev\n",
    "tools/api/Dockerfile": "FROM local/busybox:1\n",
    "admin.Dockerfile": "FROM org/base\n",
    "build/Dockerfile": "FROM local/busybox:1\n",
    "node_modules/pkg/Dockerfile": "FROM node:20\n",
    "docs/Dockerfile.j2": "FROM {{ base }}\n",
    "empty/Dockerfile": "# nothing here yet\n",
}


# A compose project like a web shop's: one app image run as web, worker and cron (a YAML
# anchor), a frontend with list args, labels and extra tags, a collision on the app image,
# a base image reached through `additional_contexts`, a build secret, and a service without
# a build.
COMPOSE = {
    ".env": "TAG=1.4.0\n# comment\nexport PYTHON_VERSION='3.11'\n",
    "compose.yaml": """\
name: shop
x-app-build: &app-build
  context: ./app
  dockerfile: docker/app.Dockerfile
  args:
    PYTHON_VERSION: ${PYTHON_VERSION:-3.12}
    RELEASE: ${TAG}
  target: runtime
services:
  web:
    build: *app-build
    image: ${REGISTRY:-127.0.0.1:5000}/shop/app:${TAG:-dev}
  worker:
    build: *app-build
    image: ${REGISTRY:-127.0.0.1:5000}/shop/app:${TAG:-dev}
    command: worker
  frontend:
    build:
      context: frontend
      args:
        - NODE_ENV=production
        - UNSET_ARG
      labels:
        com.example.team: web
      tags: ["${REGISTRY:-127.0.0.1:5000}/shop/frontend:stable", "other/frontend:x"]
      platforms: [linux/amd64, linux/aarch64, linux/sparc64]
      cache_from: [type=registry,ref=cache/frontend]
    image: ${REGISTRY:-127.0.0.1:5000}/shop/frontend
  migrate:
    build:
      context: ./app
      dockerfile: docker/app.Dockerfile
      target: migrate
    image: ${REGISTRY:-127.0.0.1:5000}/shop/app:${TAG:-dev}
  base:
    build: ./base
  api:
    build:
      context: api
      additional_contexts:
        base: service:base
      secrets: [npm]
      network: host
  db:
    image: postgres:16
secrets:
  npm:
    environment: NPM_TOKEN
""",
    "app/docker/app.Dockerfile": (
        "FROM local/busybox:1 AS runtime\nARG PYTHON_VERSION\nARG RELEASE\n"
        "RUN echo $PYTHON_VERSION $RELEASE > /versions\n"
        "FROM runtime AS migrate\nRUN echo migrate > /migrate\n"
    ),
    "frontend/Dockerfile": "FROM local/busybox:1\nARG NODE_ENV\nRUN echo $NODE_ENV > /env\n",
    "base/Dockerfile": "FROM local/busybox:1\n",
    "api/Dockerfile": "FROM shop-base\n",
}


# A bake project with groups, inherits, variables and a `target:` context, in the shape of the
# false cycle: server.Dockerfile's later stage builds on admin-tools, which builds on server.
BAKE = {
    "docker-bake.hcl": """\
variable "REGISTRY" {
  default = "org"
}
variable "TAG" {
  default = "dev"
}
variable "GO_VERSION" {
  default = "1.22"
}
group "default" {
  targets = ["app", "tools"]
}
group "app" {
  targets = ["server"]
}
group "tools" {
  targets = ["server-debug"]
}
target "_common" {
  args = { GO_VERSION = "${GO_VERSION}" }
  labels = {
    "org.opencontainers.image.vendor" = "org"
    "build-date" = timestamp()
  }
}
target "server" {
  inherits = ["_common"]
  dockerfile = "server.Dockerfile"
  target = "server"
  tags = ["${REGISTRY}/server:${TAG}", "${REGISTRY}/server:latest"]
  platforms = ["linux/amd64", "linux/arm64", "darwin/arm64"]
}
target "admin-tools" {
  inherits = ["_common"]
  dockerfile = "admin-tools.Dockerfile"
  tags = ["${REGISTRY}/admin-tools:${TAG}"]
  args = { EXTRA = "1" }
}
target "server-debug" {
  inherits = ["_common"]
  dockerfile = "server.Dockerfile"
  target = "debug"
  tags = ["${REGISTRY}/server-debug:${TAG}"]
  contexts = { tools = "target:admin-tools" }
  cache-from = ["type=gha"]
}
target "docs" {
  context = "docs"
}
target "matrix-app" {
  matrix = { v = ["1", "2"] }
  name = "app-${v}"
}
""",
    "server.Dockerfile": (
        "FROM local/busybox:1 AS server\nARG GO_VERSION\nRUN echo $GO_VERSION > /go-version\n"
        "FROM org/admin-tools:dev AS debug\nCOPY --from=server /go-version /go-version\n"
    ),
    "admin-tools.Dockerfile": "FROM org/server:dev\nRUN echo tools > /tools\n",
    "docs/Dockerfile": "FROM local/busybox:1\n",
}
