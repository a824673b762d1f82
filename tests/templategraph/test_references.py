"""What a resource refers to: Ref, GetAtt, Sub (both forms) and DependsOn, never parameters or
pseudo-parameters."""

from templategraph import dependencies, depends_on, references

NAMES = {"Table", "Queue", "Role"}


def test_ref_getatt_and_both_sub_forms_name_resources():
    value = {
        "A": {"Ref": "Table"},
        "B": [{"Fn::GetAtt": ["Role", "Arn"]}, {"Fn::GetAtt": "Queue.Arn"}],
        "C": {"Fn::Sub": "${Queue.Arn}/${AWS::Region}"},
        "D": {"Fn::Sub": ["${X}", {"X": {"Ref": "Table"}}]},
    }
    assert references(value, NAMES) == {"Table", "Role", "Queue"}


def test_parameters_pseudo_parameters_and_unknown_names_are_not_references():
    value = [{"Ref": "AWS::Region"}, {"Ref": "CodeKey"}, {"Fn::GetAtt": ["Other", "Arn"]}, {"Fn::Sub": "${Other}"}]
    assert references(value, NAMES) == set()


def test_depends_on_takes_a_name_or_a_list():
    assert depends_on({"DependsOn": "Queue"}) == {"Queue"}
    assert depends_on({"DependsOn": ["Queue", "Role"]}) == {"Queue", "Role"}
    assert depends_on({}) == set()


def test_dependencies_join_references_and_depends_on_without_self_references():
    resources = {
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": {"Fn::Sub": "${Table}"}}},
        "Queue": {"Type": "AWS::SQS::Queue"},
        "Role": {"Type": "AWS::IAM::Role", "DependsOn": "Queue", "Properties": {"T": {"Ref": "Table"}}},
    }
    assert dependencies(resources) == {"Table": set(), "Queue": set(), "Role": {"Queue", "Table"}}
