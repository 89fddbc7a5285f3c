"""Syncthing's REST API on its loopback GUI address, with the API key (standard library only).

Only what the kit needs: health, this device's ID, options, devices, folders, connections,
device statistics, folder completion and shutdown. Every failure becomes one InspectKitError.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from inspect_kit.base.errors import InspectKitError


class RestError(InspectKitError):
    pass


class Rest:
    def __init__(self, api: str, api_key: str, *, timeout: float = 10.0) -> None:
        self.base = f"http://{api}"
        self.api = api
        self.api_key = api_key
        self.timeout = timeout
        # Never through an HTTP proxy from the environment: the API is on this machine only.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, method: str, path: str, body: Any = None, *,
             query: dict[str, str] | None = None, timeout: float | None = None) -> Any:  # fmt: skip
        url = self.base + path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("X-API-Key", self.api_key)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip()[:200]
            raise RestError(code="sync.rest_failed", what=f"{method} {path}",
                            why=f"HTTP {e.code} {detail}") from None  # fmt: skip
        except (urllib.error.URLError, OSError, TimeoutError) as e:
            why = getattr(e, "reason", None) or e
            raise RestError(code="sync.rest_unreachable", api=self.api, why=str(why)) from None
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")

    def get(self, path: str, **query: str) -> Any:
        return self.call("GET", path, query=query or None)

    def alive(self, timeout: float = 1.0) -> bool:
        """Whether a Syncthing with this API key answers at this address."""
        try:
            return self.call("GET", "/rest/system/ping", timeout=timeout) == {"ping": "pong"}
        except RestError:
            return False

    # ------------------------------------------------------------ what the kit asks

    def my_id(self) -> str:
        return str(self.get("/rest/system/status")["myID"])

    def options(self) -> dict[str, Any]:
        return dict(self.get("/rest/config/options"))

    def patch_options(self, changes: dict[str, Any]) -> None:
        self.call("PATCH", "/rest/config/options", changes)

    def devices(self) -> list[dict[str, Any]]:
        return list(self.get("/rest/config/devices"))

    def put_device(self, device: dict[str, Any]) -> None:
        self.call("PUT", f"/rest/config/devices/{device['deviceID']}", device)

    def delete_device(self, device_id: str) -> None:
        self.call("DELETE", f"/rest/config/devices/{device_id}")

    def folders(self) -> list[dict[str, Any]]:
        return list(self.get("/rest/config/folders"))

    def put_folder(self, folder: dict[str, Any]) -> None:
        self.call("PUT", f"/rest/config/folders/{urllib.parse.quote(folder['id'])}", folder)

    def delete_folder(self, folder_id: str) -> None:
        self.call("DELETE", f"/rest/config/folders/{urllib.parse.quote(folder_id)}")

    def connections(self) -> dict[str, Any]:
        return dict(self.get("/rest/system/connections").get("connections") or {})

    def device_stats(self) -> dict[str, Any]:
        return dict(self.get("/rest/stats/device") or {})

    def completion(self, folder: str, device: str) -> dict[str, Any]:
        return dict(self.get("/rest/db/completion", folder=folder, device=device))

    def scan(self, folder: str) -> None:
        self.call("POST", "/rest/db/scan", query={"folder": folder})

    def shutdown(self) -> None:
        self.call("POST", "/rest/system/shutdown")
