"""Browser test (ui)."""
