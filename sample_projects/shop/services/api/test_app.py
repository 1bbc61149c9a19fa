"""Unit tests of the API's routes; the image's build stage runs them."""

from __future__ import annotations

import unittest
from http import HTTPStatus

import app


class RouteTest(unittest.TestCase):
    def test_health_says_ok(self) -> None:
        status, body = app.route("/health")
        self.assertEqual(status, HTTPStatus.OK)
        self.assertEqual(body["status"], "ok")  # type: ignore[index]

    def test_orders_are_listed(self) -> None:
        status, body = app.route("/orders")
        self.assertEqual(status, HTTPStatus.OK)
        self.assertEqual(len(body["orders"]), 2)  # type: ignore[index]

    def test_unknown_path_is_not_found(self) -> None:
        status, _ = app.route("/nope")
        self.assertEqual(status, HTTPStatus.NOT_FOUND)


if __name__ == "__main__":
    unittest.main()
