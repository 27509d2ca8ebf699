// mock_process.hpp: a campaign-mock process on a free loopback port.
#pragma once

#include "process.hpp"

#include <memory>
#include <string>
#include <vector>

namespace cli_test {

class MockProcess {
 public:
  // Starts `campaign-mock --port 0 <args>` and waits for its "listening on" line.
  explicit MockProcess(std::vector<std::string> args);
  ~MockProcess();  // SIGTERM, then reaps

  const std::string& base_url() const { return base_url_; }  // http://127.0.0.1:PORT/v1
  int port() const { return port_; }

 private:
  std::unique_ptr<Child> child_;
  std::string base_url_;
  int port_ = 0;
};

// A loopback port nothing listens on (bound, then closed).
int closed_port();

}  // namespace cli_test
