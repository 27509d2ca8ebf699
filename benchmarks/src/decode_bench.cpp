// campaign-bench-decode: decodes one generated corpus with the project's
// decoder and with Boost.JSON, nlohmann/json and RapidJSON into an equivalent
// owning struct, plus two floors (simdjson's own On-Demand walk that touches
// every field and copies nothing, and a plain scan over the bytes).
//
// Hand loop: one warm-up pass per implementation, then R rounds; in each
// round every implementation decodes the whole corpus once (interleaved, so
// a slow patch of a noisy machine hits all of them). Each pass is timed with
// the thread's CPU clock (CLOCK_THREAD_CPUTIME_ID: time this thread ran, so
// other processes on a shared machine do not count) and with the wall clock.
// Reported: the median pass, min, max and spread, as ns/record and MB/s, the
// median wall time, and heap allocations per record (operator new is
// counted).
//
//   campaign-bench-decode [--records N] [--reps R] [--json]
#include <campaign/decode.hpp>
#include <campaign/model.hpp>
#include <campaign/timestamp.hpp>

#include <boost/json.hpp>
#include <simdjson.h>

#if __has_include(<nlohmann/json.hpp>)
#include <nlohmann/json.hpp>
#define BENCH_HAVE_NLOHMANN 1
#endif
#if __has_include(<rapidjson/document.h>)
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#define BENCH_HAVE_RAPIDJSON 1
#endif

#include "corpus.hpp"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_count.hpp"

// The kernel simdjson On-Demand compiled into this translation unit (it is
// chosen at compile time from the target flags).
#define BENCH_STR2(x) #x
#define BENCH_STR(x) BENCH_STR2(x)

namespace {

using campaign::bench::Corpus;
using campaign::Timestamp;

// ---- the owning struct the third-party parsers decode into ----
struct OwnedRetry {
  std::optional<std::int64_t> max_retries, retry_interval_minutes;
  bool operator==(const OwnedRetry&) const = default;
};
struct Owned {
  std::string id;
  std::optional<std::string> org_id, name, agent_id, from_phone_number, status;
  campaign::Status status_code = campaign::Status::unknown;
  std::optional<std::int64_t> max_concurrent_calls, total_leads, completed_calls, pending_calls;
  std::optional<Timestamp> scheduled_at, created_at;
  std::optional<OwnedRetry> retry_config;
  bool operator==(const Owned&) const = default;
};

enum Field {
  f_id, f_org_id, f_name, f_agent_id, f_from_phone_number, f_status, f_max_concurrent_calls,
  f_scheduled_at, f_retry_config, f_total_leads, f_completed_calls, f_pending_calls,
  f_created_at, f_unknown
};
Field field_of(std::string_view k) {
  static constexpr std::string_view names[] = {
      "id", "org_id", "name", "agent_id", "from_phone_number", "status", "max_concurrent_calls",
      "scheduled_at", "retry_config", "total_leads", "completed_calls", "pending_calls",
      "created_at"};
  for (int i = 0; i < f_unknown; ++i)
    if (names[i] == k) return static_cast<Field>(i);
  return f_unknown;
}

std::optional<std::string>* string_slot(Owned& o, Field f) {
  switch (f) {
    case f_org_id: return &o.org_id;
    case f_name: return &o.name;
    case f_agent_id: return &o.agent_id;
    case f_from_phone_number: return &o.from_phone_number;
    case f_status: return &o.status;
    default: return nullptr;
  }
}
std::optional<std::int64_t>* int_slot(Owned& o, Field f) {
  switch (f) {
    case f_max_concurrent_calls: return &o.max_concurrent_calls;
    case f_total_leads: return &o.total_leads;
    case f_completed_calls: return &o.completed_calls;
    case f_pending_calls: return &o.pending_calls;
    default: return nullptr;
  }
}
std::optional<Timestamp>* time_slot(Owned& o, Field f) {
  return f == f_scheduled_at ? &o.scheduled_at : f == f_created_at ? &o.created_at : nullptr;
}

void finish(Owned& o) {
  o.status_code = o.status ? campaign::status_from_string(*o.status) : campaign::Status::unknown;
}

// Generic extraction over a DOM with an adapter A providing:
//   is_null(v), is_string(v), string(v)->string_view, is_int64(v), int64(v),
//   is_object(v), for_each_member(v, fn(key, value)->bool) -> bool
template <class A, class V>
bool extract(const V& root, Owned& o) {
  if (!A::is_object(root)) return false;
  bool have_id = false;
  std::uint32_t seen = 0;
  bool ok = A::for_each_member(root, [&](std::string_view key, const auto& v) -> bool {
    Field f = field_of(key);
    if (f == f_unknown) return true;
    if (seen & (1u << f)) return false;  // duplicate
    seen |= 1u << f;
    if (f == f_id) {
      if (!A::is_string(v)) return false;
      o.id.assign(A::string(v));
      have_id = true;
      return true;
    }
    if (A::is_null(v)) return true;
    if (auto* s = string_slot(o, f)) {
      if (!A::is_string(v)) return false;
      s->emplace(A::string(v));
      return true;
    }
    if (auto* n = int_slot(o, f)) {
      if (!A::is_int64(v)) return false;
      *n = A::int64(v);
      return true;
    }
    if (auto* t = time_slot(o, f)) {
      if (!A::is_string(v)) return false;
      *t = campaign::parse_rfc3339(A::string(v));
      return t->has_value();
    }
    // retry_config
    if (!A::is_object(v)) return false;
    OwnedRetry rc;
    bool inner = A::for_each_member(v, [&](std::string_view k, const auto& x) -> bool {
      std::optional<std::int64_t>* slot = k == "max_retries" ? &rc.max_retries
                                          : k == "retry_interval_minutes" ? &rc.retry_interval_minutes
                                                                         : nullptr;
      if (!slot || A::is_null(x)) return true;
      if (!A::is_int64(x)) return false;
      *slot = A::int64(x);
      return true;
    });
    if (!inner) return false;
    o.retry_config = rc;
    return true;
  });
  if (!ok || !have_id) return false;
  finish(o);
  return true;
}

// ---- Boost.JSON ----
struct BoostA {
  using V = boost::json::value;
  static bool is_null(const V& v) { return v.is_null(); }
  static bool is_string(const V& v) { return v.is_string(); }
  static std::string_view string(const V& v) {
    const auto& s = v.get_string();
    return {s.data(), s.size()};
  }
  // Boost.JSON keeps integers that fit as int64 (uint64 only beyond its range).
  static bool is_int64(const V& v) { return v.is_int64(); }
  static std::int64_t int64(const V& v) { return v.get_int64(); }
  static bool is_object(const V& v) { return v.is_object(); }
  template <class F>
  static bool for_each_member(const V& v, F&& fn) {
    for (const auto& kv : v.get_object())
      if (!fn(std::string_view(kv.key().data(), kv.key().size()), kv.value())) return false;
    return true;
  }
};
struct BoostDecoder {
  boost::json::parser parser;
  alignas(16) unsigned char buffer[16384];
  bool decode(const char* p, std::size_t n, Owned& o) {
    boost::json::monotonic_resource mr(buffer, sizeof buffer);
    parser.reset(&mr);
    boost::system::error_code ec;
    parser.write(p, n, ec);  // the whole text: parses and finishes
    if (ec) return false;
    boost::json::value v = parser.release();
    return extract<BoostA>(v, o);
  }
};

#ifdef BENCH_HAVE_NLOHMANN
// ---- nlohmann/json ----
struct NlohmannA {
  using V = nlohmann::json;
  static bool is_null(const V& v) { return v.is_null(); }
  static bool is_string(const V& v) { return v.is_string(); }
  static std::string_view string(const V& v) { return *v.get_ptr<const std::string*>(); }
  static bool is_int64(const V& v) {
    if (v.is_number_integer() && !v.is_number_unsigned()) return true;
    return v.is_number_unsigned() &&
           v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX);
  }
  static std::int64_t int64(const V& v) { return v.get<std::int64_t>(); }
  static bool is_object(const V& v) { return v.is_object(); }
  template <class F>
  static bool for_each_member(const V& v, F&& fn) {
    for (auto it = v.begin(); it != v.end(); ++it)
      if (!fn(std::string_view(it.key()), it.value())) return false;
    return true;
  }
};
struct NlohmannDecoder {
  bool decode(const char* p, std::size_t n, Owned& o) {
    auto j = nlohmann::json::parse(p, p + n, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return false;
    return extract<NlohmannA>(j, o);
  }
};
#endif

#ifdef BENCH_HAVE_RAPIDJSON
// ---- RapidJSON ----
struct RapidA {
  using V = rapidjson::Value;
  static bool is_null(const V& v) { return v.IsNull(); }
  static bool is_string(const V& v) { return v.IsString(); }
  static std::string_view string(const V& v) { return {v.GetString(), v.GetStringLength()}; }
  static bool is_int64(const V& v) { return v.IsInt64(); }
  static std::int64_t int64(const V& v) { return v.GetInt64(); }
  static bool is_object(const V& v) { return v.IsObject(); }
  template <class F>
  static bool for_each_member(const V& v, F&& fn) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
      if (!fn(std::string_view(it->name.GetString(), it->name.GetStringLength()), it->value))
        return false;
    return true;
  }
};
struct RapidDecoder {
  alignas(16) char value_buffer[16384];
  alignas(16) char stack_buffer[4096];
  bool decode(const char* p, std::size_t n, Owned& o) {
    using Pool = rapidjson::MemoryPoolAllocator<>;
    Pool values(value_buffer, sizeof value_buffer);
    Pool stack(stack_buffer, sizeof stack_buffer);
    rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool> d(&values, sizeof stack_buffer, &stack);
    // Validate UTF-8 like the others do.
    d.Parse<rapidjson::kParseValidateEncodingFlag>(p, n);
    if (d.HasParseError()) return false;
    return extract<RapidA>(d, o);
  }
};
#endif

// ---- floors ----
namespace od = simdjson::ondemand;

// Touches a value: strings as views (unescaped into the parser's own buffer),
// numbers parsed, containers walked. Returns a checksum contribution.
std::uint64_t touch(od::value v, simdjson::error_code& err);
std::uint64_t touch(od::value v, simdjson::error_code& err) {
  od::json_type t;
  if ((err = v.type().get(t))) return 0;
  switch (t) {
    case od::json_type::object: {
      std::uint64_t sum = 0;
      od::object obj;
      if ((err = v.get_object().get(obj))) return 0;
      for (auto f : obj) {
        od::field field;
        if ((err = std::move(f).get(field))) return 0;
        std::string_view k;
        if ((err = field.unescaped_key().get(k))) return 0;
        sum += k.size() + touch(field.value(), err);
        if (err) return 0;
      }
      return sum;
    }
    case od::json_type::array: {
      std::uint64_t sum = 0;
      od::array arr;
      if ((err = v.get_array().get(arr))) return 0;
      for (auto e : arr) {
        od::value x;
        if ((err = std::move(e).get(x))) return 0;
        sum += touch(x, err);
        if (err) return 0;
      }
      return sum;
    }
    case od::json_type::string: {
      std::string_view s;
      if ((err = v.get_string().get(s))) return 0;
      return s.size();
    }
    case od::json_type::number: {
      od::number n;
      if ((err = v.get_number().get(n))) return 0;
      return n.is_int64() ? static_cast<std::uint64_t>(n.get_int64()) : 1;
    }
    case od::json_type::boolean: {
      bool b;
      if ((err = v.get_bool().get(b))) return 0;
      return b;
    }
    case od::json_type::null: {
      bool b = false;
      if ((err = v.is_null().get(b))) return 0;
      return b ? 0 : 1;
    }
  }
  return 0;
}

struct SimdjsonWalk {
  od::parser parser;
  std::uint64_t walk(const char* p, std::size_t n, std::size_t cap, bool& ok) {
    od::document doc;
    ok = false;
    if (parser.iterate(p, n, cap).get(doc)) return 0;
    od::object obj;
    if (doc.get_object().get(obj)) return 0;
    std::uint64_t sum = 0;
    for (auto f : obj) {
      od::field field;
      if (std::move(f).get(field)) return 0;
      std::string_view k;
      if (field.unescaped_key().get(k)) return 0;
      simdjson::error_code err = simdjson::SUCCESS;
      sum += k.size() + touch(field.value(), err);
      if (err) return 0;
    }
    // Nothing but whitespace may follow the object.
    ok = doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
    return sum;
  }
};

std::uint64_t scan(const char* p, std::size_t n) {
  // Sum of the bytes, 8 at a time (vectorised by the compiler).
  std::uint64_t sum = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    sum += (w & 0x00FF00FF00FF00FFull) + ((w >> 8) & 0x00FF00FF00FF00FFull);
  }
  for (; i < n; ++i) sum += static_cast<unsigned char>(p[i]);
  return sum;
}

std::uint64_t checksum(const campaign::Campaign& c) {
  return c.id().size() + c.name().value_or("").size() +
         static_cast<std::uint64_t>(c.total_leads().value_or(0)) +
         static_cast<std::uint64_t>(c.status().value_or(campaign::Status::unknown));
}
std::uint64_t checksum(const Owned& o) {
  return o.id.size() + (o.name ? o.name->size() : 0) +
         static_cast<std::uint64_t>(o.total_leads.value_or(0)) +
         static_cast<std::uint64_t>(o.status ? o.status_code : campaign::Status::unknown);
}

Owned to_owned(const campaign::Campaign& c) {
  Owned o;
  auto s = [](std::optional<std::string_view> v) {
    return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
  };
  o.id = std::string(c.id());
  o.org_id = s(c.org_id());
  o.name = s(c.name());
  o.agent_id = s(c.agent_id());
  o.from_phone_number = s(c.from_phone_number());
  o.status = s(c.status_text());
  o.max_concurrent_calls = c.max_concurrent_calls();
  o.total_leads = c.total_leads();
  o.completed_calls = c.completed_calls();
  o.pending_calls = c.pending_calls();
  o.scheduled_at = c.scheduled_at();
  o.created_at = c.created_at();
  if (auto rc = c.retry_config()) o.retry_config = OwnedRetry{rc->max_retries, rc->retry_interval_minutes};
  finish(o);
  return o;
}

struct Impl {
  std::string name;
  std::string note;
  // Decodes every record once; returns the number that decoded, adds to sum.
  std::function<std::size_t(const Corpus&, std::uint64_t&)> pass;
  std::vector<double> seconds;       // thread CPU time of each pass
  std::vector<double> wall_seconds;  // wall time of each pass
  std::uint64_t allocs = 0;  // during one pass
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t records = 100000;
  int reps = 7;
  bool check_equivalence = true;
  std::string only;  // run just the implementation of that name (for profiling)
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--records" && i + 1 < argc) records = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--reps" && i + 1 < argc) reps = std::atoi(argv[++i]);
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a == "--no-check") check_equivalence = false;
    else if (a == "--help") {
      std::puts("campaign-bench-decode [--records N] [--reps R] [--only NAME] [--no-check]: prints one JSON object");
      return 0;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (reps < 1 || records < 1) return 2;

  const std::size_t padding = std::max<std::size_t>(campaign::decode_padding(), simdjson::SIMDJSON_PADDING);
  Corpus corpus = campaign::bench::make_corpus(records, padding);

  // ---- equivalence check (untimed): every implementation must decode every
  // record to the same values as the project's decoder.
  campaign::Decoder project;
  BoostDecoder boost_dec;
#ifdef BENCH_HAVE_NLOHMANN
  NlohmannDecoder nl_dec;
#endif
#ifdef BENCH_HAVE_RAPIDJSON
  auto rapid_dec = std::make_unique<RapidDecoder>();
#endif
  SimdjsonWalk walker;
  std::size_t mismatches = 0, failures = 0;
  std::size_t statuses[8] = {}, nulls = 0, absent_name = 0, unknown_fields = 0;
  for (std::size_t i = 0; i < (check_equivalence ? corpus.count() : 0); ++i) {
    const char* p = corpus.data(i);
    std::size_t n = corpus.size[i];
    auto r = project.decode_padded(p, n, n + padding);
    if (!r) {
      ++failures;
      if (failures < 5) std::fprintf(stderr, "record %zu: %s\n", i, r.error().message.c_str());
      continue;
    }
    Owned want = to_owned(*r);
    {
      // An aliasing pointer that owns nothing: the corpus outlives the check.
      auto s2 = project.decode_shared(std::shared_ptr<const char[]>(std::shared_ptr<void>(), p), n, n + padding);
      if (!s2 || !(to_owned(*s2) == want)) ++mismatches;
    }
    if (want.status) ++statuses[static_cast<int>(want.status_code)];
    if (!want.name) ++absent_name;
    if (std::string_view(p, n).find("null") != std::string_view::npos) ++nulls;
    if (std::string_view(p, n).find("x_unknown") != std::string_view::npos ||
        std::string_view(p, n).find("labels") != std::string_view::npos) ++unknown_fields;
    auto check = [&](const char* who, bool ok, const Owned& got) {
      if (!ok || !(got == want)) {
        ++mismatches;
        if (mismatches < 5)
          std::fprintf(stderr, "%s differs on record %zu: %.*s\n", who, i, static_cast<int>(n), p);
      }
    };
    { Owned o; bool ok = boost_dec.decode(p, n, o); check("boost.json", ok, o); }
#ifdef BENCH_HAVE_NLOHMANN
    { Owned o; bool ok = nl_dec.decode(p, n, o); check("nlohmann", ok, o); }
#endif
#ifdef BENCH_HAVE_RAPIDJSON
    { Owned o; bool ok = rapid_dec->decode(p, n, o); check("rapidjson", ok, o); }
#endif
    { bool ok; walker.walk(p, n, n + padding, ok); if (!ok) ++mismatches; }
  }

  std::vector<Impl> impls;
  // The corpus as one shared buffer (it outlives every record): each record
  // shares it through an aliasing pointer, as a caller's response buffer would be.
  std::shared_ptr<const char[]> whole(corpus.bytes.data(), [](const char*) {});
  impls.push_back({"campaign", "campaign::Decoder::decode_shared -> campaign::Campaign (shares the caller's buffer: no copy, no allocation)",
                   [&](const Corpus& c, std::uint64_t& sum) {
                     std::size_t ok = 0;
                     for (std::size_t i = 0; i < c.count(); ++i) {
                       auto r = project.decode_shared(std::shared_ptr<const char[]>(whole, c.data(i)), c.size[i],
                                                      c.size[i] + c.padding);
                       if (r) { ++ok; sum += checksum(*r); }
                     }
                     return ok;
                   }, {}, {}, 0});
  impls.push_back({"campaign (owning copy)", "campaign::Decoder::decode_padded -> campaign::Campaign (owns a copy of the body)",
                   [&](const Corpus& c, std::uint64_t& sum) {
                     std::size_t ok = 0;
                     for (std::size_t i = 0; i < c.count(); ++i) {
                       auto r = project.decode_padded(c.data(i), c.size[i], c.size[i] + c.padding);
                       if (r) { ++ok; sum += checksum(*r); }
                     }
                     return ok;
                   }, {}, {}, 0});
  impls.push_back({"campaign (copying)", "campaign::Decoder::decode(string_view): copies into a padded scratch first",
                   [&](const Corpus& c, std::uint64_t& sum) {
                     std::size_t ok = 0;
                     for (std::size_t i = 0; i < c.count(); ++i) {
                       auto r = project.decode(std::string_view(c.data(i), c.size[i]));
                       if (r) { ++ok; sum += checksum(*r); }
                     }
                     return ok;
                   }, {}, {}, 0});
  impls.push_back({"simdjson walk (floor)", "simdjson On-Demand: visits every key and value, copies nothing",
                   [&](const Corpus& c, std::uint64_t& sum) {
                     std::size_t ok = 0;
                     for (std::size_t i = 0; i < c.count(); ++i) {
                       bool good;
                       sum += walker.walk(c.data(i), c.size[i], c.size[i] + c.padding, good);
                       ok += good;
                     }
                     return ok;
                   }, {}, {}, 0});
  impls.push_back({"memory scan (floor)", "sum over every byte of the record",
                   [&](const Corpus& c, std::uint64_t& sum) {
                     for (std::size_t i = 0; i < c.count(); ++i) sum += scan(c.data(i), c.size[i]);
                     return c.count();
                   }, {}, {}, 0});
  impls.push_back({"boost.json", "boost::json::parser (reused) + monotonic_resource -> owning struct",
                   [&](const Corpus& c, std::uint64_t& sum) {
                     std::size_t ok = 0;
                     for (std::size_t i = 0; i < c.count(); ++i) {
                       Owned o;
                       if (boost_dec.decode(c.data(i), c.size[i], o)) { ++ok; sum += checksum(o); }
                     }
                     return ok;
                   }, {}, {}, 0});
#ifdef BENCH_HAVE_NLOHMANN
  impls.push_back({"nlohmann/json", "nlohmann::json::parse -> owning struct",
                   [&](const Corpus& c, std::uint64_t& sum) {
                     std::size_t ok = 0;
                     for (std::size_t i = 0; i < c.count(); ++i) {
                       Owned o;
                       if (nl_dec.decode(c.data(i), c.size[i], o)) { ++ok; sum += checksum(o); }
                     }
                     return ok;
                   }, {}, {}, 0});
#endif
#ifdef BENCH_HAVE_RAPIDJSON
  impls.push_back({"rapidjson", "rapidjson::Document (pool allocator, UTF-8 validated) -> owning struct",
                   [&](const Corpus& c, std::uint64_t& sum) {
                     std::size_t ok = 0;
                     for (std::size_t i = 0; i < c.count(); ++i) {
                       Owned o;
                       if (rapid_dec->decode(c.data(i), c.size[i], o)) { ++ok; sum += checksum(o); }
                     }
                     return ok;
                   }, {}, {}, 0});
#endif

  if (!only.empty())
    std::erase_if(impls, [&](const Impl& im) { return im.name != only; });
  if (impls.empty()) return 2;

  using clock = std::chrono::steady_clock;
  auto thread_cpu = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  std::uint64_t sink = 0;
  std::size_t bad_passes = 0;
  // Warm-up: one pass each, also counting heap allocations.
  for (auto& im : impls) {
    std::uint64_t a0 = campaign::bench::allocations();
    std::size_t ok = im.pass(corpus, sink);
    im.allocs = campaign::bench::allocations() - a0;
    if (ok != corpus.count()) ++bad_passes;
  }
  for (int r = 0; r < reps; ++r) {
    // Rotate the order each round.
    for (std::size_t k = 0; k < impls.size(); ++k) {
      auto& im = impls[(k + static_cast<std::size_t>(r)) % impls.size()];
      auto t0 = clock::now();
      double c0 = thread_cpu();
      std::size_t ok = im.pass(corpus, sink);
      double c1 = thread_cpu();
      auto t1 = clock::now();
      if (ok != corpus.count()) ++bad_passes;
      im.seconds.push_back(c1 - c0);
      im.wall_seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
    }
  }

  // ---- JSON out ----
  std::string out = "{";
  char buf[512];
  std::snprintf(buf, sizeof buf, "\"simdjson_builtin\":\"%s\",\"simdjson_active\":\"%s\",",
                BENCH_STR(SIMDJSON_BUILTIN_IMPLEMENTATION),
                simdjson::get_active_implementation()->name().c_str());
  out += buf;
  std::snprintf(buf, sizeof buf,
                "\"records\":%zu,\"json_bytes\":%zu,\"mean_record_bytes\":%.1f,\"reps\":%d,"
                "\"mismatches\":%zu,\"failures\":%zu,\"bad_passes\":%zu,\"checksum\":%llu,",
                corpus.count(), corpus.json_bytes,
                static_cast<double>(corpus.json_bytes) / static_cast<double>(corpus.count()), reps,
                mismatches, failures, bad_passes, static_cast<unsigned long long>(sink));
  out += buf;
  std::snprintf(buf, sizeof buf,
                "\"corpus\":{\"with_null\":%zu,\"without_name\":%zu,\"with_unknown_fields\":%zu,"
                "\"status\":{\"unknown\":%zu,\"draft\":%zu,\"active\":%zu,\"running\":%zu,"
                "\"paused\":%zu,\"completed\":%zu,\"cancelled\":%zu}},",
                nulls, absent_name, unknown_fields, statuses[0], statuses[1], statuses[2], statuses[3],
                statuses[4], statuses[5], statuses[6]);
  out += buf;
  out += "\"results\":[";
  for (std::size_t k = 0; k < impls.size(); ++k) {
    auto& im = impls[k];
    double med = median(im.seconds);
    double mn = *std::min_element(im.seconds.begin(), im.seconds.end());
    double mx = *std::max_element(im.seconds.begin(), im.seconds.end());
    double wall = median(im.wall_seconds);
    double n = static_cast<double>(corpus.count());
    std::snprintf(buf, sizeof buf,
                  "%s{\"name\":\"%s\",\"ns_per_record\":%.2f,\"ns_min\":%.2f,\"ns_max\":%.2f,"
                  "\"spread_pct\":%.1f,\"records_per_s\":%.0f,\"mb_per_s\":%.1f,"
                  "\"allocs_per_record\":%.2f,\"ns_wall\":%.2f,\"note\":\"%s\"}",
                  k ? "," : "", im.name.c_str(), med / n * 1e9, mn / n * 1e9, mx / n * 1e9,
                  (mx - mn) / med * 100, n / med, static_cast<double>(corpus.json_bytes) / med / 1e6,
                  static_cast<double>(im.allocs) / n, wall / n * 1e9, im.note.c_str());
    out += buf;
  }
  out += "]}";
  std::puts(out.c_str());
  return (mismatches || failures || bad_passes) ? 1 : 0;
}
