// libFuzzer entry point of fuzz_error_body; the checks are in harness*.cpp.
#include "harness.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  campaign_fuzz::check_error_body(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
