// Controls the getaddrinfo this test executable defines (stuck_dns_test.cpp):
// lookups of "stuck.invalid" block while armed (at most 20 s each), every
// other name goes to the C library.
#pragma once

namespace campaign::test {

void stuck_dns_arm();      // lookups of "stuck.invalid" block from now on
void stuck_dns_release();  // wakes every blocked lookup (they fail: EAI_NONAME)
int stuck_dns_entered();   // lookups of "stuck.invalid" so far
int stuck_dns_returned();  // of which returned

}  // namespace campaign::test
