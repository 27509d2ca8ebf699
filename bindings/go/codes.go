package campaign

// The C ABI's codes, taken from campaign.h by cgo rather than copied.

/*
#include <campaign.h>
*/
import "C"

const (
	codeInvalidArgument = int(C.CAMPAIGN_E_INVALID_ARGUMENT)
	codeNotFound        = int(C.CAMPAIGN_E_NOT_FOUND)
	codeUnauthorized    = int(C.CAMPAIGN_E_UNAUTHORIZED)
	codeForbidden       = int(C.CAMPAIGN_E_FORBIDDEN)
	codeRateLimited     = int(C.CAMPAIGN_E_RATE_LIMITED)
	codeServerError     = int(C.CAMPAIGN_E_SERVER_ERROR)
	codeHTTPError       = int(C.CAMPAIGN_E_HTTP_ERROR)
	codeTimeout         = int(C.CAMPAIGN_E_TIMEOUT)
	codeNetwork         = int(C.CAMPAIGN_E_NETWORK)
	codeTLS             = int(C.CAMPAIGN_E_TLS)
	codeTooLarge        = int(C.CAMPAIGN_E_TOO_LARGE)
	codeInvalidResponse = int(C.CAMPAIGN_E_INVALID_RESPONSE)
	codeCancelled       = int(C.CAMPAIGN_E_CANCELLED)
	codeInternal        = int(C.CAMPAIGN_E_INTERNAL)
)
