// campaign/redact.hpp: the key masked in every spelling a server may echo,
// short keys as whole words only, and server text kept on one line.
#include <campaign/redact.hpp>

#include <boost/test/unit_test.hpp>

using campaign::contains_secret;
using campaign::flatten_line;
using campaign::redact;

BOOST_AUTO_TEST_SUITE(redaction)

const std::string key = "sk_live_Ab/9\"x\\Q";  // '/', '"' and '\\' have JSON escapes

BOOST_AUTO_TEST_CASE(raw_key_is_masked_everywhere) {
  BOOST_TEST(redact("a " + key + " b " + key, key) == "a *** b ***");
  BOOST_TEST(redact(key, key) == "***");
  BOOST_TEST(contains_secret("x" + key, key));
  BOOST_TEST(!contains_secret("sk_live_Ab/9", key));  // a prefix is not the key
}

BOOST_AUTO_TEST_CASE(json_escaped_forms_are_masked) {
  // \/ \" \\ and \u00XX (either case), mixed within one occurrence.
  BOOST_TEST(redact(R"({"m":"sk_live_Ab\/9\"x\\Q"})", key) == R"({"m":"***"})");
  BOOST_TEST(redact(R"(\u0073k_live_Ab\u002F9\u0022x\u005cQ!)", key) == "***!");
  BOOST_TEST(redact(R"(\u0073\u006B_live_Ab/9"x\Q)", key) == "***");
}

BOOST_AUTO_TEST_CASE(percent_encoded_forms_are_masked) {
  BOOST_TEST(redact("key=sk_live_Ab%2F9%22x%5CQ&x=1", key) == "key=***&x=1");
  BOOST_TEST(redact("key=%73%6b_live_Ab%2f9%22x%5cq", key) == "key=%73%6b_live_Ab%2f9%22x%5cq");  // q != Q
  BOOST_TEST(redact("key=%73%6b_live_Ab%2f9%22x%5cQ", key) == "key=***");
}

BOOST_AUTO_TEST_CASE(secret_half_of_a_key_pair_is_masked_alone) {
  const std::string pair = "key_123:s3cr3tValue";
  BOOST_TEST(redact("echo " + pair, pair) == "echo ***");
  BOOST_TEST(redact("echo s3cr3tValue.", pair) == "echo ***.");
  BOOST_TEST(redact("id key_123 only", pair) == "id key_123 only");  // the ID is not secret
  // A short secret half is masked too, as a whole word.
  BOOST_TEST(redact("bad secret s3c for key_1", "key_1:s3c") == "bad secret *** for key_1");
  BOOST_TEST(redact("unasked", "key_1:ask") == "unasked");
  BOOST_TEST(redact("key_1:", "key_1:") == "***");  // no secret half: only the whole key
}

BOOST_AUTO_TEST_CASE(short_keys_are_masked_as_whole_words_only) {
  BOOST_TEST(redact("asked for k", "k") == "asked for ***");
  BOOST_TEST(redact("k: bad key", "k") == "***: bad key");
  BOOST_TEST(redact("sk_x_k", "k") == "sk_x_k");
  BOOST_TEST(!contains_secret("asked", "k"));
  // Eight bytes and over: masked wherever they appear, inside words too.
  BOOST_TEST(redact("prefix12345678suffix", "12345678") == "prefix***suffix");
}

BOOST_AUTO_TEST_CASE(empty_key_masks_nothing) {
  BOOST_TEST(redact("anything", "") == "anything");
  BOOST_TEST(!contains_secret("anything", ""));
}

BOOST_AUTO_TEST_CASE(truncated_escapes_do_not_read_past_the_end) {
  BOOST_TEST(redact("sk_live_Ab\\u00", key) == "sk_live_Ab\\u00");
  BOOST_TEST(redact("sk_live_Ab%2", key) == "sk_live_Ab%2");
  BOOST_TEST(redact("\\", key) == "\\");
}

BOOST_AUTO_TEST_CASE(flatten_line_turns_control_runs_into_one_space) {
  BOOST_TEST(flatten_line("a\r\nb") == "a b");
  BOOST_TEST(flatten_line("a\x1b[31mred") == "a [31mred");
  BOOST_TEST(flatten_line(std::string("nul\0byte", 8)) == "nul byte");
  BOOST_TEST(flatten_line("del\x7f!") == "del !");
  BOOST_TEST(flatten_line("c1\xc2\x9b" "31m") == "c1 31m");     // U+009B, CSI
  BOOST_TEST(flatten_line("caf\xc3\xa9 ok") == "caf\xc3\xa9 ok");  // other UTF-8 kept
  BOOST_TEST(flatten_line("tab\there") == "tab here");
}

BOOST_AUTO_TEST_SUITE_END()
