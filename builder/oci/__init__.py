"""Multi-platform images as OCI image indexes, put together against the registry.

- `documents`: the bytes of image manifests and indexes, and reading an index back;
- `saved`: an engine's image (`docker save`) as a config and deterministically gzipped layers;
- `push`: a variant per platform pushed by digest and named by one index (`push_index`), and the
  cheap check that a tag already points at exactly these variants (`matches_variants`).
"""
