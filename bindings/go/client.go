// Package campaign fetches and decodes calling-campaign records
// (GET {base}/campaigns/{id}) through the campaign C library.
//
// Results arrive through the library's completion queue: one goroutine per
// Client waits on it, so no goroutine or OS thread is blocked per request.
package campaign

/*
#include <stdlib.h>
#include <campaign.h>
*/
import "C"

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

type result struct {
	campaign *Campaign
	err      error
}

// Client fetches campaigns. It is safe for concurrent use; Close it when done.
//
// A Client is a thin handle on an inner state that the dispatcher goroutine
// uses: the goroutine never refers to the Client itself, so an unclosed
// Client that is no longer referenced can be collected, and its finalizer
// then closes the inner state (a backstop only: call Close).
type Client struct {
	s *state
}

// state is everything a client owns; the dispatcher goroutine refers to it
// and never to the Client wrapper.
type state struct {
	c       *C.campaign_client
	q       *C.campaign_queue
	mu      sync.Mutex
	next    uint64
	wait    map[uint64]chan result
	done    chan struct{}
	once    sync.Once
	closing bool  // set by close, under mu: the dispatcher exits after a last drain
	final   Stats // the counters as close found them, for Stats after Close
}

// Test hooks (read by export_test.go): states closed, and Clients whose
// finalizer ran.
var (
	statesClosed     atomic.Int64
	clientsFinalized atomic.Int64
)

// New creates a client for baseURL ("https://api.example.com/v1") with the
// API key; empty strings fall back to CAMPAIGN_BASE_URL and CAMPAIGN_API_KEY.
// A string with a NUL byte, or an option out of its range, gives
// ErrInvalidArgument.
func New(baseURL, apiKey string, opts ...Option) (*Client, error) {
	if baseURL == "" {
		baseURL = os.Getenv("CAMPAIGN_BASE_URL")
	}
	if apiKey == "" {
		apiKey = os.Getenv("CAMPAIGN_API_KEY")
	}
	s := &settings{strs: map[C.int]string{}, ints: map[C.int]int64{}, doubles: map[C.int]float64{}}
	for _, opt := range opts {
		opt(s)
	}
	o, err := s.build(baseURL, apiKey)
	if err != nil {
		return nil, err
	}
	defer C.campaign_options_free(o)
	st := &state{wait: map[uint64]chan result{}, done: make(chan struct{})}
	var cerr *C.campaign_error
	if rc := C.campaign_client_create(o, &st.c, &cerr); rc != 0 {
		return nil, takeError(int(rc), cerr)
	}
	if rc := C.campaign_queue_create(&st.q); rc != 0 {
		C.campaign_client_destroy(st.c)
		return nil, newError(int(rc), "completion queue")
	}
	go st.dispatch() // refers to st only, never to cl
	cl := &Client{s: st}
	// A backstop only: Close is the way to release a client.
	runtime.SetFinalizer(cl, (*Client).finalize)
	return cl, nil
}

func (cl *Client) finalize() {
	clientsFinalized.Add(1)
	cl.s.close()
}

// checkString returns ErrInvalidArgument when v holds a NUL byte, which
// C.CString would silently cut it at. The value is not quoted: it may be
// a secret.
func checkString(what, v string) error {
	if strings.IndexByte(v, 0) >= 0 {
		return newError(1, what+" contains a NUL byte")
	}
	return nil
}

// dispatch waits on the completion queue and hands each result to its caller.
//
// A campaign_queue_next() that finds the queue empty also consumes any
// wakeup, so close's wakeup can be eaten by a drain. Hence the stop flag is
// read again after every drain that ended empty, and the loop exits only
// after a drain that began with the flag already set: close sets it after
// campaign_client_destroy() delivered the last result, so that drain saw
// every result.
func (s *state) dispatch() {
	defer close(s.done)
	for {
		stop := s.stopping() // exit only after a drain that began with it set
		s.drain()
		if stop {
			return
		}
		// Still unset after the empty drain: close's wakeup is yet to come
		// and the wait sees it. Set meanwhile: its wakeup may be eaten, so
		// skip the wait and drain once more with stop known.
		if !s.stopping() {
			C.campaign_queue_wait(s.q, -1)
		}
	}
}

func (s *state) stopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// drain hands out results until campaign_queue_next() finds the queue empty.
func (s *state) drain() {
	for {
		var tag C.uint64_t
		var rec *C.campaign_record
		var cerr *C.campaign_error
		if C.campaign_queue_next(s.q, &tag, &rec, &cerr) != 0 {
			return
		}
		var r result
		if rec != nil {
			r.campaign = fromRecord(rec)
			C.campaign_record_free(rec)
		} else {
			r.err = takeError(codeInternal, cerr)
		}
		s.mu.Lock()
		ch := s.wait[uint64(tag)]
		delete(s.wait, uint64(tag))
		s.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
}

// submit starts one fetch; its result arrives on the returned channel. An
// ID with a NUL byte fails here: nothing is sent.
func (s *state) submit(id string) (chan result, C.uint64_t, error) {
	if err := checkString("campaign ID", id); err != nil {
		return nil, 0, err
	}
	ch := make(chan result, 1)
	s.mu.Lock()
	if s.c == nil {
		s.mu.Unlock()
		return nil, 0, newError(1, "client is closed")
	}
	s.next++
	tag := s.next
	s.wait[tag] = ch
	cid := C.CString(id)
	defer C.free(unsafe.Pointer(cid))
	var req C.uint64_t
	rc := C.campaign_client_submit_to_queue(s.c, cid, s.q, C.uint64_t(tag), &req)
	if rc != 0 {
		delete(s.wait, tag)
	}
	s.mu.Unlock()
	if rc != 0 {
		return nil, 0, newError(int(rc), C.GoString(C.campaign_strerror(rc)))
	}
	return ch, req, nil
}

// await waits for a result, mapping the context's end onto cancellation.
func (s *state) await(ctx context.Context, ch chan result, req C.uint64_t) (*Campaign, error) {
	select {
	case r := <-ch:
		return r.campaign, r.err
	case <-ctx.Done():
		s.mu.Lock()
		if s.c != nil {
			C.campaign_client_cancel(s.c, req)
		}
		s.mu.Unlock()
		r := <-ch // the library always answers, promptly after a cancel
		var e *Error
		if errors.As(r.err, &e) && e.code == codeCancelled {
			e.cause = ctx.Err()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				e.code, e.Kind = codeTimeout, kinds[codeTimeout].name
			}
		}
		return r.campaign, r.err
	}
}

// Get fetches one campaign. The context cancels it; its deadline bounds it
// (a deadline ends as an *Error of kind timeout that also matches
// context.DeadlineExceeded). An ID with a NUL byte gives ErrInvalidArgument
// and sends nothing.
func (cl *Client) Get(ctx context.Context, id string) (*Campaign, error) {
	defer runtime.KeepAlive(cl) // no finalizer while a call is in flight
	ch, req, err := cl.s.submit(id)
	if err != nil {
		return nil, err
	}
	return cl.s.await(ctx, ch, req)
}

// Close cancels what is in flight (those calls return ErrCancelled), stops
// the client's threads and frees everything. Safe to call more than once.
func (cl *Client) Close() error {
	runtime.SetFinalizer(cl, nil)
	cl.s.close()
	return nil
}

// close releases the state, once: Close and the finalizer both end here.
func (s *state) close() {
	s.once.Do(func() {
		s.mu.Lock()
		c := s.c
		s.final = readStats(c)
		s.c = nil
		s.mu.Unlock()
		// Destroy delivers every pending result (cancelled) into the queue
		// before it returns; then the dispatcher drains them and exits.
		C.campaign_client_destroy(c)
		s.mu.Lock()
		s.closing = true
		s.mu.Unlock()
		C.campaign_queue_wakeup(s.q)
		<-s.done
		C.campaign_queue_free(s.q)
		s.q = nil
		statesClosed.Add(1)
	})
}
