// Versions and features: what a binding checks when it loads the library.
#include "shim.hpp"

extern "C" {

unsigned campaign_version_number(void) noexcept { return CAMPAIGN_VERSION_NUMBER; }

const char* campaign_version(void) noexcept { return CAMPAIGN_VERSION_STRING; }

int campaign_abi_version(void) noexcept { return CAMPAIGN_ABI_VERSION; }

unsigned campaign_features(void) noexcept {
  // TLS is always compiled in (OpenSSL is a hard dependency), and every
  // client is shareable between threads.
  return CAMPAIGN_FEATURE_TLS | CAMPAIGN_FEATURE_THREADS;
}

}  // extern "C"
