/* A C interface to TestPki (tls_certs.hpp) for the C99 tests of campaign.h:
 * a CA, leaves it signs or that sign themselves, and a hashed CA directory.
 * Paths are written into caller buffers; 0 on success, -1 on failure. */
#ifndef CAMPAIGN_TEST_PKI_C_H
#define CAMPAIGN_TEST_PKI_C_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct test_pki test_pki;

test_pki *test_pki_create(void);   /* NULL on failure */
void test_pki_free(test_pki *pki); /* deletes every file it made */
const char *test_pki_ca_file(const test_pki *pki);
/* A server certificate for one DNS name and one IP address (either may be
 * NULL), signed by the CA or (self_signed) by its own key. */
int test_pki_issue(test_pki *pki, const char *dns, const char *ip, int self_signed, char *cert_file,
                   char *key_file, size_t size);
/* A directory holding the CA certificate under its OpenSSL subject hash
 * name "<hash>.0" (what `openssl rehash` makes), for CAMPAIGN_OPT_CA_DIR. */
int test_pki_ca_dir(test_pki *pki, char *dir, size_t size);

#ifdef __cplusplus
}
#endif

#endif
