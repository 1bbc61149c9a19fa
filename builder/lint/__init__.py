"""The Dockerfile linter: hadolint-compatible DL rules and imgbuild's own IB rules."""
