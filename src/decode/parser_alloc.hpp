// Private: grows a simdjson On-Demand parser and checks that it really has
// its buffers.
#pragma once

#include <simdjson.h>

#include <cstddef>

namespace campaign::detail {

// Makes room for a document of `size` bytes. simdjson 3.0.1's
// ondemand::parser::allocate() reports SUCCESS even when a nothrow new of
// its string buffer (and, in unoptimised builds, of its depth positions)
// returned null; the next document then writes through a null pointer.
// False when memory ran out; the parser is then empty again.
bool reserve_parser(simdjson::ondemand::parser& parser, std::size_t size) noexcept;

}  // namespace campaign::detail
