package campaign_test

import (
	"context"
	"errors"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"campaign.example/campaign"
)

// nulID would fetch cmp_000001 if the binding let C.CString cut it.
const nulID = "cmp_000001\x00/../x"

// A NUL byte in an ID fails with ErrInvalidArgument before anything is sent:
// the mock's request log holds only the request made afterwards as a marker.
func TestNULInIDSendsNothing(t *testing.T) {
	m := startMockLogged(t, true)
	c := newClient(t, m.base, campaign.WithMaxRetries(0))
	ctx := context.Background()
	checkNUL := func(what string, err error) {
		t.Helper()
		var e *campaign.Error
		if !errors.Is(err, campaign.ErrInvalidArgument) || !errors.As(err, &e) ||
			!strings.Contains(e.Message, "NUL") || e.Attempts != 0 {
			t.Errorf("%s: got %v (kind %s), want invalid_argument naming the NUL byte", what, err, kindOf(err))
		}
	}
	got, err := get(t, ctx, c, nulID)
	checkNUL("Get", err)
	if got != nil {
		t.Errorf("Get returned a record for an ID with a NUL byte: %s", got.ID)
	}
	results := c.GetMany(ctx, []string{nulID, "cmp_000002", "\x00"}, 4)
	for i := 0; ; i++ {
		r, ok := receive(t, results, getBound, "GetMany result")
		if !ok {
			if i != 3 {
				t.Fatalf("GetMany gave %d results for 3 IDs", i)
			}
			break
		}
		if i == 1 {
			if r.Err != nil || r.Campaign.ID != "cmp_000002" {
				t.Errorf("GetMany's valid ID: %v", r.Err)
			}
			continue
		}
		checkNUL("GetMany", r.Err)
	}
	// The marker, then the log: exactly the one valid request of GetMany
	// and the marker, none for the NUL IDs (which would read cmp_000001).
	if _, err := get(t, ctx, c, "cmp_000003"); err != nil {
		t.Fatal(err)
	}
	entries := m.awaitRequests(t, 2, 10*time.Second)
	var targets []string
	for _, e := range entries {
		targets = append(targets, e.Target)
	}
	if len(entries) != 2 || !strings.HasSuffix(entries[0].Target, "/campaigns/cmp_000002") ||
		!strings.HasSuffix(entries[1].Target, "/campaigns/cmp_000003") {
		t.Fatalf("the mock saw %q, want only cmp_000002 and the marker cmp_000003", targets)
	}
}

// Every string New hands to C is checked for NUL bytes too.
func TestNULInNewArguments(t *testing.T) {
	base := startMock(t)
	cases := []struct {
		name      string
		base, key string
		opt       campaign.Option
		message   string
	}{
		{"key", base, key + "\x00junk", nil, "API key"},
		{"url", base + "\x00/evil", key, nil, "base URL"},
		{"user agent suffix", base, key, campaign.WithUserAgentSuffix("app/1\x00x"), "user agent suffix"},
		{"CA file", base, key, campaign.WithCAFile("/etc/ssl/certs/ca-certificates.crt\x00x"), "CA file"},
		{"CA dir", base, key, campaign.WithCADir("/etc/ssl/certs\x00x"), "CA directory"},
	}
	for _, tc := range cases {
		var opts []campaign.Option
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		c, err := campaign.New(tc.base, tc.key, opts...)
		if c != nil {
			closeWithin(t, c, 10*time.Second)
		}
		var e *campaign.Error
		if !errors.Is(err, campaign.ErrInvalidArgument) || !errors.As(err, &e) ||
			!strings.Contains(e.Message, tc.message) || !strings.Contains(e.Message, "NUL") {
			t.Errorf("%s with a NUL byte: got client %v, error %v; want invalid_argument", tc.name, c != nil, err)
		}
		if err != nil && strings.Contains(err.Error(), key) {
			t.Errorf("%s: the key leaked: %v", tc.name, err)
		}
	}
}

// fdCount is the number of open descriptors of this process.
func fdCount(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// threadCount is the number of OS threads of this process.
func threadCount(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "Threads:") {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "Threads:")))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no Threads: line in /proc/self/status")
	return 0
}

const finalizerIOThreads = 8

// useAndDrop makes a client, fetches through it and drops it without Close;
// it returns the descriptors and threads counted while the client lived.
//
//go:noinline
func useAndDrop(t *testing.T, base string) (fds, threads int) {
	c, err := campaign.New(base, key, campaign.WithIOThreads(finalizerIOThreads))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), getBound)
	defer cancel()
	if _, err := c.Get(ctx, "cmp_000001"); err != nil {
		t.Fatal(err)
	}
	return fdCount(t), threadCount(t)
}

// An unclosed client is collected: its finalizer closes the inner state,
// which joins the library's threads and closes its descriptors.
func TestUnclosedClientIsFinalized(t *testing.T) {
	base := startMock(t)
	runtime.GC()
	baseFDs, baseThreads := fdCount(t), threadCount(t)
	finalized, closed := campaign.ClientsFinalized(), campaign.StatesClosed()
	liveFDs, liveThreads := useAndDrop(t, base)
	if liveFDs <= baseFDs || liveThreads < baseThreads+finalizerIOThreads {
		t.Fatalf("precondition: the client held %d descriptors and %d threads more than the %d and %d before it",
			liveFDs-baseFDs, liveThreads-baseThreads, baseFDs, baseThreads)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		if campaign.ClientsFinalized() > finalized && campaign.StatesClosed() > closed && fdCount(t) <= baseFDs {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after the client was dropped: finalizer ran %d times, states closed %d, descriptors %d (before the client %d, while alive %d)",
				campaign.ClientsFinalized()-finalized, campaign.StatesClosed()-closed, fdCount(t), baseFDs, liveFDs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The library's I/O threads are joined. Go keeps its own idle threads,
	// so allow a few of those to have been started meanwhile.
	const goSlack = 3
	if n := threadCount(t); n > liveThreads-finalizerIOThreads+goSlack {
		t.Fatalf("%d threads after the finalizer, %d while the client lived with %d I/O threads, %d before it",
			n, liveThreads, finalizerIOThreads, baseThreads)
	}
	t.Logf("descriptors %d -> %d -> %d, threads %d -> %d -> %d", baseFDs, liveFDs, fdCount(t),
		baseThreads, liveThreads, threadCount(t))
}

// Close then drop: the finalizer is cleared, the state is closed once.
func TestCloseClearsFinalizer(t *testing.T) {
	base := startMock(t)
	finalized, closed := campaign.ClientsFinalized(), campaign.StatesClosed()
	func() {
		c, err := campaign.New(base, key)
		if err != nil {
			t.Fatal(err)
		}
		closeWithin(t, c, 10*time.Second)
		closeWithin(t, c, 10*time.Second)
	}()
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := campaign.StatesClosed() - closed; n != 1 {
		t.Errorf("the state was closed %d times, want 1", n)
	}
	if n := campaign.ClientsFinalized() - finalized; n != 0 {
		t.Errorf("the finalizer ran %d times after Close", n)
	}
}

// WithTimeout(math.MaxInt64), Go's usual "no timeout", and the other huge
// durations must not wrap into a deadline already past. New may refuse
// them (ErrInvalidArgument, nothing else); a client it does return must
// fetch normally.
func TestHugeDurations(t *testing.T) {
	base := startMock(t)
	huge := time.Duration(math.MaxInt64)
	cases := []struct {
		name string
		opt  campaign.Option
	}{
		{"WithTimeout(MaxInt64)", campaign.WithTimeout(huge)},
		{"WithConnectTimeout(MaxInt64)", campaign.WithConnectTimeout(huge)},
		{"WithTotalTimeout(MaxInt64)", campaign.WithTotalTimeout(huge)},
		{"WithTimeout(24h+1ms)", campaign.WithTimeout(24*time.Hour + time.Millisecond)},
		{"WithIdleTimeout(MaxInt64)", campaign.WithIdleTimeout(huge)},
		{"WithMaxRetryAfter(MaxInt64)", campaign.WithMaxRetryAfter(huge)},
		{"WithBackoff(MaxInt64)", campaign.WithBackoff(huge, huge)},
	}
	for _, tc := range cases {
		c, err := campaign.New(base, key, tc.opt, campaign.WithMaxRetries(0))
		if err != nil {
			var e *campaign.Error
			if !errors.Is(err, campaign.ErrInvalidArgument) || !errors.As(err, &e) || e.Message == "" {
				t.Errorf("%s: New failed with %v (kind %s), want invalid_argument or a working client",
					tc.name, err, kindOf(err))
			}
			continue
		}
		start := time.Now()
		_, err = get(t, context.Background(), c, "cmp_000001")
		closeWithin(t, c, 10*time.Second)
		if err != nil {
			t.Errorf("%s: New accepted it, then Get failed after %v: %v (kind %s)",
				tc.name, time.Since(start), err, kindOf(err))
		}
	}
}

// The bounds themselves: 24 h is the longest timeout and works; below 1 ms
// and negative durations are refused.
func TestDurationBounds(t *testing.T) {
	base := startMock(t)
	c, err := campaign.New(base, key, campaign.WithTimeout(24*time.Hour), campaign.WithConnectTimeout(24*time.Hour),
		campaign.WithTotalTimeout(24*time.Hour), campaign.WithIdleTimeout(24*time.Hour))
	if err != nil {
		t.Fatalf("24 h timeouts: %v", err)
	}
	_, err = get(t, context.Background(), c, "cmp_000001")
	closeWithin(t, c, 10*time.Second)
	if err != nil {
		t.Fatalf("Get with 24 h timeouts: %v", err)
	}
	for name, opt := range map[string]campaign.Option{
		"WithTimeout(500µs)":  campaign.WithTimeout(500 * time.Microsecond),
		"WithTimeout(0)":      campaign.WithTimeout(0),
		"WithTimeout(-1s)":    campaign.WithTimeout(-time.Second),
		"WithBackoff(-1ms)":   campaign.WithBackoff(-time.Millisecond, time.Second),
		"WithIdleTimeout(-1)": campaign.WithIdleTimeout(-1),
	} {
		c, err := campaign.New(base, key, opt)
		if c != nil {
			closeWithin(t, c, 10*time.Second)
		}
		if !errors.Is(err, campaign.ErrInvalidArgument) {
			t.Errorf("%s: got %v, want invalid_argument", name, err)
		}
	}
}
