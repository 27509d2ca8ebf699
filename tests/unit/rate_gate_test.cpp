// The rate gate's reading of windows (src/client/rate_gate.hpp), driven with
// the answers a server would send, so each case is exact: which window an
// answer belongs to decides what the gate lets through.
#include "client/rate_gate.hpp"

#include <boost/test/unit_test.hpp>

using namespace campaign;
using namespace campaign::detail;
using namespace std::chrono;

namespace {

// An answer of the window the server calls `window_s` (its Unix reset),
// which this machine's clock puts `reset_in` from now.
SeenRateLimit answer(std::int64_t limit, std::int64_t remaining, std::int64_t window_s, milliseconds reset_in) {
  SeenRateLimit s;
  s.shown.limit = limit;
  s.shown.remaining = remaining;
  s.shown.reset = time_point_cast<milliseconds>(system_clock::now()) + reset_in;
  s.window = window_s * 1000;
  return s;
}

// Admits until the gate says wait; returns how many went.
int admit_all(RateGate& g, RateGate::Clock::time_point now, int most) {
  int n = 0;
  while (n < most && !g.admit(now)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_gate)

// One-second windows: Date's whole seconds put the next window's reset, as
// shifted to this clock, less than a second after the last one's. Only the
// server's own reset tells them apart; read as the same window, the gate
// would keep the old reset, wake at it and assume a full window that the
// server has already partly spent.
BOOST_AUTO_TEST_CASE(the_next_window_is_told_apart_by_the_servers_reset) {
  RateGate g;
  const auto now = RateGate::Clock::now();
  BOOST_REQUIRE(!g.admit(now));
  g.settle(answer(40, 5, 1'000'000, milliseconds(300)), std::nullopt, now);  // window 1, ends in 0.3 s
  BOOST_REQUIRE(!g.admit(now));
  g.settle(answer(40, 10, 1'000'001, milliseconds(900)), std::nullopt, now);  // window 2 already, 10 left
  BOOST_TEST(admit_all(g, now, 100) == 10);
  // Past window 1's reset, window 2 still has only what it said.
  const auto later = now + milliseconds(500);
  auto wait = g.admit(later);
  BOOST_REQUIRE(wait.has_value());
  BOOST_TEST((*wait >= now + milliseconds(900)));
  auto last = g.last();
  BOOST_REQUIRE(last.has_value());
  BOOST_TEST(last->remaining.value_or(-1) == 10);
}

BOOST_AUTO_TEST_CASE(answers_of_one_window_keep_the_lowest_count_and_earliest_reset) {
  RateGate g;
  const auto now = RateGate::Clock::now();
  for (int i = 0; i < 3; ++i) BOOST_REQUIRE(!g.admit(now));
  g.settle(answer(40, 7, 1'000'000, milliseconds(800)), std::nullopt, now);
  g.settle(answer(40, 9, 1'000'000, milliseconds(400)), std::nullopt, now);  // overtaken, earlier estimate
  g.settle(answer(40, 8, 1'000'000, milliseconds(900)), std::nullopt, now);
  auto last = g.last();
  BOOST_REQUIRE(last.has_value());
  BOOST_TEST(last->remaining.value_or(-1) == 7);
  BOOST_TEST(admit_all(g, now, 100) == 7);
  auto wait = g.admit(now);
  BOOST_REQUIRE(wait.has_value());
  BOOST_TEST((*wait < now + milliseconds(800)));  // the earliest estimate, plus the margin
  BOOST_TEST((*wait >= now + milliseconds(400)));
}

BOOST_AUTO_TEST_CASE(an_answer_of_an_older_window_changes_nothing) {
  RateGate g;
  const auto now = RateGate::Clock::now();
  for (int i = 0; i < 2; ++i) BOOST_REQUIRE(!g.admit(now));
  g.settle(answer(40, 3, 1'000'001, milliseconds(900)), std::nullopt, now);
  g.settle(answer(40, 30, 1'000'000, milliseconds(100)), std::nullopt, now);  // late, from the window before
  BOOST_TEST(g.last()->remaining.value_or(-1) == 3);
  BOOST_TEST(admit_all(g, now, 100) == 3);
}

// Retry-After is whole seconds, rounded up. A 429 of the window the gate
// knows holds everyone until that window's end, not a second later (a
// process sharing the key would otherwise wake near the end of each window,
// after the others had spent it); still not before the end.
BOOST_AUTO_TEST_CASE(a_429_of_the_known_window_holds_until_its_end) {
  RateGate g;
  const auto now = RateGate::Clock::now();
  for (int i = 0; i < 2; ++i) BOOST_REQUIRE(!g.admit(now));
  g.settle(answer(40, 1, 1'000'000, milliseconds(150)), std::nullopt, now);
  auto held = g.settle(answer(40, 0, 1'000'000, milliseconds(400)), milliseconds(1000), now);  // a 429
  BOOST_REQUIRE(held.has_value());
  BOOST_TEST((*held >= milliseconds(100)));
  BOOST_TEST((*held < milliseconds(400)));  // the earliest estimate of the end, not Retry-After
  auto wait = g.admit(now);
  BOOST_REQUIRE(wait.has_value());
  BOOST_TEST((*wait - now >= *held));  // and the gate's margin
  BOOST_TEST((*wait - now <= *held + milliseconds(50)));
}

BOOST_AUTO_TEST_CASE(a_429_of_another_window_or_an_ended_one_waits_retry_after) {
  {
    RateGate g;
    const auto now = RateGate::Clock::now();
    BOOST_REQUIRE(!g.admit(now));
    // Relative resets name no window.
    SeenRateLimit relative = answer(40, 0, 0, milliseconds(300));
    relative.window.reset();
    auto held = g.settle(relative, milliseconds(1000), now);
    BOOST_REQUIRE(held.has_value());
    BOOST_TEST((*held >= milliseconds(1000)));
  }
  {
    RateGate g;
    const auto now = RateGate::Clock::now();
    for (int i = 0; i < 2; ++i) BOOST_REQUIRE(!g.admit(now));
    g.settle(answer(40, 3, 1'000'000, milliseconds(-50)), std::nullopt, now);  // we think it ended
    auto held = g.settle(answer(40, 0, 1'000'000, milliseconds(-50)), milliseconds(1000), now);
    BOOST_REQUIRE(held.has_value());
    BOOST_TEST((*held >= milliseconds(1000)));
  }
}

BOOST_AUTO_TEST_CASE(parse_names_the_window_by_the_raw_unix_reset) {
  const auto now = system_clock::now();
  auto s = parse_rate_limit("40", "3", "1767225601", "Thu, 01 Jan 2026 00:00:00 GMT", now);
  BOOST_TEST(s.window.value_or(-1) == 1'767'225'601'000);
  BOOST_REQUIRE(s.shown.reset.has_value());
  // One second after the server's Date, on this machine's clock.
  BOOST_TEST((*s.shown.reset - time_point_cast<milliseconds>(now) == milliseconds(1000)));
  auto relative = parse_rate_limit("40", "3", "2", "", now);
  BOOST_TEST(!relative.window.has_value());
  BOOST_TEST((*relative.shown.reset - time_point_cast<milliseconds>(now) == milliseconds(2000)));
}

BOOST_AUTO_TEST_SUITE_END()
