"""A hostile HTTP server and a probe, for the bounded-read benchmark."""
