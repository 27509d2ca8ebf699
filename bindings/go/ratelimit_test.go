package campaign_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"campaign.example/campaign"
)

// checkRateLimit fails unless rl says limit and remaining, with a reset in
// the window of 60 s that began at most a second before `before` (the mock's
// windows start at the whole second of the key's first request).
func checkRateLimit(t *testing.T, what string, rl *campaign.RateLimit, limit, remaining int64, before time.Time) {
	t.Helper()
	if rl == nil {
		t.Errorf("%s: no rate limit", what)
		return
	}
	if rl.Limit == nil || *rl.Limit != limit || rl.Remaining == nil || *rl.Remaining != remaining {
		t.Errorf("%s: limit %v remaining %v, want %d %d", what, deref(rl.Limit), deref(rl.Remaining), limit, remaining)
	}
	if rl.Reset == nil {
		t.Errorf("%s: no reset", what)
		return
	}
	if lo, hi := before.Add(55*time.Second), time.Now().Add(62*time.Second); rl.Reset.Before(lo) || rl.Reset.After(hi) {
		t.Errorf("%s: reset %v, want within %v .. %v", what, rl.Reset, lo, hi)
	}
	if rl.Reset.Location() != time.UTC {
		t.Errorf("%s: reset %v is not UTC", what, rl.Reset)
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRateLimit(t *testing.T) {
	base := startMock(t, "--rate-limit", "100/60")
	c := newClient(t, base)
	ctx := context.Background()
	before := time.Now()

	got, err := get(t, ctx, c, "cmp_000042")
	if err != nil {
		t.Fatal(err)
	}
	checkRateLimit(t, "record", got.RateLimit(), 100, 99, before)
	if rl := got.RateLimit(); rl != nil && rl.Reset != nil {
		t.Logf("reset in %v", time.Until(*rl.Reset))
	}

	_, err = get(t, ctx, c, "cmp_999999")
	var e *campaign.Error
	if !errors.Is(err, campaign.ErrNotFound) || !errors.As(err, &e) {
		t.Fatalf("want not_found, got %v", err)
	}
	checkRateLimit(t, "404", e.RateLimit, 100, 98, before)

	st := c.Stats()
	if st.Requests != 2 || st.Attempts != 2 || st.Retries != 0 || st.Responses429 != 0 ||
		st.RateLimitWaits != 0 || st.RateLimitWait != 0 {
		t.Errorf("stats %+v", st)
	}
	checkRateLimit(t, "stats", st.RateLimit, 100, 98, before)

	// After Close, Stats reports the counters as Close found them.
	closeWithin(t, c, 10*time.Second)
	if after := c.Stats(); after.Requests != 2 || after.Attempts != 2 {
		t.Errorf("stats after Close %+v", after)
	} else {
		checkRateLimit(t, "stats after Close", after.RateLimit, 100, 98, before)
	}
}

func TestRateLimitAbsent(t *testing.T) {
	c := newClient(t, startMock(t))
	ctx := context.Background()
	got, err := get(t, ctx, c, "cmp_000042")
	if err != nil {
		t.Fatal(err)
	}
	if rl := got.RateLimit(); rl != nil {
		t.Errorf("record: rate limit %+v from a mock without --rate-limit", rl)
	}
	_, err = get(t, ctx, c, "cmp_999999")
	var e *campaign.Error
	if !errors.As(err, &e) || e.Kind != "not_found" {
		t.Fatalf("want not_found, got %v", err)
	}
	if e.RateLimit != nil {
		t.Errorf("404: rate limit %+v", e.RateLimit)
	}
	if st := c.Stats(); st.Requests != 2 || st.RateLimit != nil || st.Responses429 != 0 || st.RateLimitWaits != 0 {
		t.Errorf("stats %+v", st)
	}
	parsed, err := campaign.Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if parsed.RateLimit() != nil {
		t.Error("a parsed record has a rate limit")
	}
}

// A window with nothing left and a reset past the deadline: the next Get
// fails at once, without sending, and says how long the wait would be.
func TestRateLimitHeldBackPastDeadline(t *testing.T) {
	const total = time.Second
	m := startMockLogged(t, true, "--rate-limit", "1/30")
	c := newClient(t, m.base, campaign.WithTotalTimeout(total))
	ctx := context.Background()

	got, err := get(t, ctx, c, "cmp_000001")
	if err != nil {
		t.Fatal(err)
	}
	if rl := got.RateLimit(); rl == nil || rl.Remaining == nil || *rl.Remaining != 0 {
		t.Fatalf("first record: rate limit %+v, want remaining 0", rl)
	}

	start := time.Now()
	_, err = get(t, ctx, c, "cmp_000002")
	elapsed := time.Since(start)
	t.Logf("held back: %v after %v", err, elapsed)
	if elapsed >= 1500*time.Millisecond {
		t.Errorf("the held-back Get took %v", elapsed)
	}
	var e *campaign.Error
	if !errors.Is(err, campaign.ErrRateLimited) || !errors.As(err, &e) || e.Kind != "rate_limited" {
		t.Fatalf("want rate_limited, got %v", err)
	}
	if e.Attempts != 0 || e.HTTPStatus != 0 {
		t.Errorf("attempts %d, HTTP status %d: nothing should have been sent", e.Attempts, e.HTTPStatus)
	}
	if e.RetryAfter <= total || e.RetryAfter > 31*time.Second {
		t.Errorf("retry after %v, want over the %v timeout and within the 30 s window", e.RetryAfter, total)
	}
	if e.RateLimit == nil || e.RateLimit.Remaining == nil || *e.RateLimit.Remaining != 0 {
		t.Errorf("error: rate limit %+v, want remaining 0", e.RateLimit)
	}
	if n := len(m.requests(t)); n != 1 {
		t.Errorf("the mock saw %d requests, want 1", n)
	}
	if st := c.Stats(); st.Requests != 2 || st.Attempts != 1 || st.Responses429 != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestLiveDialect(t *testing.T) {
	c := newClient(t, startMock(t, "--dialect", "live"))
	ctx := context.Background()
	got, err := get(t, ctx, c, "cmp_000042")
	if err != nil {
		t.Fatal(err)
	}
	var sent map[string]any
	if err := json.Unmarshal(got.Raw(), &sent); err != nil {
		t.Fatal(err)
	}
	org, ok := sent["organization_id"].(string)
	if _, old := sent["org_id"]; !ok || old {
		t.Fatalf("the live mock should send organization_id only: %s", got.Raw())
	}
	if got.OrgID == nil || *got.OrgID != org {
		t.Errorf("OrgID %v, want %q from organization_id", got.OrgID, org)
	}

	_, err = get(t, ctx, c, "cmp_999999")
	var e *campaign.Error
	if !errors.Is(err, campaign.ErrNotFound) || !errors.As(err, &e) || e.HTTPStatus != 404 {
		t.Fatalf("want not_found, got %v", err)
	}
	if e.Message != "Campaign not found" {
		t.Errorf("message %q, want the envelope's message", e.Message)
	}
	if strings.Contains(e.Error(), "Not Found") {
		t.Errorf("the reason phrase is not the message: %v", e)
	}
}
