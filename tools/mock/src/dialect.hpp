// What differs between the reference and the live dialect, apart from the
// error bodies (responses.hpp).
#pragma once

#include <string>
#include <string_view>

namespace campaign::mock::detail {

// `text` (a JSON object) with its top-level key `from` renamed to `to`, the
// rest byte for byte; unchanged when that key is absent (or spelled with escapes)
// or `to` is already there.
std::string rename_top_level_key(std::string text, std::string_view from, std::string_view to);

// docs/api.md's accepted campaign IDs: ^[A-Za-z0-9_-]{1,128}$ (the live dialect
// answers anything else 400, as the vendor's validation does).
bool is_valid_id(std::string_view id);

}  // namespace campaign::mock::detail
