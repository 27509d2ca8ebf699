package campaign

/*
#include <campaign.h>
*/
import "C"

import (
	"math"
	"time"
	"unsafe"
)

// Stats are a client's connection, retry and rate-limit counters since New
// (campaign_client_stats).
type Stats struct {
	Requests          uint64 // fetches started
	Attempts          uint64 // HTTP requests written
	Retries           uint64 // attempts after a request's first
	BudgetDenied      uint64 // retries refused by the retry budget
	ConnectionsOpened uint64
	ConnectionsReused uint64 // requests sent on a pooled connection
	StaleResends      uint64 // sent again once after a pooled connection died

	Responses429   uint64        // HTTP 429 answers received
	RateLimitWaits uint64        // requests held back by the key's rate-limit window
	RateLimitWait  time.Duration // the time they were held back, in total
	// RateLimit is the key's rate limit as last seen by any client of this
	// key and base URL in the process; nil until a response carried an
	// X-RateLimit header.
	RateLimit *RateLimit

	// Coalesced counts the gets served by a request already in flight for
	// their ID (WithCoalesce): 500 concurrent gets of one ID give Requests 1
	// and Coalesced 499.
	Coalesced uint64
}

// Stats returns the client's counters. After Close it returns them as they
// were when Close began.
func (cl *Client) Stats() Stats {
	s := cl.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c == nil {
		return s.final
	}
	return readStats(s.c)
}

// readStats asks the library for c's counters (c must be alive).
func readStats(c *C.campaign_client) Stats {
	var st C.campaign_stats
	st.struct_size = C.uint32_t(unsafe.Sizeof(st))
	if C.campaign_client_stats(c, &st) != C.CAMPAIGN_OK {
		return Stats{}
	}
	out := Stats{
		Requests:          uint64(st.requests),
		Attempts:          uint64(st.attempts),
		Retries:           uint64(st.retries),
		BudgetDenied:      uint64(st.budget_denied),
		ConnectionsOpened: uint64(st.connections_opened),
		ConnectionsReused: uint64(st.connections_reused),
		StaleResends:      uint64(st.stale_resends),
		Responses429:      uint64(st.responses_429),
		RateLimitWaits:    uint64(st.rate_limit_waits),
		RateLimitWait:     millisDuration(uint64(st.rate_limit_wait_ms)),
		Coalesced:         uint64(st.coalesced),
	}
	if st.rate_limit_present != 0 {
		out.RateLimit = rateLimitOf(st.rate_limit_present, st.rate_limit_limit,
			st.rate_limit_remaining, st.rate_limit_reset_ms)
	}
	return out
}

// millisDuration is ms milliseconds, saturating at the longest Duration.
func millisDuration(ms uint64) time.Duration {
	if ms > uint64(math.MaxInt64/int64(time.Millisecond)) {
		return math.MaxInt64
	}
	return time.Duration(ms) * time.Millisecond
}
