/* The per-attempt timeout (CAMPAIGN_OPT_TIMEOUT_MS) covers the body: a body
 * that trickles in ends at the attempt deadline, far before the total one,
 * and each retry gets its own. Attempts are counted on the server side, from
 * campaign-mock's --request-log. C99. */
#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static mock_server slow;
static char log_path[256];

static campaign_client *client_with(int retries) {
  campaign_options *o = test_options(slow.base_url, TEST_KEY);
  campaign_client *c = NULL;
  campaign_error *err = NULL;
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_TIMEOUT_MS, 1000), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_TOTAL_TIMEOUT_MS, 60000), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_MAX_RETRIES, retries), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_BACKOFF_INITIAL_MS, 5), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_BACKOFF_MAX_MS, 20), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, &err), CAMPAIGN_OK);
  campaign_options_free(o);
  return c;
}

/* A byte every 200 ms; timeout 1 s, total 60 s, no retry: timeout at ~1 s. */
static void test_trickling_body_ends_at_the_attempt_deadline(void) {
  campaign_client *c = client_with(0);
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  double start = now_seconds(), took;
  CHECK_EQ(campaign_client_get(c, "cmp_000001", &rec, &err), CAMPAIGN_E_TIMEOUT);
  took = now_seconds() - start;
  fprintf(stderr, "   trickle ended after %.3f s\n", took);
  CHECK(rec == NULL);
  check_error(err, CAMPAIGN_E_TIMEOUT, NULL);
  CHECK_EQ(campaign_error_http_status(err), 200); /* the head had arrived */
  CHECK_EQ(campaign_error_attempts(err), 1);
  CHECK(took >= 0.9);
  CHECK(took < 5.0);
  CHECK_EQ(count_in_file(log_path, "/v1/campaigns/cmp_000001\""), 1);
  campaign_error_free(err);
  campaign_client_destroy(c);
}

/* Retries 2: three attempts of ~1 s each, all seen by the server. */
static void test_each_retry_gets_its_own_attempt_deadline(void) {
  campaign_client *c = client_with(2);
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  double start = now_seconds(), took;
  CHECK_EQ(campaign_client_get(c, "cmp_000002", &rec, &err), CAMPAIGN_E_TIMEOUT);
  took = now_seconds() - start;
  fprintf(stderr, "   three trickles ended after %.3f s\n", took);
  check_error(err, CAMPAIGN_E_TIMEOUT, NULL);
  CHECK_EQ(campaign_error_attempts(err), 3);
  CHECK_EQ(count_in_file(log_path, "/v1/campaigns/cmp_000002\""), 3);
  CHECK(took >= 2.7);
  CHECK(took < 15.0);
  campaign_error_free(err);
  campaign_client_destroy(c);
}

int main(void) {
  const char *args[] = {"--script", "cmp_000001=slow", "--script", "cmp_000002=slow,slow,slow",
                        "--slow-ms", "200", "--request-log", log_path, NULL};
  temp_path(log_path, sizeof log_path, "deadline-requests.ndjson");
  mock_start(&slow, args);
  RUN(test_trickling_body_ends_at_the_attempt_deadline);
  RUN(test_each_retry_gets_its_own_attempt_deadline);
  mock_stop(&slow);
  unlink(log_path);
  fprintf(stderr, "capi deadline tests passed\n");
  return 0;
}
