// Test certificates made in memory with the OpenSSL 3 API (no `openssl` CLI):
// a CA, leaves it signs, and leaves no one signed. PEM files live in a
// temporary directory that the TestPki owns and deletes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace campaign::test {

struct Leaf {
  std::string cert_file, key_file; // PEM paths inside the TestPki directory
  std::string cert_pem, key_pem;   // the same, in memory
};

class TestPki {
public:
  TestPki();  // generates the CA (EC P-256, valid from an hour ago for ten years)
  ~TestPki(); // deletes the directory and every file in it
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  const std::string& dir() const { return dir_; }
  std::string ca_file() const { return ca_file_; }
  const std::string& ca_pem() const { return ca_pem_; }

  // A server certificate signed by the CA, with these subjectAltNames (DNS
  // names, IP addresses such as "127.0.0.1"). `expired`: notAfter a day ago.
  Leaf issue(std::vector<std::string> dns, std::vector<std::string> ips, bool expired = false);
  // The same, but signed by its own key: chains to no CA a client trusts.
  Leaf self_signed(std::vector<std::string> dns, std::vector<std::string> ips, bool expired = false);

private:
  Leaf make_leaf(const std::vector<std::string>& dns, const std::vector<std::string>& ips, bool expired,
                 bool by_ca);
  std::string write(const std::string& name, const std::string& pem) const;

  std::string dir_, ca_file_, ca_pem_;
  std::string ca_key_pem_;
  std::uint64_t serial_ = 1;
  int leaves_ = 0;
};

} // namespace campaign::test
