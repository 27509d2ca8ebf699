/* campaign.h without the network: ABI constants and layouts, versions,
 * codes, options, client creation errors, and NULL handling. */
#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* C99 has no _Static_assert: a negative array size fails the build. */
#define STATIC_CHECK(name, cond) typedef char static_check_##name[(cond) ? 1 : -1]

/* The layout of the public structs is ABI: members only ever appended. */
STATIC_CHECK(fields_struct_size, offsetof(campaign_fields, struct_size) == 0);
STATIC_CHECK(fields_present, offsetof(campaign_fields, present) == 4);
STATIC_CHECK(fields_status, offsetof(campaign_fields, status) == 8);
STATIC_CHECK(fields_reserved0, offsetof(campaign_fields, reserved0) == 12);
STATIC_CHECK(fields_id, offsetof(campaign_fields, id) == 16);
STATIC_CHECK(strview_size, sizeof(campaign_strview) == 2 * sizeof(void *));
STATIC_CHECK(fields_status_text,
             offsetof(campaign_fields, status_text) == 16 + 5 * sizeof(campaign_strview));
STATIC_CHECK(fields_max_concurrent,
             offsetof(campaign_fields, max_concurrent_calls) == 16 + 6 * sizeof(campaign_strview));
STATIC_CHECK(fields_size, sizeof(campaign_fields) == 16 + 6 * sizeof(campaign_strview) + 8 * 8);
STATIC_CHECK(stats_requests, offsetof(campaign_stats, requests) == 8);
STATIC_CHECK(stats_stale_resends, offsetof(campaign_stats, stale_resends) == 8 + 6 * 8);
STATIC_CHECK(stats_responses_429, offsetof(campaign_stats, responses_429) == 8 + 7 * 8);
STATIC_CHECK(stats_rate_limit_reset_ms,
             offsetof(campaign_stats, rate_limit_reset_ms) == 8 + 10 * 8 + 8 + 2 * 8);
STATIC_CHECK(stats_coalesced, offsetof(campaign_stats, coalesced) == 8 + 10 * 8 + 8 + 3 * 8);
STATIC_CHECK(stats_size, sizeof(campaign_stats) == 8 + 10 * 8 + 8 + 3 * 8 + 8);
STATIC_CHECK(rate_limit_limit, offsetof(campaign_rate_limit, limit) == 8);
STATIC_CHECK(rate_limit_size, sizeof(campaign_rate_limit) == 8 + 3 * 8);
STATIC_CHECK(version_number, CAMPAIGN_VERSION_NUMBER == CAMPAIGN_VERSION_MAJOR * 10000 +
                                                           CAMPAIGN_VERSION_MINOR * 100 +
                                                           CAMPAIGN_VERSION_PATCH);

/* Enum values never move (abidiff cannot see them: functions take int). */
STATIC_CHECK(code_values,
    CAMPAIGN_OK == 0 && CAMPAIGN_E_INVALID_ARGUMENT == 1 && CAMPAIGN_E_NOT_FOUND == 2 &&
    CAMPAIGN_E_UNAUTHORIZED == 3 && CAMPAIGN_E_FORBIDDEN == 4 && CAMPAIGN_E_RATE_LIMITED == 5 &&
    CAMPAIGN_E_SERVER_ERROR == 6 && CAMPAIGN_E_HTTP_ERROR == 7 && CAMPAIGN_E_TIMEOUT == 8 &&
    CAMPAIGN_E_NETWORK == 9 && CAMPAIGN_E_TLS == 10 && CAMPAIGN_E_TOO_LARGE == 11 &&
    CAMPAIGN_E_INVALID_RESPONSE == 12 && CAMPAIGN_E_CANCELLED == 13 &&
    CAMPAIGN_E_INTERNAL == 14 && CAMPAIGN_E_UNKNOWN_OPTION == 100 && CAMPAIGN_E_AGAIN == 101 &&
    CAMPAIGN_E_ABSENT == 102 && CAMPAIGN_E_NULL_ARGUMENT == 103);
STATIC_CHECK(field_values,
    CAMPAIGN_FIELD_ID == 0 && CAMPAIGN_FIELD_ORG_ID == 1 && CAMPAIGN_FIELD_NAME == 2 &&
    CAMPAIGN_FIELD_AGENT_ID == 3 && CAMPAIGN_FIELD_FROM_PHONE_NUMBER == 4 &&
    CAMPAIGN_FIELD_STATUS == 5 && CAMPAIGN_FIELD_MAX_CONCURRENT_CALLS == 6 &&
    CAMPAIGN_FIELD_SCHEDULED_AT == 7 && CAMPAIGN_FIELD_RETRY_CONFIG == 8 &&
    CAMPAIGN_FIELD_TOTAL_LEADS == 9 && CAMPAIGN_FIELD_COMPLETED_CALLS == 10 &&
    CAMPAIGN_FIELD_PENDING_CALLS == 11 && CAMPAIGN_FIELD_CREATED_AT == 12 &&
    CAMPAIGN_FIELD_RETRY_MAX_RETRIES == 13 && CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES == 14);
STATIC_CHECK(status_values,
    CAMPAIGN_STATUS_UNKNOWN == 0 && CAMPAIGN_STATUS_DRAFT == 1 && CAMPAIGN_STATUS_ACTIVE == 2 &&
    CAMPAIGN_STATUS_RUNNING == 3 && CAMPAIGN_STATUS_PAUSED == 4 &&
    CAMPAIGN_STATUS_COMPLETED == 5 && CAMPAIGN_STATUS_CANCELLED == 6);
STATIC_CHECK(opt_values,
    CAMPAIGN_OPT_BASE_URL == 1 && CAMPAIGN_OPT_API_KEY == 2 && CAMPAIGN_OPT_TIMEOUT_MS == 3 &&
    CAMPAIGN_OPT_CONNECT_TIMEOUT_MS == 4 && CAMPAIGN_OPT_TOTAL_TIMEOUT_MS == 5 &&
    CAMPAIGN_OPT_MAX_RETRIES == 6 && CAMPAIGN_OPT_BACKOFF_INITIAL_MS == 7 &&
    CAMPAIGN_OPT_BACKOFF_MAX_MS == 8 && CAMPAIGN_OPT_MAX_RETRY_AFTER_MS == 9 &&
    CAMPAIGN_OPT_RETRY_BUDGET_RATIO == 10 && CAMPAIGN_OPT_RETRY_BUDGET_BURST == 11 &&
    CAMPAIGN_OPT_MAX_BODY_BYTES == 12 && CAMPAIGN_OPT_MAX_HEADER_BYTES == 13 &&
    CAMPAIGN_OPT_MAX_CONNECTIONS == 14 && CAMPAIGN_OPT_IDLE_TIMEOUT_MS == 15 &&
    CAMPAIGN_OPT_IO_THREADS == 16 && CAMPAIGN_OPT_USER_AGENT_SUFFIX == 17 &&
    CAMPAIGN_OPT_CA_FILE == 18 && CAMPAIGN_OPT_CA_DIR == 19 &&
    CAMPAIGN_OPT_INSECURE_SKIP_TLS_VERIFY == 20 && CAMPAIGN_OPT_RATE_LIMIT_GATE == 21 &&
    CAMPAIGN_OPT_COALESCE == 22);
STATIC_CHECK(log_values,
    CAMPAIGN_LOG_DEBUG == 0 && CAMPAIGN_LOG_INFO == 1 && CAMPAIGN_LOG_WARNING == 2 &&
    CAMPAIGN_LOG_ERROR == 3);
STATIC_CHECK(feature_bits, CAMPAIGN_FEATURE_TLS == 1u && CAMPAIGN_FEATURE_THREADS == 2u);

static void test_versions(void) {
  char text[32];
  CHECK_EQ(campaign_version_number(), CAMPAIGN_VERSION_NUMBER);
  CHECK_STR(campaign_version(), CAMPAIGN_VERSION_STRING);
  snprintf(text, sizeof text, "%d.%d.%d", CAMPAIGN_VERSION_MAJOR, CAMPAIGN_VERSION_MINOR,
           CAMPAIGN_VERSION_PATCH);
  CHECK_STR(campaign_version(), text);
  CHECK_EQ(campaign_abi_version(), CAMPAIGN_ABI_VERSION);
  CHECK_EQ(campaign_abi_version(), 1);
  CHECK(campaign_features() & CAMPAIGN_FEATURE_TLS);
  CHECK(campaign_features() & CAMPAIGN_FEATURE_THREADS);
}

static void test_codes(void) {
  static const char *const names[] = {"ok",           "invalid_argument", "not_found",
                                      "unauthorized", "forbidden",        "rate_limited",
                                      "server_error", "http_error",       "timeout",
                                      "network",      "tls",              "too_large",
                                      "invalid_response", "cancelled",    "internal"};
  int i;
  for (i = 0; i <= CAMPAIGN_E_INTERNAL; ++i) {
    CHECK_STR(campaign_error_kind_name(i), names[i]);
    CHECK(campaign_strerror(i)[0] != '\0');
  }
  CHECK_STR(campaign_error_kind_name(-1), "unknown");
  CHECK_STR(campaign_error_kind_name(15), "unknown");
  CHECK_STR(campaign_error_kind_name(CAMPAIGN_E_AGAIN), "unknown");
  CHECK_STR(campaign_strerror(CAMPAIGN_E_NOT_FOUND), "not found");
  for (i = CAMPAIGN_E_UNKNOWN_OPTION; i <= CAMPAIGN_E_NULL_ARGUMENT; ++i)
    CHECK(strcmp(campaign_strerror(i), "unknown code") != 0);
  CHECK_STR(campaign_strerror(-7), "unknown code");
  CHECK_STR(campaign_strerror(99), "unknown code");
}

static void test_option_setters(void) {
  static const int str_keys[] = {CAMPAIGN_OPT_BASE_URL, CAMPAIGN_OPT_API_KEY,
                                 CAMPAIGN_OPT_USER_AGENT_SUFFIX, CAMPAIGN_OPT_CA_FILE,
                                 CAMPAIGN_OPT_CA_DIR};
  static const int int_keys[] = {
      CAMPAIGN_OPT_TIMEOUT_MS,      CAMPAIGN_OPT_CONNECT_TIMEOUT_MS, CAMPAIGN_OPT_TOTAL_TIMEOUT_MS,
      CAMPAIGN_OPT_MAX_RETRIES,     CAMPAIGN_OPT_BACKOFF_INITIAL_MS, CAMPAIGN_OPT_BACKOFF_MAX_MS,
      CAMPAIGN_OPT_MAX_RETRY_AFTER_MS, CAMPAIGN_OPT_MAX_BODY_BYTES,  CAMPAIGN_OPT_MAX_HEADER_BYTES,
      CAMPAIGN_OPT_MAX_CONNECTIONS, CAMPAIGN_OPT_IDLE_TIMEOUT_MS,    CAMPAIGN_OPT_IO_THREADS,
      CAMPAIGN_OPT_INSECURE_SKIP_TLS_VERIFY, CAMPAIGN_OPT_RATE_LIMIT_GATE, CAMPAIGN_OPT_COALESCE};
  static const int double_keys[] = {CAMPAIGN_OPT_RETRY_BUDGET_RATIO, CAMPAIGN_OPT_RETRY_BUDGET_BURST};
  static const int unknown_keys[] = {0, 23, 99, -1};
  static const int bool_keys[] = {CAMPAIGN_OPT_INSECURE_SKIP_TLS_VERIFY, CAMPAIGN_OPT_RATE_LIMIT_GATE,
                                  CAMPAIGN_OPT_COALESCE};
  campaign_options *o = NULL;
  size_t i;

  CHECK_EQ(campaign_options_create(NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_options_create(&o), CAMPAIGN_OK);
  CHECK(o != NULL);

  for (i = 0; i < sizeof str_keys / sizeof *str_keys; ++i) {
    CHECK_EQ(campaign_options_set_str(o, str_keys[i], "x"), CAMPAIGN_OK);
    CHECK_EQ(campaign_options_set_str(o, str_keys[i], NULL), CAMPAIGN_E_NULL_ARGUMENT);
    CHECK_EQ(campaign_options_set_int(o, str_keys[i], 1), CAMPAIGN_E_INVALID_ARGUMENT);
    CHECK_EQ(campaign_options_set_double(o, str_keys[i], 1.0), CAMPAIGN_E_INVALID_ARGUMENT);
  }
  for (i = 0; i < sizeof int_keys / sizeof *int_keys; ++i) {
    CHECK_EQ(campaign_options_set_int(o, int_keys[i], 1), CAMPAIGN_OK);
    CHECK_EQ(campaign_options_set_int(o, int_keys[i], -1), CAMPAIGN_E_INVALID_ARGUMENT);
    CHECK_EQ(campaign_options_set_str(o, int_keys[i], "1"), CAMPAIGN_E_INVALID_ARGUMENT);
    CHECK_EQ(campaign_options_set_double(o, int_keys[i], 1.0), CAMPAIGN_E_INVALID_ARGUMENT);
  }
  for (i = 0; i < sizeof double_keys / sizeof *double_keys; ++i) {
    CHECK_EQ(campaign_options_set_double(o, double_keys[i], 0.5), CAMPAIGN_OK);
    CHECK_EQ(campaign_options_set_double(o, double_keys[i], -0.5), CAMPAIGN_E_INVALID_ARGUMENT);
    CHECK_EQ(campaign_options_set_double(o, double_keys[i], HUGE_VAL), CAMPAIGN_E_INVALID_ARGUMENT);
    CHECK_EQ(campaign_options_set_int(o, double_keys[i], 1), CAMPAIGN_E_INVALID_ARGUMENT);
    CHECK_EQ(campaign_options_set_str(o, double_keys[i], "1"), CAMPAIGN_E_INVALID_ARGUMENT);
  }
  for (i = 0; i < sizeof unknown_keys / sizeof *unknown_keys; ++i) {
    CHECK_EQ(campaign_options_set_str(o, unknown_keys[i], "x"), CAMPAIGN_E_UNKNOWN_OPTION);
    CHECK_EQ(campaign_options_set_int(o, unknown_keys[i], 1), CAMPAIGN_E_UNKNOWN_OPTION);
    CHECK_EQ(campaign_options_set_double(o, unknown_keys[i], 1.0), CAMPAIGN_E_UNKNOWN_OPTION);
  }
  for (i = 0; i < sizeof bool_keys / sizeof *bool_keys; ++i) {
    CHECK_EQ(campaign_options_set_int(o, bool_keys[i], 2), CAMPAIGN_E_INVALID_ARGUMENT);
    CHECK_EQ(campaign_options_set_int(o, bool_keys[i], 0), CAMPAIGN_OK);
    CHECK_EQ(campaign_options_set_int(o, bool_keys[i], 1), CAMPAIGN_OK);
  }
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_INSECURE_SKIP_TLS_VERIFY, 0), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_MAX_RETRIES, 1LL << 40), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_IO_THREADS, 1LL << 40), CAMPAIGN_E_INVALID_ARGUMENT);

  CHECK_EQ(campaign_options_preset_fail_fast(o), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_preset_fail_fast(NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_options_set_log(o, test_log_hook, NULL), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_log(o, NULL, NULL), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_log(NULL, test_log_hook, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_options_set_str(NULL, CAMPAIGN_OPT_BASE_URL, "x"), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_options_set_int(NULL, CAMPAIGN_OPT_TIMEOUT_MS, 1), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_options_set_double(NULL, CAMPAIGN_OPT_RETRY_BUDGET_RATIO, 1), CAMPAIGN_E_NULL_ARGUMENT);
  campaign_options_free(o);
  campaign_options_free(NULL);
}

static void test_client_create(void) {
  campaign_options *o = test_options("http://127.0.0.1:9/v1", TEST_KEY);
  campaign_client *c = NULL;
  campaign_error *err = NULL;
  campaign_stats st;

  /* A valid client needs no server until it fetches. */
  CHECK_EQ(campaign_client_create(o, &c, &err), CAMPAIGN_OK);
  CHECK(c != NULL && err == NULL);
  memset(&st, 0xff, sizeof st);
  st.struct_size = sizeof st;
  CHECK_EQ(campaign_client_stats(c, &st), CAMPAIGN_OK);
  CHECK_EQ(st.requests, 0);
  CHECK_EQ(st.connections_opened, 0);
  CHECK_EQ(st.reserved0, 0);
  campaign_client_destroy(c);
  c = NULL;
  campaign_client_destroy(NULL);

  /* The same options make a second client: create copies them. */
  CHECK_EQ(campaign_client_create(o, &c, NULL), CAMPAIGN_OK);
  campaign_options_free(o);
  campaign_client_destroy(c);

  o = test_options("ftp://example.com/v1", TEST_KEY);
  CHECK_EQ(campaign_client_create(o, &c, &err), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK(c == NULL);
  check_error(err, CAMPAIGN_E_INVALID_ARGUMENT, NULL);
  campaign_error_free(err);
  campaign_options_free(o);

  o = test_options("http://127.0.0.1:9/v1", "");
  CHECK_EQ(campaign_client_create(o, &c, &err), CAMPAIGN_E_INVALID_ARGUMENT);
  check_error(err, CAMPAIGN_E_INVALID_ARGUMENT, NULL);
  campaign_error_free(err);
  /* A key with a line break would forge a header: refused, and not echoed. */
  CHECK_EQ(campaign_options_set_str(o, CAMPAIGN_OPT_API_KEY, TEST_KEY "\r\nX-Evil: 1"), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, &err), CAMPAIGN_E_INVALID_ARGUMENT);
  check_error(err, CAMPAIGN_E_INVALID_ARGUMENT, NULL);
  campaign_error_free(err);
  CHECK_EQ(campaign_options_set_str(o, CAMPAIGN_OPT_API_KEY, TEST_KEY), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_TIMEOUT_MS, 0), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, NULL), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_TIMEOUT_MS, 1000), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_IO_THREADS, 0), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, NULL), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK(c == NULL);

  err = (campaign_error *)1; /* must be reset */
  CHECK_EQ(campaign_client_create(NULL, &c, &err), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK(err == NULL);
  CHECK_EQ(campaign_client_create(o, NULL, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  campaign_options_free(o);

  CHECK_EQ(campaign_client_stats(NULL, &st), CAMPAIGN_E_NULL_ARGUMENT);
}

static void test_free_null(void) {
  campaign_free(NULL);
  campaign_error_free(NULL);
  campaign_record_free(NULL);
  campaign_options_free(NULL);
  campaign_client_destroy(NULL);
  campaign_queue_free(NULL);
}

int main(void) {
  RUN(test_versions);
  RUN(test_codes);
  RUN(test_option_setters);
  RUN(test_client_create);
  RUN(test_free_null);
  CHECK_EQ(test_log_lines(), 0);
  return 0;
}
