"""Point the SMS Partner integration of this Python process at the API simulator.

On a process's path (PYTHONPATH) this module runs at start-up: once the
integration's client module is imported, its clients' base URLs become
$SMSPARTNER_SMS_API_URL and $SMSPARTNER_VOICE_API_URL. The integration itself
reads no environment: only processes started this way (the demo, the
end-to-end test, `scripts/develop --simulator`) talk to the simulator.
"""

from __future__ import annotations

from collections.abc import Sequence
import importlib.abc
import importlib.machinery
import os
import sys
from types import ModuleType

CLIENT_MODULE = "custom_components.smspartner.api.client"
URLS = {
    "SmsPartnerClient": "SMSPARTNER_SMS_API_URL",
    "VoicePartnerClient": "SMSPARTNER_VOICE_API_URL",
}


class _PatchingLoader(importlib.abc.Loader):
    """Run the real loader, then set the clients' base URLs."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        for client, variable in URLS.items():
            if url := os.environ.get(variable):
                getattr(module, client).base_url = url


class _Finder(importlib.abc.MetaPathFinder):
    """Find the client module with the other finders, and wrap its loader."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != CLIENT_MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader)
                return spec
        return None


if any(os.environ.get(variable) for variable in URLS.values()):
    sys.meta_path.insert(0, _Finder())
