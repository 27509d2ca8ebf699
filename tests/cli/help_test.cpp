// --help works for every command (with examples), --version too.
#include "process.hpp"

#include <boost/test/unit_test.hpp>

using namespace cli_test;

BOOST_AUTO_TEST_SUITE(help)

BOOST_AUTO_TEST_CASE(every_command_has_help_with_examples) {
  // The key is in the environment: help must not show it (run() checks).
  const auto env = cli_env("http://127.0.0.1:9/v1");
  struct Case {
    std::vector<std::string> args;
    std::string usage;
  };
  std::vector<Case> cases = {
      {{"--help"}, "Usage: campaign"},
      {{"-h"}, "Usage: campaign"},
      {{"get", "--help"}, "Usage: campaign get"},
      {{"batch", "--help"}, "Usage: campaign batch"},
      {{"watch", "--help"}, "Usage: campaign watch"},
      {{"--help", "watch"}, "Usage: campaign"},
      {{"watch", "cmp_1", "--help"}, "Usage: campaign watch"},
  };
  for (const auto& c : cases) {
    Outcome o = run_cli(c.args, env);
    BOOST_TEST_CONTEXT(c.args.front() << " " << c.args.back()) {
      BOOST_TEST(o.exit_code == 0);
      BOOST_TEST(o.out.find(c.usage) != std::string::npos, o.out);
      BOOST_TEST(o.out.find("Examples:") != std::string::npos);
      BOOST_TEST(o.out.find("--base-url") != std::string::npos);
      BOOST_TEST(o.err == "");
    }
  }
  BOOST_TEST(run_cli({"get", "--help"}, env).out.find("--avg-call-seconds") != std::string::npos);
  BOOST_TEST(run_cli({"get", "--help"}, env).out.find("default 180") != std::string::npos);
  BOOST_TEST(run_cli({"watch", "--help"}, env).out.find("--interval") != std::string::npos);
  BOOST_TEST(run_cli({"batch", "--help"}, env).out.find("--concurrency") != std::string::npos);
  BOOST_TEST(run_cli({"--help"}, env).out.find("Exit codes:") != std::string::npos);
  for (const char* command : {"get", "batch", "watch"})
    BOOST_TEST(run_cli({command, "--help"}, env).out.find("--no-rate-limit-gate") != std::string::npos,
               command);
  BOOST_TEST(run_cli({"--help"}, env).out.find("--no-rate-limit-gate") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(version) {
  Outcome o = run_cli({"--version"}, cli_env(""));
  BOOST_TEST(o.exit_code == 0);
  BOOST_TEST(o.out.rfind("campaign ", 0) == 0u);
  BOOST_TEST(lines_of(o.out).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
