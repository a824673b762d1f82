"""What answers at an --endpoint: LocalStack (its version and edition, from /_localstack/info or
/_localstack/health), the project's local cloud (/_localcloud/info) or another AWS-compatible
endpoint; asked once per path, with a bounded timeout."""

from __future__ import annotations

import http.client
import json
import platform
import urllib.error
import urllib.request
from dataclasses import dataclass

from deployment.messages import TARGET, TARGET_NAMED, TARGET_UNNAMED
from generator.function import ARCHITECTURES
from localcloud.info_path import INFO_PATH
from localcloud.info_path import NAME as LOCAL_CLOUD

LOCALSTACK = "LocalStack"
COMMUNITY = "community"
# Where each emulator names itself, and its name when the answer gives none. LocalStack's paths and
# their "version" and "edition" keys: localstack-core/localstack/services/internal.py in v4.14.0.
INFO_PATHS = (("/_localstack/info", LOCALSTACK), ("/_localstack/health", LOCALSTACK), (INFO_PATH, LOCAL_CLOUD))
PROBE_TIMEOUT_SECONDS = 3.0
# platform.machine() spellings -> the function's Architectures value.
MACHINE_ARCHITECTURES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}
DEFAULT_ARCHITECTURE = ARCHITECTURES[0]  # arm64, as on AWS


@dataclass(frozen=True)
class TargetKind:
    """An emulator with its version and edition, or (name None) an AWS-compatible endpoint."""

    name: str | None = None
    version: str = ""
    edition: str = ""

    @property
    def is_localstack(self) -> bool:
        return self.name == LOCALSTACK

    @property
    def runs_custom_resources(self) -> bool:
        """False for LocalStack's community edition, which has no provider for them and marks them
        CREATE_COMPLETE with a mocked id (cloudformation/resource_provider.py: "overwritten in PRO to add
        support for custom resources"; engine/v2/unsupported_resource.py, in v4.14.0)."""
        return not (self.is_localstack and self.edition == COMMUNITY)

    @property
    def title(self) -> str:
        return TARGET_NAMED.format(name=self.name, version=self.version, edition=self.edition)

    def describe(self) -> str:
        return TARGET_UNNAMED if self.name is None else TARGET.format(title=self.title)


class NoHttpAnswer(Exception):
    """The endpoint did not answer in HTTP (refused, timed out, another protocol): asking again is futile."""


def info_at(endpoint: str, path: str) -> dict | None:
    """The JSON object endpoint answers at path, or None for any other HTTP answer (a 404, not JSON)."""
    try:
        with urllib.request.urlopen(endpoint.rstrip("/") + path, timeout=PROBE_TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError:
        return None
    except (OSError, http.client.HTTPException) as error:
        raise NoHttpAnswer from error
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def target_kind(endpoint: str) -> TargetKind:
    """The first emulator whose info path names a version, else an AWS-compatible endpoint."""
    try:
        for path, name in INFO_PATHS:
            answer = info_at(endpoint, path)
            if answer and answer.get("version"):
                return TargetKind(name, str(answer["version"]), str(answer.get("edition", "unknown edition")))
    except NoHttpAnswer:
        pass
    return TargetKind()


def function_architecture(kind: TargetKind | None, chosen: str | None, machine: str | None = None) -> str:
    """--architecture when given; on LocalStack the machine's own; else (AWS) arm64."""
    if chosen:
        return chosen
    if kind is not None and kind.is_localstack:
        return MACHINE_ARCHITECTURES.get((machine or platform.machine()).lower(), DEFAULT_ARCHITECTURE)
    return DEFAULT_ARCHITECTURE
