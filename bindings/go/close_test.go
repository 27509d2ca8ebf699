package campaign_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"campaign.example/campaign"
)

// closeBound is how long one Close with requests in flight may take (the
// library documents milliseconds).
const closeBound = 10 * time.Second

// closeInFlight starts n Gets on c, closes c once they are all started and
// returns how many ended cancelled; every other outcome but success and
// "client is closed" (a Get that lost the race) fails the test.
func closeInFlight(t *testing.T, c *campaign.Client, n int, what string) (cancelled int) {
	t.Helper()
	var started sync.WaitGroup
	errs := make(chan error, n)
	started.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			started.Done()
			_, err := c.Get(context.Background(), fmt.Sprintf("cmp_%06d", i))
			errs <- err
		}(i)
	}
	waitGroup(t, &started, closeBound, what+": starting the Gets")
	closed := make(chan struct{})
	go func() { c.Close(); close(closed) }()
	deadline := time.After(closeBound)
	select {
	case <-closed:
	case <-deadline:
		t.Fatalf("%s: Close with %d Gets in flight did not return within %v (a lost queue wakeup?)", what, n, closeBound)
	}
	for i := 0; i < n; i++ {
		select {
		case err := <-errs:
			switch {
			case errors.Is(err, campaign.ErrCancelled):
				cancelled++
			case err == nil, errors.Is(err, campaign.ErrInvalidArgument):
			default:
				t.Errorf("%s: a Get ended with %v", what, err)
			}
		case <-deadline:
			t.Fatalf("%s: %d of %d Gets still blocked %v after Close began", what, n-i, n, closeBound)
		}
	}
	return cancelled
}

func TestCloseWithRequestsInFlight(t *testing.T) {
	base := startMock(t, "--fault", "hang")
	c, err := campaign.New(base, key)
	if err != nil {
		t.Fatal(err)
	}
	if closeInFlight(t, c, 50, "hang") == 0 {
		t.Fatal("no Get was in flight at Close")
	}
	closeWithin(t, c, closeBound) // twice is fine
	if _, err := get(t, context.Background(), c, "cmp_000001"); !errors.Is(err, campaign.ErrInvalidArgument) {
		t.Fatalf("Get after Close: %v", err)
	}
}

// Close races the dispatcher's drain: results (cancelled, or real ones from
// the slow mock) arrive while Close sets its flag and wakes the queue. A
// wakeup lost in the drain hangs Close; the per-iteration bound makes that a
// failure with a message.
func TestCloseWithRequestsInFlightRepeatedly(t *testing.T) {
	mocks := []string{startMock(t, "--fault", "hang"), startMock(t, "--latency-ms", "3")}
	const iterations, inFlight = 200, 32
	cancelled := 0
	for i := 0; i < iterations; i++ {
		c, err := campaign.New(mocks[i%2], key, campaign.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		cancelled += closeInFlight(t, c, inFlight, fmt.Sprintf("iteration %d", i))
	}
	// Most Gets must really have been in flight, or this tests nothing.
	if cancelled < iterations*inFlight/4 {
		t.Fatalf("only %d of %d Gets were cancelled by Close", cancelled, iterations*inFlight)
	}
	t.Logf("%d of %d Gets cancelled by Close", cancelled, iterations*inFlight)
}
