// campaign.h compiles as C++ (built as C++98 and C++20) and links as C.
#include <campaign.h>

#include <cstdio>
#include <cstring>

namespace {

// Callback types are plain C function pointers; a C++ function fits them.
void on_done(void*, uint64_t, campaign_record* rec, campaign_error* err) {
  campaign_record_free(rec);
  campaign_error_free(err);
}
void on_log(void*, int, const char*) {}

}  // namespace

int main() {
  campaign_done_fn done = on_done;
  campaign_log_fn log = on_log;
  (void)done;
  campaign_options* opts = 0;
  if (campaign_options_create(&opts) != CAMPAIGN_OK) return 1;
  if (campaign_options_set_log(opts, log, 0) != CAMPAIGN_OK) return 1;
  campaign_options_free(opts);
  campaign_fields f;
  std::memset(&f, 0, sizeof f);
  f.struct_size = sizeof f;
#if defined(__cplusplus) && __cplusplus >= 201103L
  static_assert(noexcept(campaign_version()), "the C API never throws");
#endif
  if (campaign_version_number() != CAMPAIGN_VERSION_NUMBER) return 1;
  std::printf("campaign %s\n", campaign_version());
  return 0;
}
