package campaign

/*
#include <stdlib.h>
#include <campaign.h>
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"
)

// Option configures a Client.
//
// Durations. The timeouts (WithTimeout, WithConnectTimeout,
// WithTotalTimeout) are bounded: 1 ms .. 24 h. The other durations
// (WithBackoff, WithMaxRetryAfter, WithIdleTimeout) are 0 .. 24 h. Durations
// are passed as whole milliseconds (a remainder below 1 ms is dropped). New
// returns ErrInvalidArgument for a duration outside its bounds, so
// WithTimeout(math.MaxInt64) is refused rather than taken for "no timeout":
// there is no "wait forever" (use a context without a deadline and a 24 h
// total timeout for the longest wait there is).
//
// Strings. A string option (and the base URL, the API key, an ID) with a NUL
// byte gives ErrInvalidArgument: C would otherwise cut it at the NUL.
type Option func(*settings)

type settings struct {
	strs     map[C.int]string
	ints     map[C.int]int64
	doubles  map[C.int]float64
	failFast bool
	err      error // the first invalid option, returned by New
}

// maxDuration is the longest duration of any option (the library's bound).
const maxDuration = 24 * time.Hour

// millis converts a duration option to milliseconds after checking it is
// in [min, 24 h]: the result is then in 0 .. 86 400 000 and cannot wrap,
// neither here nor in the library's own arithmetic on it.
func (s *settings) millis(name string, d, min time.Duration) (int64, bool) {
	if d < min || d > maxDuration {
		if s.err == nil {
			s.err = newError(1, fmt.Sprintf("%s(%v): must be %v .. %v", name, d, min, maxDuration))
		}
		return 0, false
	}
	return int64(d / time.Millisecond), true
}

func (s *settings) setDuration(key C.int, name string, d, min time.Duration) {
	if ms, ok := s.millis(name, d, min); ok {
		s.ints[key] = ms
	}
}

// timeoutOption is a timeout: 1 ms .. 24 h.
func timeoutOption(key C.int, name string, d time.Duration) Option {
	return func(s *settings) { s.setDuration(key, name, d, time.Millisecond) }
}

// durationOption is any other duration: 0 .. 24 h.
func durationOption(key C.int, name string, d time.Duration) Option {
	return func(s *settings) { s.setDuration(key, name, d, 0) }
}

// WithTimeout bounds one attempt, from connect to the last body byte
// (default 30 s; 1 ms .. 24 h).
func WithTimeout(d time.Duration) Option {
	return timeoutOption(C.CAMPAIGN_OPT_TIMEOUT_MS, "WithTimeout", d)
}

// WithConnectTimeout bounds DNS, TCP and TLS (default 10 s; 1 ms .. 24 h).
func WithConnectTimeout(d time.Duration) Option {
	return timeoutOption(C.CAMPAIGN_OPT_CONNECT_TIMEOUT_MS, "WithConnectTimeout", d)
}

// WithTotalTimeout bounds all attempts and the waits between them
// (default 120 s; 1 ms .. 24 h). A context deadline bounds a call as well.
func WithTotalTimeout(d time.Duration) Option {
	return timeoutOption(C.CAMPAIGN_OPT_TOTAL_TIMEOUT_MS, "WithTotalTimeout", d)
}

// WithMaxRetries sets the retries after the first attempt (default 2; 0 disables).
func WithMaxRetries(n int) Option {
	return func(s *settings) { s.ints[C.CAMPAIGN_OPT_MAX_RETRIES] = int64(n) }
}

// WithBackoff sets the first backoff ceiling and the cap (defaults 500 ms,
// 8 s; each 0 .. 24 h).
func WithBackoff(initial, max time.Duration) Option {
	return func(s *settings) {
		s.setDuration(C.CAMPAIGN_OPT_BACKOFF_INITIAL_MS, "WithBackoff", initial, 0)
		s.setDuration(C.CAMPAIGN_OPT_BACKOFF_MAX_MS, "WithBackoff", max, 0)
	}
}

// WithMaxRetryAfter is the longest server-requested wait honoured
// (default 60 s; 0 .. 24 h).
func WithMaxRetryAfter(d time.Duration) Option {
	return durationOption(C.CAMPAIGN_OPT_MAX_RETRY_AFTER_MS, "WithMaxRetryAfter", d)
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

// WithIdleTimeout sets how long an idle connection is kept (default 30 s;
// 0 .. 24 h).
func WithIdleTimeout(d time.Duration) Option {
	return durationOption(C.CAMPAIGN_OPT_IDLE_TIMEOUT_MS, "WithIdleTimeout", d)
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

// WithRateLimitGate sets whether attempts wait for the API key's rate-limit
// window (default true): when the server's X-RateLimit-Remaining, less the
// requests already in flight with that key, reaches 0, further attempts
// wait until the reset instead of meeting a 429; the wait is shared by every
// client of that key and base URL in the process, and never runs past a
// request's own deadline. False sends every attempt at once, and a 429 is
// retried like any other answer.
func WithRateLimitGate(on bool) Option {
	return func(s *settings) { s.ints[C.CAMPAIGN_OPT_RATE_LIMIT_GATE] = boolInt(on) }
}

// WithCoalesce sets whether concurrent gets of one ID share one request
// (default true): a Get of an ID whose request is in flight joins it and
// receives its own copy of the result, keeping its own context (cancelling
// one caller leaves the others served). Nothing is cached: a Get after the
// result landed sends a request of its own. Stats.Coalesced counts the gets
// that joined. False sends one request per Get.
func WithCoalesce(on bool) Option {
	return func(s *settings) { s.ints[C.CAMPAIGN_OPT_COALESCE] = boolInt(on) }
}

func boolInt(on bool) int64 {
	if on {
		return 1
	}
	return 0
}

// WithFailFast applies the preset for code on a call path: an answer within
// about 2 s, one retry. Options given after it override it.
func WithFailFast() Option { return func(s *settings) { s.failFast = true } }

// strNames names the string options in error messages.
var strNames = map[C.int]string{
	C.CAMPAIGN_OPT_USER_AGENT_SUFFIX: "user agent suffix",
	C.CAMPAIGN_OPT_CA_FILE:           "CA file path",
	C.CAMPAIGN_OPT_CA_DIR:            "CA directory path",
}

// check reports the first invalid option or string, before anything
// reaches C.
func (s *settings) check(baseURL, apiKey string) error {
	if s.err != nil {
		return s.err
	}
	if err := checkString("base URL", baseURL); err != nil {
		return err
	}
	if err := checkString("API key", apiKey); err != nil {
		return err
	}
	for k, v := range s.strs {
		if err := checkString(strNames[k], v); err != nil {
			return err
		}
	}
	return nil
}

// build makes the C options; the caller frees them.
func (s *settings) build(baseURL, apiKey string) (*C.campaign_options, error) {
	if err := s.check(baseURL, apiKey); err != nil {
		return nil, err
	}
	var o *C.campaign_options
	if rc := C.campaign_options_create(&o); rc != 0 {
		return nil, newError(int(rc), "options")
	}
	fail := func(rc C.int) error {
		C.campaign_options_free(o)
		return newError(int(rc), C.GoString(C.campaign_strerror(rc)))
	}
	setStr := func(key C.int, v string) C.int {
		cs := C.CString(v) // checked above: no NUL byte, so nothing is cut
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
