package campaign_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"campaign.example/campaign"
)

// Coalescing (docs/decisions.md, "Coalescing") and the rate-limit gate
// (docs/api.md, "Rate limits") through the binding's options.

// countTarget is how many requests the mock logged for one campaign ID.
func countTarget(t *testing.T, m mock, id string) int {
	t.Helper()
	n := 0
	for _, e := range m.requests(t) {
		if e.Target == "/v1/campaigns/"+id {
			n++
		}
	}
	return n
}

// concurrentGets runs n Gets of id at once and returns their campaigns.
func concurrentGets(t *testing.T, c *campaign.Client, n int, id string) []*campaign.Campaign {
	t.Helper()
	got := make([]*campaign.Campaign, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			got[i], errs[i] = c.Get(context.Background(), id)
		}(i)
	}
	close(start)
	waitGroup(t, &wg, getBound, "concurrent gets")
	for i, err := range errs {
		if err != nil {
			t.Fatalf("get %d: %v", i, err)
		}
		if got[i].ID != id {
			t.Fatalf("get %d: id %q", i, got[i].ID)
		}
	}
	return got
}

func TestCoalesce(t *testing.T) {
	m := startMockLogged(t, true, "--latency-ms", "400")

	c := newClient(t, m.base, campaign.WithCoalesce(true))
	got := concurrentGets(t, c, 8, "cmp_000042")
	seen := map[*campaign.Campaign]bool{}
	for _, g := range got {
		seen[g] = true
	}
	if len(seen) != 8 {
		t.Errorf("%d distinct campaigns for 8 callers, want 8", len(seen))
	}
	if n := countTarget(t, m, "cmp_000042"); n != 1 {
		t.Errorf("coalesced: the mock saw %d requests, want 1", n)
	}
	if st := c.Stats(); st.Requests != 1 || st.Coalesced != 7 {
		t.Errorf("coalesced: requests %d coalesced %d, want 1 7", st.Requests, st.Coalesced)
	}

	off := newClient(t, m.base, campaign.WithCoalesce(false))
	concurrentGets(t, off, 8, "cmp_000043")
	if n := countTarget(t, m, "cmp_000043"); n != 8 {
		t.Errorf("WithCoalesce(false): the mock saw %d requests, want 8", n)
	}
	if st := off.Stats(); st.Requests != 8 || st.Coalesced != 0 {
		t.Errorf("WithCoalesce(false): requests %d coalesced %d, want 8 0", st.Requests, st.Coalesced)
	}
}

func TestCoalescedCallerCancelledOthersServed(t *testing.T) {
	m := startMockLogged(t, true, "--latency-ms", "500")
	c := newClient(t, m.base)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			callCtx := context.Background()
			if i == 1 {
				callCtx = ctx
			}
			_, errs[i] = c.Get(callCtx, "cmp_000042")
		}(i)
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	waitGroup(t, &wg, getBound, "gets")
	if !errors.Is(errs[1], campaign.ErrCancelled) {
		t.Errorf("the cancelled caller got %v, want ErrCancelled", errs[1])
	}
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("the others got %v, %v, want records", errs[0], errs[2])
	}
	if n := countTarget(t, m, "cmp_000042"); n != 1 {
		t.Errorf("the mock saw %d requests, want 1", n)
	}
}

// GetMany is made of single gets: a duplicate ID joins the request in flight
// for it, and every position still gets its own result.
func TestGetManyWithDuplicateIDs(t *testing.T) {
	m := startMockLogged(t, true, "--latency-ms", "300")
	c := newClient(t, m.base)
	ids := []string{"cmp_000001", "cmp_000002", "cmp_000001", "cmp_missing", "cmp_000001",
		"cmp_missing", "cmp_000002"}
	var results []campaign.Result
	done := make(chan struct{})
	go func() {
		for r := range c.GetMany(context.Background(), ids, 8) {
			results = append(results, r)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(getBound):
		t.Fatal("GetMany did not finish")
	}
	if len(results) != len(ids) {
		t.Fatalf("%d results for %d IDs", len(results), len(ids))
	}
	for i, r := range results {
		if r.Index != i || r.ID != ids[i] {
			t.Errorf("result %d: index %d id %q, want %d %q", i, r.Index, r.ID, i, ids[i])
			continue
		}
		if r.ID == "cmp_missing" {
			if !errors.Is(r.Err, campaign.ErrNotFound) {
				t.Errorf("result %d: %v, want ErrNotFound", i, r.Err)
			}
		} else if r.Err != nil || r.Campaign == nil || r.Campaign.ID != r.ID {
			t.Errorf("result %d: %v %v", i, r.Campaign, r.Err)
		}
	}
	for _, id := range []string{"cmp_000001", "cmp_000002", "cmp_missing"} {
		if n := countTarget(t, m, id); n != 1 {
			t.Errorf("%s: the mock saw %d requests, want 1", id, n)
		}
	}
	if st := c.Stats(); st.Requests != 3 || st.Coalesced != 4 {
		t.Errorf("requests %d coalesced %d, want 3 4", st.Requests, st.Coalesced)
	}
}

// 12 gets one after the other against 5 per 2 s: well under 2 s without the
// gate, so at most one window boundary falls among them and at least two
// meet a 429; with the gate, none does.
func sequentialGets(t *testing.T, c *campaign.Client) (limited int) {
	t.Helper()
	for i := 0; i < 12; i++ {
		_, err := get(t, context.Background(), c, "cmp_000042")
		if errors.Is(err, campaign.ErrRateLimited) {
			limited++
		} else if err != nil {
			t.Fatalf("get %d: %v", i, err)
		}
	}
	return limited
}

func TestRateLimitGateOff(t *testing.T) {
	base := startMock(t, "--rate-limit", "5/2")
	c := newClient(t, base, campaign.WithMaxRetries(0), campaign.WithRateLimitGate(false))
	start := time.Now()
	limited := sequentialGets(t, c)
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Fatalf("the gets took %v: the premise (one window boundary at most) fails", d)
	}
	if limited < 2 {
		t.Errorf("%d gets met a 429, want at least 2", limited)
	}
	st := c.Stats()
	if st.Responses429 != uint64(limited) || st.RateLimitWaits != 0 || st.RateLimitWait != 0 {
		t.Errorf("stats: 429s %d waits %d waited %v, want %d 0 0", st.Responses429, st.RateLimitWaits,
			st.RateLimitWait, limited)
	}
}

func TestRateLimitGateOn(t *testing.T) {
	base := startMock(t, "--rate-limit", "5/2")
	c := newClient(t, base, campaign.WithMaxRetries(0), campaign.WithRateLimitGate(true))
	if limited := sequentialGets(t, c); limited != 0 {
		t.Errorf("%d gets met a 429 through the gate, want 0", limited)
	}
	st := c.Stats()
	if st.Responses429 != 0 || st.RateLimitWaits == 0 || st.RateLimitWait <= 0 {
		t.Errorf("stats: 429s %d waits %d waited %v, want 0, > 0, > 0", st.Responses429, st.RateLimitWaits,
			st.RateLimitWait)
	}
}
