#define BOOST_TEST_MODULE campaign client tests
#include <boost/test/unit_test.hpp>
