#include "listing.hpp"

#include <algorithm>
#include <charconv>

#include "json_text.hpp"

namespace campaign::mock::detail {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s) {
  std::string out;
  for (std::size_t k = 0; k < s.size(); ++k) {
    if (s[k] == '+') {
      out += ' ';
    } else if (s[k] == '%' && k + 2 < s.size() && hex(s[k + 1]) >= 0 && hex(s[k + 2]) >= 0) {
      out += static_cast<char>(hex(s[k + 1]) * 16 + hex(s[k + 2]));
      k += 2;
    } else {
      out += s[k];
    }
  }
  return out;
}

// One integer parameter: absent or empty keeps `value`.
void parse_int(std::string_view target, std::string_view name, std::uint64_t max, std::uint64_t& value,
               std::vector<std::string>& errors) {
  auto text = query_param(target, name);
  if (!text || text->empty()) return;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  std::string n(name);
  if (ec == std::errc::result_out_of_range && max != 0)
    errors.push_back(n + " must not be greater than " + std::to_string(max));
  else if (ec != std::errc() || p != text->data() + text->size())
    errors.push_back(n + " must be an integer number");
  else if (v < 1)
    errors.push_back(n + " must not be less than 1");
  else if (max != 0 && v > max)
    errors.push_back(n + " must not be greater than " + std::to_string(max));
  else
    value = v;
}

}  // namespace

std::optional<std::string> query_param(std::string_view target, std::string_view name) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    auto eq = pair.find('=');
    if (decode(pair.substr(0, eq)) != name) continue;
    return eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

PageQuery parse_page_query(std::string_view target, std::uint64_t max_limit,
                           std::vector<std::string>& errors) {
  PageQuery q;
  parse_int(target, "page", 0, q.page, errors);
  parse_int(target, "limit", max_limit, q.limit, errors);
  q.status = query_param(target, "status");
  return q;
}

PagePlan plan_page(const PageQuery& q, std::uint64_t total, const ListFaults& faults) {
  PagePlan plan;
  const std::uint64_t pages = total / q.limit + (total % q.limit != 0);
  std::uint64_t page = q.page;
  // repeat-last: every page past the last serves the last one again.
  if (faults.repeat_last && page > std::max<std::uint64_t>(pages, 1))
    page = std::max<std::uint64_t>(pages, 1);
  if (page - 1 < pages) {
    plan.first = (page - 1) * q.limit;
    plan.count = std::min(q.limit, total - plan.first);
  }
  plan.total_pages = pages;
  if (faults.repeat_last) plan.total_pages = std::max(pages, q.page == UINT64_MAX ? q.page : q.page + 1);
  if (faults.lying_total_pages) plan.total_pages = *faults.lying_total_pages;
  return plan;
}

void wrap_page(std::string& out, Envelope envelope, std::string_view items, const PageQuery& q,
               std::uint64_t total, const PagePlan& plan) {
  out.clear();
  switch (envelope) {
    case Envelope::array:
      out += '[';
      out += items;
      out += ']';
      return;
    case Envelope::items:
      out += R"({"items":[)";
      out += items;
      out += R"(],"total":)";
      append_int(out, total);
      out += R"(,"page":)";
      append_int(out, q.page);
      out += R"(,"limit":)";
      append_int(out, q.limit);
      out += '}';
      return;
    case Envelope::data:
      out += R"({"data":[)";
      out += items;
      out += R"(],"meta":{"page":)";
      append_int(out, q.page);
      out += R"(,"limit":)";
      append_int(out, q.limit);
      out += R"(,"total":)";
      append_int(out, total);
      out += R"(,"totalPages":)";
      append_int(out, plan.total_pages);
      out += "}}";
      return;
  }
}

}  // namespace campaign::mock::detail
