"""Contract of localcloud/iam/role_policies.py: plain moto's AWS::IAM::Role drops managed policies
and mangles inline ones."""

from __future__ import annotations

from tests.localcloud.plain_moto import create_stack


def test_plain_moto_cloudformation_role_drops_managed_policies_and_mangles_inline_ones(plain_moto, monkeypatch):
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    create_stack(
        plain_moto,
        {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": "cfn-role",
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                    "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
                    "Policies": [{"PolicyName": "p", "PolicyDocument": document}],
                },
            }
        },
    )
    iam = plain_moto("iam")
    assert iam.list_attached_role_policies(RoleName="cfn-role")["AttachedPolicies"] == []
    answered = iam.get_role_policy(RoleName="cfn-role", PolicyName="p")["PolicyDocument"]
    assert answered == str(document)  # a Python repr, not the JSON document AWS answers
