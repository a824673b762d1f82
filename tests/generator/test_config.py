"""The stack-name rule: names that cannot form the upload bucket's name are refused clearly."""

import re

import pytest

from generator.config import PROFILES, stack_name_problem
from generator.naming import upload_bucket_name

BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


@pytest.mark.parametrize("name", ["uploadtrail-dev", "a", "x1-2-3", "a" * 35])
def test_names_that_form_a_valid_bucket_name_in_every_region(name):
    assert stack_name_problem(name) is None
    assert BUCKET_NAME.fullmatch(upload_bucket_name(name, "123456789012", "ap-southeast-2"))


@pytest.mark.parametrize(
    "name, words",
    [
        ("Uploads", "lowercase"),
        ("1uploads", "lowercase letter first"),
        ("up_loads", "hyphens"),
        ("", "lowercase letter first"),
        ("a" * 36, "at most 35"),
        ("xn--uploads", "reserved"),
        ("sthree-uploads", "reserved"),
    ],
)
def test_names_that_cannot_are_refused_with_the_reason(name, words):
    problem = stack_name_problem(name)
    assert problem is not None and words in problem.replace("which S3 reserves", "reserved")
    assert repr(name) in problem


def test_a_known_region_allows_its_own_length():
    assert stack_name_problem("a" * 40, region="us-east-1") is None
    assert "at most 40" in stack_name_problem("a" * 41, region="us-east-1")
    assert len(upload_bucket_name("a" * 40, "123456789012", "us-east-1")) == 63


def test_profiles_are_frozen():
    with pytest.raises(AttributeError):
        PROFILES["dev"].retain_data = True
