"""Lambda runs a function with temporary credentials of its execution role (session name: the
function's name; moto gives the code none of its own): minted in-process for each execution
environment (each warm worker its own access key, as on Lambda)."""

from __future__ import annotations

from moto.awslambda.models import LambdaFunction
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

# AWS's longest role session. moto never expires a session, and the local cloud does not either,
# so a worker keeps working credentials for as long as it lives, as Lambda refreshes them on AWS.
SESSION_SECONDS = 12 * 3600


def credentials(function: LambdaFunction) -> dict[str, str]:
    """New AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN of the function's role."""
    session = sts_backends[function.account_id][get_partition(function.region)].assume_role(
        region_name=function.region,
        role_session_name=function.function_name,
        role_arn=function.role,
        policy=None,
        duration=SESSION_SECONDS,
        external_id=None,
    )
    return {
        "AWS_ACCESS_KEY_ID": session.access_key_id,
        "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
        "AWS_SESSION_TOKEN": session.session_token,
    }
