"""The Docker Engine adapter: the only package that imports the Docker SDK.

- `operations`: `Engine`, what imgbuild asks of one engine (inspect, list, tag, build, move,
  push) and the records it answers with.
- `inventory`: what an engine holds, from one image listing.
- `streams`: the engine's build, pull, load and push streams, which report failure only inside
  the stream (`errorDetail`); every event is read, one check finds the failures.
- `sdk`: the Docker SDK (with requests and urllib3), imported on first use, and its client
  classes.
- `local`: requests over a local engine's unix socket with the standard library only (reads,
  tags, exports), so a run where nothing changed, or one that publishes an index, never pays
  for importing the SDK.
"""
