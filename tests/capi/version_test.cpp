// The C API's version (macros and run time) is the project's version: the
// C++ core's campaign::version() and CMake's PROJECT_VERSION.
#include <campaign.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {
// Read before <campaign/version.hpp> redefines the same macro names.
constexpr int c_major = CAMPAIGN_VERSION_MAJOR, c_minor = CAMPAIGN_VERSION_MINOR,
              c_patch = CAMPAIGN_VERSION_PATCH;
constexpr const char* c_string = CAMPAIGN_VERSION_STRING;
}  // namespace
#undef CAMPAIGN_VERSION_MAJOR
#undef CAMPAIGN_VERSION_MINOR
#undef CAMPAIGN_VERSION_PATCH
#undef CAMPAIGN_VERSION_STRING

#include <campaign/version.hpp>

static_assert(c_major == CAMPAIGN_VERSION_MAJOR && c_minor == CAMPAIGN_VERSION_MINOR &&
                  c_patch == CAMPAIGN_VERSION_PATCH,
              "campaign.h and campaign/version.hpp disagree");

int main() {
  int failures = 0;
  auto check = [&](bool ok, const char* what) {
    if (!ok) {
      std::fprintf(stderr, "version mismatch: %s\n", what);
      ++failures;
    }
  };
  check(std::string(campaign_version()) == campaign::version(), "campaign_version() == campaign::version()");
  check(std::string(c_string) == campaign::version(), "CAMPAIGN_VERSION_STRING == campaign::version()");
  check(std::string(campaign_version()) == CAMPAIGN_PROJECT_VERSION, "campaign_version() == PROJECT_VERSION");
  check(campaign_version_number() ==
            static_cast<unsigned>(c_major * 10000 + c_minor * 100 + c_patch),
        "campaign_version_number()");
  check(campaign_abi_version() == CAMPAIGN_PROJECT_ABI, "campaign_abi_version() == CAMPAIGN_ABI_MAJOR");
  std::printf("campaign %s (ABI %d)\n", campaign_version(), campaign_abi_version());
  return failures ? 1 : 0;
}
