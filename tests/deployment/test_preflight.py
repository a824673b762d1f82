"""Pre-flight checks against botocore's Stubber: the account and region are printed, reserved
concurrency must leave Lambda's unreserved minimum, and the upload bucket's name must be free or
this stack's. (The concurrency check's local-cloud twin: tests/localcloud/lambda_/test_account_settings.py.)"""

import pytest

from deployment import preflight
from deployment.errors import NoConcurrencyParameter

ACCOUNT = "123456789012"


def test_the_identity_names_account_and_partition(stubbed):
    sts, stubber = stubbed("sts")
    stubber.add_response(
        "get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws-cn:iam::{ACCOUNT}:user/me", "UserId": "u"}
    )
    who = preflight.identity(sts)
    assert who == preflight.Identity(ACCOUNT, f"arn:aws-cn:iam::{ACCOUNT}:user/me", "aws-cn")


def with_parameter(default: str) -> dict:
    return {"Parameters": {"ReservedConcurrency": {"Type": "String", "Default": default}}}


def test_the_needed_concurrency_comes_from_the_flag_else_the_parameter_default_else_the_functions():
    assert preflight.needed_concurrency(with_parameter("50"), None) == 50
    assert preflight.needed_concurrency(with_parameter(""), None) == 0
    assert preflight.needed_concurrency(with_parameter("50"), 0) == 0
    assert preflight.needed_concurrency(with_parameter(""), 7) == 7
    functions = {
        "Resources": {
            "A": {"Type": "AWS::Lambda::Function", "Properties": {"ReservedConcurrentExecutions": 50}},
            "B": {"Type": "AWS::Lambda::Function", "Properties": {"ReservedConcurrentExecutions": {"Ref": "X"}}},
            "C": {"Type": "AWS::Lambda::Function", "Properties": {}},
            "D": {"Type": "AWS::SQS::Queue"},
        }
    }
    assert preflight.needed_concurrency(functions, None) == 50


def test_the_flag_on_a_template_without_the_parameter_is_bad_usage():
    with pytest.raises(NoConcurrencyParameter):
        preflight.needed_concurrency({"Resources": {}}, 5)


def settings(limit: int, unreserved: int) -> dict:
    return {"AccountLimit": {"ConcurrentExecutions": limit, "UnreservedConcurrentExecutions": unreserved}}


def test_a_new_account_with_a_limit_of_10_cannot_reserve_50(stubbed):
    client, stubber = stubbed("lambda")
    stubber.add_response("get_account_settings", settings(10, 10))
    problem = preflight.concurrency_problem(client, 50, [])
    assert problem == (
        "the template reserves 50 concurrent executions, but the account's Lambda limit is 10 and Lambda keeps 10 "
        "unreserved, so at most 0 can be reserved here. Deploy with --reserved-concurrency 0 (0: unreserved), or "
        "ask for a higher limit in Service Quotas (Lambda: Concurrent executions)"
    )


def test_what_the_stack_already_reserves_counts_as_room(stubbed):
    client, stubber = stubbed("lambda")
    stubber.add_response("get_account_settings", settings(1000, 100))
    stubber.add_response("get_function_concurrency", {"ReservedConcurrentExecutions": 50}, {"FunctionName": "logger"})
    stubber.add_response("get_function_concurrency", {}, {"FunctionName": "cleanup"})
    assert preflight.concurrency_problem(client, 50, ["logger", "cleanup"]) is None
    stubber.add_response("get_account_settings", settings(1000, 140))
    assert "at most 40 can be reserved" in preflight.concurrency_problem(client, 50, [])


def test_nothing_to_reserve_needs_no_call(stubbed):
    client, _ = stubbed("lambda")
    assert preflight.concurrency_problem(client, 0, []) is None


def test_aws_refusing_the_check_says_what_to_allow(stubbed):
    client, stubber = stubbed("lambda")
    stubber.add_client_error("get_account_settings", "AccessDeniedException", "not authorized", 403)
    problem = preflight.concurrency_problem(client, 50, [])
    assert problem.startswith("cannot read the account's Lambda concurrency (AccessDeniedException: not authorized)")
    assert "allow lambda:GetAccountSettings, or deploy with --reserved-concurrency 0" in problem


BUCKET = f"uploads-{ACCOUNT}-us-east-1"


def test_the_stacks_own_bucket_needs_no_call(stubbed):
    s3, _ = stubbed("s3")
    assert preflight.upload_bucket_problem(s3, BUCKET, ACCOUNT, "uploads", {BUCKET}) is None


def test_a_free_name_passes(stubbed):
    s3, stubber = stubbed("s3")
    stubber.add_client_error(
        "head_bucket", "404", "Not Found", 404, expected_params={"Bucket": BUCKET, "ExpectedBucketOwner": ACCOUNT}
    )
    assert preflight.upload_bucket_problem(s3, BUCKET, ACCOUNT, "uploads", set()) is None


def test_a_name_another_account_owns_says_so(stubbed):
    s3, stubber = stubbed("s3")
    stubber.add_client_error("head_bucket", "403", "Forbidden", 403)
    problem = preflight.upload_bucket_problem(s3, BUCKET, ACCOUNT, "uploads", set())
    assert problem == (
        f"the upload bucket name {BUCKET} belongs to another account (bucket names are global): "
        "choose another --stack-name"
    )


def test_a_retained_bucket_of_an_earlier_stack_is_named_as_such(stubbed):
    s3, stubber = stubbed("s3")
    stubber.add_response("head_bucket", {})
    problem = preflight.upload_bucket_problem(s3, BUCKET, ACCOUNT, "uploads", set())
    assert "kept (DeletionPolicy Retain) by an earlier stack named uploads" in problem
    assert f"`{preflight.delete_versioned_bucket_command(BUCKET)[1:-1]}`" in problem and "rb" not in problem


def test_other_bucket_errors_are_raised(stubbed):
    s3, stubber = stubbed("s3")
    stubber.add_client_error("head_bucket", "SlowDown", "slow", 503)
    with pytest.raises(s3.exceptions.ClientError):
        preflight.upload_bucket_problem(s3, BUCKET, ACCOUNT, "uploads", set())
