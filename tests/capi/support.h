/* Helpers for the C tests of campaign.h: checks, a campaign-mock child
 * process, and the API-key canary. C99. */
#ifndef CAMPAIGN_CAPI_TEST_SUPPORT_H
#define CAMPAIGN_CAPI_TEST_SUPPORT_H

#include <campaign.h>

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* The key the mock accepts; it must never show up in a message or log line. */
#define TEST_KEY "sk_canary_c_4d2e"
#define FORBIDDEN_KEY "sk_forbidden"

void test_fail(const char *file, int line, const char *what);
void test_fail_int(const char *file, int line, const char *what, long long got, long long want);

#define CHECK(cond) \
  do { \
    if (!(cond)) test_fail(__FILE__, __LINE__, #cond); \
  } while (0)
#define CHECK_EQ(got, want) \
  do { \
    long long got_ = (long long)(got), want_ = (long long)(want); \
    if (got_ != want_) test_fail_int(__FILE__, __LINE__, #got " == " #want, got_, want_); \
  } while (0)
#define CHECK_STR(got, want) CHECK(strcmp((got), (want)) == 0)
/* A (pointer, length) pair equals a C string. */
#define CHECK_MEM(ptr, len, want) CHECK((len) == strlen(want) && memcmp((ptr), (want), (len)) == 0)

#define RUN(test) \
  do { \
    fprintf(stderr, "-- %s\n", #test); \
    test(); \
  } while (0)

typedef struct mock_server {
  pid_t pid;
  int port;
  char base_url[64]; /* http://127.0.0.1:PORT/v1 (https with --tls-cert) */
} mock_server;

/* Starts campaign-mock with the common arguments (2000 generated records,
 * TEST_KEY accepted, FORBIDDEN_KEY forbidden) plus `extra` (NULL-terminated,
 * or NULL), and waits for its "listening on" line. */
void mock_start(mock_server *m, const char *const *extra);
/* SIGTERM, then reaps it; the mock must exit cleanly. */
void mock_stop(mock_server *m);
/* Lines of the file at `path` that contain `needle` (0 if there is no file):
 * counts what campaign-mock's --request-log saw. */
int count_in_file(const char *path, const char *needle);
/* CLOCK_MONOTONIC, in seconds. */
double now_seconds(void);
/* A path for a temporary file of this process ($TMPDIR or /tmp); removed first. */
void temp_path(char *buf, size_t size, const char *name);

/* Every wait is bounded: a deadline `seconds` from now for cond_wait_until(),
 * which waits on `cond` like pthread_cond_wait() but fails the test with
 * `what` once the deadline has passed. */
struct timespec deadline_in(int seconds);
void cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline,
                     const char *what);

/* A loopback port nobody listens on (bound, then closed). */
int closed_port(void);

/* Options for base_url with `key`, no retries, a 10 s timeout. */
campaign_options *test_options(const char *base_url, const char *key);
/* Fails the test when text holds TEST_KEY (or `also`, if not NULL). */
void check_no_key(const char *text, size_t len, const char *also);
/* The error's kind is `kind`, and neither message nor body holds a key. */
void check_error(const campaign_error *err, int kind, const char *also_key);

/* A log hook that checks every line for the key and counts them. */
void test_log_hook(void *user_data, int level, const char *message);
int test_log_lines(void);

#endif
