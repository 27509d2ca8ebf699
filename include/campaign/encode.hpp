// campaign/encode.hpp: the canonical JSON form of a record.
//
// Exactly the fields of docs/api.md, in its order, compact, absent ones as null,
// timestamps as UTC "YYYY-MM-DDTHH:MM:SS.mmmZ", an unknown status as its raw
// text, retry_config members null when absent. This is what the CLI prints
// and what every binding compares against.
#pragma once

#include <campaign/call_log.hpp>
#include <campaign/error.hpp>
#include <campaign/model.hpp>

#include <string>
#include <string_view>

namespace campaign {

std::string to_json(const Campaign& record);
void append_json(std::string& out, const Campaign& record);
// A call log the same way (its analysis as compact JSON, not a string).
std::string to_json(const CallLog& log);
void append_json(std::string& out, const CallLog& log);
// One error as {"kind":..,"http_status":..|null,"message":..}.
void append_json(std::string& out, const Error& error);

// Appends s as a JSON string literal (quotes included): '"', '\\' and control
// characters escaped, everything else (valid UTF-8) kept as is.
void append_json_string(std::string& out, std::string_view s);

}  // namespace campaign
