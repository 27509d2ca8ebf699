// Reading record fixtures for the mock: a JSON array of records, NDJSON, or
// any sequence of JSON objects separated by whitespace.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace campaign::mock {

class Server;

// The records' texts, byte for byte as they appear in `text` (so numbers such as
// 5.0 or 1e400 reach clients unchanged). Throws std::invalid_argument on
// unbalanced brackets or an unterminated string; each record is validated later
// by Server::add_record.
std::vector<std::string_view> split_fixtures(std::string_view text);

// Adds every record of `text` to the server; returns how many. Throws
// std::invalid_argument naming the record (1-based) that was refused.
std::size_t load_fixtures(Server& server, std::string_view text);

}  // namespace campaign::mock
