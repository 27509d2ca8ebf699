package campaign

/*
#include <stdlib.h>
#include <campaign.h>
*/
import "C"

import (
	"time"
	"unsafe"
)

// Option configures a Client.
type Option func(*settings)

type settings struct {
	strs     map[C.int]string
	ints     map[C.int]int64
	doubles  map[C.int]float64
	failFast bool
}

func durationOption(key C.int, d time.Duration) Option {
	return func(s *settings) { s.ints[key] = d.Milliseconds() }
}

// WithTimeout bounds one attempt, from connect to the last body byte (default 30 s).
func WithTimeout(d time.Duration) Option { return durationOption(C.CAMPAIGN_OPT_TIMEOUT_MS, d) }

// WithConnectTimeout bounds DNS, TCP and TLS (default 10 s).
func WithConnectTimeout(d time.Duration) Option {
	return durationOption(C.CAMPAIGN_OPT_CONNECT_TIMEOUT_MS, d)
}

// WithTotalTimeout bounds all attempts and the waits between them (default 120 s).
// A context deadline bounds a call as well.
func WithTotalTimeout(d time.Duration) Option {
	return durationOption(C.CAMPAIGN_OPT_TOTAL_TIMEOUT_MS, d)
}

// WithMaxRetries sets the retries after the first attempt (default 2; 0 disables).
func WithMaxRetries(n int) Option {
	return func(s *settings) { s.ints[C.CAMPAIGN_OPT_MAX_RETRIES] = int64(n) }
}

// WithBackoff sets the first backoff ceiling and the cap (defaults 500 ms, 8 s).
func WithBackoff(initial, max time.Duration) Option {
	return func(s *settings) {
		s.ints[C.CAMPAIGN_OPT_BACKOFF_INITIAL_MS] = initial.Milliseconds()
		s.ints[C.CAMPAIGN_OPT_BACKOFF_MAX_MS] = max.Milliseconds()
	}
}

// WithMaxRetryAfter is the longest server-requested wait honoured (default 60 s).
func WithMaxRetryAfter(d time.Duration) Option {
	return durationOption(C.CAMPAIGN_OPT_MAX_RETRY_AFTER_MS, d)
}

// WithRetryBudget sets the retry token bucket: tokens earned per request and its size.
func WithRetryBudget(ratio, burst float64) Option {
	return func(s *settings) {
		s.doubles[C.CAMPAIGN_OPT_RETRY_BUDGET_RATIO] = ratio
		s.doubles[C.CAMPAIGN_OPT_RETRY_BUDGET_BURST] = burst
	}
}

// WithMaxBodyBytes limits response bodies (default 8 MiB).
func WithMaxBodyBytes(n int64) Option {
	return func(s *settings) { s.ints[C.CAMPAIGN_OPT_MAX_BODY_BYTES] = n }
}

// WithMaxHeaderBytes limits response headers (default 64 KiB).
func WithMaxHeaderBytes(n int64) Option {
	return func(s *settings) { s.ints[C.CAMPAIGN_OPT_MAX_HEADER_BYTES] = n }
}

// WithMaxConnections caps kept-alive connections per I/O thread (default 64).
func WithMaxConnections(n int) Option {
	return func(s *settings) { s.ints[C.CAMPAIGN_OPT_MAX_CONNECTIONS] = int64(n) }
}

// WithIdleTimeout sets how long an idle connection is kept (default 30 s).
func WithIdleTimeout(d time.Duration) Option {
	return durationOption(C.CAMPAIGN_OPT_IDLE_TIMEOUT_MS, d)
}

// WithIOThreads sets the library's I/O threads (default 1).
func WithIOThreads(n int) Option {
	return func(s *settings) { s.ints[C.CAMPAIGN_OPT_IO_THREADS] = int64(n) }
}

// WithUserAgentSuffix appends a product token to "campaign/<version>".
func WithUserAgentSuffix(v string) Option {
	return func(s *settings) { s.strs[C.CAMPAIGN_OPT_USER_AGENT_SUFFIX] = v }
}

// WithCAFile trusts this PEM bundle instead of the system store.
func WithCAFile(path string) Option {
	return func(s *settings) { s.strs[C.CAMPAIGN_OPT_CA_FILE] = path }
}

// WithCADir trusts this hashed CA directory.
func WithCADir(path string) Option {
	return func(s *settings) { s.strs[C.CAMPAIGN_OPT_CA_DIR] = path }
}

// WithInsecureSkipTLSVerify turns certificate verification OFF. Anyone on
// the path can then read the API key: for local experiments only.
func WithInsecureSkipTLSVerify() Option {
	return func(s *settings) { s.ints[C.CAMPAIGN_OPT_INSECURE_SKIP_TLS_VERIFY] = 1 }
}

// WithFailFast applies the preset for code on a call path: an answer within
// about 2 s, one retry. Options given after it override it.
func WithFailFast() Option { return func(s *settings) { s.failFast = true } }

// build makes the C options; the caller frees them.
func (s *settings) build(baseURL, apiKey string) (*C.campaign_options, error) {
	var o *C.campaign_options
	if rc := C.campaign_options_create(&o); rc != 0 {
		return nil, newError(int(rc), "options")
	}
	fail := func(rc C.int) error {
		C.campaign_options_free(o)
		return newError(int(rc), C.GoString(C.campaign_strerror(rc)))
	}
	setStr := func(key C.int, v string) C.int {
		cs := C.CString(v)
		defer C.free(unsafe.Pointer(cs))
		return C.campaign_options_set_str(o, key, cs)
	}
	if s.failFast {
		if rc := C.campaign_options_preset_fail_fast(o); rc != 0 {
			return nil, fail(rc)
		}
	}
	if rc := setStr(C.CAMPAIGN_OPT_BASE_URL, baseURL); rc != 0 {
		return nil, fail(rc)
	}
	if rc := setStr(C.CAMPAIGN_OPT_API_KEY, apiKey); rc != 0 {
		return nil, fail(rc)
	}
	for k, v := range s.strs {
		if rc := setStr(k, v); rc != 0 {
			return nil, fail(rc)
		}
	}
	for k, v := range s.ints {
		if rc := C.campaign_options_set_int(o, k, C.int64_t(v)); rc != 0 {
			return nil, fail(rc)
		}
	}
	for k, v := range s.doubles {
		if rc := C.campaign_options_set_double(o, k, C.double(v)); rc != 0 {
			return nil, fail(rc)
		}
	}
	return o, nil
}
