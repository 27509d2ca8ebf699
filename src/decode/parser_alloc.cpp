#include "parser_alloc.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>

namespace campaign::detail {
namespace {

namespace od = simdjson::ondemand;

// The buffers are private members, reached through the standard's
// explicit-instantiation access rule.
using StringBuf = std::unique_ptr<std::uint8_t[]> od::parser::*;
StringBuf string_buf_member();
template <StringBuf Member>
struct StringBufAccess {
  friend StringBuf string_buf_member() { return Member; }
};
template struct StringBufAccess<&od::parser::string_buf>;

#if SIMDJSON_DEVELOPMENT_CHECKS
using StartPositions = std::unique_ptr<od::token_position[]> od::parser::*;
StartPositions start_positions_member();
template <StartPositions Member>
struct StartPositionsAccess {
  friend StartPositions start_positions_member() { return Member; }
};
template struct StartPositionsAccess<&od::parser::start_positions>;
bool ready(const od::parser& p) { return p.*string_buf_member() && p.*start_positions_member(); }
#else
bool ready(const od::parser& p) { return p.*string_buf_member() != nullptr; }
#endif

}  // namespace

bool reserve_parser(od::parser& parser, std::size_t size) noexcept {
  if (size <= parser.capacity() && ready(parser)) return true;
  if (parser.allocate(std::max<std::size_t>(size, 4096)) != simdjson::SUCCESS || !ready(parser)) {
    parser = od::parser{};  // drop the half-made state
    return false;
  }
  return true;
}

}  // namespace campaign::detail
