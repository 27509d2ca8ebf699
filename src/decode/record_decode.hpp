// Private: one record decoded by a given parser, for the Decoder and the
// page decoder (which decodes each item of a page in place).
#pragma once

#include <campaign/call_log.hpp>
#include <campaign/error.hpp>
#include <campaign/model.hpp>

#include "json_walk.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <memory>

namespace campaign::detail {

// data[size .. capacity) must be readable and at least SIMDJSON_PADDING
// long. With an owner, the record shares it instead of copying data.
// Instantiated for Campaign and CallLog.
template <class Record>
Result<Record> decode_record(simdjson::ondemand::parser& parser, const char* data, std::size_t size,
                             std::size_t capacity, std::shared_ptr<const char[]>* owner = nullptr);

// For other documents than a record (a list page), with the record's
// messages: a failed walk as invalid_response naming `where`, and a strict
// integer (null leaves `out` absent) or its error.
Error walk_error(WalkResult r, std::string_view where = {});
inline Error walk_error(simdjson::error_code e, std::string_view where = {}) {
  return walk_error(WalkResult::from(e), where);
}
std::optional<Error> read_integer(simdjson::ondemand::value& v, std::optional<std::int64_t>& out,
                                  std::string_view where);

}  // namespace campaign::detail
