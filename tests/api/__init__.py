"""Tests of the SMS Partner and Voice Partner client (custom_components/smspartner/api)."""
