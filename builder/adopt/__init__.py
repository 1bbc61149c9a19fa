"""Adoption: an imgbuild.toml proposed for a repository that already has Dockerfiles.

`scan` proposes one image per Dockerfile found below a folder, `compose` converts the build
sections of a Compose file, `bake` the targets of a Bake file; each gives a `Proposal`, which
`write` renders as commented TOML, checks with the config loader and the graph, and writes.
"""
