/* campaign_client_destroy() while other threads are inside the blocking
 * calls: a get returns CAMPAIGN_E_CANCELLED, a get_batch returns
 * CAMPAIGN_OK with every position filled (the ones not fetched cancelled),
 * both before destroy returns, and nothing more reaches the server. */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 20000
#define WINDOW 8

static mock_server hung;
static char log_path[256];
static campaign_client *client;

static const char **ids;
static campaign_record **records;
static campaign_error **errors;
static int batch_rc = -1, get_rc = -1;

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int finished; /* threads that returned from their call */

static void mark_finished(void) {
  pthread_mutex_lock(&mutex);
  ++finished;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&mutex);
}

static void *run_batch(void *arg) {
  (void)arg;
  batch_rc = campaign_client_get_batch(client, ids, BATCH, WINDOW, records, errors);
  mark_finished();
  return NULL;
}

static void *run_get(void *arg) {
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  (void)arg;
  get_rc = campaign_client_get(client, "cmp_000001", &rec, &err);
  if (err) check_error(err, CAMPAIGN_E_CANCELLED, NULL);
  campaign_record_free(rec);
  campaign_error_free(err);
  mark_finished();
  return NULL;
}

static void destroy_during_blocking_calls(void) {
  pthread_t batch_thread, get_thread;
  campaign_options *o = test_options(hung.base_url, TEST_KEY);
  campaign_error *err = NULL;
  double until, t0, took;
  int seen, i, cancelled = 0;
  const struct timespec ms = {0, 1000000};

  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_TIMEOUT_MS, 600000), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_TOTAL_TIMEOUT_MS, 600000), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &client, &err), CAMPAIGN_OK);
  campaign_options_free(o);

  CHECK_EQ(pthread_create(&batch_thread, NULL, run_batch, NULL), 0);
  CHECK_EQ(pthread_create(&get_thread, NULL, run_get, NULL), 0);
  /* Every request hangs: wait (bounded) until the window and the get are at the server. */
  until = now_seconds() + 30;
  do {
    seen = count_in_file(log_path, "\"target\"");
    if (seen < WINDOW + 1) nanosleep(&ms, NULL); /* a bounded poll of the mock's log */
  } while (seen < WINDOW + 1 && now_seconds() < until);
  CHECK_EQ(seen, WINDOW + 1);

  t0 = now_seconds();
  campaign_client_destroy(client);
  took = now_seconds() - t0;
  fprintf(stderr, "destroy with a batch and a get inside: %.3f s\n", took);
  CHECK(took < 5.0);
  /* Both calls have left the library (destroy waited for that; a call still
   * inside would now touch freed memory, which the valgrind run reports).
   * Their threads mark it only after returning, so wait for that, bounded. */
  {
    struct timespec until_done = deadline_in(10);
    pthread_mutex_lock(&mutex);
    while (finished < 2) cond_wait_until(&cond, &mutex, &until_done, "both calls returning after destroy");
    pthread_mutex_unlock(&mutex);
  }
  CHECK_EQ(pthread_join(batch_thread, NULL), 0);
  CHECK_EQ(pthread_join(get_thread, NULL), 0);

  CHECK_EQ(get_rc, CAMPAIGN_E_CANCELLED);
  CHECK_EQ(batch_rc, CAMPAIGN_OK);
  for (i = 0; i < BATCH; ++i) {
    CHECK(records[i] == NULL);
    CHECK(errors[i] != NULL);
    if (errors[i] && campaign_error_kind(errors[i]) == CAMPAIGN_E_CANCELLED) ++cancelled;
    campaign_error_free(errors[i]);
  }
  CHECK_EQ(cancelled, BATCH);
  /* The batch stopped submitting: the server saw the window and the get only. */
  CHECK_EQ(count_in_file(log_path, "\"target\""), WINDOW + 1);
}

int main(void) {
  static char id_text[BATCH][16];
  const char *extra[] = {"--fault", "hang", "--request-log", log_path, NULL};
  int i;
  temp_path(log_path, sizeof log_path, "destroy_test_requests.ndjson");
  ids = malloc(sizeof *ids * BATCH);
  records = calloc(BATCH, sizeof *records);
  errors = calloc(BATCH, sizeof *errors);
  CHECK(ids && records && errors);
  for (i = 0; i < BATCH; ++i) {
    snprintf(id_text[i], sizeof id_text[i], "cmp_%06d", i % 2000);
    ids[i] = id_text[i];
  }
  mock_start(&hung, extra);
  RUN(destroy_during_blocking_calls);
  mock_stop(&hung);
  free(ids);
  free(records);
  free(errors);
  remove(log_path);
  fprintf(stderr, "ok\n");
  return 0;
}
