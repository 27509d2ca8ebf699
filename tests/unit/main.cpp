#define BOOST_TEST_MODULE campaign unit tests
#include <boost/test/unit_test.hpp>
