#include "tls_certs.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <memory>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace campaign::test {
namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const { Free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Ext = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& what) {
  char buf[256] = "unknown error";
  if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  throw std::runtime_error("TestPki: " + what + ": " + buf);
}

void check(int ok, const char* what) {
  if (ok <= 0) fail(what);
}

PKey new_key() {
  // EC keys: generation is instant, unlike RSA.
  PKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) fail("key generation");
  return key;
}

std::string to_pem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(bio.get(), cert), "PEM_write_bio_X509");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<std::size_t>(n)};
}

std::string to_pem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "PEM_write_bio_PrivateKey");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<std::size_t>(n)};
}

Cert cert_from_pem(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) fail("PEM_read_bio_X509");
  return cert;
}

PKey key_from_pem(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) fail("PEM_read_bio_PrivateKey");
  return key;
}

void add_ext(X509* cert, X509V3_CTX& ctx, int nid, const std::string& value) {
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext) fail("extension " + value);
  check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

struct CertSpec {
  std::string cn;
  bool ca = false;
  bool expired = false;
  std::uint64_t serial = 1;
  std::string san; // "DNS:a,IP:b"; empty for none
};

// Signs a certificate for `subject_key`; a null issuer makes it self-signed.
Cert make_cert(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key) {
  Cert cert(X509_new());
  if (!cert) fail("X509_new");
  X509* x = cert.get();
  check(X509_set_version(x, X509_VERSION_3), "X509_set_version");
  check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), spec.serial), "serial");
  constexpr long day = 86400;
  if (spec.expired) {
    X509_gmtime_adj(X509_getm_notBefore(x), -30 * day);
    X509_gmtime_adj(X509_getm_notAfter(x), -day);
  } else {
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), (spec.ca ? 3650 : 825) * day);
  }
  check(X509_set_pubkey(x, subject_key), "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(x);
  auto text = [](const char* s) { return reinterpret_cast<const unsigned char*>(s); };
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, text("campaign tests"), -1, -1, 0), "O");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, text(spec.cn.c_str()), -1, -1, 0), "CN");
  check(X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name), "X509_set_issuer_name");

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer ? issuer : x, x, nullptr, nullptr, 0);
  add_ext(x, ctx, NID_basic_constraints, spec.ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_ext(x, ctx, NID_key_usage, spec.ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  if (!spec.ca) add_ext(x, ctx, NID_ext_key_usage, "serverAuth");
  add_ext(x, ctx, NID_subject_key_identifier, "hash");
  if (issuer) add_ext(x, ctx, NID_authority_key_identifier, "keyid:always");
  if (!spec.san.empty()) add_ext(x, ctx, NID_subject_alt_name, spec.san);
  check(X509_sign(x, issuer_key, EVP_sha256()), "X509_sign");
  return cert;
}

std::string san_of(const std::vector<std::string>& dns, const std::vector<std::string>& ips) {
  std::string san;
  // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false
  // positive) on the temporary of `(a ? "" : ",") + std::string(...) + d`.
  auto add = [&san](std::string_view kind, const std::string& value) {
    if (!san.empty()) san += ',';
    san.append(kind).append(value);
  };
  for (const auto& d : dns) add("DNS:", d);
  for (const auto& ip : ips) add("IP:", ip);
  return san;
}

} // namespace

TestPki::TestPki() {
  std::string pattern = (std::filesystem::temp_directory_path() / "campaign-pki-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("TestPki: cannot create a temporary directory");
  dir_ = pattern;
  try {
    PKey key = new_key();
    CertSpec spec{"campaign test CA", true, false, serial_++, {}};
    Cert ca = make_cert(spec, key.get(), nullptr, key.get());
    ca_pem_ = to_pem(ca.get());
    ca_key_pem_ = to_pem(key.get());
    ca_file_ = write("ca.crt", ca_pem_);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

TestPki::~TestPki() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Leaf TestPki::issue(std::vector<std::string> dns, std::vector<std::string> ips, bool expired) {
  return make_leaf(dns, ips, expired, true);
}

Leaf TestPki::self_signed(std::vector<std::string> dns, std::vector<std::string> ips, bool expired) {
  return make_leaf(dns, ips, expired, false);
}

Leaf TestPki::make_leaf(const std::vector<std::string>& dns, const std::vector<std::string>& ips, bool expired,
                        bool by_ca) {
  PKey key = new_key();
  CertSpec spec{dns.empty() ? (ips.empty() ? "leaf" : ips.front()) : dns.front(), false, expired, serial_++,
                san_of(dns, ips)};
  Cert cert;
  if (by_ca) {
    Cert ca = cert_from_pem(ca_pem_);
    PKey ca_key = key_from_pem(ca_key_pem_);
    cert = make_cert(spec, key.get(), ca.get(), ca_key.get());
  } else {
    cert = make_cert(spec, key.get(), nullptr, key.get());
  }
  Leaf leaf;
  leaf.cert_pem = to_pem(cert.get());
  leaf.key_pem = to_pem(key.get());
  std::string stem = "leaf-" + std::to_string(++leaves_);
  leaf.cert_file = write(stem + ".crt", leaf.cert_pem);
  leaf.key_file = write(stem + ".key", leaf.key_pem);
  return leaf;
}

std::string TestPki::write(const std::string& name, const std::string& pem) const {
  std::string path = (std::filesystem::path(dir_) / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << pem;
  if (!out.flush()) throw std::runtime_error("TestPki: cannot write " + path);
  return path;
}

} // namespace campaign::test
