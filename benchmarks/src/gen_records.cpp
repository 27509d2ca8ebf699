// campaign-bench-records DIR N: writes campaign-mock's first N generated
// records (campaign::mock::generated_record) as DIR/cmp_000000 ..., so that
// nginx serves byte for byte what campaign-mock serves.
#include <campaign_mock/server.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: campaign-bench-records DIR N\n");
    return 2;
  }
  std::string dir = argv[1];
  std::size_t n = std::strtoull(argv[2], nullptr, 10);
  for (std::size_t i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/cmp_%06zu", i);
    std::string body = campaign::mock::generated_record(i);
    std::FILE* f = std::fopen((dir + name).c_str(), "wb");
    if (!f || std::fwrite(body.data(), 1, body.size(), f) != body.size() || std::fclose(f) != 0) {
      std::perror((dir + name).c_str());
      return 1;
    }
  }
  return 0;
}
