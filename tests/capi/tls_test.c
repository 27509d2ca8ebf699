/* HTTPS through campaign.h against campaign-mock serving certificates the
 * test generates (tests/support test_pki_c.h): trust by CA_FILE and by a
 * hashed CA_DIR, the host name sent as SNI (the mock's --request-log records
 * it), and CAMPAIGN_E_TLS for a certificate of another host and for one from
 * an unknown CA, with nothing sent. C99. */
#define _POSIX_C_SOURCE 200809L

#include "support.h"
#include "test_pki_c.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static test_pki *pki;
static mock_server good, other_host, unknown_ca;
static char good_log[256], other_log[256], unknown_log[256];

/* campaign-mock with HTTPS from a fresh leaf, logging requests to `log`. */
static void start_tls_mock(mock_server *m, const char *dns, const char *ip, int self_signed, char *log,
                           const char *log_name) {
  static char cert[8][512], key[8][512];
  static int n;
  const char *args[7];
  CHECK(n < 8);
  CHECK_EQ(test_pki_issue(pki, dns, ip, self_signed, cert[n], key[n], sizeof cert[n]), 0);
  temp_path(log, 256, log_name);
  args[0] = "--tls-cert";
  args[1] = cert[n];
  args[2] = "--tls-key";
  args[3] = key[n];
  args[4] = "--request-log";
  args[5] = log;
  args[6] = NULL;
  ++n;
  mock_start(m, args);
  CHECK(strncmp(m->base_url, "https://", 8) == 0);
}

/* Options for https://localhost:PORT/v1 (a name, so that SNI is sent). */
static campaign_options *https_options(const mock_server *m) {
  char url[96];
  snprintf(url, sizeof url, "https://localhost:%d/v1", m->port);
  return test_options(url, TEST_KEY);
}

static campaign_client *client_from(campaign_options *o) {
  campaign_client *c = NULL;
  campaign_error *err = NULL;
  /* Retries on: a TLS failure must still be one attempt. */
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_MAX_RETRIES, 2), CAMPAIGN_OK);
  CHECK_EQ(campaign_options_set_int(o, CAMPAIGN_OPT_BACKOFF_INITIAL_MS, 5), CAMPAIGN_OK);
  CHECK_EQ(campaign_client_create(o, &c, &err), CAMPAIGN_OK);
  CHECK(err == NULL);
  campaign_options_free(o);
  return c;
}

static void get_ok(campaign_client *c, const char *id) {
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  int rc = campaign_client_get(c, id, &rec, &err);
  if (rc != CAMPAIGN_OK) fprintf(stderr, "unexpected error: %s\n", campaign_error_message(err));
  CHECK_EQ(rc, CAMPAIGN_OK);
  CHECK(rec != NULL);
  campaign_record_free(rec);
}

static void get_tls_error(campaign_client *c, const char *id) {
  campaign_record *rec = NULL;
  campaign_error *err = NULL;
  CHECK_EQ(campaign_client_get(c, id, &rec, &err), CAMPAIGN_E_TLS);
  CHECK(rec == NULL);
  check_error(err, CAMPAIGN_E_TLS, NULL);
  CHECK_EQ(campaign_error_attempts(err), 1); /* not retried */
  campaign_error_free(err);
}

static void test_ca_file_succeeds_and_sends_sni(void) {
  campaign_options *o = https_options(&good);
  campaign_client *c;
  CHECK_EQ(campaign_options_set_str(o, CAMPAIGN_OPT_CA_FILE, test_pki_ca_file(pki)), CAMPAIGN_OK);
  c = client_from(o);
  get_ok(c, "cmp_000001");
  campaign_client_destroy(c);
  CHECK_EQ(count_in_file(good_log, "/v1/campaigns/cmp_000001\""), 1);
  CHECK_EQ(count_in_file(good_log, "\"server_name\":\"localhost\""), 1);
}

static void test_ca_dir_succeeds(void) {
  char dir[512];
  campaign_options *o = https_options(&good);
  campaign_client *c;
  CHECK_EQ(test_pki_ca_dir(pki, dir, sizeof dir), 0);
  CHECK_EQ(campaign_options_set_str(o, CAMPAIGN_OPT_CA_DIR, dir), CAMPAIGN_OK);
  c = client_from(o);
  get_ok(c, "cmp_000002");
  campaign_client_destroy(c);
  CHECK_EQ(count_in_file(good_log, "/v1/campaigns/cmp_000002\""), 1);
  CHECK_EQ(count_in_file(good_log, "\"server_name\":\"localhost\""), 2);
}

static void test_certificate_for_another_host_is_tls(void) {
  campaign_options *o = https_options(&other_host);
  campaign_client *c;
  CHECK_EQ(campaign_options_set_str(o, CAMPAIGN_OPT_CA_FILE, test_pki_ca_file(pki)), CAMPAIGN_OK);
  c = client_from(o);
  get_tls_error(c, "cmp_000001");
  campaign_client_destroy(c);
  CHECK_EQ(count_in_file(other_log, "/v1/campaigns/"), 0); /* nothing sent, the key included */
}

static void test_unknown_ca_is_tls(void) {
  campaign_options *o = https_options(&unknown_ca);
  campaign_client *c;
  CHECK_EQ(campaign_options_set_str(o, CAMPAIGN_OPT_CA_FILE, test_pki_ca_file(pki)), CAMPAIGN_OK);
  c = client_from(o);
  get_tls_error(c, "cmp_000001");
  campaign_client_destroy(c);
  CHECK_EQ(count_in_file(unknown_log, "/v1/campaigns/"), 0);
}

int main(void) {
  pki = test_pki_create();
  CHECK(pki != NULL);
  start_tls_mock(&good, "localhost", "127.0.0.1", 0, good_log, "tls-good.ndjson");
  start_tls_mock(&other_host, "api.example.com", NULL, 0, other_log, "tls-other.ndjson");
  start_tls_mock(&unknown_ca, "localhost", "127.0.0.1", 1, unknown_log, "tls-unknown.ndjson");
  RUN(test_ca_file_succeeds_and_sends_sni);
  RUN(test_ca_dir_succeeds);
  RUN(test_certificate_for_another_host_is_tls);
  RUN(test_unknown_ca_is_tls);
  mock_stop(&good);
  mock_stop(&other_host);
  mock_stop(&unknown_ca);
  unlink(good_log);
  unlink(other_log);
  unlink(unknown_log);
  test_pki_free(pki);
  fprintf(stderr, "capi tls tests passed\n");
  return 0;
}
