"""Lambda runs a function with temporary credentials of its execution role (session name: the
function's name; moto gives the code none of its own). Minted in-process, once per function and
role, and handed to the function's workers."""

from __future__ import annotations

from moto.awslambda.models import LambdaFunction
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

from localcloud.cloud import LocalCloud

# AWS's longest role session. moto never expires a session, and the local cloud does not either,
# so a worker keeps working credentials for as long as it lives, as Lambda refreshes them on AWS.
SESSION_SECONDS = 12 * 3600


def credentials(cloud: LocalCloud, function: LambdaFunction) -> dict[str, str]:
    """AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN of the function's role,
    minted on first use and again only when the role changes or moto forgot the session."""
    backend = sts_backends[function.account_id][get_partition(function.region)]
    with cloud.role_credentials_lock:
        known = cloud.role_credentials.get((function.function_arn, function.role))
        if known is None or backend.get_assumed_role_from_access_key(known["AWS_ACCESS_KEY_ID"]) is None:
            session = backend.assume_role(
                region_name=function.region,
                role_session_name=function.function_name,
                role_arn=function.role,
                policy=None,
                duration=SESSION_SECONDS,
                external_id=None,
            )
            known = cloud.role_credentials[(function.function_arn, function.role)] = {
                "AWS_ACCESS_KEY_ID": session.access_key_id,
                "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
                "AWS_SESSION_TOKEN": session.session_token,
            }
        return dict(known)
