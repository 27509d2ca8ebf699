#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ and the hand-made
regression inputs under tests/regression/inputs/<target>/ (both committed;
rerun after editing the lists below). Seeds are small, one idea each.

Inputs that trip a bug are kept out of the corpora (a seed that fails stops
the fuzzer at once) and live in tests/regression/inputs/ (REGRESSION below);
minimized crashes found by the fuzzers are copied there by hand."""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
REGRESSION_OUT = os.path.join(HERE, "..", "tests", "regression", "inputs")

SAMPLE = """{
  "id": "cmp_xyz789",
  "org_id": "org_xyz",
  "name": "Q2 Lead Re-engagement",
  "agent_id": "agt_abc123",
  "from_phone_number": "+912234567890",
  "status": "running",
  "max_concurrent_calls": 5,
  "scheduled_at": null,
  "retry_config": {"max_retries": 3, "retry_interval_minutes": 120},
  "total_leads": 1200,
  "completed_calls": 450,
  "pending_calls": 750,
  "created_at": "2024-03-01T09:00:00.000Z"
}
"""
FIELDS = json.loads(SAMPLE)


def record(**changes):
    """The sample record, compact, with fields replaced by raw JSON text
    (None removes the field)."""
    parts = []
    for k, v in FIELDS.items():
        if k in changes:
            raw = changes.pop(k)
            if raw is None:
                continue
        else:
            raw = json.dumps(v, separators=(",", ":"))
        parts.append(json.dumps(k) + ":" + raw)
    for k, raw in changes.items():  # extra fields at the end
        parts.append(json.dumps(k) + ":" + raw)
    return "{" + ",".join(parts) + "}"


def nest(levels, inner="0"):
    s = inner
    for i in range(levels):
        s = ("[" + s + "]") if i % 2 == 0 else ('{"k":' + s + "}")
    return s


DECODE = {
    "sample.json": SAMPLE,
    "sample_compact.json": record(),
    "minimal.json": '{"id":"cmp_1"}',
    "all_null.json": '{"id":"x","org_id":null,"name":null,"agent_id":null,"from_phone_number":null,'
                     '"status":null,"max_concurrent_calls":null,"scheduled_at":null,"retry_config":null,'
                     '"total_leads":null,"completed_calls":null,"pending_calls":null,"created_at":null}',
    "reversed_order.json": json.dumps(dict(reversed(list(FIELDS.items())))),
    "escapes.json": record(name=r'"say \"hi\" \\ \/ \b\f\n\r\t end"'),
    "unicode_escape.json": record(name=r'"Caf\u00e9 \u0000 \u001f \u007f"'),
    "surrogate_pair.json": record(name=r'"call \ud83d\udcde"'),
    "raw_utf8.json": record(name='"Ωmega ✓ Ünï 📞"'),
    "key_escaped.json": '{"i\\u0064":"cmp_1","st\\u0061tus":"active"}',
    "offset_plus.json": record(scheduled_at='"2024-03-01T14:30:00+05:30"'),
    "offset_minus_fraction.json": record(scheduled_at='"2024-02-29T08:00:00.123456-08:00"'),
    "lowercase_tz.json": record(created_at='"2024-03-01t09:00:00z"'),
    "leap_second.json": record(created_at='"2016-12-31T23:59:60Z"'),
    "year_edges.json": record(scheduled_at='"0000-01-01T00:00:00Z"', created_at='"9999-12-31T23:59:59.999Z"'),
    "bad_timestamp_space.json": record(created_at='"2024-03-01 09:00:00Z"'),
    "bad_timestamp_no_offset.json": record(created_at='"2024-03-01T09:00:00"'),
    "bad_timestamp_feb30.json": record(created_at='"2024-02-30T09:00:00Z"'),
    "bad_timestamp_number.json": record(created_at="1709283600"),
    "status_unknown.json": record(status='"archived"'),
    "status_each.json": record(status='"cancelled"'),
    "int_as_string.json": record(max_concurrent_calls='"5"'),
    "int_fraction.json": record(max_concurrent_calls="5.0"),
    "int_exponent.json": record(total_leads="1e3"),
    "int_negative_zero.json": record(pending_calls="-0"),
    "int64_max.json": record(total_leads="9223372036854775807", completed_calls="-9223372036854775808"),
    "int64_overflow.json": record(total_leads="9223372036854775808"),
    "int64_underflow.json": record(completed_calls="-9223372036854775809"),
    "uint64_big.json": record(total_leads="18446744073709551616"),
    "string_as_int.json": record(name="42"),
    "bool_field.json": record(org_id="true"),
    "retry_empty.json": record(retry_config="{}"),
    "retry_nulls_extra.json": record(retry_config='{"max_retries":null,"x":[1,{"y":2}],"retry_interval_minutes":0}'),
    "retry_wrong_type.json": record(retry_config="[3,120]"),
    "retry_duplicate.json": record(retry_config='{"max_retries":1,"max_retries":2}'),
    "live_organization_id.json": record(org_id=None) [:-1] + ',"organization_id":"org_live"}',
    "live_both_org_names_equal.json": record()[:-1] + ',"organization_id":"org_xyz"}',
    "live_both_org_names_differ.json": '{"organization_id":"a","id":"x","org_id":"b"}',
    "live_org_null_and_value.json": '{"id":"x","org_id":null,"organization_id":"b"}',
    "duplicate_id.json": '{"id":"a","id":"b"}',
    "duplicate_unknown.json": '{"id":"a","x":1,"x":2}',
    "missing_id.json": record(id=None),
    "id_null.json": record(id="null"),
    "id_number.json": record(id="42"),
    "unknown_fields_nested.json": record(x_unknown='{"nested":[1,2.5e3,"s",{"deep":[true,false,null]}]}'),
    "deep_62.json": record(x=nest(62)),
    "top_array.json": "[1,2,3]",
    "top_string.json": '"cmp_1"',
    "top_null.json": "null",
    "empty.json": "",
    "whitespace.json": " \n\t\r ",
    "bom.json": "\ufeff" + '{"id":"x"}',
    "trailing_content.json": '{"id":"x"} {}',
    "trailing_comma.json": '{"id":"x",}',
    "unclosed.json": '{"id":"x"',
    "missing_colon.json": '{"id" "x"}',
    "single_quotes.json": "{'id':'x'}",
    "comment.json": '{"id":"x" /* c */}',
    "control_char_raw.json": '{"id":"a\tb"}',
    "bad_escape.json": r'{"id":"a\qb"}',
    "lone_high_surrogate.json": r'{"id":"x","name":"\ud83d alone"}',
    "lone_low_surrogate.json": r'{"id":"x","name":"\udcde"}',
    "nan.json": record(a="NaN"),
    "leading_zero.json": record(total_leads="012"),
    "plus_sign.json": record(total_leads="+1"),
}
DECODE_BYTES = {
    "invalid_utf8.json": b'{"id":"x","name":"\xff\xfe"}',
    "overlong_utf8.json": b'{"id":"x","name":"\xc0\xaf"}',
    "utf8_surrogate.json": b'{"id":"x","name":"\xed\xa0\x80"}',
    "nul_byte.json": b'{"id":"x"}\x00',
}

ERROR = {
    "error_object.json": '{"error":{"type":"not_found","message":"campaign not found"}}',
    "error_string.json": '{"error":"campaign not found"}',
    "message.json": '{"message":"Forbidden"}',
    "detail.json": '{"detail":"Invalid API key"}',
    "priority_all.json": '{"detail":"d","message":"m","error":{"message":"e"}}',
    "priority_message_detail.json": '{"detail":"d","message":"m"}',
    "error_object_no_message.json": '{"error":{"type":"x"},"message":"fallback"}',
    "error_null.json": '{"error":null,"detail":"d"}',
    "message_number.json": '{"message":42,"detail":"d"}',
    "message_escapes.json": r'{"message":"caf\u00e9 \ud83d\udcde \"q\" \n"}',
    "nested_unknown.json": '{"meta":{"a":[1,2,{"b":null}]},"error":{"code":7,"message":"m","details":[{"x":1}]}}',
    "empty_object.json": "{}",
    "array.json": '[{"message":"m"}]',
    "html.html": "<html><body><h1>502 Bad Gateway</h1></body></html>",
    "plain.txt": "Service Unavailable",
    "empty.txt": "",
    "truncated.json": '{"error":{"message":"cut',
    "trailing.json": '{"message":"m"} x',
    "deep.json": '{"x":' + nest(40) + ',"message":"m"}',
    "live_envelope.json": '{"statusCode":404,"message":"Campaign not found","error":"Not Found"}',
    "live_envelope_array.json": '{"statusCode":400,"message":["limit too big",7,["x"],"page bad"],"error":"Bad Request"}',
    "live_envelope_no_message.json": '{"error":"Forbidden","statusCode":403}',
    "live_status_not_integer.json": '{"statusCode":4e2,"message":"m","error":"e"}',
    "live_message_array_deep.json": '{"message":[' + nest(40) + ',"m"]}',
    "live_message_array_depth_64.json": '{"message":[' + nest(62) + ',"m"]}',
    "live_message_array_depth_65.json": '{"message":[' + nest(63) + ',"m"]}',
    "invalid_utf8_elsewhere.json": None,
}
ERROR_BYTES = {
    "invalid_utf8_elsewhere.json": b'{"x":"\xff","message":"m"}',
}

SAMPLE_BODY = record()


def http(status_line, headers, body=b"", lf=b"\r\n"):
    if isinstance(body, str):
        body = body.encode()
    h = status_line.encode() + lf
    for k, v in headers:
        h += k.encode() + b": " + v.encode() + lf
    return h + lf + body


def cl(body):
    return [("Content-Type", "application/json"), ("Content-Length", str(len(body.encode() if isinstance(body, str) else body)))]


E404 = '{"error":{"type":"not_found","message":"campaign not found"}}'
HTTP = {
    "200_content_length.http": http("HTTP/1.1 200 OK", cl(SAMPLE_BODY) + [("X-Request-Id", "req_1")], SAMPLE_BODY),
    "200_chunked.http": http("HTTP/1.1 200 OK", [("Transfer-Encoding", "chunked")],
                             "10\r\n" + SAMPLE_BODY[:16] + "\r\n" + format(len(SAMPLE_BODY) - 16, "x") + "\r\n"
                             + SAMPLE_BODY[16:] + "\r\n0\r\n\r\n"),
    "200_chunked_ext_trailer.http": http("HTTP/1.1 200 OK", [("Transfer-Encoding", "chunked")],
                                         '5;ext=1\r\n{"id"\r\nA\r\n:"cmp_1"} \r\n0\r\nX-Trailer: t\r\n\r\n'),
    "200_close_delimited.http": http("HTTP/1.1 200 OK", [("Connection", "close")], SAMPLE_BODY),
    "200_http10.http": http("HTTP/1.0 200 OK", [], '{"id":"cmp_1"}'),
    "200_http10_keepalive.http": http("HTTP/1.0 200 OK", [("Connection", "keep-alive"), ("Content-Length", "14")], '{"id":"cmp_1"}'),
    "100_then_200.http": http("HTTP/1.1 100 Continue", []) + http("HTTP/1.1 200 OK", cl('{"id":"a"}'), '{"id":"a"}'),
    "103_then_200.http": http("HTTP/1.1 103 Early Hints", [("Link", "</x>; rel=preload")]) + http("HTTP/1.1 200 OK", cl('{"id":"a"}'), '{"id":"a"}'),
    "101_switching.http": http("HTTP/1.1 101 Switching Protocols", [("Upgrade", "websocket"), ("Connection", "Upgrade")]),
    "404_error.http": http("HTTP/1.1 404 Not Found", cl(E404) + [("X-Request-Id", "req_404")], E404),
    "403_message.http": http("HTTP/1.1 403 Forbidden", cl('{"message":"no"}'), '{"message":"no"}'),
    "401_detail_chunked.http": http("HTTP/1.1 401 Unauthorized", [("Transfer-Encoding", "chunked")], 'e\r\n{"detail":"no"}\r\n0\r\n\r\n'),
    "429_retry_after_seconds.http": http("HTTP/1.1 429 Too Many Requests", [("Retry-After", "2"), ("Content-Length", "0")]),
    "429_retry_after_date.http": http("HTTP/1.1 429 Too Many Requests", [("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"), ("Content-Length", "0")]),
    "429_retry_after_ms.http": http("HTTP/1.1 429 Too Many Requests", [("retry-after-ms", "1500"), ("Retry-After", "1"), ("x-should-retry", "false"), ("Content-Length", "0")]),
    "503_html.http": http("HTTP/1.1 503 Service Unavailable", [("Content-Type", "text/html"), ("Content-Length", "21")], "<h1>unavailable</h1>\n"),
    "302_location.http": http("HTTP/1.1 302 Found", [("Location", "https://elsewhere.example/x"), ("Content-Length", "0")]),
    "204_no_body.http": http("HTTP/1.1 204 No Content", []),
    "304_with_length.http": http("HTTP/1.1 304 Not Modified", [("Content-Length", "10")]),
    "bad_chunk_size.http": http("HTTP/1.1 200 OK", [("Transfer-Encoding", "chunked")], "zz\r\n{}\r\n0\r\n\r\n"),
    "chunk_size_overflow.http": http("HTTP/1.1 200 OK", [("Transfer-Encoding", "chunked")], "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n"),
    "chunk_missing_crlf.http": http("HTTP/1.1 200 OK", [("Transfer-Encoding", "chunked")], "2\r\n{}0\r\n\r\n"),
    "huge_content_length.http": http("HTTP/1.1 200 OK", [("Content-Length", "99999999999999999999")], "{}"),
    "over_body_limit.http": http("HTTP/1.1 200 OK", [("Content-Length", "8388609")], "{}"),
    "at_body_limit_truncated.http": http("HTTP/1.1 200 OK", [("Content-Length", "8388608")], '{"id":"x"}'),
    "two_content_lengths.http": http("HTTP/1.1 200 OK", [("Content-Length", "2"), ("Content-Length", "3")], "{}"),
    "cl_and_chunked.http": http("HTTP/1.1 200 OK", [("Content-Length", "2"), ("Transfer-Encoding", "chunked")], "2\r\n{}\r\n0\r\n\r\n"),
    "truncated_body.http": http("HTTP/1.1 200 OK", [("Content-Length", "100")], '{"id":"x"}'),
    "lf_only.http": http("HTTP/1.1 200 OK", cl('{"id":"x"}'), '{"id":"x"}', lf=b"\n"),
    "obs_fold.http": b"HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nContent-Length: 10\r\n\r\n{\"id\":\"x\"}",
    "header_no_colon.http": b"HTTP/1.1 200 OK\r\nBroken header\r\nContent-Length: 2\r\n\r\n{}",
    "http2_status.http": http("HTTP/2.0 200 OK", cl("{}"), "{}"),
    "status_999.http": http("HTTP/1.1 999 Odd", [("Content-Length", "0")]),
    "status_garbage.http": b"HTTP/1.1 2x0 OK\r\n\r\n",
    "not_http.http": b"SSH-2.0-OpenSSH_9.2\r\n",
    "pipelined_extra.http": http("HTTP/1.1 200 OK", cl('{"id":"x"}'), '{"id":"x"}') + b"HTTP/1.1 200 OK\r\n\r\n",
    "empty.http": b"",
}

# Issue 14, a hostile server (docs/faults.md rows 40-43). These carry the
# harness's read-size byte first (harness_http.cpp: sizes[byte % 8]; 0x00 is
# no limit, 0x01 one byte per read), so the response starts at "HTTP".
CHUNKED = [("Transfer-Encoding", "chunked")]
HOSTILE_HTTP = {
    "row40_endless_chunk_extension.http": b"\x00" + http("HTTP/1.1 200 OK", CHUNKED) + b"1;x=" + b"a" * 8192,
    "row41_endless_chunk_trailers.http": b"\x00" + http("HTTP/1.1 200 OK", CHUNKED) + b"2\r\n{}\r\n0\r\n"
                                        + b"X-Trailer: aaaaaaaaaaaaaaaa\r\n" * 300,
    "row42_unsolicited_response_after_one.http": b"\x00" + http("HTTP/1.1 200 OK", cl('{"id":"x"}'), '{"id":"x"}')
                                                + http("HTTP/1.1 404 Not Found", [("Content-Length", "0")]),
    # beast#2861: "0\r\n" then "\r" alone reaches parse_chunk_header with n == 4.
    "row43_empty_chunked_final_chunk_bytewise.http": b"\x01" + http("HTTP/1.1 404 Not Found", CHUNKED) + b"0\r\n\r\n",
    "row43_empty_chunked_200_bytewise.http": b"\x01" + http("HTTP/1.1 200 OK", CHUNKED) + b"0\r\n\r\n",
    "row43_chunked_then_final_bytewise.http": b"\x01" + http("HTTP/1.1 200 OK", CHUNKED) + b"9\r\n{\"id\":\"x\"}\r\n0\r\n\r\n",
}

VALIDATION = {
    "id_sample": "cmp_xyz789",
    "id_128": "a" * 128,
    "id_129": "b" * 129,
    "id_dotdot": "../admin",
    "id_percent": "cmp%2F1",
    "id_space": "cmp 1",
    "id_crlf": "cmp\r\nX-Evil: 1",
    "id_unicode": "cmp_é",
    "url_https_prefix": "https://api.example.com/v1",
    "url_trailing_slash": "https://api.example.com/v1///",
    "url_http_port": "http://127.0.0.1:8080",
    "url_ipv6": "http://[::1]:80/v1/",
    "url_ipv6_zone": "http://[fe80::1%25eth0]:8080/",
    "url_ipvfuture": "http://[v1.x]/",
    "url_userinfo": "https://user:pw@api.example.com/",
    "url_query": "http://host/v1?x=1",
    "url_fragment": "http://host/v1#f",
    "url_encoded_lf": "http://ho%0Ast/",
    "url_encoded_utf8": "http://h%C3%A9st/",
    "url_port0": "http://host:0/",
    "url_port_big": "http://host:99999/",
    "url_port_empty": "http://host:/",
    "url_ftp": "ftp://host/",
    "url_no_host": "http:///path",
    "url_relative": "/v1/campaigns",
    "url_uppercase_scheme": "HTTPS://API.EXAMPLE.COM/V1",
    "date_imf": "Sun, 06 Nov 1994 08:49:37 GMT",
    "date_padded": "  Sun, 06 Nov 1994 08:49:37 GMT\t",
    "date_leap_second": "Sat, 31 Dec 2016 23:59:60 GMT",
    "date_bad_month": "Sun, 06 Nvo 1994 08:49:37 GMT",
    "date_feb30": "Sun, 30 Feb 1994 08:49:37 GMT",
    "date_rfc850": "Sunday, 06-Nov-94 08:49:37 GMT",
    "date_asctime": "Sun Nov  6 08:49:37 1994",
    "retry_seconds": "120",
    "retry_fraction": "0.25",
    "retry_ms_and_seconds": "1500\n2",
    "retry_negative": "-1",
    "retry_exponent": "1e3",
    "retry_huge": "9" * 400,
    "retry_garbage": "soon",
    "should_retry": "TRUE",
}


# Findings (docs/fuzzing.md "Findings"): one file each, by target.
REGRESSION = {
    "fuzz_differential": {
        # F1: nesting cap off by one (64 levels documented, 63 accepted).
        "F1_depth_64_levels.json": record(x=nest(63)),
        "F1_depth_65_levels.json": record(x=nest(64)),
        # F2: valid numbers of any magnitude in skipped values.
        "F2_unknown_big_integer.json": record(a="123456789012345678901234567890"),
        "F2_unknown_uint64_plus_one.json": '{"id":"x","a":[18446744073709551616]}',
        "F2_unknown_huge_exponent.json": '{"id":"x","a":{"b":1e400}}',
        "F2_retry_config_unknown_big_integer.json": '{"id":"x","retry_config":{"v":-123456789012345678901}}',
        # R1 (reference bug, fixed): Boost.JSON's exponent overflow on a valid number; also F2.
        "R1_reference_exponent_overflow.json":
            '{"id":"x","a":1e00000000080000000000000000000000000000009223372036854775808}',
        # JSONTestSuite n_structure_100000_opening_arrays: invalid_response, no stack overflow.
        "n_structure_100000_opening_arrays.json": "[" * 100000,
    },
    "fuzz_error_body": {
        # F2 again: the message is lost when the body holds a big number.
        "F2_error_body_big_number.json": '{"error":{"code":123456789012345678901234567890,"message":"m"}}',
    },
    "fuzz_http_response": {
        # F6: status codes outside 100-599 (no crash; the client says http_error).
        # (The leading "\x00" is the harness's read-size selector: whole reads.)
        "F6_status_020.http": "\x00HTTP/1.1 020 OK\r\nContent-Length: 0\r\n\r\n",
        "F6_status_000.http": "\x00HTTP/1.1 000 OK\r\nContent-Length: 2\r\n\r\n{}",
    },
    "fuzz_decode": {
        # F3: instants outside years 0000-9999 after the offset (canonical output unparseable).
        "F3_timestamp_before_year_0.json": '{"id":"x","created_at":"0000-01-01T00:00:00+00:01"}',
        "F3_timestamp_after_year_9999.json": '{"id":"x","scheduled_at":"9999-12-31T23:59:59-00:01"}',
        "F3_timestamp_leap_second_9999.json": '{"id":"x","created_at":"9999-12-31T23:59:60Z"}',
    },
    "fuzz_validation": {
        # F4: control characters in a percent-decoded host reach the Host header and the resolver.
        "F4_url_encoded_nul": "http://ho%00st/",
        "F4_url_encoded_tab": "http://ho%09st/",
        "F4_url_encoded_del": "http://a%7Fb/v1",
        # F5: HTTP dates: negative fields accepted; years outside 1678-2261 overflow nanoseconds (UB).
        "F5_http_date_negative_hour": "Sun, 06 Nov 1994 -1:49:37 GMT",
        "F5_http_date_negative_year": "Sun, 06 Nov -999 08:49:37 GMT",
        "F5_http_date_year_9999": "Fri, 31 Dec 9999 23:59:59 GMT",
        "F5_http_date_year_1600": "Sat, 01 Jan 1600 00:00:00 GMT",
        # F7: Boost.URL 1.81 takes a path without its '/' after "]" or a port.
        "F7_url_path_after_ipv6": "http://[::1]x/v1",
        "F7_url_path_after_port": "http://api.example.com:8080x/v1",
        "F7_url_ipvfuture_dot": "http://[v1.x].",
    },
}


def write(target, name, data, out=OUT):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    for t in ("decode", "differential", "error_body", "http_response", "validation"):
        shutil.rmtree(os.path.join(OUT, "fuzz_" + t), ignore_errors=True)
    for target in ("fuzz_decode", "fuzz_differential"):
        for n, d in {**DECODE, **DECODE_BYTES}.items():
            write(target, n, d)
    for n, d in ERROR.items():
        write("fuzz_error_body", n, ERROR_BYTES.get(n, d))
    # check_http_response() takes the first byte as the read-size selector:
    # HTTP's seeds get "\x00" (whole reads) so their own first byte, the "H"
    # of the status line, stays part of the message. HOSTILE_HTTP picks its own.
    for n, d in HTTP.items():
        write("fuzz_http_response", n, b"\x00" + (d.encode() if isinstance(d, str) else d))
    for n, d in HOSTILE_HTTP.items():
        write("fuzz_http_response", n, d)
    for n, d in VALIDATION.items():
        write("fuzz_validation", n, d)
    for target, files in REGRESSION.items():
        for n, d in files.items():
            write(target, n, d, REGRESSION_OUT)


if __name__ == "__main__":
    main()
