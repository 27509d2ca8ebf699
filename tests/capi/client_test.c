/* campaign_client against campaign-mock: blocking gets, every error kind,
 * submit with callbacks, cancellation, destroy with requests in flight,
 * batches, stats, and the API key canary. */
#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WRONG_KEY "sk_wrong_canary_9z"
#define MAX_DONE 64

static mock_server good, fault503, hang, garbage, limited;

/* What the completion callbacks saw. */
typedef struct done_box {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  int count;
  int kinds[MAX_DONE]; /* CAMPAIGN_OK for a record */
  uint64_t requests[MAX_DONE];
  campaign_client *client; /* for the re-entrancy check */
  int reentrant_code;
} done_box;

static void box_init(done_box *b) {
  memset(b, 0, sizeof *b);
  pthread_mutex_init(&b->mutex, NULL);
  pthread_cond_init(&b->cond, NULL);
  b->reentrant_code = -1;
}

static void box_destroy(done_box *b) {
  pthread_mutex_destroy(&b->mutex);
  pthread_cond_destroy(&b->cond);
}

static void box_wait(done_box *b, int n) {
  struct timespec until = deadline_in(60);
  pthread_mutex_lock(&b->mutex);
  while (b->count < n) cond_wait_until(&b->cond, &b->mutex, &until, "callbacks did not all run within 60 s");
  pthread_mutex_unlock(&b->mutex);
}

static int box_count(done_box *b) {
  int n;
  pthread_mutex_lock(&b->mutex);
  n = b->count;
  pthread_mutex_unlock(&b->mutex);
  return n;
}

/* Owns what it is given: frees it here. */
static void on_done(void *user_data, uint64_t request, campaign_record *rec, campaign_error *err) {
  done_box *b = (done_box *)user_data;
  int kind = CAMPAIGN_OK;
  CHECK((rec == NULL) != (err == NULL));
  if (err) {
    kind = campaign_error_kind(err);
    check_error(err, kind, NULL);
  }
  if (b->client) {
    /* A blocking call from the client's own I/O thread is refused. */
    campaign_record *r = NULL;
    b->reentrant_code = campaign_client_get(b->client, "cmp_000001", &r, NULL);
    CHECK(r == NULL);
  }
  campaign_record_free(rec);
  campaign_error_free(err);
  pthread_mutex_lock(&b->mutex);
  CHECK(b->count < MAX_DONE);
  b->kinds[b->count] = kind;
  b->requests[b->count] = request;
  ++b->count;
  pthread_cond_broadcast(&b->cond);
  pthread_mutex_unlock(&b->mutex);
}

static campaign_client *make_client(const char *base_url, const char *key) {
  campaign_options *o = test_options(base_url, key);
  campaign_client *c = NULL;
  campaign_error *err = NULL;
  CHECK_EQ(campaign_client_create(o, &c, &err), CAMPAIGN_OK);
  CHECK(err == NULL);
  campaign_options_free(o);
  return c;
}

/* A fetch that must fail with `kind`; returns the error (caller frees). */
static campaign_error *get_fails(campaign_client *c, const char *id, int kind, const char *also_key) {
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  int rc = campaign_client_get(c, id, &rec, &err);
  if (rc != kind && err) fprintf(stderr, "got %s: %s\n", campaign_strerror(rc), campaign_error_message(err));
  CHECK_EQ(rc, kind);
  CHECK(rec == NULL);
  check_error(err, kind, also_key);
  return err;
}

static void test_get(void) {
  campaign_client *c = make_client(good.base_url, TEST_KEY);
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  campaign_stats st;
  const char *p;
  size_t len;

  CHECK_EQ(campaign_client_get(c, "cmp_000042", &rec, &err), CAMPAIGN_OK);
  CHECK(err == NULL);
  CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ID, &p, &len), CAMPAIGN_OK);
  CHECK_MEM(p, len, "cmp_000042");
  CHECK(campaign_record_has(rec, CAMPAIGN_FIELD_NAME));
  check_no_key(campaign_record_raw_json(rec, &len), len, NULL);
  campaign_record_free(rec);

  rec = NULL;
  CHECK_EQ(campaign_client_get(c, "cmp_001999", &rec, NULL), CAMPAIGN_OK);
  campaign_record_free(rec);

  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  CHECK_EQ(campaign_client_stats(c, &st), CAMPAIGN_OK);
  CHECK_EQ(st.requests, 2);
  CHECK_EQ(st.attempts, 2);
  CHECK_EQ(st.retries, 0);
  CHECK_EQ(st.connections_opened, 1);
  CHECK_EQ(st.connections_reused, 1);
  {
    /* An older, smaller campaign_stats gets only what fits. */
    campaign_stats old;
    memset(&old, 0xee, sizeof old);
    old.struct_size = 16; /* struct_size, reserved0, requests */
    CHECK_EQ(campaign_client_stats(c, &old), CAMPAIGN_OK);
    CHECK_EQ(old.requests, 2);
    CHECK_EQ(old.attempts, (int64_t)0xeeeeeeeeeeeeeeeeULL);
    old.struct_size = 4;
    CHECK_EQ(campaign_client_stats(c, &old), CAMPAIGN_E_INVALID_ARGUMENT);
  }

  CHECK_EQ(campaign_client_get(c, NULL, &rec, &err), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK(err == NULL && rec == NULL);
  CHECK_EQ(campaign_client_get(c, "cmp_000001", NULL, &err), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_client_get(NULL, "cmp_000001", &rec, &err), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_client_stats(c, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  campaign_client_destroy(c);
}

static void test_error_kinds(void) {
  campaign_client *c = make_client(good.base_url, TEST_KEY);
  campaign_error *err;
  char long_id[130];

  err = get_fails(c, "cmp_999999", CAMPAIGN_E_NOT_FOUND, NULL);
  CHECK_EQ(campaign_error_http_status(err), 404);
  CHECK_EQ(campaign_error_attempts(err), 1);
  campaign_error_free(err);

  /* Refused before sending: no attempt, no status. */
  err = get_fails(c, "../cmp_000001", CAMPAIGN_E_INVALID_ARGUMENT, NULL);
  CHECK_EQ(campaign_error_http_status(err), 0);
  CHECK_EQ(campaign_error_attempts(err), 0);
  campaign_error_free(err);
  campaign_error_free(get_fails(c, "", CAMPAIGN_E_INVALID_ARGUMENT, NULL));
  campaign_error_free(get_fails(c, "cmp 1\r\nX: y", CAMPAIGN_E_INVALID_ARGUMENT, NULL));
  memset(long_id, 'a', 129);
  long_id[129] = '\0';
  campaign_error_free(get_fails(c, long_id, CAMPAIGN_E_INVALID_ARGUMENT, NULL));
  /* err may be NULL: the code alone. */
  {
    campaign_record *rec = NULL;
    CHECK_EQ(campaign_client_get(c, "cmp_999999", &rec, NULL), CAMPAIGN_E_NOT_FOUND);
    CHECK(rec == NULL);
  }
  campaign_client_destroy(c);

  c = make_client(good.base_url, WRONG_KEY);
  err = get_fails(c, "cmp_000001", CAMPAIGN_E_UNAUTHORIZED, WRONG_KEY);
  CHECK_EQ(campaign_error_http_status(err), 401);
  campaign_error_free(err);
  campaign_client_destroy(c);

  c = make_client(good.base_url, FORBIDDEN_KEY);
  err = get_fails(c, "cmp_000001", CAMPAIGN_E_FORBIDDEN, FORBIDDEN_KEY);
  CHECK_EQ(campaign_error_http_status(err), 403);
  campaign_error_free(err);
  campaign_client_destroy(c);
}

static void test_server_error_retried(void) {
  campaign_options *o = test_options(fault503.base_url, TEST_KEY);
  campaign_client *c = NULL;
  campaign_error *err;
  campaign_stats st;
  int lines = test_log_lines();
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_MAX_RETRIES, 1), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_BACKOFF_INITIAL_MS, 10), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_BACKOFF_MAX_MS, 20), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, NULL), CAMPAIGN_OK);
  campaign_options_free(o);

  err = get_fails(c, "cmp_000001", CAMPAIGN_E_SERVER_ERROR, NULL);
  CHECK_EQ(campaign_error_http_status(err), 503);
  CHECK_EQ(campaign_error_attempts(err), 2);
  campaign_error_free(err);
  /* The retry was logged through the hook (which checks for the key). */
  CHECK(test_log_lines() > lines);
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  CHECK_EQ(campaign_client_stats(c, &st), CAMPAIGN_OK);
  CHECK_EQ(st.retries, 1);
  CHECK_EQ(st.attempts, 2);
  campaign_client_destroy(c);
}

static void test_transport_errors(void) {
  campaign_options *o = test_options(hang.base_url, TEST_KEY);
  campaign_client *c = NULL;
  campaign_error *err;
  char url[64];

  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_TIMEOUT_MS, 300), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, NULL), CAMPAIGN_OK);
  campaign_options_free(o);
  err = get_fails(c, "cmp_000001", CAMPAIGN_E_TIMEOUT, NULL);
  CHECK_EQ(campaign_error_http_status(err), 0);
  campaign_error_free(err);
  campaign_client_destroy(c);

  snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", closed_port());
  c = make_client(url, TEST_KEY);
  err = get_fails(c, "cmp_000001", CAMPAIGN_E_NETWORK, NULL);
  CHECK_EQ(campaign_error_http_status(err), 0);
  campaign_error_free(err);
  campaign_client_destroy(c);

  c = make_client(garbage.base_url, TEST_KEY);
  err = get_fails(c, "cmp_000001", CAMPAIGN_E_INVALID_RESPONSE, NULL);
  CHECK_EQ(campaign_error_http_status(err), 200);
  campaign_error_free(err);
  campaign_client_destroy(c);
}

/* The rest of the kinds: scripted faults of the good mock, and TLS. */
static void test_more_kinds(void) {
  campaign_options *o = test_options(good.base_url, TEST_KEY);
  campaign_client *c = NULL;
  campaign_error *err;
  char url[64];

  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_MAX_BODY_BYTES, 4096), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, NULL), CAMPAIGN_OK);
  campaign_options_free(o);
  err = get_fails(c, "cmp_000010", CAMPAIGN_E_RATE_LIMITED, NULL);
  CHECK_EQ(campaign_error_http_status(err), 429);
  campaign_error_free(err);
  err = get_fails(c, "cmp_000011", CAMPAIGN_E_HTTP_ERROR, NULL);
  CHECK_EQ(campaign_error_http_status(err), 302);
  campaign_error_free(err);
  campaign_error_free(get_fails(c, "cmp_000012", CAMPAIGN_E_TOO_LARGE, NULL));
  campaign_client_destroy(c);

  /* TLS spoken to a plain HTTP server. */
  snprintf(url, sizeof url, "https://127.0.0.1:%d/v1", good.port);
  c = make_client(url, TEST_KEY);
  campaign_error_free(get_fails(c, "cmp_000001", CAMPAIGN_E_TLS, NULL));
  campaign_client_destroy(c);

  /* A CA file that does not exist is refused when the client is made. */
  o = test_options(url, TEST_KEY);
  CHECK_EQ(campaign_options_set_str(o, CAMPAIGN_OPT_CA_FILE, "/nonexistent/ca.pem"), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, &err), CAMPAIGN_E_INVALID_ARGUMENT);
  check_error(err, CAMPAIGN_E_INVALID_ARGUMENT, NULL);
  campaign_error_free(err);
  campaign_options_free(o);
}

static void test_submit(void) {
  campaign_client *c = make_client(good.base_url, TEST_KEY);
  done_box box;
  uint64_t n[3] = {0, 0, 0}, r = 7;
  int i, j, seen;
  box_init(&box);
  box.client = c;

  CHECK_EQ(campaign_client_submit(c, "cmp_000007", on_done, &box, &n[0]), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_submit(c, "cmp_999999", on_done, &box, &n[1]), CAMPAIGN_OK);
  /* An invalid ID still completes through the callback. */
  CHECK_EQ(campaign_client_submit(c, "no/such id", on_done, &box, &n[2]), CAMPAIGN_OK);
  CHECK(n[0] != 0 && n[1] != 0 && n[2] != 0);
  CHECK(n[0] != n[1] && n[1] != n[2] && n[0] != n[2]);
  box_wait(&box, 3);
  for (i = 0; i < 3; ++i) {
    seen = 0;
    for (j = 0; j < 3; ++j)
      if (box.requests[j] == n[i]) {
        ++seen;
        CHECK_EQ(box.kinds[j], i == 0 ? CAMPAIGN_OK : i == 1 ? CAMPAIGN_E_NOT_FOUND
                                                             : CAMPAIGN_E_INVALID_ARGUMENT);
      }
    CHECK_EQ(seen, 1);
  }
  CHECK_EQ(box.reentrant_code, CAMPAIGN_E_INTERNAL);

  /* `request` may be NULL; refused calls never run the callback. */
  box.client = NULL;
  CHECK_EQ(campaign_client_submit(c, "cmp_000008", on_done, &box, NULL), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_submit(c, NULL, on_done, &box, &r), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(r, 0);
  CHECK_EQ(campaign_client_submit(c, "cmp_000009", NULL, &box, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_client_submit(NULL, "cmp_000009", on_done, &box, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  box_wait(&box, 4);
  campaign_client_destroy(c);
  CHECK_EQ(box_count(&box), 4);
  CHECK_EQ(box.kinds[3], CAMPAIGN_OK);
  box_destroy(&box);
}

static void test_cancel(void) {
  campaign_client *c = make_client(hang.base_url, TEST_KEY);
  done_box box;
  uint64_t n = 0, m[5];
  int i;
  box_init(&box);

  CHECK_EQ(campaign_client_submit(c, "cmp_000001", on_done, &box, &n), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_cancel(c, n), CAMPAIGN_OK);
  box_wait(&box, 1);
  CHECK_EQ(box.kinds[0], CAMPAIGN_E_CANCELLED);
  CHECK_EQ(box.requests[0], n);
  /* Finished or unknown numbers are ignored. */
  CHECK_EQ(campaign_client_cancel(c, n), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_cancel(c, 123456789), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_cancel(NULL, n), CAMPAIGN_E_NULL_ARGUMENT);

  for (i = 0; i < 5; ++i) CHECK_EQ(campaign_client_submit(c, "cmp_000002", on_done, &box, &m[i]), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_cancel_all(c), CAMPAIGN_OK);
  box_wait(&box, 6);
  for (i = 1; i < 6; ++i) CHECK_EQ(box.kinds[i], CAMPAIGN_E_CANCELLED);
  CHECK_EQ(campaign_client_cancel_all(NULL), CAMPAIGN_E_NULL_ARGUMENT);

  /* Destroy with requests in flight: every callback has run when it returns. */
  for (i = 0; i < 5; ++i) CHECK_EQ(campaign_client_submit(c, "cmp_000003", on_done, &box, NULL), CAMPAIGN_OK);
  campaign_client_destroy(c);
  CHECK_EQ(box_count(&box), 11);
  for (i = 6; i < 11; ++i) CHECK_EQ(box.kinds[i], CAMPAIGN_E_CANCELLED);
  box_destroy(&box);
}

static void test_batch(void) {
  enum { N = 14 };
  campaign_client *c = make_client(good.base_url, TEST_KEY);
  const char *ids[N];
  char buf[10][16];
  campaign_record *records[N];
  campaign_error *errors[N];
  const char *p;
  size_t len;
  int i;

  for (i = 0; i < 10; ++i) {
    snprintf(buf[i], sizeof buf[i], "cmp_%06d", 100 + i);
    ids[i] = buf[i];
  }
  ids[10] = "cmp_999999";
  ids[11] = "bad id";
  ids[12] = NULL; /* refused in its place */
  ids[13] = "cmp_000005";

  CHECK_EQ(campaign_client_get_batch(c, ids, N, 4, records, errors), CAMPAIGN_OK);
  for (i = 0; i < N; ++i) {
    int ok = i < 10 || i == 13;
    CHECK((records[i] != NULL) == ok);
    CHECK((errors[i] != NULL) == !ok);
    if (ok) {
      CHECK_EQ(campaign_record_get_str(records[i], CAMPAIGN_FIELD_ID, &p, &len), CAMPAIGN_OK);
      CHECK_MEM(p, len, ids[i]);
    }
    campaign_record_free(records[i]);
  }
  check_error(errors[10], CAMPAIGN_E_NOT_FOUND, NULL);
  check_error(errors[11], CAMPAIGN_E_INVALID_ARGUMENT, NULL);
  check_error(errors[12], CAMPAIGN_E_INVALID_ARGUMENT, NULL);
  for (i = 0; i < N; ++i) campaign_error_free(errors[i]);

  /* Without errors, concurrency 0 (the default): failures stay NULL. */
  CHECK_EQ(campaign_client_get_batch(c, ids, N, 0, records, NULL), CAMPAIGN_OK);
  for (i = 0; i < N; ++i) {
    CHECK((records[i] != NULL) == (i < 10 || i == 13));
    campaign_record_free(records[i]);
  }

  CHECK_EQ(campaign_client_get_batch(c, NULL, 0, 1, NULL, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_client_get_batch(c, NULL, 0, 1, records, NULL), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_get_batch(c, NULL, 2, 1, records, errors), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK(records[0] == NULL && records[1] == NULL && errors[0] == NULL);
  CHECK_EQ(campaign_client_get_batch(NULL, ids, 2, 1, records, errors), CAMPAIGN_E_NULL_ARGUMENT);
  campaign_client_destroy(c);
}

/* The key's rate limit on records, errors and stats (docs/api.md, "Rate limits"). */
static void test_rate_limit(void) {
  campaign_client *c = make_client(limited.base_url, TEST_KEY);
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  campaign_rate_limit rl;
  campaign_stats st;
  int64_t now_ms = (int64_t)time(NULL) * 1000;

  CHECK_EQ(campaign_client_get(c, "cmp_000042", &rec, &err), CAMPAIGN_OK);
  memset(&rl, 0xee, sizeof rl);
  rl.struct_size = sizeof rl;
  CHECK_EQ(campaign_record_rate_limit(rec, &rl), CAMPAIGN_OK);
  CHECK_EQ(rl.present, CAMPAIGN_RATE_LIMIT_HAS_LIMIT | CAMPAIGN_RATE_LIMIT_HAS_REMAINING |
                           CAMPAIGN_RATE_LIMIT_HAS_RESET);
  CHECK_EQ(rl.limit, 100);
  CHECK_EQ(rl.remaining, 99);
  CHECK(rl.reset_ms > now_ms && rl.reset_ms <= now_ms + 62000);
  /* An older, smaller struct gets only what fits. */
  memset(&rl, 0xee, sizeof rl);
  rl.struct_size = 24; /* struct_size, present, limit, remaining */
  CHECK_EQ(campaign_record_rate_limit(rec, &rl), CAMPAIGN_OK);
  CHECK_EQ(rl.remaining, 99);
  CHECK_EQ(rl.reset_ms, (int64_t)0xeeeeeeeeeeeeeeeeULL);
  rl.struct_size = 4;
  CHECK_EQ(campaign_record_rate_limit(rec, &rl), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_record_rate_limit(rec, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  campaign_record_free(rec);

  rec = NULL;
  CHECK_EQ(campaign_client_get(c, "cmp_999999", &rec, &err), CAMPAIGN_E_NOT_FOUND);
  rl.struct_size = sizeof rl;
  CHECK_EQ(campaign_error_rate_limit(err, &rl), CAMPAIGN_OK);
  CHECK_EQ(rl.remaining, 98);
  campaign_error_free(err);

  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  CHECK_EQ(campaign_client_stats(c, &st), CAMPAIGN_OK);
  CHECK_EQ(st.rate_limit_present & CAMPAIGN_RATE_LIMIT_HAS_REMAINING, CAMPAIGN_RATE_LIMIT_HAS_REMAINING);
  CHECK_EQ(st.rate_limit_limit, 100);
  CHECK_EQ(st.rate_limit_remaining, 98);
  CHECK_EQ(st.responses_429, 0);
  CHECK_EQ(st.rate_limit_waits, 0);
  campaign_client_destroy(c);

  /* No headers: absent, present 0. */
  c = make_client(good.base_url, TEST_KEY);
  rec = NULL;
  CHECK_EQ(campaign_client_get(c, "cmp_000042", &rec, NULL), CAMPAIGN_OK);
  memset(&rl, 0xee, sizeof rl);
  rl.struct_size = sizeof rl;
  CHECK_EQ(campaign_record_rate_limit(rec, &rl), CAMPAIGN_E_ABSENT);
  CHECK_EQ(rl.present, 0);
  campaign_record_free(rec);
  campaign_client_destroy(c);
}

int main(void) {
  static const char *const f503[] = {"--fault", "503", NULL};
  static const char *const fhang[] = {"--fault", "hang", NULL};
  static const char *const fgarbage[] = {"--fault", "garbage", NULL};
  static const char *const flimited[] = {"--rate-limit", "100/60", NULL};
  static const char *const scripts[] = {"--script", "cmp_000010=429", "--script", "cmp_000011=redirect",
                                        "--script", "cmp_000012=oversized", NULL};
  mock_start(&good, scripts);
  mock_start(&fault503, f503);
  mock_start(&hang, fhang);
  mock_start(&garbage, fgarbage);
  mock_start(&limited, flimited);

  RUN(test_get);
  RUN(test_error_kinds);
  RUN(test_server_error_retried);
  RUN(test_transport_errors);
  RUN(test_more_kinds);
  RUN(test_submit);
  RUN(test_cancel);
  RUN(test_batch);
  RUN(test_rate_limit);

  mock_stop(&limited);
  mock_stop(&garbage);
  mock_stop(&hang);
  mock_stop(&fault503);
  mock_stop(&good);
  return 0;
}
