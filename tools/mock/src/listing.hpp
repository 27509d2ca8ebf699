// The list endpoints' query and envelopes (docs/api.md, List Campaigns).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "campaign_mock/server.hpp"

namespace campaign::mock::detail {

// The first value of query parameter `name` in `target`, percent-decoded
// ('+' is a space); nullopt when absent.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

struct PageQuery {
  std::uint64_t page = 1, limit = 20;
  std::optional<std::string> status;
};

// page (from 1) and limit (1..max_limit, default 20) of `target`; an empty
// value counts as absent. Fills `errors` (validation messages) on failure.
PageQuery parse_page_query(std::string_view target, std::uint64_t max_limit,
                           std::vector<std::string>& errors);

// Which items a page holds, after the list faults that bend paging.
struct PagePlan {
  std::uint64_t first = 0, count = 0;  // items [first, first + count)
  std::uint64_t total_pages = 0;       // what meta.totalPages says
};
PagePlan plan_page(const PageQuery& q, std::uint64_t total, const ListFaults& faults);

// `items` (comma-separated JSON texts) in the envelope.
void wrap_page(std::string& out, Envelope envelope, std::string_view items, const PageQuery& q,
               std::uint64_t total, const PagePlan& plan);

}  // namespace campaign::mock::detail
