/* One client shared by 8 threads: blocking gets and submits at once. */
#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { THREADS = 8, GETS = 20, SUBMITS = 20 };

static mock_server good;
static campaign_client *client;

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int callbacks, callback_failures;

static void on_done(void *user_data, uint64_t request, campaign_record *rec, campaign_error *err) {
  (void)user_data;
  (void)request;
  pthread_mutex_lock(&mutex);
  ++callbacks;
  if (!rec || err) ++callback_failures;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&mutex);
  campaign_record_free(rec);
  campaign_error_free(err);
}

static void *worker(void *arg) {
  int t = (int)(size_t)arg, i;
  char id[16];
  for (i = 0; i < GETS + SUBMITS; ++i) {
    snprintf(id, sizeof id, "cmp_%06d", t * 100 + i);
    if (i % 2) {
      CHECK_EQ(campaign_client_submit(client, id, on_done, NULL, NULL), CAMPAIGN_OK);
    } else {
      campaign_record *rec = NULL;
      campaign_error *err = NULL;
      const char *p;
      size_t len;
      CHECK_EQ(campaign_client_get(client, id, &rec, &err), CAMPAIGN_OK);
      CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ID, &p, &len), CAMPAIGN_OK);
      CHECK_MEM(p, len, id);
      campaign_record_free(rec);
    }
  }
  return NULL;
}

int main(void) {
  campaign_options *o;
  campaign_stats st;
  pthread_t threads[THREADS];
  struct timespec until;
  int i;

  mock_start(&good, NULL);
  o = test_options(good.base_url, TEST_KEY);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_IO_THREADS, 2), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &client, NULL), CAMPAIGN_OK);
  campaign_options_free(o);

  for (i = 0; i < THREADS; ++i) CHECK_EQ(pthread_create(&threads[i], NULL, worker, (void *)(size_t)i), 0);
  for (i = 0; i < THREADS; ++i) CHECK_EQ(pthread_join(threads[i], NULL), 0);
  until = deadline_in(60);
  pthread_mutex_lock(&mutex);
  while (callbacks < THREADS * SUBMITS)
    cond_wait_until(&cond, &mutex, &until, "callbacks did not all run within 60 s");
  pthread_mutex_unlock(&mutex);
  CHECK_EQ(callback_failures, 0);

  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  CHECK_EQ(campaign_client_stats(client, &st), CAMPAIGN_OK);
  CHECK_EQ(st.requests, THREADS * (GETS + SUBMITS));
  CHECK(st.attempts >= st.requests);
  campaign_client_destroy(client);
  CHECK_EQ(callbacks, THREADS * SUBMITS);
  mock_stop(&good);
  return 0;
}
