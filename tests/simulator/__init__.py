"""Tests for the SMS Partner / Voice Partner API simulator."""
