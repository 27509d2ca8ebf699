package campaign

/*
#include <stdlib.h>
#include <campaign.h>
*/
import "C"

import (
	"math"
	"time"
	"unsafe"
)

// Status is a campaign's lifecycle state. States the API adds later keep
// their text: compare with the constants, or read the string.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusActive    Status = "active"
	StatusRunning   Status = "running"
	StatusPaused    Status = "paused"
	StatusCompleted Status = "completed"
	StatusCancelled Status = "cancelled"
)

// Known reports whether s is one of the six documented states.
func (s Status) Known() bool {
	switch s {
	case StatusDraft, StatusActive, StatusRunning, StatusPaused, StatusCompleted, StatusCancelled:
		return true
	}
	return false
}

// RetryConfig is the campaign's own retry policy for calls.
type RetryConfig struct {
	MaxRetries           *int64
	RetryIntervalMinutes *int64
}

// Campaign is one record of GET /campaigns/{id}. Optional fields are nil
// when the API left them out or sent null; they are never a made-up zero.
type Campaign struct {
	ID                 string
	OrgID              *string
	Name               *string
	AgentID            *string
	FromPhoneNumber    *string
	Status             *Status
	MaxConcurrentCalls *int64
	ScheduledAt        *time.Time
	RetryConfig        *RetryConfig
	TotalLeads         *int64
	CompletedCalls     *int64
	PendingCalls       *int64
	CreatedAt          *time.Time

	raw       []byte
	rateLimit *RateLimit // campaign_record_rate_limit, read in fromRecord
	// Computed by the C library while the record was decoded (fromRecord):
	// progress by campaign_record_progress, waves = ceil(pending /
	// concurrency) by campaign_record_eta_ms for a 1 ms call.
	progress    float64
	hasProgress bool
	waves       int64
	hasETA      bool
}

// Raw is the JSON text exactly as received.
func (c *Campaign) Raw() []byte { return c.raw }

// RateLimit is the API key's rate limit as last seen when this record
// arrived (campaign_record_rate_limit, read when the record was decoded);
// nil when the server sent no X-RateLimit header, and for a record from
// Parse.
func (c *Campaign) RateLimit() *RateLimit { return c.rateLimit }

// RateLimit is the API key's rate limit from a response's X-RateLimit-*
// headers (docs/api.md, "Rate limits"). Each member is nil when the server
// did not send it or sent it malformed.
type RateLimit struct {
	Limit     *int64     // X-RateLimit-Limit: requests allowed per window
	Remaining *int64     // X-RateLimit-Remaining: requests left in the window
	Reset     *time.Time // when the window resets, on this machine's clock (UTC)
}

// newRateLimit converts what a campaign_*_rate_limit call wrote; nil when
// it returned anything but CAMPAIGN_OK (CAMPAIGN_E_ABSENT: no header).
func newRateLimit(rc C.int, r *C.campaign_rate_limit) *RateLimit {
	if rc != C.CAMPAIGN_OK {
		return nil
	}
	return rateLimitOf(r.present, r.limit, r.remaining, r.reset_ms)
}

// rateLimitOf builds a RateLimit from CAMPAIGN_RATE_LIMIT_HAS_* bits and
// the members they mark (campaign_rate_limit and campaign_stats alike).
func rateLimitOf(present C.uint32_t, limit, remaining, resetMs C.int64_t) *RateLimit {
	has := func(bit C.uint32_t) bool { return present&bit != 0 }
	rl := &RateLimit{}
	if has(C.CAMPAIGN_RATE_LIMIT_HAS_LIMIT) {
		v := int64(limit)
		rl.Limit = &v
	}
	if has(C.CAMPAIGN_RATE_LIMIT_HAS_REMAINING) {
		v := int64(remaining)
		rl.Remaining = &v
	}
	if has(C.CAMPAIGN_RATE_LIMIT_HAS_RESET) {
		t := time.UnixMilli(int64(resetMs)).UTC()
		rl.Reset = &t
	}
	return rl
}

// cRateLimit is a campaign_rate_limit ready for a campaign_*_rate_limit call.
func cRateLimit() C.campaign_rate_limit {
	var r C.campaign_rate_limit
	r.struct_size = C.uint32_t(unsafe.Sizeof(r))
	return r
}

// Progress is CompletedCalls / TotalLeads in [0, 1], as the C library
// (campaign_record_progress) computed it when the record was decoded; ok is
// false when it is undefined (a count missing, or no leads). Changing the
// count fields afterwards does not change it.
func (c *Campaign) Progress() (p float64, ok bool) {
	return c.progress, c.hasProgress
}

// ETA is how long the pending calls take at the current concurrency, given
// an average call length: ceil(pending / concurrency) waves of avgCall (the
// waves as campaign_record_eta_ms counted them at decoding). ok is false
// when a count is missing, the concurrency is not positive, or avgCall is
// negative; a result past math.MaxInt64 saturates there.
func (c *Campaign) ETA(avgCall time.Duration) (d time.Duration, ok bool) {
	if !c.hasETA || avgCall < 0 {
		return 0, false
	}
	// Scaled here, not by a C call per ETA: the C ABI speaks whole
	// milliseconds and would truncate a time.Duration.
	if avgCall != 0 && c.waves > math.MaxInt64/int64(avgCall) {
		return math.MaxInt64, true
	}
	return time.Duration(c.waves) * avgCall, true
}

// Finished reports whether the campaign is completed or cancelled.
func (c *Campaign) Finished() bool {
	return c.Status != nil && (*c.Status == StatusCompleted || *c.Status == StatusCancelled)
}

// CanonicalJSON is the record as the CLI prints it: the fields of the API
// contract in order, nulls for absent ones, UTC timestamps with milliseconds.
func (c *Campaign) CanonicalJSON() ([]byte, error) {
	rec, err := parseRecord(c.raw)
	if err != nil {
		return nil, err
	}
	defer C.campaign_record_free(rec)
	var out *C.char
	var n C.size_t
	if rc := C.campaign_record_to_json(rec, &out, &n); rc != 0 {
		return nil, newError(int(rc), "canonical JSON")
	}
	defer C.campaign_free(unsafe.Pointer(out))
	return C.GoBytes(unsafe.Pointer(out), C.int(n)), nil
}

// Parse decodes a response body without the network.
func Parse(data []byte) (*Campaign, error) {
	rec, err := parseRecord(data)
	if err != nil {
		return nil, err
	}
	defer C.campaign_record_free(rec)
	return fromRecord(rec), nil
}

func parseRecord(data []byte) (*C.campaign_record, error) {
	var rec *C.campaign_record
	var cerr *C.campaign_error
	var p *C.char
	if len(data) > 0 {
		p = (*C.char)(unsafe.Pointer(&data[0]))
	}
	if rc := C.campaign_record_parse(p, C.size_t(len(data)), &rec, &cerr); rc != 0 {
		return nil, takeError(int(rc), cerr)
	}
	return rec, nil
}

func goString(v C.campaign_strview) *string {
	if v.ptr == nil {
		return nil
	}
	s := C.GoStringN(v.ptr, C.int(v.len))
	return &s
}

// fromRecord copies every field out of rec in one foreign call, and asks
// the library for progress, ETA and the rate limit while rec is alive.
func fromRecord(rec *C.campaign_record) *Campaign {
	var f C.campaign_fields
	f.struct_size = C.uint32_t(unsafe.Sizeof(f))
	C.campaign_record_fields(rec, &f)
	has := func(field int) bool { return f.present&(1<<uint(field)) != 0 }
	i64 := func(field int, v C.int64_t) *int64 {
		if !has(field) {
			return nil
		}
		x := int64(v)
		return &x
	}
	ts := func(field int, v C.int64_t) *time.Time {
		if !has(field) {
			return nil
		}
		t := time.UnixMilli(int64(v)).UTC()
		return &t
	}
	c := &Campaign{
		OrgID:              goString(f.org_id),
		Name:               goString(f.name),
		AgentID:            goString(f.agent_id),
		FromPhoneNumber:    goString(f.from_phone_number),
		MaxConcurrentCalls: i64(C.CAMPAIGN_FIELD_MAX_CONCURRENT_CALLS, f.max_concurrent_calls),
		ScheduledAt:        ts(C.CAMPAIGN_FIELD_SCHEDULED_AT, f.scheduled_at_ms),
		TotalLeads:         i64(C.CAMPAIGN_FIELD_TOTAL_LEADS, f.total_leads),
		CompletedCalls:     i64(C.CAMPAIGN_FIELD_COMPLETED_CALLS, f.completed_calls),
		PendingCalls:       i64(C.CAMPAIGN_FIELD_PENDING_CALLS, f.pending_calls),
		CreatedAt:          ts(C.CAMPAIGN_FIELD_CREATED_AT, f.created_at_ms),
	}
	if id := goString(f.id); id != nil {
		c.ID = *id
	}
	if s := goString(f.status_text); s != nil {
		st := Status(*s)
		c.Status = &st
	}
	if has(C.CAMPAIGN_FIELD_RETRY_CONFIG) {
		c.RetryConfig = &RetryConfig{
			MaxRetries:           i64(C.CAMPAIGN_FIELD_RETRY_MAX_RETRIES, f.retry_max_retries),
			RetryIntervalMinutes: i64(C.CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES, f.retry_interval_minutes),
		}
	}
	var p C.double
	if C.campaign_record_progress(rec, &p) == C.CAMPAIGN_OK {
		c.progress, c.hasProgress = float64(p), true
	}
	var waves C.int64_t
	if C.campaign_record_eta_ms(rec, 1, &waves) == C.CAMPAIGN_OK {
		c.waves, c.hasETA = int64(waves), true
	}
	rl := cRateLimit()
	c.rateLimit = newRateLimit(C.campaign_record_rate_limit(rec, &rl), &rl)
	var n C.size_t
	raw := C.campaign_record_raw_json(rec, &n)
	c.raw = C.GoBytes(unsafe.Pointer(raw), C.int(n))
	return c
}

// takeError converts (and frees) a C error; code is used when err is NULL.
func takeError(code int, err *C.campaign_error) *Error {
	if err == nil {
		return newError(code, C.GoString(C.campaign_strerror(C.int(code))))
	}
	defer C.campaign_error_free(err)
	e := newError(int(C.campaign_error_kind(err)), C.GoString(C.campaign_error_message(err)))
	e.HTTPStatus = int(C.campaign_error_http_status(err))
	e.RequestID = C.GoString(C.campaign_error_request_id(err))
	e.Attempts = int(C.campaign_error_attempts(err))
	if ms := int64(C.campaign_error_retry_after_ms(err)); ms >= 0 {
		e.RetryAfter = time.Duration(ms) * time.Millisecond
	}
	rl := cRateLimit()
	e.RateLimit = newRateLimit(C.campaign_error_rate_limit(err, &rl), &rl)
	return e
}

func cUint64(v uint64) C.uint64_t { return C.uint64_t(v) }
