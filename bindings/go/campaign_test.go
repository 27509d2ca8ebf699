package campaign_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"campaign.example/campaign"
)

const sample = `{"id":"cmp_xyz789","org_id":"org_xyz","name":"Q2 Lead Re-engagement","agent_id":"agt_abc123",
"from_phone_number":"+912234567890","status":"running","max_concurrent_calls":5,"scheduled_at":null,
"retry_config":{"max_retries":3,"retry_interval_minutes":120},"total_leads":1200,"completed_calls":450,
"pending_calls":750,"created_at":"2024-03-01T14:30:00+05:30"}`

func TestParseEveryField(t *testing.T) {
	c, err := campaign.Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	if c.ID != "cmp_xyz789" || *c.OrgID != "org_xyz" || *c.Name != "Q2 Lead Re-engagement" ||
		*c.AgentID != "agt_abc123" || *c.FromPhoneNumber != "+912234567890" ||
		*c.Status != campaign.StatusRunning || !c.Status.Known() || *c.MaxConcurrentCalls != 5 ||
		c.ScheduledAt != nil || *c.RetryConfig.MaxRetries != 3 || *c.RetryConfig.RetryIntervalMinutes != 120 ||
		*c.TotalLeads != 1200 || *c.CompletedCalls != 450 || *c.PendingCalls != 750 || !c.CreatedAt.Equal(created) {
		t.Fatalf("fields: %+v", c)
	}
	if p, ok := c.Progress(); !ok || p != 0.375 {
		t.Errorf("progress %v %v", p, ok)
	}
	if d, ok := c.ETA(3 * time.Minute); !ok || d != 450*time.Minute {
		t.Errorf("eta %v %v", d, ok)
	}
	if string(c.Raw()) != sample {
		t.Error("raw differs")
	}
	js, err := c.CanonicalJSON()
	if err != nil || !strings.Contains(string(js), `"created_at":"2024-03-01T09:00:00.000Z"`) {
		t.Errorf("canonical %s %v", js, err)
	}
}

func TestParseAbsentAndUnknown(t *testing.T) {
	c, err := campaign.Parse([]byte(`{"id":"x","status":"archived","retry_config":{"max_retries":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != nil || c.TotalLeads != nil || c.CreatedAt != nil || *c.Status != "archived" || c.Status.Known() ||
		c.RetryConfig == nil || c.RetryConfig.MaxRetries != nil {
		t.Fatalf("%+v", c)
	}
	if _, ok := c.Progress(); ok {
		t.Error("progress must be undefined")
	}
	_, err = campaign.Parse([]byte(`{"id":"x","total_leads":"5"}`))
	var e *campaign.Error
	if !errors.Is(err, campaign.ErrInvalidResponse) || !errors.As(err, &e) || !strings.Contains(e.Message, "total_leads") {
		t.Fatalf("%v", err)
	}
}

func TestErrorKinds(t *testing.T) {
	base := startMock(t)
	ctx := context.Background()
	check := func(name string, err error, sentinel error, kind string, status int) {
		t.Helper()
		var e *campaign.Error
		if !errors.Is(err, sentinel) || !errors.As(err, &e) || e.Kind != kind || e.HTTPStatus != status {
			t.Errorf("%s: got %v (kind %s)", name, err, kindOf(err))
		}
		if err != nil && strings.Contains(err.Error(), key) {
			t.Errorf("%s: the key leaked: %v", name, err)
		}
	}
	fetch := func(c *campaign.Client) error {
		t.Helper()
		_, err := get(t, ctx, c, "cmp_000001")
		return err
	}
	c := newClient(t, base)
	_, err := get(t, ctx, c, "cmp_nope")
	check("404", err, campaign.ErrNotFound, "not_found", 404)
	_, err = get(t, ctx, c, "bad/id")
	check("invalid id", err, campaign.ErrInvalidArgument, "invalid_argument", 0)

	wrong, err := campaign.New(base, "sk_wrong")
	if err != nil {
		t.Fatal(err)
	}
	defer closeWithin(t, wrong, 10*time.Second)
	check("401", fetch(wrong), campaign.ErrUnauthorized, "unauthorized", 401)
	forbidden, err := campaign.New(base, "sk_forbidden")
	if err != nil {
		t.Fatal(err)
	}
	defer closeWithin(t, forbidden, 10*time.Second)
	check("403", fetch(forbidden), campaign.ErrForbidden, "forbidden", 403)

	check("503", fetch(newClient(t, startMock(t, "--fault", "503"), campaign.WithMaxRetries(0))),
		campaign.ErrServerError, "server_error", 503)
	check("429", fetch(newClient(t, startMock(t, "--fault", "429"), campaign.WithMaxRetries(0))),
		campaign.ErrRateLimited, "rate_limited", 429)
	check("garbage", fetch(newClient(t, startMock(t, "--fault", "garbage"))),
		campaign.ErrInvalidResponse, "invalid_response", 200)
	check("hang", fetch(newClient(t, startMock(t, "--fault", "hang"), campaign.WithMaxRetries(0),
		campaign.WithTimeout(200*time.Millisecond))), campaign.ErrTimeout, "timeout", 0)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/v1"
	l.Close()
	check("refused", fetch(newClient(t, closed, campaign.WithMaxRetries(0))), campaign.ErrNetwork, "network", 0)

	check("tls", fetch(newClient(t, strings.Replace(base, "http://", "https://", 1), campaign.WithMaxRetries(0))),
		campaign.ErrTLS, "tls", 0)

	_, err = campaign.New("ftp://x", key)
	check("bad url", err, campaign.ErrInvalidArgument, "invalid_argument", 0)
}

func TestContextCancelAndDeadline(t *testing.T) {
	m := startMockLogged(t, true, "--fault", "hang")
	c := newClient(t, m.base, campaign.WithMaxRetries(0))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel once the request is at the server: in flight, not queued.
	cancelled := make(chan time.Time, 1)
	go func() {
		if _, err := m.waitRequests(1, 10*time.Second); err != nil {
			t.Error(err)
		}
		cancelled <- time.Now()
		cancel()
	}()
	_, err := get(t, ctx, c, "cmp_000001")
	if !errors.Is(err, campaign.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: %v", err)
	}
	if at, _ := receive(t, cancelled, time.Second, "cancel time"); time.Since(at) > 2*time.Second {
		t.Fatalf("the call returned %v after its cancel", time.Since(at))
	}
	start := time.Now()
	dctx, dcancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer dcancel()
	_, err = get(t, dctx, c, "cmp_000002")
	if !errors.Is(err, campaign.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("deadline: %v", err)
	}
	if d := time.Since(start); d < 90*time.Millisecond || d > 2*time.Second {
		t.Fatalf("a 100 ms deadline ended the call after %v", d)
	}
}

func TestThousandConcurrentGets(t *testing.T) {
	base := startMock(t)
	c := newClient(t, base)
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("cmp_%06d", i)
			got, err := c.Get(context.Background(), id)
			if err == nil && got.ID != id {
				err = fmt.Errorf("asked %s got %s", id, got.ID)
			}
			if err != nil {
				errs <- err
			}
		}(i)
	}
	waitGroup(t, &wg, 60*time.Second, "1000 concurrent Gets")
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestGetManyOrderWithMixedFailures(t *testing.T) {
	base := startMock(t)
	c := newClient(t, base)
	var ids []string
	for i := 0; i < 3000; i++ {
		switch {
		case i%13 == 5:
			ids = append(ids, "bad id")
		case i%7 == 3:
			ids = append(ids, fmt.Sprintf("cmp_x%06d", i))
		default:
			ids = append(ids, fmt.Sprintf("cmp_%06d", i%2000))
		}
	}
	results := c.GetMany(context.Background(), ids, 16)
	n := 0
	for {
		r, ok := receive(t, results, getBound, fmt.Sprintf("GetMany result %d", n))
		if !ok {
			break
		}
		if r.Index != n || r.ID != ids[n] {
			t.Fatalf("result %d is %d/%s", n, r.Index, r.ID)
		}
		switch {
		case n%13 == 5:
			if !errors.Is(r.Err, campaign.ErrInvalidArgument) {
				t.Errorf("%d: %v", n, r.Err)
			}
		case n%7 == 3:
			if !errors.Is(r.Err, campaign.ErrNotFound) {
				t.Errorf("%d: %v", n, r.Err)
			}
		default:
			if r.Err != nil || r.Campaign.ID != ids[n] {
				t.Errorf("%d: %v", n, r.Err)
			}
		}
		n++
	}
	if n != len(ids) {
		t.Fatalf("%d results for %d IDs", n, len(ids))
	}
}

func TestGetManyCancelled(t *testing.T) {
	base := startMock(t, "--latency-ms", "20")
	c := newClient(t, base)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	read := 0
	next := func() (string, bool) { read++; return fmt.Sprintf("cmp_%06d", read%2000), read <= 100000 }
	results := c.GetManyFrom(ctx, next, 8)
	n := 0
	for {
		r, ok := receive(t, results, getBound, fmt.Sprintf("GetManyFrom result %d", n))
		if !ok {
			break
		}
		if r.Index != n {
			t.Fatalf("result %d has index %d", n, r.Index)
		}
		n++
		if n == 20 {
			cancel()
		}
	}
	if n != read && n != read-1 || read > 40 {
		t.Fatalf("%d results, %d read", n, read)
	}
}
