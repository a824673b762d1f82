"""The Mermaid diagram: one node per resource, an edge per reference."""

from generator.diagram import mermaid_diagram


def test_every_kind_of_reference_becomes_an_edge():
    template = {
        "Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table"},
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"A": {"Fn::Sub": "${Queue.Arn}-${AWS::Region}"}}},
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "DependsOn": "Queue",
                "Properties": {
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "Env": [{"Ref": "Table"}, {"Ref": "AWS::StackName"}, {"Ref": "CodeKey"}],
                    "Name": {"Fn::Sub": ["${X}", {"X": {"Ref": "Table"}}]},
                },
            },
        }
    }
    diagram = mermaid_diagram(template)
    assert diagram.splitlines() == [
        "flowchart LR",
        '    Fn["Fn<br/><small>AWS::Lambda::Function</small>"]',
        '    Queue["Queue<br/><small>AWS::SQS::Queue</small>"]',
        '    Role["Role<br/><small>AWS::IAM::Role</small>"]',
        '    Table["Table<br/><small>AWS::DynamoDB::Table</small>"]',
        "    Fn -.-> Queue",
        "    Fn --> Role",
        "    Fn --> Table",
        "    Role --> Queue",
    ]


def test_the_dev_diagram_shows_the_notification_and_the_ordering(dev):
    diagram = mermaid_diagram(dev)
    assert "UploadsBucket --> InvocationLoggerFunction" in diagram
    assert "UploadsBucket -.-> InvocationLoggerInvokePermission" in diagram
    assert "UploadsBucketAutoDelete -.-> UploadsBucketPolicy" in diagram
