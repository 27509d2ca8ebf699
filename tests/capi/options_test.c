/* The behaviour options of campaign.h against campaign-mock processes:
 * CAMPAIGN_OPT_COALESCE (concurrent gets of one ID share one request,
 * counted in campaign_stats.coalesced) and CAMPAIGN_OPT_RATE_LIMIT_GATE
 * (attempts wait for the key's window instead of collecting 429s). C99. */
#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GETS 8

typedef struct done_box {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  int count, ok;
} done_box;

static void on_done(void *user_data, uint64_t request, campaign_record *rec, campaign_error *err) {
  done_box *b = (done_box *)user_data;
  const char *id = NULL;
  size_t len = 0;
  (void)request;
  CHECK((rec == NULL) != (err == NULL));
  if (err) fprintf(stderr, "get failed: %s\n", campaign_error_message(err));
  if (rec) {
    CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ID, &id, &len), CAMPAIGN_OK);
    CHECK_MEM(id, len, "cmp_000042");
  }
  pthread_mutex_lock(&b->mutex);
  b->count++;
  if (rec) b->ok++;
  pthread_cond_broadcast(&b->cond);
  pthread_mutex_unlock(&b->mutex);
  campaign_record_free(rec);
  campaign_error_free(err);
}

static campaign_client *make_client(const char *base_url, int key, int64_t value) {
  campaign_options *o = test_options(base_url, TEST_KEY);
  campaign_client *c = NULL;
  campaign_error *err = NULL;
  CHECK_EQ(campaign_options_set_int(o, key, value), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, &err), CAMPAIGN_OK);
  CHECK(err == NULL);
  campaign_options_free(o);
  return c;
}

static void stats_of(campaign_client *c, campaign_stats *st) {
  memset(st, 0, sizeof *st);
  st->struct_size = sizeof *st;
  CHECK_EQ(campaign_client_stats(c, st), CAMPAIGN_OK);
}

/* GETS submits of one ID at once, against a mock that answers after 500 ms
 * (so they overlap); returns the requests the mock saw for it. */
static int concurrent_gets(campaign_client *c, const char *log_path) {
  done_box b;
  struct timespec until = deadline_in(60);
  int i, before = count_in_file(log_path, "/v1/campaigns/cmp_000042\"");
  memset(&b, 0, sizeof b);
  pthread_mutex_init(&b.mutex, NULL);
  pthread_cond_init(&b.cond, NULL);
  for (i = 0; i < GETS; ++i) CHECK_EQ(campaign_client_submit(c, "cmp_000042", on_done, &b, NULL), CAMPAIGN_OK);
  pthread_mutex_lock(&b.mutex);
  while (b.count < GETS) cond_wait_until(&b.cond, &b.mutex, &until, "gets did not all complete within 60 s");
  pthread_mutex_unlock(&b.mutex);
  CHECK_EQ(b.ok, GETS); /* every caller got the record */
  pthread_mutex_destroy(&b.mutex);
  pthread_cond_destroy(&b.cond);
  return count_in_file(log_path, "/v1/campaigns/cmp_000042\"") - before;
}

static void test_coalesce(const mock_server *slow, const char *log_path) {
  campaign_stats st;
  campaign_client *c;

  /* On (the default, and set explicitly): one request, GETS - 1 joined it. */
  c = make_client(slow->base_url, CAMPAIGN_OPT_COALESCE, 1);
  CHECK_EQ(concurrent_gets(c, log_path), 1);
  stats_of(c, &st);
  CHECK_EQ(st.requests, 1);
  CHECK_EQ(st.coalesced, GETS - 1);
  {
    /* A caller that knows campaign_stats only up to the rate-limit members
     * (before `coalesced` was appended) gets no more than that. */
    campaign_stats old;
    memset(&old, 0xee, sizeof old);
    old.struct_size = offsetof(campaign_stats, coalesced);
    CHECK_EQ(campaign_client_stats(c, &old), CAMPAIGN_OK);
    CHECK_EQ(old.requests, 1);
    CHECK_EQ(old.coalesced, (int64_t)0xeeeeeeeeeeeeeeeeULL);
  }
  /* Nothing is cached: once the result landed, the next get is a request. */
  CHECK_EQ(concurrent_gets(c, log_path), 1);
  stats_of(c, &st);
  CHECK_EQ(st.requests, 2);
  CHECK_EQ(st.coalesced, 2 * (GETS - 1));
  campaign_client_destroy(c);

  /* Off: one request per get. */
  c = make_client(slow->base_url, CAMPAIGN_OPT_COALESCE, 0);
  CHECK_EQ(concurrent_gets(c, log_path), GETS);
  stats_of(c, &st);
  CHECK_EQ(st.requests, GETS);
  CHECK_EQ(st.coalesced, 0);
  campaign_client_destroy(c);
}

/* 12 gets one after the other against a mock allowing 5 per 2 s: they take
 * well under 2 s, so at most one window boundary falls among them and
 * without the gate at least two of them meet a 429. With it, none does. */
#define LIMITED_GETS 12

static void sequential_gets(campaign_client *c, int *ok, int *limited) {
  int i;
  *ok = *limited = 0;
  for (i = 0; i < LIMITED_GETS; ++i) {
    campaign_record *rec = NULL;
    campaign_error *err = NULL;
    int rc = campaign_client_get(c, "cmp_000042", &rec, &err);
    if (rc == CAMPAIGN_OK) ++*ok;
    else if (rc == CAMPAIGN_E_RATE_LIMITED) ++*limited;
    else fprintf(stderr, "unexpected: %s\n", campaign_strerror(rc));
    campaign_record_free(rec);
    campaign_error_free(err);
  }
}

static void test_rate_limit_gate(const mock_server *for_off, const mock_server *for_on) {
  campaign_stats st;
  campaign_client *c;
  int ok, limited;
  double start;

  /* Off: every attempt is sent, and the ones over the limit get 429. */
  c = make_client(for_off->base_url, CAMPAIGN_OPT_RATE_LIMIT_GATE, 0);
  start = now_seconds();
  sequential_gets(c, &ok, &limited);
  CHECK(now_seconds() - start < 1.5); /* the premise: nothing waited */
  CHECK(limited >= 2);
  CHECK_EQ(ok + limited, LIMITED_GETS);
  stats_of(c, &st);
  CHECK_EQ(st.responses_429, limited);
  CHECK_EQ(st.rate_limit_waits, 0);
  CHECK_EQ(st.rate_limit_wait_ms, 0);
  campaign_client_destroy(c);

  /* On (the default, and set explicitly): held back until the reset, no 429. */
  c = make_client(for_on->base_url, CAMPAIGN_OPT_RATE_LIMIT_GATE, 1);
  sequential_gets(c, &ok, &limited);
  CHECK_EQ(ok, LIMITED_GETS);
  stats_of(c, &st);
  CHECK_EQ(st.responses_429, 0);
  CHECK(st.rate_limit_waits >= 1);
  CHECK(st.rate_limit_wait_ms > 0);
  campaign_client_destroy(c);
}

int main(void) {
  char log_path[512];
  static const char *const limited_args[] = {"--rate-limit", "5/2", NULL};
  const char *slow_args[] = {"--latency-ms", "500", "--request-log", NULL, NULL};
  mock_server slow, limited_off, limited_on;

  temp_path(log_path, sizeof log_path, "options_test_requests.ndjson");
  slow_args[3] = log_path;
  mock_start(&slow, slow_args);
  mock_start(&limited_off, limited_args);
  mock_start(&limited_on, limited_args);

  fprintf(stderr, "-- test_coalesce\n");
  test_coalesce(&slow, log_path);
  fprintf(stderr, "-- test_rate_limit_gate\n");
  test_rate_limit_gate(&limited_off, &limited_on);

  mock_stop(&limited_on);
  mock_stop(&limited_off);
  mock_stop(&slow);
  remove(log_path);
  return 0;
}
