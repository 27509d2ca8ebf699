/*
 * campaign.h: the stable C interface of the campaign library.
 *
 * Fetches and decodes calling-campaign records (GET {base}/campaigns/{id})
 * from C, and from any language that can call C (Python, Go, PBX modules).
 *
 * Stability. Everything declared outside CAMPAIGN_STATIC_LINKING_ONLY is
 * stable for the whole 1.x series of libcampaign.so.1: functions are never
 * removed or changed, enum values never move (new ones are appended), and
 * structs that cross the boundary carry their own size as first member and
 * only ever grow at the end. Handles are opaque and stay opaque.
 *
 * Conventions (one for the whole header).
 *  - Names: campaign_<noun>_<verb>; macros and enum values CAMPAIGN_*.
 *  - Every fallible function returns an int code: CAMPAIGN_OK (0) or a
 *    campaign_code below. Outputs come through pointers, `out` last but
 *    before a trailing campaign_error** where one exists.
 *  - A campaign_error** parameter may be NULL. When not NULL and the call
 *    fails with a fetch or decode error, *err receives an error object the
 *    caller frees with campaign_error_free(); otherwise *err is set to NULL.
 *  - Objects returned through ** belong to the caller and are freed with
 *    their type's _free()/_destroy() function, which accepts NULL. Buffers
 *    the library allocates (char **) are freed with campaign_free().
 *  - Pointers returned directly (const char *) are borrowed from the object
 *    they came from and stay valid until that object is freed.
 *  - Strings in are NUL-terminated UTF-8; strings out are NUL-terminated
 *    where the text says so, else (pointer, length) pairs.
 *  - No function needs a global init. None installs signal handlers, writes
 *    to stdout/stderr, or registers atexit handlers. No C++ exception ever
 *    crosses this boundary (C++ callers see every function as noexcept).
 *  - A NULL handle or required pointer gives CAMPAIGN_E_NULL_ARGUMENT (free
 *    functions ignore NULL; getters that return a value give a neutral one).
 *
 * Threads. A campaign_client may be used from any number of threads at once.
 * A campaign_record and a campaign_error are immutable: share them freely.
 * A campaign_options belongs to one thread at a time.
 * A campaign_queue may be filled by any thread; drain it from one thread at a
 * time. campaign_queue_wakeup() is safe from any thread, and from a signal
 * handler. Callbacks (done, log) run on the library's I/O threads: they must
 * not block and must not destroy the client they belong to.
 *
 * fork(). A client (or queue) used in a forked child closes its copies of
 * the inherited connections without writing to them and starts afresh. A
 * queue's descriptor keeps its number (a fresh eventfd) and the parent's
 * results are dropped; make the child's first call on it from one thread,
 * and not campaign_queue_wakeup().
 */
#ifndef CAMPAIGN_H
#define CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CAMPAIGN_BUILDING) && defined(__GNUC__)
#define CAMPAIGN_API __attribute__((visibility("default")))
#else
#define CAMPAIGN_API
#endif

/* Seen from C++, no function of this header ever throws. */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define CAMPAIGN_NOEXCEPT noexcept
#else
#define CAMPAIGN_NOEXCEPT
#endif

/* ------------------------------------------------------------------------ */
/* Versions                                                                  */

#define CAMPAIGN_VERSION_MAJOR 0
#define CAMPAIGN_VERSION_MINOR 1
#define CAMPAIGN_VERSION_PATCH 0
#define CAMPAIGN_VERSION_STRING "0.1.0"
/* MAJOR*10000 + MINOR*100 + PATCH, for #if comparisons. */
#define CAMPAIGN_VERSION_NUMBER \
  (CAMPAIGN_VERSION_MAJOR * 10000 + CAMPAIGN_VERSION_MINOR * 100 + CAMPAIGN_VERSION_PATCH)
/* The ABI generation: the N of libcampaign.so.N. */
#define CAMPAIGN_ABI_VERSION 1

/* The library's version at run time (compare with the macros). */
CAMPAIGN_API unsigned campaign_version_number(void) CAMPAIGN_NOEXCEPT;
/* "0.1.0"; static storage. */
CAMPAIGN_API const char *campaign_version(void) CAMPAIGN_NOEXCEPT;
/* CAMPAIGN_ABI_VERSION of the loaded library: bindings check it on load. */
CAMPAIGN_API int campaign_abi_version(void) CAMPAIGN_NOEXCEPT;

#define CAMPAIGN_FEATURE_TLS 1u     /* https:// base URLs work */
#define CAMPAIGN_FEATURE_THREADS 2u /* clients are safe to share between threads */
/* A bit set of CAMPAIGN_FEATURE_*. */
CAMPAIGN_API unsigned campaign_features(void) CAMPAIGN_NOEXCEPT;

/* ------------------------------------------------------------------------ */
/* Codes and error kinds                                                     */

/*
 * Return codes. 1..14 are the error kinds of the API contract (docs/api.md) and
 * equal campaign_error_kind() of the error that came with them; 100 and up
 * are about the call itself. Append-only.
 */
typedef enum campaign_code {
  CAMPAIGN_OK = 0,
  CAMPAIGN_E_INVALID_ARGUMENT = 1, /* bad ID, option, or argument: nothing was sent */
  CAMPAIGN_E_NOT_FOUND = 2,        /* HTTP 404 */
  CAMPAIGN_E_UNAUTHORIZED = 3,     /* HTTP 401 */
  CAMPAIGN_E_FORBIDDEN = 4,        /* HTTP 403 */
  CAMPAIGN_E_RATE_LIMITED = 5,     /* HTTP 429, after retries */
  CAMPAIGN_E_SERVER_ERROR = 6,     /* HTTP 5xx, after retries */
  CAMPAIGN_E_HTTP_ERROR = 7,       /* any other non-2xx status (redirects included) */
  CAMPAIGN_E_TIMEOUT = 8,          /* a deadline passed */
  CAMPAIGN_E_NETWORK = 9,          /* connect, reset, EOF before the response was complete */
  CAMPAIGN_E_TLS = 10,             /* handshake or certificate verification */
  CAMPAIGN_E_TOO_LARGE = 11,       /* body over the configured limit */
  CAMPAIGN_E_INVALID_RESPONSE = 12,/* not HTTP, bad JSON, wrong field types */
  CAMPAIGN_E_CANCELLED = 13,       /* cancelled by the caller */
  CAMPAIGN_E_INTERNAL = 14,        /* a bug, or out of memory */

  CAMPAIGN_E_UNKNOWN_OPTION = 100, /* option key this library does not know */
  CAMPAIGN_E_AGAIN = 101,          /* nothing ready yet (non-blocking calls) */
  CAMPAIGN_E_ABSENT = 102,         /* the record does not have this field (absent or null) */
  CAMPAIGN_E_NULL_ARGUMENT = 103   /* a required pointer argument was NULL */
} campaign_code;

/* A short description of a code ("not found"); static, never NULL. */
CAMPAIGN_API const char *campaign_strerror(int code) CAMPAIGN_NOEXCEPT;
/* The contract's name of an error kind ("not_found"; "ok" for 0; "unknown"
 * otherwise); static, never NULL. */
CAMPAIGN_API const char *campaign_error_kind_name(int kind) CAMPAIGN_NOEXCEPT;

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

typedef struct campaign_error campaign_error;

/* The kind (CAMPAIGN_E_INVALID_ARGUMENT .. CAMPAIGN_E_INTERNAL). A NULL err
 * gives CAMPAIGN_E_NULL_ARGUMENT here, and 0, "", -1 from the getters below. */
CAMPAIGN_API int campaign_error_kind(const campaign_error *err) CAMPAIGN_NOEXCEPT;
/* The status line's code, or 0 when no response came. */
CAMPAIGN_API int campaign_error_http_status(const campaign_error *err) CAMPAIGN_NOEXCEPT;
/* NUL-terminated, never NULL, never containing the API key. */
CAMPAIGN_API const char *campaign_error_message(const campaign_error *err) CAMPAIGN_NOEXCEPT;
/* The response's X-Request-Id, "" when none. */
CAMPAIGN_API const char *campaign_error_request_id(const campaign_error *err) CAMPAIGN_NOEXCEPT;
/* Attempts made (0 when nothing was sent). */
CAMPAIGN_API int campaign_error_attempts(const campaign_error *err) CAMPAIGN_NOEXCEPT;
/* The wait the server asked for in milliseconds, or -1 when it did not. */
CAMPAIGN_API int64_t campaign_error_retry_after_ms(const campaign_error *err) CAMPAIGN_NOEXCEPT;
/* The raw error body (not NUL-terminated; may be empty). `len` may be NULL. */
CAMPAIGN_API const char *campaign_error_body(const campaign_error *err,
                                             size_t *len) CAMPAIGN_NOEXCEPT;
CAMPAIGN_API void campaign_error_free(campaign_error *err) CAMPAIGN_NOEXCEPT;

/* The API key's rate limit as last seen (docs/api.md, "Rate limits"), from
 * the X-RateLimit-* headers. Set struct_size first (at least 8); only
 * members that fit whole are written, as for campaign_record_fields(). */
typedef struct campaign_rate_limit {
  uint32_t struct_size; /* in: sizeof(campaign_rate_limit) as the caller knows it */
  uint32_t present;     /* out: CAMPAIGN_RATE_LIMIT_HAS_* bits; absent members are 0 */
  int64_t limit;        /* X-RateLimit-Limit: requests per window */
  int64_t remaining;    /* X-RateLimit-Remaining */
  int64_t reset_ms;     /* when the window resets: Unix ms, on this machine's clock */
} campaign_rate_limit;
enum {
  CAMPAIGN_RATE_LIMIT_HAS_LIMIT = 1,
  CAMPAIGN_RATE_LIMIT_HAS_REMAINING = 2,
  CAMPAIGN_RATE_LIMIT_HAS_RESET = 4
};
/* The state when the error happened. CAMPAIGN_E_ABSENT when the server sent
 * no X-RateLimit header for this key (present is then 0). */
CAMPAIGN_API int campaign_error_rate_limit(const campaign_error *err,
                                           campaign_rate_limit *out) CAMPAIGN_NOEXCEPT;

/* ------------------------------------------------------------------------ */
/* Records                                                                   */

typedef struct campaign_record campaign_record;

/* Fields of the record (docs/api.md), for campaign_record_has() and the getters. */
typedef enum campaign_field {
  CAMPAIGN_FIELD_ID = 0,
  CAMPAIGN_FIELD_ORG_ID = 1,
  CAMPAIGN_FIELD_NAME = 2,
  CAMPAIGN_FIELD_AGENT_ID = 3,
  CAMPAIGN_FIELD_FROM_PHONE_NUMBER = 4,
  CAMPAIGN_FIELD_STATUS = 5,
  CAMPAIGN_FIELD_MAX_CONCURRENT_CALLS = 6,
  CAMPAIGN_FIELD_SCHEDULED_AT = 7,
  CAMPAIGN_FIELD_RETRY_CONFIG = 8,
  CAMPAIGN_FIELD_TOTAL_LEADS = 9,
  CAMPAIGN_FIELD_COMPLETED_CALLS = 10,
  CAMPAIGN_FIELD_PENDING_CALLS = 11,
  CAMPAIGN_FIELD_CREATED_AT = 12,
  CAMPAIGN_FIELD_RETRY_MAX_RETRIES = 13,      /* retry_config.max_retries */
  CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES = 14  /* retry_config.retry_interval_minutes */
} campaign_field;

/* Lifecycle states; an unknown state keeps its text (status_text). */
typedef enum campaign_status {
  CAMPAIGN_STATUS_UNKNOWN = 0,
  CAMPAIGN_STATUS_DRAFT = 1,
  CAMPAIGN_STATUS_ACTIVE = 2,
  CAMPAIGN_STATUS_RUNNING = 3,
  CAMPAIGN_STATUS_PAUSED = 4,
  CAMPAIGN_STATUS_COMPLETED = 5,
  CAMPAIGN_STATUS_CANCELLED = 6
} campaign_status;

/* Decodes a response body without the network: the `len` bytes at `json`
 * (NULL only with len 0), copied. Errors: CAMPAIGN_E_INVALID_RESPONSE
 * naming the field. */
CAMPAIGN_API int campaign_record_parse(const char *json, size_t len, campaign_record **out,
                                       campaign_error **err) CAMPAIGN_NOEXCEPT;
CAMPAIGN_API void campaign_record_free(campaign_record *rec) CAMPAIGN_NOEXCEPT;

/* 1 when the field is present (not absent, not null), else 0. */
CAMPAIGN_API int campaign_record_has(const campaign_record *rec, int field) CAMPAIGN_NOEXCEPT;
/* String fields (ID, ORG_ID, NAME, AGENT_ID, FROM_PHONE_NUMBER, STATUS: its
 * text). *ptr is borrowed and not NUL-terminated. CAMPAIGN_E_ABSENT when
 * absent; CAMPAIGN_E_INVALID_ARGUMENT for a field that is not a string. */
CAMPAIGN_API int campaign_record_get_str(const campaign_record *rec, int field, const char **ptr,
                                         size_t *len) CAMPAIGN_NOEXCEPT;
/* Integer fields, and timestamps (SCHEDULED_AT, CREATED_AT) as milliseconds
 * since the Unix epoch, UTC. Same codes as campaign_record_get_str(). */
CAMPAIGN_API int campaign_record_get_int(const campaign_record *rec, int field,
                                         int64_t *out) CAMPAIGN_NOEXCEPT;
/* The campaign_status; CAMPAIGN_E_ABSENT when the record has none. */
CAMPAIGN_API int campaign_record_status(const campaign_record *rec, int *out) CAMPAIGN_NOEXCEPT;

/* Every field in one call (for bindings: one foreign call per record). */
typedef struct campaign_strview {
  const char *ptr; /* NULL when absent; not NUL-terminated */
  size_t len;
} campaign_strview;

typedef struct campaign_fields {
  uint32_t struct_size; /* in: sizeof(campaign_fields) as the caller knows it */
  uint32_t present;     /* out: bit (1u << CAMPAIGN_FIELD_x) per present field */
  int32_t status;       /* campaign_status (UNKNOWN when absent: see `present`) */
  int32_t reserved0;
  campaign_strview id, org_id, name, agent_id, from_phone_number, status_text;
  int64_t max_concurrent_calls, scheduled_at_ms, total_leads, completed_calls, pending_calls,
      created_at_ms, retry_max_retries, retry_interval_minutes;
  /* New members are appended here; the library fills no more than struct_size bytes. */
} campaign_fields;

/* Fills `out` (set out->struct_size first). Strings are borrowed from rec;
 * absent fields give {NULL, 0} and 0 (see `present`). Only members that fit
 * whole in struct_size are written, and nothing past this library's own
 * campaign_fields. struct_size < 8: CAMPAIGN_E_INVALID_ARGUMENT. */
CAMPAIGN_API int campaign_record_fields(const campaign_record *rec,
                                        campaign_fields *out) CAMPAIGN_NOEXCEPT;

/* completed_calls / total_leads in [0, 1]. CAMPAIGN_E_ABSENT when undefined. */
CAMPAIGN_API int campaign_record_progress(const campaign_record *rec,
                                          double *out) CAMPAIGN_NOEXCEPT;
/* Time for the pending calls at max_concurrent_calls, given an average call
 * length: ceil(pending / concurrency) * avg_call_ms. CAMPAIGN_E_ABSENT when
 * undefined (a count absent, concurrency <= 0, avg_call_ms < 0). */
CAMPAIGN_API int campaign_record_eta_ms(const campaign_record *rec, int64_t avg_call_ms,
                                        int64_t *out) CAMPAIGN_NOEXCEPT;
/* The canonical JSON (fixed field order, nulls, UTC timestamps), NUL-
 * terminated; free with campaign_free(). `len` may be NULL. */
CAMPAIGN_API int campaign_record_to_json(const campaign_record *rec, char **out,
                                         size_t *len) CAMPAIGN_NOEXCEPT;
/* The JSON text as received (borrowed, not NUL-terminated; "" for a NULL
 * rec). `len` may be NULL. */
CAMPAIGN_API const char *campaign_record_raw_json(const campaign_record *rec,
                                                  size_t *len) CAMPAIGN_NOEXCEPT;
/* The JSON text of the value at an RFC 6901 pointer ("/retry_config"), NUL-
 * terminated; free with campaign_free(). CAMPAIGN_E_ABSENT when nothing is
 * there, CAMPAIGN_E_INVALID_ARGUMENT for a malformed pointer. */
CAMPAIGN_API int campaign_record_at_pointer(const campaign_record *rec, const char *pointer,
                                            char **out, size_t *len) CAMPAIGN_NOEXCEPT;

/* The key's rate limit when the record arrived; CAMPAIGN_E_ABSENT as for
 * campaign_error_rate_limit() (and for a record from campaign_record_parse). */
CAMPAIGN_API int campaign_record_rate_limit(const campaign_record *rec,
                                            campaign_rate_limit *out) CAMPAIGN_NOEXCEPT;

/* Frees what the library allocated for the caller (char ** outputs). */
CAMPAIGN_API void campaign_free(void *ptr) CAMPAIGN_NOEXCEPT;

/* ------------------------------------------------------------------------ */
/* Options                                                                   */

typedef struct campaign_options campaign_options;

/* Option keys. The type is part of the contract: set string options with
 * campaign_options_set_str, integer ones with _set_int, real ones with
 * _set_double; a mismatch is CAMPAIGN_E_INVALID_ARGUMENT. Append-only. */
typedef enum campaign_option {
  CAMPAIGN_OPT_BASE_URL = 1,             /* str: "https://api.example.com/v1" (required) */
  CAMPAIGN_OPT_API_KEY = 2,              /* str: bearer key (required) */
  CAMPAIGN_OPT_TIMEOUT_MS = 3,           /* int: one attempt, connect to last byte (30000) */
  CAMPAIGN_OPT_CONNECT_TIMEOUT_MS = 4,   /* int: DNS + TCP + TLS (10000) */
  CAMPAIGN_OPT_TOTAL_TIMEOUT_MS = 5,     /* int: all attempts and waits (120000) */
  CAMPAIGN_OPT_MAX_RETRIES = 6,          /* int: retries after the first attempt (2) */
  CAMPAIGN_OPT_BACKOFF_INITIAL_MS = 7,   /* int: first backoff ceiling (500) */
  CAMPAIGN_OPT_BACKOFF_MAX_MS = 8,       /* int: backoff cap (8000) */
  CAMPAIGN_OPT_MAX_RETRY_AFTER_MS = 9,   /* int: longest server-requested wait honoured (60000) */
  CAMPAIGN_OPT_RETRY_BUDGET_RATIO = 10,  /* double: retry tokens earned per request (0.1) */
  CAMPAIGN_OPT_RETRY_BUDGET_BURST = 11,  /* double: token bucket size (20) */
  CAMPAIGN_OPT_MAX_BODY_BYTES = 12,      /* int: response body limit (8 MiB) */
  CAMPAIGN_OPT_MAX_HEADER_BYTES = 13,    /* int: response header limit (64 KiB) */
  CAMPAIGN_OPT_MAX_CONNECTIONS = 14,     /* int: per I/O thread (64) */
  CAMPAIGN_OPT_IDLE_TIMEOUT_MS = 15,     /* int: idle keep-alive lifetime (30000) */
  CAMPAIGN_OPT_IO_THREADS = 16,          /* int: I/O threads (1) */
  CAMPAIGN_OPT_USER_AGENT_SUFFIX = 17,   /* str: appended to "campaign/<version>" */
  CAMPAIGN_OPT_CA_FILE = 18,             /* str: PEM bundle to trust instead of the system's */
  CAMPAIGN_OPT_CA_DIR = 19,              /* str: hashed CA directory to trust */
  CAMPAIGN_OPT_INSECURE_SKIP_TLS_VERIFY = 20, /* int: 1 turns verification OFF (never do this) */
  /* Appended after 0.1 (docs/api.md, "Rate limits"; docs/decisions.md,
   * "Coalescing"). A library too old for them answers CAMPAIGN_E_UNKNOWN_OPTION. */
  CAMPAIGN_OPT_RATE_LIMIT_GATE = 21, /* int 0/1 (1): attempts wait while the key's rate-limit
                                      * window has nothing left (less what is in flight),
                                      * shared by every client of that key; 0 sends every
                                      * attempt at once, and a 429 is retried like any other */
  CAMPAIGN_OPT_COALESCE = 22         /* int 0/1 (1): concurrent campaign_client_get/_submit/
                                      * _submit_to_queue of one ID share one request, each
                                      * caller keeping its own cancellation and deadline
                                      * (stats: coalesced); 0 sends one request per call.
                                      * campaign_client_get_batch never coalesces */
} campaign_option;

/* Setters: a NULL string is CAMPAIGN_E_NULL_ARGUMENT; a negative integer,
 * a negative or non-finite real, or a 0/1 option (INSECURE_SKIP_TLS_VERIFY,
 * RATE_LIMIT_GATE, COALESCE) set to anything else is
 * CAMPAIGN_E_INVALID_ARGUMENT. Other limits (zero timeouts, IO_THREADS
 * 1..64) are checked by campaign_client_create(), with a message. */
CAMPAIGN_API int campaign_options_create(campaign_options **out) CAMPAIGN_NOEXCEPT;
CAMPAIGN_API void campaign_options_free(campaign_options *opts) CAMPAIGN_NOEXCEPT;
CAMPAIGN_API int campaign_options_set_str(campaign_options *opts, int key,
                                          const char *value) CAMPAIGN_NOEXCEPT;
CAMPAIGN_API int campaign_options_set_int(campaign_options *opts, int key,
                                          int64_t value) CAMPAIGN_NOEXCEPT;
CAMPAIGN_API int campaign_options_set_double(campaign_options *opts, int key,
                                             double value) CAMPAIGN_NOEXCEPT;

/* For code on a call path (a PBX dialplan): answer within about 2 s, one
 * retry, 0.5 s to connect. Keeps base URL, key, TLS settings, user agent
 * suffix and log hook; every other option gets the preset's value, so set
 * other options after this call. */
CAMPAIGN_API int campaign_options_preset_fail_fast(campaign_options *opts) CAMPAIGN_NOEXCEPT;

/* Log levels and hook: the host's logger receives the library's messages
 * (never containing the key). Called on I/O threads. */
typedef enum campaign_log_level {
  CAMPAIGN_LOG_DEBUG = 0,
  CAMPAIGN_LOG_INFO = 1,
  CAMPAIGN_LOG_WARNING = 2,
  CAMPAIGN_LOG_ERROR = 3
} campaign_log_level;
typedef void (*campaign_log_fn)(void *user_data, int level, const char *message);
/* `message` is NUL-terminated and valid during the call only. A NULL fn
 * removes the hook. */
CAMPAIGN_API int campaign_options_set_log(campaign_options *opts, campaign_log_fn fn,
                                          void *user_data) CAMPAIGN_NOEXCEPT;

/* ------------------------------------------------------------------------ */
/* Clients                                                                   */

typedef struct campaign_client campaign_client;

/* Creates a client with its own I/O thread(s). The options are copied: free
 * them whenever. Errors: CAMPAIGN_E_INVALID_ARGUMENT (bad URL, key, option). */
CAMPAIGN_API int campaign_client_create(const campaign_options *opts, campaign_client **out,
                                        campaign_error **err) CAMPAIGN_NOEXCEPT;
/* Cancels everything in flight (callbacks and queues receive
 * CAMPAIGN_E_CANCELLED), joins every internal thread, closes every
 * connection and wipes the key, typically within milliseconds. Not from
 * a callback of this client. NULL is a no-op.
 * Other threads may be inside campaign_client_get() or
 * campaign_client_get_batch() meanwhile: they return (the get with
 * CAMPAIGN_E_CANCELLED, the batch with CAMPAIGN_OK and every position it
 * did not fetch cancelled) before destroy does. Any other call racing with
 * destroy, or any call after it, is a use after free. */
CAMPAIGN_API void campaign_client_destroy(campaign_client *client) CAMPAIGN_NOEXCEPT;

/* Blocking fetch. Not from a callback of this client (CAMPAIGN_E_INTERNAL). */
CAMPAIGN_API int campaign_client_get(campaign_client *client, const char *id,
                                     campaign_record **out, campaign_error **err) CAMPAIGN_NOEXCEPT;

/* Completion callback: exactly one of record and error is non-NULL, and the
 * callee owns it (free it). Runs on a library I/O thread. */
typedef void (*campaign_done_fn)(void *user_data, uint64_t request, campaign_record *record,
                                 campaign_error *error);
/* Starts a fetch; `done` runs exactly once (even for an invalid ID, or on
 * destroy) with `request` equal to the number stored in *request (which
 * may be NULL), for campaign_client_cancel(). When submit itself fails
 * (CAMPAIGN_E_NULL_ARGUMENT, CAMPAIGN_E_INTERNAL) `done` never runs. */
CAMPAIGN_API int campaign_client_submit(campaign_client *client, const char *id,
                                        campaign_done_fn done, void *user_data,
                                        uint64_t *request) CAMPAIGN_NOEXCEPT;

/* Cancels one request (its completion reports CAMPAIGN_E_CANCELLED unless
 * it had already completed); unknown numbers are ignored. Any thread. */
CAMPAIGN_API int campaign_client_cancel(campaign_client *client,
                                        uint64_t request) CAMPAIGN_NOEXCEPT;
/* Cancels every request in flight, and stops every campaign_client_get_batch()
 * running at the time: its positions not yet fetched end CAMPAIGN_E_CANCELLED.
 * Any thread. */
CAMPAIGN_API int campaign_client_cancel_all(campaign_client *client) CAMPAIGN_NOEXCEPT;

/* Fetches count IDs, at most `concurrency` at once (0: 32), and stores each
 * result at its input position: exactly one of records[i] and errors[i] is
 * set (free them). Blocking; releases nothing but what it allocated.
 * `errors` may be NULL (then failed positions just stay NULL in records);
 * a NULL ids[i] fails in its place with CAMPAIGN_E_INVALID_ARGUMENT.
 * Returns CAMPAIGN_OK once every position is filled, whatever the
 * outcomes; any other code (NULL_ARGUMENT, INTERNAL) leaves all NULL. */
CAMPAIGN_API int campaign_client_get_batch(campaign_client *client, const char *const *ids,
                                           size_t count, size_t concurrency,
                                           campaign_record **records,
                                           campaign_error **errors) CAMPAIGN_NOEXCEPT;

/* Connection and retry counters since creation. Set struct_size first (at
 * least 8); members are filled as for campaign_record_fields(). */
typedef struct campaign_stats {
  uint32_t struct_size;
  uint32_t reserved0;
  uint64_t requests, attempts, retries, budget_denied, connections_opened, connections_reused,
      stale_resends;
  /* Appended after 0.1 (docs/api.md, "Rate limits"): */
  uint64_t responses_429;      /* HTTP 429 answers received */
  uint64_t rate_limit_waits;   /* requests held back by the key's window */
  uint64_t rate_limit_wait_ms; /* the time they were held back, in total */
  /* The key's rate limit as last seen, as in campaign_rate_limit. */
  uint32_t rate_limit_present; /* CAMPAIGN_RATE_LIMIT_HAS_* bits; 0 when never seen */
  uint32_t reserved1;
  int64_t rate_limit_limit, rate_limit_remaining, rate_limit_reset_ms;
  /* Appended after 0.1 (docs/decisions.md, "Coalescing"): */
  uint64_t coalesced; /* gets served by a request already in flight for their ID
                       * (500 concurrent gets of one ID: requests 1, coalesced 499) */
} campaign_stats;
CAMPAIGN_API int campaign_client_stats(const campaign_client *client,
                                       campaign_stats *out) CAMPAIGN_NOEXCEPT;

/* ------------------------------------------------------------------------ */
/* Completion queues: results for an event loop, without a thread per request */

typedef struct campaign_queue campaign_queue;

CAMPAIGN_API int campaign_queue_create(campaign_queue **out) CAMPAIGN_NOEXCEPT;
/* Frees the queue and any results still in it. NULL is a no-op. Requests
 * still in flight keep a small internal part of the queue (and its
 * descriptor, which stays quiet) alive; their results are dropped (freed)
 * when they arrive. So either order is safe: destroy the clients first to
 * receive every result (each as CAMPAIGN_E_CANCELLED at worst), and take
 * the descriptor out of your poll set before freeing. */
CAMPAIGN_API void campaign_queue_free(campaign_queue *queue) CAMPAIGN_NOEXCEPT;
/* A descriptor that is readable while results wait (or after a wakeup).
 * Poll it (poll, epoll, select, asyncio's add_reader, Go's netpoller);
 * never read or close it yourself. Close-on-exec. -1 for a NULL queue.
 * It stays readable until a campaign_queue_next() finds the queue empty:
 * on readiness, call campaign_queue_next() until CAMPAIGN_E_AGAIN. */
CAMPAIGN_API int campaign_queue_fd(const campaign_queue *queue) CAMPAIGN_NOEXCEPT;
/* Starts a fetch whose result goes to `queue`, tagged with `tag` (even for
 * an invalid ID, or on destroy). *request (may be NULL) is as for
 * campaign_client_submit(). */
CAMPAIGN_API int campaign_client_submit_to_queue(campaign_client *client, const char *id,
                                                 campaign_queue *queue, uint64_t tag,
                                                 uint64_t *request) CAMPAIGN_NOEXCEPT;
/* Takes the next result without blocking: CAMPAIGN_OK with *tag and exactly
 * one of *record and *error set (the caller owns it), or CAMPAIGN_E_AGAIN
 * when the queue is empty (the fd is then not readable, unless woken).
 * `tag` may be NULL; record and error may not. */
CAMPAIGN_API int campaign_queue_next(campaign_queue *queue, uint64_t *tag,
                                     campaign_record **record,
                                     campaign_error **error) CAMPAIGN_NOEXCEPT;
/* Waits until the fd is readable, or timeout_ms passes (< 0: no limit;
 * signals do not cut it short). CAMPAIGN_OK when something may be ready,
 * CAMPAIGN_E_AGAIN on timeout. */
CAMPAIGN_API int campaign_queue_wait(campaign_queue *queue, int timeout_ms) CAMPAIGN_NOEXCEPT;
/* Makes the fd readable and ends a campaign_queue_wait(): from any thread,
 * and async-signal-safe. The wakeup is consumed by the next
 * campaign_queue_next() that finds the queue empty.
 *
 * A correct wait loop re-checks its own condition (a "stop" flag, or "all
 * my requests answered") AFTER each drain that ended in CAMPAIGN_E_AGAIN,
 * never only before it: the CAMPAIGN_E_AGAIN that ends a drain also eats
 * any wakeup sent during the drain, so a flag read before the drain and
 * acted on after it can miss the wakeup that announced it, and the next
 * wait sleeps forever. Set the flag before calling wakeup():
 *
 *   for (;;) {
 *     campaign_queue_wait(q, -1);
 *     while (campaign_queue_next(q, &tag, &rec, &err) == CAMPAIGN_OK)
 *       handle(tag, rec, err);
 *     if (atomic_load(&stopping)) break;   <- after the empty drain
 *   }
 */
CAMPAIGN_API int campaign_queue_wakeup(campaign_queue *queue) CAMPAIGN_NOEXCEPT;

/* ------------------------------------------------------------------------ */
#ifdef CAMPAIGN_STATIC_LINKING_ONLY
/* Experimental: not exported from the shared library; may change in any
 * release. Only for programs that link libcampaign.a. (Nothing yet.) */
#endif

#ifdef __cplusplus
}
#endif

#endif /* CAMPAIGN_H */
