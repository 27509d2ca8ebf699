// libFuzzer entry point of fuzz_validation; the checks are in harness*.cpp.
#include "harness.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  campaign_fuzz::check_validation(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
