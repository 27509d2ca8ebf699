package campaign_test

import (
	"math"
	"testing"
	"time"

	"campaign.example/campaign"
)

func parse(t *testing.T, js string) *campaign.Campaign {
	t.Helper()
	c, err := campaign.Parse([]byte(js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return c
}

func TestProgressEdges(t *testing.T) {
	for _, tc := range []struct {
		js   string
		want float64
		ok   bool
	}{
		{`{"id":"x","total_leads":8,"completed_calls":3}`, 0.375, true},
		{`{"id":"x","total_leads":8,"completed_calls":0}`, 0, true},
		{`{"id":"x","total_leads":8,"completed_calls":20}`, 1, true},
		{`{"id":"x","total_leads":8,"completed_calls":-3}`, 0, true},
		{`{"id":"x","total_leads":0,"completed_calls":0}`, 0, false},
		{`{"id":"x","total_leads":-1,"completed_calls":1}`, 0, false},
		{`{"id":"x","total_leads":8}`, 0, false},
		{`{"id":"x","total_leads":8,"completed_calls":null}`, 0, false},
		{`{"id":"x","completed_calls":3}`, 0, false},
	} {
		if p, ok := parse(t, tc.js).Progress(); p != tc.want || ok != tc.ok {
			t.Errorf("%s: Progress() = %v, %v; want %v, %v", tc.js, p, ok, tc.want, tc.ok)
		}
	}
}

func TestETAEdges(t *testing.T) {
	const full = `{"id":"x","max_concurrent_calls":5,"pending_calls":750}`
	for _, tc := range []struct {
		js   string
		avg  time.Duration
		want time.Duration
		ok   bool
	}{
		{full, 3 * time.Minute, 450 * time.Minute, true},
		{full, 0, 0, true},
		{full, -time.Nanosecond, 0, false},
		{full, -time.Minute, 0, false},
		// Not rounded to the C ABI's milliseconds: 150 waves of 1.5 ms, of 7 ns.
		{full, 1500 * time.Microsecond, 225 * time.Millisecond, true},
		{full, 7, 1050, true},
		{`{"id":"x","max_concurrent_calls":4,"pending_calls":9}`, time.Second, 3 * time.Second, true},
		{`{"id":"x","max_concurrent_calls":5,"pending_calls":0}`, time.Minute, 0, true},
		{`{"id":"x","max_concurrent_calls":5,"pending_calls":-4}`, time.Minute, 0, true},
		{`{"id":"x","max_concurrent_calls":0,"pending_calls":5}`, time.Minute, 0, false},
		{`{"id":"x","max_concurrent_calls":-2,"pending_calls":5}`, time.Minute, 0, false},
		{`{"id":"x","pending_calls":5}`, time.Minute, 0, false},
		{`{"id":"x","max_concurrent_calls":5}`, time.Minute, 0, false},
		{`{"id":"x","max_concurrent_calls":5,"pending_calls":null}`, time.Minute, 0, false},
		// Saturates instead of wrapping.
		{`{"id":"x","max_concurrent_calls":1,"pending_calls":9223372036854775807}`, time.Hour, math.MaxInt64, true},
		{`{"id":"x","max_concurrent_calls":1,"pending_calls":9223372036854775807}`, 1, math.MaxInt64, true},
		{`{"id":"x","max_concurrent_calls":1,"pending_calls":9223372036854775807}`, 0, 0, true},
	} {
		if d, ok := parse(t, tc.js).ETA(tc.avg); d != tc.want || ok != tc.ok {
			t.Errorf("%s: ETA(%v) = %v, %v; want %v, %v", tc.js, tc.avg, d, ok, tc.want, tc.ok)
		}
	}
}

// Progress and ETA are what the library computed from the decoded record,
// not a recomputation from the exported fields.
func TestProgressAndETAComeFromTheDecodedRecord(t *testing.T) {
	c := parse(t, sample)
	c.TotalLeads, c.CompletedCalls, c.PendingCalls, c.MaxConcurrentCalls = nil, nil, nil, nil
	if p, ok := c.Progress(); !ok || p != 0.375 {
		t.Errorf("progress after clearing the counts: %v %v", p, ok)
	}
	if d, ok := c.ETA(3 * time.Minute); !ok || d != 450*time.Minute {
		t.Errorf("eta after clearing the counts: %v %v", d, ok)
	}

	n := int64(10)
	built := &campaign.Campaign{ID: "x", TotalLeads: &n, CompletedCalls: &n, PendingCalls: &n, MaxConcurrentCalls: &n}
	if _, ok := built.Progress(); ok {
		t.Error("a Campaign not decoded by the library has no progress")
	}
	if _, ok := built.ETA(time.Minute); ok {
		t.Error("a Campaign not decoded by the library has no ETA")
	}
}
