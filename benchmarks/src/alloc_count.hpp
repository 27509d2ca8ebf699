// Counts every operator new of the program (alloc_count.cpp replaces the
// global allocation functions), for "heap allocations per record".
#pragma once

#include <cstdint>

namespace campaign::bench {
std::uint64_t allocations() noexcept;
}
