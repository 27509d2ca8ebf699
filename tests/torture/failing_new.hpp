// A global operator new that can be told to fail the Nth allocation from now.
#pragma once

#include <cstddef>

namespace campaign::test {
// Arms the failure: the nth allocation (1-based) from now throws bad_alloc,
// once; 0 disarms.
void fail_allocation(std::size_t nth) noexcept;
// True once the armed failure has happened (then it disarms itself).
bool allocation_failed() noexcept;
}  // namespace campaign::test
