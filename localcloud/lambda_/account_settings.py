"""Lambda's GetAccountSettings (moto does not route it): the region's limits as a new account has
them (1000 concurrent executions), UnreservedConcurrentExecutions less what the account's functions
reserve, and its usage (the functions and their code's size)."""

from __future__ import annotations

import json

from moto.awslambda.responses import LambdaResponse

from localcloud.cloud import LocalCloud

CONCURRENT_EXECUTIONS = 1000
# Bytes: all code of a region, one function's unzipped and zipped package.
CODE_LIMITS = {"TotalCodeSize": 80530636800, "CodeSizeUnzipped": 262144000, "CodeSizeZipped": 52428800}
# The URL moto's Lambda does not route (moto's urls.py form: "{0}" is the service's URL base).
ROUTE = r"{0}/(?P<api_version>[^/]+)/account-settings/?$"


def get_account_settings(cloud: LocalCloud, original: None, self: LambdaResponse) -> tuple[int, dict, str]:
    functions = list(self.backend.list_functions())
    reserved = sum(int(f.reserved_concurrency) for f in functions if f.reserved_concurrency not in (None, ""))
    limit = {
        "ConcurrentExecutions": CONCURRENT_EXECUTIONS,
        "UnreservedConcurrentExecutions": CONCURRENT_EXECUTIONS - reserved,
    }
    usage = {"FunctionCount": len(functions), "TotalCodeSize": sum(f.code_size for f in functions)}
    return 200, {}, json.dumps({"AccountLimit": CODE_LIMITS | limit, "AccountUsage": usage})
