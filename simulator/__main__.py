"""Run the API simulator: python -m simulator [--host H] [--port P] [--key sms:KEY]."""

from .server import main

main()
