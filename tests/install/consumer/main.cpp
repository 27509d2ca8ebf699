#include <campaign/campaign.hpp>

#include <cstdio>

int main() {
  auto r = campaign::parse(R"({"id":"cmp_xyz789","status":"paused","total_leads":4,"completed_calls":1})");
  if (!r) return 1;
  std::printf("%s %s %.2f\n", std::string(r->id()).c_str(), std::string(*r->status_text()).c_str(), *r->progress());
  return 0;
}
