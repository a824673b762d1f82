"""The filter-pattern syntax, without a server: the examples of AWS's "Filter and Pattern Syntax"
page with the results it documents, then what it says about the edges, then refusals."""

from __future__ import annotations

import json

import pytest

from localcloud.logs.filter_patterns import InvalidFilterPattern, matches, parse

# "Matching Terms in Log Events", examples 1 to 3.
UNSTRUCTURED = [
    "[ERROR] A fatal exception has occurred",
    "Exiting with ERRORCODE: -1",
    "[ERROR] Caught IllegalArgumentException",
    "[ERROR] Unhandled Exception",
    "[WARN] Failed to process the request",
    "[ERROR] Unable to continue: Failed to process the request",
]
# "OR Pattern Matching": the three events, for terms, space-delimited and JSON patterns.
OR_EVENTS = ["ERROR WARN message", "ERROR message", "WARN message"]
OR_JSON_EVENTS = ['{"foo": "bar"}', '{"foo": "baz"}']
# "JSON Metric Filter Examples" and "JSON Compound Conditions".
TRAIL = json.dumps(
    {
        "eventType": "UpdateTrail",
        "sourceIPAddress": "111.111.111.111",
        "arrayKey": ["value", "another value"],
        "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
        "SomeObject": None,
        "ThisFlag": True,
    }
)
USERS = json.dumps(
    {
        "user": {"id": 1, "email": "John.Stiles@example.com"},
        "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}],
        "actions": ["GET", "PUT", "DELETE"],
        "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
    }
)
# "Using Metric Filters to Extract Values from Space-Delimited Log Events".
ACCESS_LOG = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
]
INDEX_404 = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534'


def matching(pattern: str, events: list[str]) -> list[int]:
    """The (1-based, as the page numbers them) events the pattern matches."""
    found = parse(pattern)
    return [number for number, event in enumerate(events, start=1) if found.matches(event)]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ('"ERROR"', [1, 2, 3, 4, 6]),  # example 1: ERRORCODE contains the term
        ('"ERROR" - "Exiting"', [1, 3, 4, 6]),  # example 2
        ('"ERROR Exception"', []),  # a quoted phrase is one term
        ("ERROR Exception", [3, 4]),  # example 3
        ("Failed to process the request", [5, 6]),
    ],
)
def test_the_documented_term_examples(pattern, expected):
    assert matching(pattern, UNSTRUCTURED) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("ERROR", [1, 2]),
        ("?ERROR ?WARN", [1, 2, 3]),
        ("ERROR WARN", [1]),
        ("ERROR -WARN", [2]),
        ("[w1=ERROR, w2]", [2]),
        ("[w1=ERROR || w1=WARN, w2]", [2, 3]),
    ],
)
def test_the_documented_or_examples(pattern, expected):
    assert matching(pattern, OR_EVENTS) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("{$.foo = bar}", [1]), ("{$.foo = baz }", [2]), ("{$.foo = bar || $.foo = baz }", [1, 2])],
)
def test_the_documented_json_or_examples(pattern, expected):
    assert matching(pattern, OR_JSON_EVENTS) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        '{ $.eventType = "UpdateTrail" }',
        "{ $.sourceIPAddress != 123.123.* }",
        '{ $.arrayKey[0] = "value" }',
        "{ $.objectList[1].id = 2 }",
        "{ $.SomeObject IS NULL }",
        "{ $.SomeOtherObject NOT EXISTS }",
        "{ $.ThisFlag IS TRUE }",
    ],
)
def test_the_documented_json_filters_match(pattern):
    assert matches(pattern, TRAIL)


@pytest.mark.parametrize(
    "pattern",
    [
        '{ $.eventType = "PutTrail" }',
        "{ $.sourceIPAddress != 111.111.* }",
        '{ $.arrayKey[1] = "value" }',
        "{ $.objectList[1].id = 1 }",
        "{ $.eventType IS NULL }",  # only a null is NULL
        "{ $.SomeObject NOT EXISTS }",  # a null exists
        "{ $.ThisFlag IS FALSE }",
        '{ $.objectList[2].id = "*" }',  # past the array's end
        '{ $.sourceIPAddress[0] = "*" }',  # not an array: false
        '{ $.eventType.name = "*" }',  # not an object: false
    ],
)
def test_their_counterparts_do_not(pattern):
    assert not matches(pattern, TRAIL)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', True),
        ('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', False),
        (
            '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }',
            True,
        ),
        (
            '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) '
            "&& $.actions[2] = nomatch }",
            False,
        ),
    ],
)
def test_the_documented_compound_conditions(pattern, expected):
    assert matches(pattern, USERS) is expected


def test_a_selector_that_points_to_an_array_or_object_matches_neither_way():
    # "both {$.users = 1} and {$.users != 1} will fail to match a log event where users is an array"
    assert not matches("{$.users = 1}", '{"users": [1, 2, 3]}')
    assert not matches("{$.users != 1}", '{"users": [1, 2, 3]}')
    assert not matches('{$.users != "x"}', '{"users": {"id": 1}}')


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("{ $.latency >= 500 }", True),
        ("{ $.latency > +1000 }", False),
        ("{ $.numbers[0] < 10e3 }", True),
        ("{ $.numbers[0] < 10e-3 }", False),
        ("{ $.processes[4].averageRuntime <= 55.5 }", True),
        ("{ $.errorCode = 400 }", True),
        ("{ $.errorCode != 500 }", True),
        ("{ $.errorCode != 400 }", False),
        ("{ $.latency = * }", True),  # the page's "publish the latency" filter
    ],
)
def test_the_documented_numeric_comparisons(pattern, expected):
    event = json.dumps(
        {"latency": 500, "numbers": [7], "errorCode": 400, "processes": [{}, {}, {}, {}, {"averageRuntime": 55.5}]}
    )
    assert matches(pattern, event) is expected


@pytest.mark.parametrize(
    ("value", "text", "expected"),
    [
        ("*Event", "PutEvent", True),
        ("*Event", "GetEvent", True),
        ("Event*", "EventId", True),
        ("Event*", "EventName", True),
        ("Ev*ent", "Event", False),  # "will only match the actual string Ev*ent"
        ("Ev*ent", "Ev*ent", True),
        ("*Event*", "MyEventName", True),
    ],
)
def test_the_documented_string_wildcards(value, text, expected):
    assert matches(f'{{ $.name = "{value}" }}', json.dumps({"name": text})) is expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[ip, user, username, timestamp, request, status_code, bytes]", [1, 2, 3]),
        ("[..., status_code, bytes]", [1, 2, 3]),
        ("[ip, user, ..., status_code, bytes]", [1, 2, 3]),
        ("[ip, user, ...]", [1, 2, 3]),
        ("[ip, user, username, timestamp, request, status_code, bytes > 1000]", [1, 2, 3]),
        ("[ip, user, username, timestamp, request, status_code, bytes > 5000]", [2]),
        ("[ip, user, username, timestamp, request, status_code = 200, bytes]", [1, 3]),
        ("[ip, user, username, timestamp, request, status_code = 5*, bytes]", [2]),
        ("[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", []),
        ("[ip, user, username, timestamp, request, status_code = 2* && status_code != 200, bytes]", []),
        ("[ip, user, username, timestamp, request, status_code != 200, bytes]", [2]),
        ("[ip, user, username, timestamp = *13:35*, ...]", [2]),  # a bracketed field is one field
        ("[ip, user, username, timestamp, request, status_code]", []),  # one field too few
        ("[ip, user, username, timestamp, request, status_code, bytes, more]", []),
    ],
)
def test_the_documented_space_delimited_patterns(pattern, expected):
    assert matching(pattern, ACCESS_LOG) == expected


def test_the_documented_extraction_example_matches_its_event():
    assert matches("[..., request=*.html*, status_code=4*,]", INDEX_404)
    assert not matches("[..., request=*.html*, status_code=5*,]", INDEX_404)
    assert matches('[ip, user, username, timestamp, request = "GET /index.html HTTP/1.0", ...]', INDEX_404)


@pytest.mark.parametrize("pattern", ["", "   ", None])
def test_an_empty_pattern_matches_every_event(pattern):
    assert matches(pattern, "anything at all")


def test_terms_are_case_sensitive():
    assert not matches("error", "[ERROR] failed")
    assert not matches('"Failed"', "failed")
    assert matches('{ $.level = "ERROR" }', '{"level": "ERROR"}')
    assert not matches('{ $.level = "error" }', '{"level": "ERROR"}')


def test_json_patterns_match_only_json_objects():
    assert not matches("{ $.level = * }", "level ERROR")
    assert not matches("{ $.level NOT EXISTS }", "[1, 2]")


def test_a_quoted_phrase_keeps_its_escaped_quotes():
    assert matches(r'"said \"hi\""', 'he said "hi" twice')
    assert not matches(r'"said \"hi\""', "he said hi twice")


def test_a_number_compares_with_a_number_written_as_text_and_not_with_other_text():
    assert matches("{ $.size > 10 }", '{"size": "23"}')
    assert not matches("{ $.size > 10 }", '{"size": "big"}')
    assert matches("{ $.size != 10 }", '{"size": "big"}')
    assert not matches('{ $.flag = "true" }', '{"flag": true}')  # a boolean is tested with IS TRUE


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{ $.level = }", "Invalid filter pattern"),
        ('{ $.level = "ERROR"', "If a filter pattern starts with '{' it must end with '}'"),
        ("{ level = ERROR }", "Invalid filter pattern"),  # a selector starts with $
        ("{ $.size > big }", "Invalid filter pattern"),  # < <= > >= compare numbers
        ("{ $.a = 1 $.b = 2 }", "Invalid filter pattern"),
        ("{ ($.a = 1 }", "Invalid filter pattern"),
        ("{ ($.a = 1 $.b = 2) }", "Invalid filter pattern"),
        ("{ $.a IS MISSING }", "Invalid filter pattern"),
        ("{ $.a NOT THERE }", "Invalid filter pattern"),
        ("{ $.a ~ 1 }", "Invalid filter pattern"),
        ("{ $.a = (1) }", "Invalid filter pattern"),
        ("{ $.a = %ERR% }", "Invalid filter pattern"),  # regular expressions are not evaluated here
        ("[ip, user", "Invalid filter pattern"),
        ('[ip, user = "unclosed]', "Invalid filter pattern"),
        ("[ip, status_code = 4* && bytes > 1000]", "Invalid filter pattern"),  # one field per condition
        ("[ip, status IS NULL]", "Invalid filter pattern"),
        ('[ip, "status" = 200]', "Invalid filter pattern"),  # a field's name is a word
        ("ERROR: failed", "Invalid character(s) in term 'ERROR:'"),
        ("%ERROR%", "Invalid character(s) in term '%ERROR%'"),
        ('""', "Invalid character(s) in term '\"\"'"),
        ("ERROR -", "Invalid character(s) in term '-'"),
    ],
)
def test_a_pattern_aws_would_refuse_is_refused_with_its_words(pattern, message):
    with pytest.raises(InvalidFilterPattern) as refused:
        parse(pattern)
    assert str(refused.value) == message
