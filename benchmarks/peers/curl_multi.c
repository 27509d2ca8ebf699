/* curl_multi: libcurl's multi interface as a benchmark peer.
 *
 * N easy handles, each kept (so its keep-alive connection is reused) and
 * re-armed with the next ID as soon as it finishes; one thread,
 * curl_multi_poll. Each body is checked for its id with a cheap string
 * search ("\"cmp_000123\""), nothing is decoded.
 *
 * --retry-429 (the rate-limit baseline): a 429 is not a failure but parks
 * its handle until the response's Retry-After (CURLINFO_RETRY_AFTER; 1 s
 * when the header is absent) and then sends the same ID again, up to
 * MAX_TRIES tries per ID. Each handle waits on its own: no shared state,
 * which is what a libcurl user gets without writing a limiter.
 *
 *   curl_multi URL_PREFIX API_KEY IDS_FILE CONCURRENCY [--retry-429]
 *   (requests go to URL_PREFIX/campaigns/ID; prints one JSON line)
 */
#define _GNU_SOURCE
#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
  CURL* easy;
  char* body;
  size_t len, cap;
  size_t id_index;
  int tries;        /* requests sent for this ID */
  double resume_at; /* parked (after a 429) until then; 0 when not parked */
};

#define MAX_TRIES 100

static char** ids;
static size_t id_count;

static size_t on_data(char* ptr, size_t size, size_t nmemb, void* user) {
  struct slot* s = user;
  size_t n = size * nmemb;
  if (s->len + n > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 1024;
    while (cap < s->len + n) cap *= 2;
    char* b = realloc(s->body, cap);
    if (!b) return 0;
    s->body = b;
    s->cap = cap;
  }
  memcpy(s->body + s->len, ptr, n);
  s->len += n;
  return n;
}

static char* read_ids(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = malloc((size_t)size + 1);
  if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
    fclose(f);
    return NULL;
  }
  fclose(f);
  text[size] = 0;
  size_t cap = 1024;
  ids = malloc(cap * sizeof *ids);
  for (char* line = strtok(text, "\r\n"); line; line = strtok(NULL, "\r\n")) {
    if (id_count == cap) ids = realloc(ids, (cap *= 2) * sizeof *ids);
    ids[id_count++] = line;
  }
  return text;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  int retry_429 = argc == 6 && strcmp(argv[5], "--retry-429") == 0;
  if (argc != 5 && !retry_429) {
    fprintf(stderr, "usage: curl_multi URL_PREFIX API_KEY IDS_FILE CONCURRENCY [--retry-429]\n");
    return 2;
  }
  const char* prefix = argv[1];
  int concurrency = atoi(argv[4]);
  if (concurrency < 1 || !read_ids(argv[3])) {
    fprintf(stderr, "curl_multi: bad concurrency or ids file\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)concurrency);
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)concurrency);

  char auth[512];
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", argv[2]);
  struct curl_slist* headers = curl_slist_append(NULL, auth);
  headers = curl_slist_append(headers, "Accept: application/json");

  struct slot* slots = calloc((size_t)concurrency, sizeof *slots);
  size_t next = 0, ok = 0, failed = 0, mismatched = 0, url_cap = strlen(prefix) + 300;
  char* url = malloc(url_cap);
  int active = 0, parked = 0;
  size_t sent = 0, responses_429 = 0, retries = 0;
  double t0 = now();

  for (int i = 0; i < concurrency; ++i) {
    struct slot* s = &slots[i];
    s->easy = curl_easy_init();
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(s->easy, CURLOPT_PRIVATE, s);
    curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(s->easy, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(s->easy, CURLOPT_TCP_KEEPALIVE, 1L);
  }
  /* Arms a slot with the next ID; 0 when there is none left. */
#define ARM(s)                                                          \
  ((next < id_count)                                                    \
       ? ((s)->id_index = next++, (s)->tries = 0, SEND(s), 1)           \
       : 0)
  /* (Re)sends the slot's ID. */
#define SEND(s)                                                         \
  ((s)->len = 0, ++(s)->tries, ++sent,                                  \
   snprintf(url, url_cap, "%s/campaigns/%s", prefix, ids[(s)->id_index]), \
   curl_easy_setopt((s)->easy, CURLOPT_URL, url),                       \
   curl_multi_add_handle(multi, (s)->easy), ++active)
  for (int i = 0; i < concurrency; ++i) ARM(&slots[i]);

  while (active > 0 || parked > 0) {
    if (parked > 0) {
      double t = now();
      for (int i = 0; i < concurrency; ++i) {
        struct slot* s = &slots[i];
        if (s->resume_at > 0 && s->resume_at <= t) {
          s->resume_at = 0;
          --parked;
          ++retries;
          SEND(s);
        }
      }
    }
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) break;
    int queued;
    CURLMsg* m;
    while ((m = curl_multi_info_read(multi, &queued))) {
      if (m->msg != CURLMSG_DONE) continue;
      struct slot* s;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char**)&s);
      long status = 0;
      curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
      CURLcode res = m->data.result;
      curl_multi_remove_handle(multi, s->easy);
      --active;
      if (retry_429 && res == CURLE_OK && status == 429) ++responses_429;
      if (retry_429 && res == CURLE_OK && status == 429 && s->tries < MAX_TRIES) {
        curl_off_t after = 0;
        if (curl_easy_getinfo(s->easy, CURLINFO_RETRY_AFTER, &after) != CURLE_OK || after <= 0) after = 1;
        s->resume_at = now() + (double)after;
        ++parked;
        continue;
      }
      if (res != CURLE_OK || status != 200) {
        if (++failed <= 3) fprintf(stderr, "%s: %s (HTTP %ld)\n", ids[s->id_index], curl_easy_strerror(res), status);
      } else {
        char want[160];
        int n = snprintf(want, sizeof want, "\"%s\"", ids[s->id_index]);
        if (memmem(s->body, s->len, want, (size_t)n)) ++ok;
        else ++mismatched;
      }
      ARM(s);
    }
    int wait_ms = 1000;
    if (parked > 0) {
      double t = now(), soonest = t + 1.0;
      for (int i = 0; i < concurrency; ++i)
        if (slots[i].resume_at > 0 && slots[i].resume_at < soonest) soonest = slots[i].resume_at;
      wait_ms = soonest > t ? (int)((soonest - t) * 1000) + 1 : 0;
    }
    if (active > 0 && running > 0) curl_multi_poll(multi, NULL, 0, wait_ms, NULL);
    else if (active == 0 && parked > 0 && wait_ms > 0) {
      struct timespec ts = {wait_ms / 1000, (long)(wait_ms % 1000) * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
  double t1 = now();
  printf("{\"requests\":%zu,\"ok\":%zu,\"failed\":%zu,\"id_mismatch\":%zu,\"seconds\":%.6f,"
         "\"sent\":%zu,\"responses_429\":%zu,\"retries\":%zu,\"retry_429\":%s}\n",
         id_count, ok, failed, mismatched, t1 - t0, sent, responses_429, retries, retry_429 ? "true" : "false");
  for (int i = 0; i < concurrency; ++i) {
    curl_easy_cleanup(slots[i].easy);
    free(slots[i].body);
  }
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  curl_global_cleanup();
  return (failed || mismatched || ok != id_count) ? 1 : 0;
}
