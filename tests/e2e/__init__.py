"""End-to-end tests (e2e): a real Home Assistant process against the API simulator."""
