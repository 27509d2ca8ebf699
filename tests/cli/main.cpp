#define BOOST_TEST_MODULE campaign_cli_tests
#include <boost/test/unit_test.hpp>
