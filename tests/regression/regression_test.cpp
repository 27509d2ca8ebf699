// Replays the fuzz corpora and the regression inputs through the fuzz
// targets' checks. A file's directory names its target:
//   fuzz_decode, fuzz_differential  -> check_decode + check_differential
//   fuzz_error_body                 -> check_error_body
//   fuzz_validation                 -> check_validation
//   fuzz_http_response              -> check_http_response
#define BOOST_TEST_MODULE campaign regression
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

#include <campaign/decode.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

// Under ASan/UBSan (the asan preset halts on the first report), a known
// failure may be undefined behaviour that stops the whole test (F5): such
// inputs are skipped there, and still checked by the default build.
#if defined(__SANITIZE_ADDRESS__)
#define CAMPAIGN_REGRESSION_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define CAMPAIGN_REGRESSION_SANITIZED 1
#endif
#endif
#ifndef CAMPAIGN_REGRESSION_SANITIZED
#define CAMPAIGN_REGRESSION_SANITIZED 0
#endif

namespace {

struct PropertyFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_failure(const std::string& message) { throw PropertyFailed(message); }

struct UseThrowingHandler {
  UseThrowingHandler() { campaign_fuzz::set_fail_handler(&throw_failure); }
};
BOOST_TEST_GLOBAL_FIXTURE(UseThrowingHandler);

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The failure message of `target`'s checks on `input`; empty when they pass.
std::string run_checks(const std::string& target, std::string_view input) {
  try {
    if (target == "fuzz_decode" || target == "fuzz_differential") {
      campaign_fuzz::check_decode(input);
      campaign_fuzz::check_differential(input);
    } else if (target == "fuzz_error_body") {
      campaign_fuzz::check_error_body(input);
    } else if (target == "fuzz_validation") {
      campaign_fuzz::check_validation(input);
    } else if (target == "fuzz_http_response") {
      campaign_fuzz::check_http_response(input);
    } else {
      return "no fuzz target named '" + target + "'";
    }
  } catch (const PropertyFailed& e) {
    return e.what();
  }
  return {};
}

std::set<std::string> known_failures() {
  std::set<std::string> out;
  std::ifstream in(fs::path(CAMPAIGN_REGRESSION_DIR) / "known_failures.txt");
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (!line.empty() && line[0] != '#') out.insert(line);
  }
  return out;
}

// Every file under root/<target>/, in a stable order.
std::vector<fs::path> files_under(const fs::path& root) {
  std::vector<fs::path> out;
  for (const auto& dir : fs::directory_iterator(root))
    if (dir.is_directory())
      for (const auto& f : fs::directory_iterator(dir.path()))
        if (f.is_regular_file()) out.push_back(f.path());
  std::sort(out.begin(), out.end());
  return out;
}

void replay(const fs::path& root, const std::set<std::string>& expected_to_fail) {
  auto files = files_under(root);
  BOOST_TEST_REQUIRE(!files.empty(), "no inputs under " << root);
  std::set<std::string> listed = expected_to_fail;
  for (const auto& f : files) {
    std::string target = f.parent_path().filename().string();
    std::string rel = target + "/" + f.filename().string();
    if (CAMPAIGN_REGRESSION_SANITIZED && listed.erase(rel)) {
      BOOST_TEST_MESSAGE(rel << ": known failure, not run under a sanitizer");
      continue;
    }
    std::string failure = run_checks(target, read_file(f));
    if (listed.erase(rel)) {
      BOOST_CHECK_MESSAGE(!failure.empty(),
                          rel << " passes now: delete its line from tests/regression/known_failures.txt");
    } else {
      BOOST_CHECK_MESSAGE(failure.empty(), rel << ": " << failure);
    }
  }
  for (const auto& missing : listed)
    BOOST_ERROR("known_failures.txt names " << missing << ", which is not under " << root);
  BOOST_TEST_MESSAGE(files.size() << " inputs replayed from " << root);
}

}  // namespace

BOOST_AUTO_TEST_CASE(fuzz_corpora_pass_every_check) { replay(CAMPAIGN_FUZZ_CORPUS, {}); }

BOOST_AUTO_TEST_CASE(regression_inputs) {
  replay(fs::path(CAMPAIGN_REGRESSION_DIR) / "inputs", known_failures());
}

// JSONTestSuite's n_structure_100000_opening_arrays, at the top level and
// inside a record, a skipped value and retry_config: invalid_response, never
// a stack overflow.
BOOST_AUTO_TEST_CASE(deep_nesting_is_invalid_response_not_a_crash) {
  const std::string open_arrays(100000, '[');
  std::string open_objects;
  for (int i = 0; i < 100000; ++i) open_objects += "{\"k\":";
  for (const std::string& deep : {open_arrays, open_objects, open_arrays + std::string(100000, ']')}) {
    for (const std::string prefix : {"", "{\"id\":\"x\",\"a\":", "{\"id\":\"x\",\"retry_config\":{\"a\":",
                                     "{\"a\":[{\"b\":"}) {
      auto r = campaign::parse(prefix + deep);
      BOOST_TEST_REQUIRE(!r.has_value());
      BOOST_TEST((r.error().kind == campaign::ErrorKind::invalid_response));
      BOOST_TEST(run_checks("fuzz_differential", prefix + deep).empty());
      BOOST_TEST(!campaign::parse_error_message(prefix + deep).has_value());
    }
  }
}
