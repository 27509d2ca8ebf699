package campaign_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"campaign.example/campaign"
)

const key = "sk_canary_go_5e7d"

// defaultTimeout replaces go test's default 10m (ctest runs `go test`
// without -timeout, and go test then passes -test.timeout=10m0s): below
// ctest's 600 s, so a hang ends in a goroutine dump naming the stuck test
// instead of a silent kill; compiling with -race takes part of the rest.
// Any other -timeout given is kept.
const defaultTimeout = 480 * time.Second

// getBound is the longest any single call may take in these tests.
const getBound = 30 * time.Second

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.timeout"); f != nil && f.Value.String() == (10*time.Minute).String() {
		f.Value.Set(defaultTimeout.String())
	}
	os.Exit(m.Run())
}

// mock is one campaign-mock process.
type mock struct {
	base string // "http://127.0.0.1:PORT/v1" (or https)
	log  string // request log file, "" when not asked for
}

// startMock runs campaign-mock on a free port and returns its base URL.
func startMock(t testing.TB, args ...string) string {
	t.Helper()
	return startMockLogged(t, false, args...).base
}

// startMockLogged is startMock, with --request-log into a temp file when logged.
func startMockLogged(t testing.TB, logged bool, args ...string) mock {
	t.Helper()
	exe := os.Getenv("CAMPAIGN_MOCK")
	if exe == "" {
		exe, _ = filepath.Abs("../../build/bin/campaign-mock")
	}
	var m mock
	if logged {
		m.log = filepath.Join(t.TempDir(), "requests.ndjson")
		args = append(args, "--request-log", m.log)
	}
	cmd := exec.Command(exe, append([]string{"--port", "0", "--generate", "2000", "--api-key", key,
		"--forbidden-key", "sk_forbidden"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		if !strings.HasPrefix(line, "listening on ") {
			<-exited // stderr is complete once it is gone
			t.Fatalf("mock said %q, stderr %q", line, stderr.String())
		}
		m.base = strings.TrimSpace(strings.TrimPrefix(line, "listening on ")) + "/v1"
	case <-time.After(10 * time.Second):
		t.Fatalf("mock %v printed no address within 10 s", args)
	}
	return m
}

// logEntry is one line of the mock's --request-log.
type logEntry struct {
	Connection int         `json:"connection"`
	Request    int         `json:"request"`
	Method     string      `json:"method"`
	Target     string      `json:"target"`
	ServerName string      `json:"server_name"`
	Headers    [][2]string `json:"headers"`
}

func (e logEntry) header(name string) string {
	for _, h := range e.Headers {
		if strings.EqualFold(h[0], name) {
			return h[1]
		}
	}
	return ""
}

// requests reads the mock's request log as it is now.
func (m mock) requests(t testing.TB) []logEntry {
	t.Helper()
	got, err := m.readLog()
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (m mock) readLog() ([]logEntry, error) {
	data, err := os.ReadFile(m.log)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var out []logEntry
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" {
			continue
		}
		var e logEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			// A line being written: read again later.
			if !strings.HasSuffix(string(data), "\n") {
				break
			}
			return nil, fmt.Errorf("request log line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// awaitRequests waits (bounded) until the mock has logged at least n requests.
func (m mock) awaitRequests(t testing.TB, n int, within time.Duration) []logEntry {
	t.Helper()
	got, err := m.waitRequests(n, within)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// waitRequests is awaitRequests for any goroutine: it returns the failure.
func (m mock) waitRequests(n int, within time.Duration) ([]logEntry, error) {
	deadline := time.Now().Add(within)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		got, err := m.readLog()
		if err != nil {
			return nil, err
		}
		if len(got) >= n {
			return got, nil
		}
		if time.Now().After(deadline) {
			return got, fmt.Errorf("the mock saw %d requests within %v, want %d", len(got), within, n)
		}
		<-tick.C
	}
}

func newClient(t testing.TB, base string, opts ...campaign.Option) *campaign.Client {
	t.Helper()
	opts = append([]campaign.Option{campaign.WithTimeout(5 * time.Second),
		campaign.WithBackoff(5*time.Millisecond, 20*time.Millisecond)}, opts...)
	c, err := campaign.New(base, key, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeWithin(t, c, 10*time.Second) })
	return c
}

// closeWithin closes c, failing the test if Close does not return in time.
func closeWithin(t testing.TB, c *campaign.Client, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { c.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Errorf("Close did not return within %v", d)
	}
}

// get is c.Get bounded by getBound: a hang fails the test instead of the run.
func get(t testing.TB, ctx context.Context, c *campaign.Client, id string) (*campaign.Campaign, error) {
	t.Helper()
	type answer struct {
		c   *campaign.Campaign
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		got, err := c.Get(ctx, id)
		ch <- answer{got, err}
	}()
	select {
	case a := <-ch:
		return a.c, a.err
	case <-time.After(getBound):
		t.Fatalf("Get(%s) did not return within %v", id, getBound)
		return nil, nil
	}
}

// waitGroup waits for wg, failing the test after d.
func waitGroup(t testing.TB, wg *sync.WaitGroup, d time.Duration, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not finish within %v", what, d)
	}
}

// receive takes one value from ch, failing the test after d; ok is false
// when ch is closed.
func receive[T any](t testing.TB, ch <-chan T, d time.Duration, what string) (v T, ok bool) {
	t.Helper()
	select {
	case v, ok = <-ch:
		return v, ok
	case <-time.After(d):
		t.Fatalf("%s: nothing within %v", what, d)
		return v, false
	}
}

func kindOf(err error) string {
	var e *campaign.Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return fmt.Sprintf("not a *campaign.Error: %v", err)
}
