"""Tests for the SMS Partner integration."""
