package campaign

// The binding finds the library with pkg-config: `campaign` (the shared
// libcampaign.so.1) by default, `campaign-static` (libcampaign.a: no .so
// needed at run time) with `-tags static`. Point PKG_CONFIG_PATH at an
// installed prefix's lib/pkgconfig, or at a build tree's build/pkgconfig.
// cgo_shared.go and cgo_static.go hold the two directives.

/*
#include <campaign.h>

#if CAMPAIGN_ABI_VERSION != 1
#error "this binding speaks version 1 of the campaign C ABI"
#endif
*/
import "C"
