#define BOOST_TEST_MODULE campaign_mock
#include <boost/test/unit_test.hpp>
