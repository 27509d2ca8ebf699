package campaign_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"campaign.example/campaign"
)

// WithTimeout bounds one attempt up to the last body byte: a body trickled
// at one byte per 200 ms (about 100 s for a record) ends in a timeout after
// the 1 s per-attempt limit, not at the 120 s total limit.
func TestTimeoutCoversTheBody(t *testing.T) {
	m := startMockLogged(t, true, "--fault", "slow", "--slow-ms", "200")

	// Precondition, checked with net/http: the headers come at once and the
	// body is long enough to outlast the timeout by far.
	hc := &http.Client{Timeout: 10 * time.Second}
	req, _ := http.NewRequest("GET", m.base+"/campaigns/cmp_000001", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	headers := time.Since(start)
	resp.Body.Close()
	if headers > 900*time.Millisecond || resp.ContentLength < 100 {
		t.Fatalf("the slow mock sent headers after %v, Content-Length %d", headers, resp.ContentLength)
	}

	c := newClient(t, m.base, campaign.WithTimeout(time.Second), campaign.WithTotalTimeout(120*time.Second),
		campaign.WithMaxRetries(0))
	type answer struct {
		err     error
		elapsed time.Duration
	}
	done := make(chan answer, 1)
	go func() {
		start := time.Now()
		_, err := c.Get(context.Background(), "cmp_000001")
		done <- answer{err, time.Since(start)}
	}()
	a, _ := receive(t, done, 10*time.Second, "a Get whose body outlasts the 1 s per-attempt timeout")
	var e *campaign.Error
	if !errors.Is(a.err, campaign.ErrTimeout) || !errors.As(a.err, &e) {
		t.Fatalf("got %v (kind %s), want a timeout", a.err, kindOf(a.err))
	}
	if a.elapsed < 900*time.Millisecond || a.elapsed > 5*time.Second {
		t.Fatalf("the 1 s per-attempt timeout ended the call after %v", a.elapsed)
	}
	if e.Attempts != 1 {
		t.Errorf("%d attempts with retries off", e.Attempts)
	}
	// The oracle's request and ours: the attempt did reach the server.
	if got := m.requests(t); len(got) != 2 {
		t.Errorf("the mock saw %d requests, want 2", len(got))
	}
}
