#include <campaign/version.hpp>

namespace campaign {
const char* version() noexcept { return CAMPAIGN_VERSION_STRING; }
}  // namespace campaign
