/* campaign_record without the network: the sample record of docs/api.md through
 * every getter and campaign_record_fields (also for older, smaller and newer,
 * bigger struct sizes), absent and unknown values, raw access, and errors. */
#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The example record of docs/api.md. */
static const char sample[] =
    "{\n"
    "  \"id\": \"cmp_xyz789\",\n"
    "  \"org_id\": \"org_xyz\",\n"
    "  \"name\": \"Q2 Lead Re-engagement\",\n"
    "  \"agent_id\": \"agt_abc123\",\n"
    "  \"from_phone_number\": \"+912234567890\",\n"
    "  \"status\": \"running\",\n"
    "  \"max_concurrent_calls\": 5,\n"
    "  \"scheduled_at\": null,\n"
    "  \"retry_config\": {\"max_retries\": 3, \"retry_interval_minutes\": 120},\n"
    "  \"total_leads\": 1200,\n"
    "  \"completed_calls\": 450,\n"
    "  \"pending_calls\": 750,\n"
    "  \"created_at\": \"2024-03-01T09:00:00.000Z\"\n"
    "}\n";

static const char sample_canonical[] =
    "{\"id\":\"cmp_xyz789\",\"org_id\":\"org_xyz\",\"name\":\"Q2 Lead Re-engagement\","
    "\"agent_id\":\"agt_abc123\",\"from_phone_number\":\"+912234567890\",\"status\":\"running\","
    "\"max_concurrent_calls\":5,\"scheduled_at\":null,"
    "\"retry_config\":{\"max_retries\":3,\"retry_interval_minutes\":120},\"total_leads\":1200,"
    "\"completed_calls\":450,\"pending_calls\":750,\"created_at\":\"2024-03-01T09:00:00.000Z\"}";

#define CREATED_AT_MS 1709283600000LL /* 2024-03-01T09:00:00.000Z */

static campaign_record *parse_ok(const char *json) {
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  int rc = campaign_record_parse(json, strlen(json), &rec, &err);
  if (rc != CAMPAIGN_OK) fprintf(stderr, "parse: %s\n", campaign_error_message(err));
  CHECK_EQ(rc, CAMPAIGN_OK);
  CHECK(rec != NULL);
  CHECK(err == NULL);
  return rec;
}

/* The code of parsing json with err == NULL; no record may come back. */
static int parse_code(const char *json) {
  campaign_record *rec = NULL;
  int rc = campaign_record_parse(json, strlen(json), &rec, NULL);
  CHECK(rc == CAMPAIGN_OK || rec == NULL);
  campaign_record_free(rec);
  return rc;
}

static void test_sample_getters(void) {
  campaign_record *rec = parse_ok(sample);
  const char *p = NULL;
  size_t len = 0;
  int64_t v = 0;
  int status = -1, f;
  double progress = 0;

  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ID, &p, &len), CAMPAIGN_OK);
  CHECK_MEM(p, len, "cmp_xyz789");
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ORG_ID, &p, &len), CAMPAIGN_OK);
  CHECK_MEM(p, len, "org_xyz");
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_NAME, &p, &len), CAMPAIGN_OK);
  CHECK_MEM(p, len, "Q2 Lead Re-engagement");
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_AGENT_ID, &p, &len), CAMPAIGN_OK);
  CHECK_MEM(p, len, "agt_abc123");
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_FROM_PHONE_NUMBER, &p, &len), CAMPAIGN_OK);
  CHECK_MEM(p, len, "+912234567890");
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_STATUS, &p, &len), CAMPAIGN_OK);
  CHECK_MEM(p, len, "running");

  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_MAX_CONCURRENT_CALLS, &v), CAMPAIGN_OK);
  CHECK_EQ(v, 5);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_TOTAL_LEADS, &v), CAMPAIGN_OK);
  CHECK_EQ(v, 1200);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_COMPLETED_CALLS, &v), CAMPAIGN_OK);
  CHECK_EQ(v, 450);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_PENDING_CALLS, &v), CAMPAIGN_OK);
  CHECK_EQ(v, 750);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_CREATED_AT, &v), CAMPAIGN_OK);
  CHECK_EQ(v, CREATED_AT_MS);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_RETRY_MAX_RETRIES, &v), CAMPAIGN_OK);
  CHECK_EQ(v, 3);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES, &v), CAMPAIGN_OK);
  CHECK_EQ(v, 120);
  v = 77;
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_SCHEDULED_AT, &v), CAMPAIGN_E_ABSENT);
  CHECK_EQ(v, 77); /* untouched */

  /* Wrong getter for the field's type, or no such field. */
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_NAME, &v), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_RETRY_CONFIG, &v), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_TOTAL_LEADS, &p, &len),
           CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_RETRY_CONFIG, &p, &len),
           CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_record_get_str(rec, 15, &p, &len), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_record_get_int(rec, -1, &v), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ID, NULL, &len), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ID, &p, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_get_str(NULL, CAMPAIGN_FIELD_ID, &p, &len), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_TOTAL_LEADS, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_get_int(NULL, CAMPAIGN_FIELD_TOTAL_LEADS, &v), CAMPAIGN_E_NULL_ARGUMENT);

  CHECK_EQ(campaign_record_status(rec, &status), CAMPAIGN_OK);
  CHECK_EQ(status, CAMPAIGN_STATUS_RUNNING);
  CHECK_EQ(campaign_record_status(rec, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_status(NULL, &status), CAMPAIGN_E_NULL_ARGUMENT);

  for (f = CAMPAIGN_FIELD_ID; f <= CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES; ++f)
    CHECK_EQ(campaign_record_has(rec, f), f != CAMPAIGN_FIELD_SCHEDULED_AT);
  CHECK_EQ(campaign_record_has(rec, 99), 0);
  CHECK_EQ(campaign_record_has(rec, -1), 0);
  CHECK_EQ(campaign_record_has(NULL, CAMPAIGN_FIELD_ID), 0);

  CHECK_EQ(campaign_record_progress(rec, &progress), CAMPAIGN_OK);
  CHECK(fabs(progress - 0.375) < 1e-12);
  CHECK_EQ(campaign_record_progress(rec, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_progress(NULL, &progress), CAMPAIGN_E_NULL_ARGUMENT);
  /* 750 pending at 5 at once: 150 waves of 3 minutes. */
  CHECK_EQ(campaign_record_eta_ms(rec, 180000, &v), CAMPAIGN_OK);
  CHECK_EQ(v, 150LL * 180000);
  CHECK_EQ(campaign_record_eta_ms(rec, -1, &v), CAMPAIGN_E_ABSENT);
  CHECK_EQ(campaign_record_eta_ms(rec, 1000, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_eta_ms(NULL, 1000, &v), CAMPAIGN_E_NULL_ARGUMENT);
  campaign_record_free(rec);
}

static void test_fields(void) {
  campaign_record *rec = parse_ok(sample);
  campaign_fields f;
  unsigned all = 0;
  int i;
  for (i = CAMPAIGN_FIELD_ID; i <= CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES; ++i) all |= 1u << i;

  memset(&f, 0xab, sizeof f);
  f.struct_size = sizeof f;
  CHECK_EQ(campaign_record_fields(rec, &f), CAMPAIGN_OK);
  CHECK_EQ(f.struct_size, sizeof f);
  CHECK_EQ(f.present, all & ~(1u << CAMPAIGN_FIELD_SCHEDULED_AT));
  CHECK_EQ(f.status, CAMPAIGN_STATUS_RUNNING);
  CHECK_EQ(f.reserved0, 0);
  CHECK_MEM(f.id.ptr, f.id.len, "cmp_xyz789");
  CHECK_MEM(f.org_id.ptr, f.org_id.len, "org_xyz");
  CHECK_MEM(f.name.ptr, f.name.len, "Q2 Lead Re-engagement");
  CHECK_MEM(f.agent_id.ptr, f.agent_id.len, "agt_abc123");
  CHECK_MEM(f.from_phone_number.ptr, f.from_phone_number.len, "+912234567890");
  CHECK_MEM(f.status_text.ptr, f.status_text.len, "running");
  CHECK_EQ(f.max_concurrent_calls, 5);
  CHECK_EQ(f.scheduled_at_ms, 0);
  CHECK_EQ(f.total_leads, 1200);
  CHECK_EQ(f.completed_calls, 450);
  CHECK_EQ(f.pending_calls, 750);
  CHECK_EQ(f.created_at_ms, CREATED_AT_MS);
  CHECK_EQ(f.retry_max_retries, 3);
  CHECK_EQ(f.retry_interval_minutes, 120);

  {
    /* An older caller whose struct ended after `id`: nothing past it is written. */
    campaign_fields old;
    memset(&old, 0xab, sizeof old);
    old.struct_size = (uint32_t)offsetof(campaign_fields, org_id);
    CHECK_EQ(campaign_record_fields(rec, &old), CAMPAIGN_OK);
    CHECK_EQ(old.struct_size, offsetof(campaign_fields, org_id));
    CHECK_EQ(old.present, f.present);
    CHECK_MEM(old.id.ptr, old.id.len, "cmp_xyz789");
    {
      const unsigned char *tail = (const unsigned char *)&old + offsetof(campaign_fields, org_id);
      size_t k;
      for (k = 0; k < sizeof old - offsetof(campaign_fields, org_id); ++k) CHECK_EQ(tail[k], 0xab);
    }
  }
  {
    /* A size that ends inside a member leaves that member alone. */
    campaign_fields cut;
    memset(&cut, 0xab, sizeof cut);
    cut.struct_size = (uint32_t)(offsetof(campaign_fields, total_leads) + 4);
    CHECK_EQ(campaign_record_fields(rec, &cut), CAMPAIGN_OK);
    CHECK_EQ(cut.scheduled_at_ms, 0);
    CHECK_EQ(cut.max_concurrent_calls, 5);
    {
      const unsigned char *tail = (const unsigned char *)&cut + offsetof(campaign_fields, total_leads);
      size_t k;
      for (k = 0; k < sizeof cut - offsetof(campaign_fields, total_leads); ++k) CHECK_EQ(tail[k], 0xab);
    }
  }
  {
    /* A newer caller's bigger struct: ours is filled, the rest untouched. */
    struct newer {
      campaign_fields f;
      int64_t added[2];
    } n;
    memset(&n, 0xab, sizeof n);
    n.f.struct_size = sizeof n;
    CHECK_EQ(campaign_record_fields(rec, &n.f), CAMPAIGN_OK);
    CHECK_EQ(n.f.retry_interval_minutes, 120);
    CHECK_EQ(n.added[0], (int64_t)0xababababababababULL);
    CHECK_EQ(n.f.struct_size, sizeof n);
  }
  f.struct_size = 7; /* less than struct_size + present */
  CHECK_EQ(campaign_record_fields(rec, &f), CAMPAIGN_E_INVALID_ARGUMENT);
  f.struct_size = 8;
  CHECK_EQ(campaign_record_fields(rec, &f), CAMPAIGN_OK);
  CHECK_EQ(campaign_record_fields(rec, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_fields(NULL, &f), CAMPAIGN_E_NULL_ARGUMENT);
  campaign_record_free(rec);
}

static void test_absent_and_unknown(void) {
  static const char json[] =
      "{\"id\":\"cmp_a\",\"name\":null,\"status\":\"archived\",\"retry_config\":{\"max_retries\":1},"
      "\"extra\":{\"deep\":[1,2,{\"x\":\"y\"}]},\"scheduled_at\":\"2024-03-01T14:30:00+05:30\"}";
  campaign_record *rec = parse_ok(json);
  campaign_fields f;
  const char *p = NULL;
  size_t len = 0;
  int64_t v = 0;
  int status = -1;
  double d = 0;
  char *text = NULL;

  CHECK_EQ(campaign_record_has(rec, CAMPAIGN_FIELD_NAME), 0);
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_NAME, &p, &len), CAMPAIGN_E_ABSENT);
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ORG_ID, &p, &len), CAMPAIGN_E_ABSENT);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_TOTAL_LEADS, &v), CAMPAIGN_E_ABSENT);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES, &v), CAMPAIGN_E_ABSENT);
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_RETRY_MAX_RETRIES, &v), CAMPAIGN_OK);
  CHECK_EQ(v, 1);
  /* The instant is kept: 14:30 at +05:30 is 09:00 UTC. */
  CHECK_EQ(campaign_record_get_int(rec, CAMPAIGN_FIELD_SCHEDULED_AT, &v), CAMPAIGN_OK);
  CHECK_EQ(v, CREATED_AT_MS);
  CHECK_EQ(campaign_record_status(rec, &status), CAMPAIGN_OK);
  CHECK_EQ(status, CAMPAIGN_STATUS_UNKNOWN);
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_STATUS, &p, &len), CAMPAIGN_OK);
  CHECK_MEM(p, len, "archived");
  CHECK_EQ(campaign_record_progress(rec, &d), CAMPAIGN_E_ABSENT);
  CHECK_EQ(campaign_record_eta_ms(rec, 1000, &v), CAMPAIGN_E_ABSENT);

  memset(&f, 0, sizeof f);
  f.struct_size = sizeof f;
  CHECK_EQ(campaign_record_fields(rec, &f), CAMPAIGN_OK);
  CHECK_EQ(f.present, (1u << CAMPAIGN_FIELD_ID) | (1u << CAMPAIGN_FIELD_STATUS) |
                          (1u << CAMPAIGN_FIELD_RETRY_CONFIG) |
                          (1u << CAMPAIGN_FIELD_RETRY_MAX_RETRIES) |
                          (1u << CAMPAIGN_FIELD_SCHEDULED_AT));
  CHECK(f.name.ptr == NULL && f.name.len == 0);
  CHECK_EQ(f.status, CAMPAIGN_STATUS_UNKNOWN);
  CHECK_MEM(f.status_text.ptr, f.status_text.len, "archived");
  CHECK_EQ(f.total_leads, 0);

  /* Unknown fields stay reachable. */
  CHECK_EQ(campaign_record_at_pointer(rec, "/extra/deep/2/x", &text, &len), CAMPAIGN_OK);
  CHECK_STR(text, "\"y\"");
  CHECK_EQ(len, 3);
  campaign_free(text);
  campaign_record_free(rec);

  /* No status at all. */
  rec = parse_ok("{\"id\":\"cmp_b\"}");
  status = -1;
  CHECK_EQ(campaign_record_status(rec, &status), CAMPAIGN_E_ABSENT);
  CHECK_EQ(status, -1);
  campaign_record_free(rec);

  /* Escapes and UTF-8 come out decoded. */
  rec = parse_ok("{\"id\":\"cmp_c\",\"name\":\"caf\\u00e9 \\\"q\\\" \\ud83d\\ude00\"}");
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_NAME, &p, &len), CAMPAIGN_OK);
  CHECK_MEM(p, len, "caf\xc3\xa9 \"q\" \xf0\x9f\x98\x80");
  campaign_record_free(rec);
}

static void test_raw_and_json(void) {
  campaign_record *rec = parse_ok(sample);
  const char *raw;
  char *text = NULL;
  size_t len = 0;

  raw = campaign_record_raw_json(rec, &len);
  CHECK_EQ(len, strlen(sample));
  CHECK(memcmp(raw, sample, len) == 0);
  CHECK(campaign_record_raw_json(rec, NULL) == raw);
  CHECK(campaign_record_raw_json(NULL, &len) != NULL);
  CHECK_EQ(len, 0);

  CHECK_EQ(campaign_record_to_json(rec, &text, &len), CAMPAIGN_OK);
  if (strcmp(text, sample_canonical) != 0) fprintf(stderr, "canonical: %s\n", text);
  CHECK_STR(text, sample_canonical);
  CHECK_EQ(len, strlen(sample_canonical));
  campaign_free(text);
  text = NULL;
  CHECK_EQ(campaign_record_to_json(rec, &text, NULL), CAMPAIGN_OK);
  CHECK_STR(text, sample_canonical);
  campaign_free(text);
  CHECK_EQ(campaign_record_to_json(rec, NULL, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  text = (char *)sample;
  CHECK_EQ(campaign_record_to_json(NULL, &text, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK(text == NULL);

  CHECK_EQ(campaign_record_at_pointer(rec, "/retry_config", &text, &len), CAMPAIGN_OK);
  CHECK_STR(text, "{\"max_retries\": 3, \"retry_interval_minutes\": 120}");
  CHECK_EQ(len, strlen(text));
  campaign_free(text);
  CHECK_EQ(campaign_record_at_pointer(rec, "/retry_config/max_retries", &text, NULL), CAMPAIGN_OK);
  CHECK_STR(text, "3");
  campaign_free(text);
  CHECK_EQ(campaign_record_at_pointer(rec, "/scheduled_at", &text, NULL), CAMPAIGN_OK);
  CHECK_STR(text, "null");
  campaign_free(text);
  CHECK_EQ(campaign_record_at_pointer(rec, "", &text, NULL), CAMPAIGN_OK);
  CHECK(text[0] == '{');
  campaign_free(text);
  CHECK_EQ(campaign_record_at_pointer(rec, "/nope", &text, NULL), CAMPAIGN_E_ABSENT);
  CHECK(text == NULL);
  CHECK_EQ(campaign_record_at_pointer(rec, "nope", &text, NULL), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK(text == NULL);
  CHECK_EQ(campaign_record_at_pointer(rec, NULL, &text, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_at_pointer(rec, "/id", NULL, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_record_at_pointer(NULL, "/id", &text, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  campaign_record_free(rec);
}

static void test_parse_errors(void) {
  static const char wrong_type[] = "{\"id\":\"cmp_a\",\"max_concurrent_calls\":\"5\"}";
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  size_t len = 99;

  CHECK_EQ(campaign_record_parse(wrong_type, strlen(wrong_type), &rec, &err),
           CAMPAIGN_E_INVALID_RESPONSE);
  CHECK(rec == NULL);
  check_error(err, CAMPAIGN_E_INVALID_RESPONSE, NULL);
  CHECK(strstr(campaign_error_message(err), "max_concurrent_calls") != NULL);
  CHECK_EQ(campaign_error_http_status(err), 0);
  CHECK_EQ(campaign_error_attempts(err), 0);
  CHECK_EQ(campaign_error_retry_after_ms(err), -1);
  CHECK_STR(campaign_error_request_id(err), "");
  CHECK(campaign_error_body(err, &len) != NULL);
  CHECK_EQ(len, 0);
  CHECK(campaign_error_body(err, NULL) != NULL);
  campaign_error_free(err);

  /* err may be NULL; the code still says why. */
  CHECK_EQ(parse_code("{\"id\":"), CAMPAIGN_E_INVALID_RESPONSE);
  CHECK_EQ(parse_code("{}"), CAMPAIGN_E_INVALID_RESPONSE);
  CHECK_EQ(parse_code("{\"id\":\"a\",\"total_leads\":1.5}"), CAMPAIGN_E_INVALID_RESPONSE);
  CHECK_EQ(parse_code("{\"id\":\"a\",\"total_leads\":99999999999999999999}"),
           CAMPAIGN_E_INVALID_RESPONSE);
  CHECK_EQ(parse_code("{\"id\":\"a\",\"created_at\":\"yesterday\"}"), CAMPAIGN_E_INVALID_RESPONSE);
  CHECK_EQ(parse_code("{\"id\":\"\xff\"}"), CAMPAIGN_E_INVALID_RESPONSE);
  /* Only `len` bytes count, even with more text behind them. */
  rec = NULL;
  CHECK_EQ(campaign_record_parse("{\"id\":\"cmp_z\"}garbage", 14, &rec, NULL), CAMPAIGN_OK);
  campaign_record_free(rec);
  rec = NULL;
  CHECK_EQ(campaign_record_parse(NULL, 3, &rec, &err), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK(err == NULL);
  CHECK_EQ(campaign_record_parse(NULL, 0, &rec, NULL), CAMPAIGN_E_INVALID_RESPONSE);
  CHECK_EQ(campaign_record_parse(sample, strlen(sample), NULL, NULL), CAMPAIGN_E_NULL_ARGUMENT);

  /* The getters of a NULL error give safe values. */
  CHECK_EQ(campaign_error_kind(NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_error_http_status(NULL), 0);
  CHECK_STR(campaign_error_message(NULL), "");
  CHECK_STR(campaign_error_request_id(NULL), "");
  CHECK_EQ(campaign_error_attempts(NULL), 0);
  CHECK_EQ(campaign_error_retry_after_ms(NULL), -1);
  len = 5;
  CHECK_STR(campaign_error_body(NULL, &len), "");
  CHECK_EQ(len, 0);
}

/* The live API's organization_id fills ORG_ID (docs/api.md, "Dialect"). */
static void test_live_dialect(void) {
  const char *ptr = NULL;
  size_t len = 0;
  campaign_record *rec = parse_ok("{\"id\":\"cmp_l\",\"organization_id\":\"org_live\"}");
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ORG_ID, &ptr, &len), CAMPAIGN_OK);
  CHECK(len == 8 && memcmp(ptr, "org_live", 8) == 0);
  CHECK_EQ(campaign_record_has(rec, CAMPAIGN_FIELD_ORG_ID), 1);
  campaign_record_free(rec);
  rec = parse_ok("{\"id\":\"cmp_l\",\"org_id\":\"o\",\"organization_id\":\"o\"}");
  campaign_record_free(rec);
  CHECK_EQ(parse_code("{\"id\":\"cmp_l\",\"org_id\":\"o\",\"organization_id\":\"p\"}"),
           CAMPAIGN_E_INVALID_RESPONSE);
}

int main(void) {
  RUN(test_sample_getters);
  RUN(test_fields);
  RUN(test_absent_and_unknown);
  RUN(test_raw_and_json);
  RUN(test_parse_errors);
  RUN(test_live_dialect);
  return 0;
}
