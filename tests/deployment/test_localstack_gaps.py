"""What LocalStack 4.14 does not apply of this stack: the lines a deploy tells for each profile, the
row a setting names, and the README's table, which must be the code's."""

from __future__ import annotations

from deployment.localstack_gaps import GAPS, SOURCE_ROOT, gap_of, told
from generator.config import PROFILES
from generator.template import build_template
from tests.conftest import PROJECT_ROOT


def lines_for(profile: str) -> list[str]:
    return told(build_template(PROFILES[profile]).to_dict())


def test_dev_is_told_each_ignored_setting_with_its_resources_and_source():
    lines = lines_for("dev")
    assert (
        "  - InvocationLoggerInvokePermission: SourceAccount: dropped: only FunctionName, Action, Principal and "
        f"SourceArn reach AddPermission ({SOURCE_ROOT}services/lambda_/resource_providers/aws_lambda_permission.py)"
    ) in lines
    assert any(line.startswith("  - UploadsBucketAutoDelete: the resource itself: faked:") for line in lines)
    assert any(line.startswith("  - BucketCleanupFunction, InvocationLoggerFunction: LoggingConfig:") for line in lines)
    assert not any("RetainExceptOnCreate" in line for line in lines)  # dev deletes everything anyway


def test_prod_is_told_that_retain_except_on_create_is_treated_as_delete():
    lines = lines_for("prod")
    assert lines[0].startswith(
        "  - AccessLogBucket, DataEncryptionKey, UploadsBucket: DeletionPolicy: RetainExceptOnCreate: treated as Delete"
    )
    assert not any("UploadsBucketAutoDelete" in line for line in lines)


def test_a_setting_names_its_row():
    assert gap_of("SourceAccount").types == ("AWS::Lambda::Permission",)


def readme_table() -> list[list[str]]:
    """The rows of the README's LocalStack table, without the backticks."""
    section = (PROJECT_ROOT / "README.md").read_text().split("### LocalStack\n", 1)[1].split("\n## ", 1)[0]
    header = "| Resource types | Settings | What LocalStack 4.14.0 does |"
    rows = section.split(header, 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    return [[cell.strip().replace("`", "") for cell in row.strip("|").split(" | ")] for row in rows]


def test_the_readme_table_is_the_code_table():
    expected = [[", ".join(gap.types), ", ".join(gap.settings), gap.effect, gap.source] for gap in GAPS]
    assert readme_table() == expected
