"""Tests for the SMS Partner integration."""

import pytest

# The helper modules' asserts report what they compared, as in test modules.
pytest.register_assert_rewrite(
    "tests.action_helpers",
    "tests.credit_faults",
    "tests.fault_helpers",
    "tests.fault_runner",
    "tests.flow_helpers",
    "tests.recipient_helpers",
    "tests.wire_faults",
)
