/* campaign_queue: the eventfd contract, a poll() loop with 500 requests in
 * flight from one thread, wakeups from a thread and from a signal handler,
 * cancellation, and freeing a queue that requests still deliver into. */
#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static mock_server good, hang;

/* 1 when fd is readable right now. */
static int readable(int fd) {
  struct pollfd p;
  int n;
  p.fd = fd;
  p.events = POLLIN;
  p.revents = 0;
  do n = poll(&p, 1, 0);
  while (n < 0 && errno == EINTR);
  CHECK(n >= 0);
  return n == 1 && (p.revents & POLLIN);
}

/* Blocks in poll() until fd is readable (30 s at most: a hang fails). */
static void poll_readable(int fd) {
  struct pollfd p;
  int n;
  p.fd = fd;
  p.events = POLLIN;
  p.revents = 0;
  do n = poll(&p, 1, 30000);
  while (n < 0 && errno == EINTR);
  CHECK_EQ(n, 1);
}

static campaign_client *make_client(const char *base_url) {
  campaign_options *o = test_options(base_url, TEST_KEY);
  campaign_client *c = NULL;
  CHECK_EQ(campaign_client_create(o, &c, NULL), CAMPAIGN_OK);
  campaign_options_free(o);
  return c;
}

/* Waits for the next result and takes it; returns its kind (0 for a
 * record). The fd stays readable after a successful next() until one finds
 * the queue empty, so readiness alone does not mean a result is there. */
static int take(campaign_queue *q, uint64_t *tag, campaign_record **rec) {
  campaign_error *err = NULL;
  int kind = CAMPAIGN_OK, rc;
  while ((rc = campaign_queue_next(q, tag, rec, &err)) == CAMPAIGN_E_AGAIN)
    poll_readable(campaign_queue_fd(q));
  CHECK_EQ(rc, CAMPAIGN_OK);
  CHECK((*rec == NULL) != (err == NULL));
  if (err) {
    kind = campaign_error_kind(err);
    check_error(err, kind, NULL);
    campaign_error_free(err);
  }
  return kind;
}

static void test_empty_queue(void) {
  campaign_queue *q = NULL;
  campaign_record *rec = (campaign_record *)&rec;
  campaign_error *err = (campaign_error *)&err;
  uint64_t tag = 5;
  int fd, flags;

  CHECK_EQ(campaign_queue_create(NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_queue_create(&q), CAMPAIGN_OK);
  fd = campaign_queue_fd(q);
  CHECK(fd >= 0);
  CHECK_EQ(campaign_queue_fd(q), fd);
  CHECK_EQ(campaign_queue_fd(NULL), -1);
  flags = fcntl(fd, F_GETFD);
  CHECK(flags >= 0 && (flags & FD_CLOEXEC));

  CHECK(!readable(fd));
  CHECK_EQ(campaign_queue_next(q, &tag, &rec, &err), CAMPAIGN_E_AGAIN);
  CHECK(rec == NULL && err == NULL);
  CHECK_EQ(tag, 5);
  CHECK_EQ(campaign_queue_wait(q, 0), CAMPAIGN_E_AGAIN);
  CHECK_EQ(campaign_queue_wait(q, 20), CAMPAIGN_E_AGAIN);

  /* A wakeup makes the fd readable until a next() finds the queue empty. */
  CHECK_EQ(campaign_queue_wakeup(q), CAMPAIGN_OK);
  CHECK_EQ(campaign_queue_wakeup(q), CAMPAIGN_OK);
  CHECK(readable(fd));
  CHECK_EQ(campaign_queue_wait(q, -1), CAMPAIGN_OK);
  CHECK(readable(fd));
  CHECK_EQ(campaign_queue_next(q, NULL, &rec, &err), CAMPAIGN_E_AGAIN);
  CHECK(!readable(fd));
  CHECK_EQ(campaign_queue_wait(q, 0), CAMPAIGN_E_AGAIN);

  CHECK_EQ(campaign_queue_next(q, &tag, NULL, &err), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_queue_next(q, &tag, &rec, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_queue_next(NULL, &tag, &rec, &err), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_queue_wait(NULL, 0), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_queue_wakeup(NULL), CAMPAIGN_E_NULL_ARGUMENT);
  campaign_queue_free(q);
}

static void *wake_it(void *arg) {
  CHECK_EQ(campaign_queue_wakeup((campaign_queue *)arg), CAMPAIGN_OK);
  return NULL;
}

static campaign_queue *signal_queue;

static void on_sigusr1(int sig) {
  (void)sig;
  campaign_queue_wakeup(signal_queue);
}

static void test_wakeups(void) {
  campaign_queue *q = NULL;
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  pthread_t t;
  struct sigaction sa, old;
  int fd;

  CHECK_EQ(campaign_queue_create(&q), CAMPAIGN_OK);
  fd = campaign_queue_fd(q);

  /* Another thread's wakeup ends a poll() that would otherwise wait 30 s. */
  CHECK_EQ(pthread_create(&t, NULL, wake_it, q), 0);
  poll_readable(fd);
  CHECK_EQ(pthread_join(t, NULL), 0);
  CHECK_EQ(campaign_queue_next(q, NULL, &rec, &err), CAMPAIGN_E_AGAIN);
  CHECK(!readable(fd));

  /* And campaign_queue_wait() too. */
  CHECK_EQ(pthread_create(&t, NULL, wake_it, q), 0);
  CHECK_EQ(campaign_queue_wait(q, 30000), CAMPAIGN_OK);
  CHECK_EQ(pthread_join(t, NULL), 0);
  CHECK_EQ(campaign_queue_next(q, NULL, &rec, &err), CAMPAIGN_E_AGAIN);

  /* From a signal handler. */
  signal_queue = q;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigusr1;
  sigemptyset(&sa.sa_mask);
  CHECK_EQ(sigaction(SIGUSR1, &sa, &old), 0);
  CHECK_EQ(raise(SIGUSR1), 0);
  CHECK(readable(fd));
  CHECK_EQ(campaign_queue_wait(q, 30000), CAMPAIGN_OK);
  CHECK_EQ(campaign_queue_next(q, NULL, &rec, &err), CAMPAIGN_E_AGAIN);
  CHECK(!readable(fd));
  CHECK_EQ(sigaction(SIGUSR1, &old, NULL), 0);
  campaign_queue_free(q);
}

/* 500 requests in flight from this one thread, driven by poll() on the fd. */
static void test_poll_loop(void) {
  enum { N = 500 };
  campaign_client *c = make_client(good.base_url);
  campaign_queue *q = NULL;
  static unsigned char seen[N];
  char id[16];
  int i, done = 0, wakeups = 0, fd;
  uint64_t request = 0;
  campaign_stats st;

  CHECK_EQ(campaign_queue_create(&q), CAMPAIGN_OK);
  fd = campaign_queue_fd(q);
  memset(seen, 0, sizeof seen);
  for (i = 0; i < N; ++i) {
    snprintf(id, sizeof id, "cmp_%06d", i * 3);
    CHECK_EQ(campaign_client_submit_to_queue(c, id, q, (uint64_t)i, &request), CAMPAIGN_OK);
    CHECK(request != 0);
  }
  while (done < N) {
    uint64_t tag = 0;
    campaign_record *rec = NULL;
    campaign_error *err = NULL;
    int rc;
    poll_readable(fd);
    ++wakeups;
    /* Drain everything that is ready; the empty next() quiets the fd. */
    while ((rc = campaign_queue_next(q, &tag, &rec, &err)) == CAMPAIGN_OK) {
      const char *p;
      size_t len;
      CHECK(err == NULL);
      CHECK(tag < N && !seen[tag]);
      seen[tag] = 1;
      snprintf(id, sizeof id, "cmp_%06d", (int)tag * 3);
      CHECK_EQ(campaign_record_get_str(rec, CAMPAIGN_FIELD_ID, &p, &len), CAMPAIGN_OK);
      CHECK_MEM(p, len, id);
      campaign_record_free(rec);
      ++done;
    }
    CHECK_EQ(rc, CAMPAIGN_E_AGAIN);
  }
  CHECK(!readable(fd));
  CHECK(wakeups <= N + 1);
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  CHECK_EQ(campaign_client_stats(c, &st), CAMPAIGN_OK);
  CHECK_EQ(st.requests, N);
  campaign_client_destroy(c);
  campaign_queue_free(q);
}

static void test_queue_errors_and_cancel(void) {
  campaign_client *c = make_client(hang.base_url);
  campaign_queue *q = NULL;
  campaign_record *rec = NULL;
  uint64_t tag = 0, n = 0, r = 9;
  int i, cancelled = 0;

  CHECK_EQ(campaign_queue_create(&q), CAMPAIGN_OK);
  /* An invalid ID is a result in the queue, like any other. */
  CHECK_EQ(campaign_client_submit_to_queue(c, "bad/id", q, 77, NULL), CAMPAIGN_OK);
  CHECK_EQ(campaign_queue_wait(q, 30000), CAMPAIGN_OK);
  CHECK_EQ(take(q, &tag, &rec), CAMPAIGN_E_INVALID_ARGUMENT);
  CHECK_EQ(campaign_queue_next(q, &tag, &rec, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(tag, 77);

  CHECK_EQ(campaign_client_submit_to_queue(c, "cmp_000001", q, 1, &n), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_cancel(c, n), CAMPAIGN_OK);
  CHECK_EQ(take(q, &tag, &rec), CAMPAIGN_E_CANCELLED);
  CHECK_EQ(tag, 1);

  for (i = 0; i < 4; ++i) CHECK_EQ(campaign_client_submit_to_queue(c, "cmp_000002", q, 10 + i, NULL), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_cancel_all(c), CAMPAIGN_OK);
  while (cancelled < 4) {
    campaign_error *err = NULL;
    int rc;
    poll_readable(campaign_queue_fd(q));
    while ((rc = campaign_queue_next(q, &tag, &rec, &err)) == CAMPAIGN_OK) {
      CHECK(tag >= 10 && tag < 14);
      CHECK_EQ(campaign_error_kind(err), CAMPAIGN_E_CANCELLED);
      campaign_error_free(err);
      ++cancelled;
    }
  }

  CHECK_EQ(campaign_client_submit_to_queue(c, NULL, q, 0, &r), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(r, 0);
  CHECK_EQ(campaign_client_submit_to_queue(c, "cmp_000001", NULL, 0, NULL), CAMPAIGN_E_NULL_ARGUMENT);
  CHECK_EQ(campaign_client_submit_to_queue(NULL, "cmp_000001", q, 0, NULL), CAMPAIGN_E_NULL_ARGUMENT);

  /* Destroying the client delivers `cancelled` for what is in flight; the
   * queue keeps those results until it is freed (which frees them). */
  for (i = 0; i < 3; ++i) CHECK_EQ(campaign_client_submit_to_queue(c, "cmp_000003", q, 20 + i, NULL), CAMPAIGN_OK);
  campaign_client_destroy(c);
  CHECK_EQ(campaign_queue_wait(q, 0), CAMPAIGN_OK);
  CHECK_EQ(take(q, &tag, &rec), CAMPAIGN_E_CANCELLED);
  CHECK(tag >= 20 && tag < 23);
  campaign_queue_free(q); /* two results still inside */
}

static void test_free_queue_first(void) {
  campaign_client *c = make_client(hang.base_url);
  campaign_client *g = make_client(good.base_url);
  campaign_queue *q = NULL;
  int i;
  CHECK_EQ(campaign_queue_create(&q), CAMPAIGN_OK);
  for (i = 0; i < 5; ++i) CHECK_EQ(campaign_client_submit_to_queue(c, "cmp_000004", q, i, NULL), CAMPAIGN_OK);
  for (i = 0; i < 20; ++i) CHECK_EQ(campaign_client_submit_to_queue(g, "cmp_000005", q, i, NULL), CAMPAIGN_OK);
  /* Freed while requests still deliver into it: late results are dropped. */
  campaign_queue_free(q);
  campaign_client_destroy(g);
  campaign_client_destroy(c);
}

/* In a forked child the queue starts afresh on the same descriptor number;
 * the parent's queue and results are untouched. */
static void test_fork(void) {
  campaign_client *c = make_client(good.base_url);
  campaign_queue *q = NULL;
  campaign_record *rec = NULL;
  uint64_t tag = 0;
  int fd, status = 0;
  pid_t pid;

  CHECK_EQ(campaign_queue_create(&q), CAMPAIGN_OK);
  fd = campaign_queue_fd(q);
  CHECK_EQ(campaign_client_submit_to_queue(c, "cmp_000001", q, 1, NULL), CAMPAIGN_OK);
  CHECK_EQ(campaign_queue_wait(q, 30000), CAMPAIGN_OK); /* a result waits */

  pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    /* No CHECK here: a failing child must not stop the parent's mocks. */
    campaign_error *err = NULL;
    int ok = campaign_queue_fd(q) == fd;
    struct pollfd p;
    p.fd = fd;
    p.events = POLLIN;
    ok = ok && poll(&p, 1, 0) == 0; /* the parent's readiness is not inherited */
    ok = ok && campaign_queue_next(q, &tag, &rec, &err) == CAMPAIGN_E_AGAIN;
    ok = ok && campaign_queue_wakeup(q) == CAMPAIGN_OK;
    ok = ok && campaign_queue_wait(q, 0) == CAMPAIGN_OK;
    ok = ok && campaign_queue_next(q, &tag, &rec, &err) == CAMPAIGN_E_AGAIN;
    ok = ok && campaign_queue_wait(q, 0) == CAMPAIGN_E_AGAIN;
    /* exec, not exit: under valgrind the child would otherwise report as
     * leaked what only the parent's (absent) threads refer to. */
    execl(ok ? "/bin/true" : "/bin/false", ok ? "true" : "false", (char *)NULL);
    _exit(2);
  }
  while (waitpid(pid, &status, 0) < 0) CHECK(errno == EINTR);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  CHECK(readable(fd));
  CHECK_EQ(take(q, &tag, &rec), CAMPAIGN_OK);
  CHECK_EQ(tag, 1);
  campaign_record_free(rec);
  campaign_client_destroy(c);
  campaign_queue_free(q);
}

int main(void) {
  static const char *const fhang[] = {"--fault", "hang", NULL};
  RUN(test_empty_queue);
  RUN(test_wakeups);
  mock_start(&good, NULL);
  mock_start(&hang, fhang);
  RUN(test_poll_loop);
  RUN(test_queue_errors_and_cancel);
  RUN(test_free_queue_first);
  RUN(test_fork);
  mock_stop(&hang);
  mock_stop(&good);
  return 0;
}
