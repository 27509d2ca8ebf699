/* Helpers for the C tests of campaign.h. */
#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_MOCKS 8

/* Mocks still running, killed when a check fails so none outlives the test. */
static pid_t running[MAX_MOCKS];

static void kill_mocks(void) {
  int i;
  for (i = 0; i < MAX_MOCKS; ++i)
    if (running[i] > 0) kill(running[i], SIGTERM);
}

void test_fail(const char *file, int line, const char *what) {
  fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
  kill_mocks();
  fflush(stderr);
  /* _exit: other threads may be inside the library; do not run destructors. */
  _exit(1);
}

void test_fail_int(const char *file, int line, const char *what, long long got, long long want) {
  fprintf(stderr, "%s:%d: check failed: %s (got %lld, want %lld)\n", file, line, what, got, want);
  kill_mocks();
  fflush(stderr);
  _exit(1);
}

/* Reads one line (without the newline), waiting at most 10 s in total. */
static void read_line(int fd, char *buf, size_t size) {
  size_t n = 0;
  for (;;) {
    struct pollfd p;
    ssize_t r;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    if (poll(&p, 1, 10000) <= 0) test_fail(__FILE__, __LINE__, "campaign-mock did not start in 10 s");
    r = read(fd, buf + n, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) test_fail(__FILE__, __LINE__, "campaign-mock exited before listening");
    if (buf[n] == '\n' || n + 2 == size) break;
    ++n;
  }
  buf[n] = '\0';
}

void mock_start(mock_server *m, const char *const *extra) {
  const char *argv[32];
  int n = 0, fds[2], i;
  char line[128];
  pid_t parent;
  argv[n++] = CAMPAIGN_MOCK_PATH;
  argv[n++] = "--port";
  argv[n++] = "0";
  argv[n++] = "--generate";
  argv[n++] = "2000";
  argv[n++] = "--api-key";
  argv[n++] = TEST_KEY;
  argv[n++] = "--forbidden-key";
  argv[n++] = FORBIDDEN_KEY;
  while (extra && *extra && n < 31) argv[n++] = *extra++;
  argv[n] = NULL;

  CHECK(pipe(fds) == 0);
  CHECK(fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0);
  CHECK(fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0);
  parent = getpid();
  m->pid = fork();
  CHECK(m->pid >= 0);
  if (m->pid == 0) {
    /* Only async-signal-safe calls between fork and exec (threads exist).
     * The mock dies with the test, even when a timeout kills the test. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    dup2(fds[1], STDOUT_FILENO);
    execv(CAMPAIGN_MOCK_PATH, (char *const *)argv);
    _exit(127);
  }
  close(fds[1]);
  for (i = 0; i < MAX_MOCKS; ++i)
    if (running[i] == 0) {
      running[i] = m->pid;
      break;
    }
  read_line(fds[0], line, sizeof line);
  close(fds[0]);
  {
    /* "listening on http://127.0.0.1:PORT", or https with --tls-cert */
    char scheme[8] = "";
    CHECK(sscanf(line, "listening on %5[a-z]://127.0.0.1:%d", scheme, &m->port) == 2);
    CHECK(strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
    snprintf(m->base_url, sizeof m->base_url, "%s://127.0.0.1:%d/v1", scheme, m->port);
  }
}

void mock_stop(mock_server *m) {
  int status = 0, i;
  CHECK(kill(m->pid, SIGTERM) == 0);
  while (waitpid(m->pid, &status, 0) < 0) CHECK(errno == EINTR);
  for (i = 0; i < MAX_MOCKS; ++i)
    if (running[i] == m->pid) running[i] = 0;
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int closed_port(void) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  int s = socket(AF_INET, SOCK_STREAM, 0), port;
  CHECK(s >= 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
  CHECK(getsockname(s, (struct sockaddr *)&a, &len) == 0);
  port = ntohs(a.sin_port);
  close(s); /* never listened: connecting is refused */
  return port;
}

campaign_options *test_options(const char *base_url, const char *key) {
  campaign_options *o = NULL;
  CHECK_EQ(campaign_options_create(&o), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_str(o, CAMPAIGN_OPT_BASE_URL, base_url), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_str(o, CAMPAIGN_OPT_API_KEY, key), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_MAX_RETRIES, 0), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_TIMEOUT_MS, 10000), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_log(o, test_log_hook, NULL), CAMPAIGN_OK);
  return o;
}

static int contains(const char *text, size_t len, const char *needle) {
  size_t k = strlen(needle), i;
  for (i = 0; k <= len && i <= len - k; ++i)
    if (memcmp(text + i, needle, k) == 0) return 1;
  return 0;
}

void check_no_key(const char *text, size_t len, const char *also) {
  CHECK(text != NULL);
  CHECK(!contains(text, len, TEST_KEY));
  if (also) CHECK(!contains(text, len, also));
}

void check_error(const campaign_error *err, int kind, const char *also_key) {
  const char *body, *msg;
  size_t body_len = 0;
  CHECK(err != NULL);
  msg = campaign_error_message(err);
  if (campaign_error_kind(err) != kind)
    fprintf(stderr, "unexpected error: %s: %s\n", campaign_error_kind_name(campaign_error_kind(err)), msg);
  CHECK_EQ(campaign_error_kind(err), kind);
  CHECK(msg[0] != '\0');
  check_no_key(msg, strlen(msg), also_key);
  body = campaign_error_body(err, &body_len);
  CHECK(body != NULL);
  check_no_key(body, body_len, also_key);
  CHECK(campaign_error_request_id(err) != NULL);
}

static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
static int log_lines;

void test_log_hook(void *user_data, int level, const char *message) {
  (void)user_data;
  CHECK(level >= CAMPAIGN_LOG_DEBUG && level <= CAMPAIGN_LOG_ERROR);
  check_no_key(message, strlen(message), NULL);
  pthread_mutex_lock(&log_mutex);
  ++log_lines;
  pthread_mutex_unlock(&log_mutex);
}

int test_log_lines(void) {
  int n;
  pthread_mutex_lock(&log_mutex);
  n = log_lines;
  pthread_mutex_unlock(&log_mutex);
  return n;
}

int count_in_file(const char *path, const char *needle) {
  FILE *f = fopen(path, "r");
  char line[8192];
  int n = 0;
  if (!f) return 0; /* not created yet: nothing logged */
  while (fgets(line, sizeof line, f))
    if (strstr(line, needle)) ++n;
  fclose(f);
  return n;
}

double now_seconds(void) {
  struct timespec t;
  CHECK(clock_gettime(CLOCK_MONOTONIC, &t) == 0);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void temp_path(char *buf, size_t size, const char *name) {
  const char *dir = getenv("TMPDIR");
  snprintf(buf, size, "%s/campaign-capi-%ld-%s", dir && *dir ? dir : "/tmp", (long)getpid(), name);
  unlink(buf); /* a fresh file per run */
}

struct timespec deadline_in(int seconds) {
  struct timespec t;
  CHECK(clock_gettime(CLOCK_REALTIME, &t) == 0); /* pthread_cond_timedwait's clock */
  t.tv_sec += seconds;
  return t;
}

void cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline,
                     const char *what) {
  int rc = pthread_cond_timedwait(cond, mutex, deadline);
  if (rc == ETIMEDOUT) {
    pthread_mutex_unlock(mutex);
    test_fail(__FILE__, __LINE__, what);
  }
  CHECK(rc == 0);
}
