"""Tests for the SMS Partner integration."""

import pytest

# The helper modules' asserts report what they compared, as in test modules.
pytest.register_assert_rewrite(
    "tests.action_helpers",
    "tests.fault_helpers",
    "tests.fault_table",
    "tests.flow_helpers",
    "tests.recipient_helpers",
)
