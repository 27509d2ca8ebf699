package campaign

// The binding links the static libcampaign.a (C ABI and C++ core in one
// archive), so a Go binary needs no libcampaign.so at run time. By default it
// is taken from the repository's build directory; set CGO_LDFLAGS (and
// CGO_CFLAGS) to use an installed copy instead, e.g. from pkg-config.

/*
#cgo CFLAGS: -I${SRCDIR}/../../capi/include
#cgo LDFLAGS: ${SRCDIR}/../../build/lib/libcampaign.a -lboost_url -lsimdjson -lssl -lcrypto -lstdc++ -lm -lpthread
#include <stdlib.h>
#include <campaign.h>

#if CAMPAIGN_ABI_VERSION != 1
#error "this binding speaks version 1 of the campaign C ABI"
#endif
*/
import "C"
