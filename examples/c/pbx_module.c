/*
 * pbx_module.c: the shape of a PBX module (Asterisk, FreeSWITCH, ...) that
 * looks campaigns up on the call path without ever blocking its event loop.
 *
 *   load    options with the fail-fast preset (an answer within ~2 s) and a
 *           log hook that prefixes the library's lines, then a client and a
 *           completion queue;
 *   run     one poll() loop serves the PBX's own work (here a fake "call"
 *           timer ticking every 100 ms) and the queue's descriptor, while
 *           the lookups are in flight;
 *   unload  destroy the client (in-flight lookups complete as cancelled),
 *           then free the queue. SIGINT/SIGTERM unload early: the handler
 *           sets a flag and calls campaign_queue_wakeup(), and the loop reads
 *           the flag after each drain (the rule in campaign.h: a flag read
 *           before the drain can miss the wakeup the drain consumed).
 *
 * Usage: CAMPAIGN_BASE_URL=http://127.0.0.1:PORT/v1 CAMPAIGN_API_KEY=KEY \
 *          pbx_module cmp_000001 cmp_000002 ...
 */
#define _POSIX_C_SOURCE 200809L

#include <campaign.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TICK_MS 100

static campaign_client *client;
static campaign_queue *queue;
static volatile sig_atomic_t stopping;

/* Async-signal-safe: a flag, then the wakeup that makes the loop look at it. */
static void on_stop(int sig) {
  (void)sig;
  stopping = 1;
  campaign_queue_wakeup(queue);
}

/* The host's logger; a real module would call its PBX's log function. */
static void pbx_log(void *prefix, int level, const char *message) {
  static const char *const names[] = {"DEBUG", "INFO", "WARNING", "ERROR"};
  fprintf(stderr, "%s %s: %s\n", (const char *)prefix,
          level >= 0 && level <= 3 ? names[level] : "?", message);
}

static int module_load(void) {
  campaign_options *o = NULL;
  campaign_error *err = NULL;
  const char *url = getenv("CAMPAIGN_BASE_URL"), *key = getenv("CAMPAIGN_API_KEY");
  int rc;
  if (!url || !key) {
    fprintf(stderr, "pbx_module: set CAMPAIGN_BASE_URL and CAMPAIGN_API_KEY\n");
    return -1;
  }
  if (campaign_options_create(&o) != CAMPAIGN_OK) return -1;
  campaign_options_set_str(o, CAMPAIGN_OPT_BASE_URL, url);
  campaign_options_set_str(o, CAMPAIGN_OPT_API_KEY, key);
  campaign_options_preset_fail_fast(o);
  campaign_options_set_log(o, pbx_log, (void *)"[campaign]");
  rc = campaign_client_create(o, &client, &err);
  campaign_options_free(o); /* the client keeps its own copy */
  if (rc != CAMPAIGN_OK) {
    fprintf(stderr, "pbx_module: %s: %s\n", campaign_error_kind_name(rc), campaign_error_message(err));
    campaign_error_free(err);
    return -1;
  }
  if (campaign_queue_create(&queue) != CAMPAIGN_OK) return -1;
  return 0;
}

static int drain_results(char **ids);

/* Returns how many lookups were still in flight (delivered as cancelled). */
static int module_unload(char **ids) {
  int cancelled;
  /* Client first: it delivers what is in flight into the queue, as cancelled. */
  campaign_client_destroy(client);
  cancelled = drain_results(ids);
  campaign_queue_free(queue);
  return cancelled;
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Takes every result that is ready; returns how many. */
static int drain_results(char **ids) {
  uint64_t tag;
  campaign_record *rec;
  campaign_error *err;
  int n = 0;
  while (campaign_queue_next(queue, &tag, &rec, &err) == CAMPAIGN_OK) {
    if (rec) {
      const char *name = "";
      size_t len = 0;
      int status = CAMPAIGN_STATUS_UNKNOWN;
      double progress = 0;
      campaign_record_get_str(rec, CAMPAIGN_FIELD_NAME, &name, &len);
      campaign_record_status(rec, &status);
      campaign_record_progress(rec, &progress);
      printf("%s: \"%.*s\" %s, %.0f%% done -> %s\n", ids[tag], (int)len, name,
             status == CAMPAIGN_STATUS_RUNNING ? "running" : "not running", progress * 100,
             status == CAMPAIGN_STATUS_RUNNING ? "route the call to the agent" : "play the closed prompt");
      campaign_record_free(rec);
    } else {
      printf("%s: lookup failed (%s): %s -> play the fallback prompt\n", ids[tag],
             campaign_error_kind_name(campaign_error_kind(err)), campaign_error_message(err));
      campaign_error_free(err);
    }
    ++n;
  }
  return n;
}

int main(int argc, char **argv) {
  int i, pending = argc - 1, ticks = 0;
  long long next_tick;
  struct sigaction stop;
  if (argc < 2) {
    fprintf(stderr, "usage: pbx_module CAMPAIGN_ID...\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0); /* a log: each line as it happens */
  if (module_load() != 0) return 1;
  memset(&stop, 0, sizeof stop);
  stop.sa_handler = on_stop;
  sigemptyset(&stop.sa_mask);
  sigaction(SIGINT, &stop, NULL);
  sigaction(SIGTERM, &stop, NULL);

  for (i = 1; i < argc; ++i) campaign_client_submit_to_queue(client, argv[i], queue, (uint64_t)i, NULL);

  next_tick = now_ms() + TICK_MS;
  while (pending > 0) {
    struct pollfd p;
    long long wait = next_tick - now_ms();
    int n;
    p.fd = campaign_queue_fd(queue);
    p.events = POLLIN;
    p.revents = 0;
    n = poll(&p, 1, wait > 0 ? (int)wait : 0);
    if (n < 0 && errno != EINTR) break;
    if (n > 0) pending -= drain_results(argv);
    if (stopping) break; /* read after the drain, never before it */
    if (now_ms() >= next_tick) {
      /* The PBX's own work goes on while lookups are in flight. */
      printf("call timer: tick %d, %d lookup(s) in flight\n", ++ticks, pending);
      next_tick += TICK_MS;
    }
  }
  if (stopping) printf("stopping: %d lookup(s) in flight\n", pending);
  pending -= module_unload(argv);
  if (stopping) printf("stopped: %d lookup(s) unanswered\n", pending);
  return 0;
}
