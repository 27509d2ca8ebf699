#include "test_pki_c.h"

#include "tls_certs.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <new>

struct test_pki {
  campaign::test::TestPki pki;
};

namespace {

int copy_out(const std::string& s, char* out, std::size_t size) {
  if (!out || s.size() + 1 > size) return -1;
  std::snprintf(out, size, "%s", s.c_str());
  return 0;
}

}  // namespace

extern "C" {

test_pki* test_pki_create(void) {
  try {
    return new test_pki;
  } catch (...) {
    return nullptr;
  }
}

void test_pki_free(test_pki* pki) { delete pki; }

const char* test_pki_ca_file(const test_pki* pki) {
  static thread_local std::string path;  // stable until the next call on this thread
  path = pki->pki.ca_file();
  return path.c_str();
}

int test_pki_issue(test_pki* pki, const char* dns, const char* ip, int self_signed, char* cert_file, char* key_file,
                   std::size_t size) {
  try {
    std::vector<std::string> names, ips;
    if (dns) names.emplace_back(dns);
    if (ip) ips.emplace_back(ip);
    auto leaf = self_signed ? pki->pki.self_signed(names, ips) : pki->pki.issue(names, ips);
    if (copy_out(leaf.cert_file, cert_file, size) || copy_out(leaf.key_file, key_file, size)) return -1;
    return 0;
  } catch (...) {
    return -1;
  }
}

int test_pki_ca_dir(test_pki* pki, char* dir, std::size_t size) {
  try {
    const std::string& pem = pki->pki.ca_pem();
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                  &BIO_free);
    if (!bio) return -1;
    std::unique_ptr<X509, decltype(&X509_free)> ca(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                   &X509_free);
    if (!ca) return -1;
    char name[16];
    std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(ca.get()));
    auto path = std::filesystem::path(pki->pki.dir()) / "ca-dir";
    std::filesystem::create_directories(path);  // inside the TestPki directory: deleted with it
    std::ofstream(path / name) << pem;
    return copy_out(path.string(), dir, size);
  } catch (...) {
    return -1;
  }
}

}  // extern "C"
