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
	"sync"
	"unsafe"
)

type result struct {
	campaign *Campaign
	err      error
}

// Client fetches campaigns. It is safe for concurrent use; Close it when done.
type Client struct {
	c       *C.campaign_client
	q       *C.campaign_queue
	mu      sync.Mutex
	next    uint64
	wait    map[uint64]chan result
	done    chan struct{}
	close   sync.Once
	closing bool // set by Close, under mu: the dispatcher exits after a last drain
}

// New creates a client for baseURL ("https://api.example.com/v1") with the
// API key; empty strings fall back to CAMPAIGN_BASE_URL and CAMPAIGN_API_KEY.
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
	cl := &Client{wait: map[uint64]chan result{}, done: make(chan struct{})}
	var cerr *C.campaign_error
	if rc := C.campaign_client_create(o, &cl.c, &cerr); rc != 0 {
		return nil, takeError(int(rc), cerr)
	}
	if rc := C.campaign_queue_create(&cl.q); rc != 0 {
		C.campaign_client_destroy(cl.c)
		return nil, newError(int(rc), "completion queue")
	}
	go cl.dispatch()
	// A backstop only: Close is the way to release a client.
	runtime.SetFinalizer(cl, func(cl *Client) { cl.Close() })
	return cl, nil
}

// dispatch waits on the completion queue and hands each result to its caller.
//
// A campaign_queue_next() that finds the queue empty also consumes any
// wakeup, so Close's wakeup can be eaten by a drain. Hence the stop flag is
// read again after every drain that ended empty, and the loop exits only
// after a drain that began with the flag already set: Close sets it after
// campaign_client_destroy() delivered the last result, so that drain saw
// every result.
func (cl *Client) dispatch() {
	defer close(cl.done)
	for {
		stop := cl.stopping() // exit only after a drain that began with it set
		cl.drain()
		if stop {
			return
		}
		// Still unset after the empty drain: Close's wakeup is yet to come
		// and the wait sees it. Set meanwhile: its wakeup may be eaten, so
		// skip the wait and drain once more with stop known.
		if !cl.stopping() {
			C.campaign_queue_wait(cl.q, -1)
		}
	}
}

func (cl *Client) stopping() bool {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.closing
}

// drain hands out results until campaign_queue_next() finds the queue empty.
func (cl *Client) drain() {
	for {
		var tag C.uint64_t
		var rec *C.campaign_record
		var cerr *C.campaign_error
		if C.campaign_queue_next(cl.q, &tag, &rec, &cerr) != 0 {
			return
		}
		var r result
		if rec != nil {
			r.campaign = fromRecord(rec)
			C.campaign_record_free(rec)
		} else {
			r.err = takeError(14, cerr)
		}
		cl.mu.Lock()
		ch := cl.wait[uint64(tag)]
		delete(cl.wait, uint64(tag))
		cl.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
}

// submit starts one fetch; its result arrives on the returned channel.
func (cl *Client) submit(id string) (chan result, C.uint64_t, error) {
	ch := make(chan result, 1)
	cl.mu.Lock()
	if cl.c == nil {
		cl.mu.Unlock()
		return nil, 0, newError(1, "client is closed")
	}
	cl.next++
	tag := cl.next
	cl.wait[tag] = ch
	cid := C.CString(id)
	defer C.free(unsafe.Pointer(cid))
	var req C.uint64_t
	rc := C.campaign_client_submit_to_queue(cl.c, cid, cl.q, C.uint64_t(tag), &req)
	if rc != 0 {
		delete(cl.wait, tag)
	}
	cl.mu.Unlock()
	if rc != 0 {
		return nil, 0, newError(int(rc), C.GoString(C.campaign_strerror(rc)))
	}
	return ch, req, nil
}

// await waits for a result, mapping the context's end onto cancellation.
func (cl *Client) await(ctx context.Context, ch chan result, req C.uint64_t) (*Campaign, error) {
	select {
	case r := <-ch:
		return r.campaign, r.err
	case <-ctx.Done():
		cl.mu.Lock()
		if cl.c != nil {
			C.campaign_client_cancel(cl.c, req)
		}
		cl.mu.Unlock()
		r := <-ch // the library always answers, promptly after a cancel
		var e *Error
		if errors.As(r.err, &e) && e.code == 13 {
			e.cause = ctx.Err()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				e.code, e.Kind = 8, "timeout"
			}
		}
		return r.campaign, r.err
	}
}

// Get fetches one campaign. The context cancels it; its deadline bounds it
// (a deadline ends as an *Error of kind timeout that also matches
// context.DeadlineExceeded).
func (cl *Client) Get(ctx context.Context, id string) (*Campaign, error) {
	ch, req, err := cl.submit(id)
	if err != nil {
		return nil, err
	}
	return cl.await(ctx, ch, req)
}

// Close cancels what is in flight (those calls return ErrCancelled), stops
// the client's threads and frees everything. Safe to call more than once.
func (cl *Client) Close() error {
	cl.close.Do(func() {
		runtime.SetFinalizer(cl, nil)
		cl.mu.Lock()
		c := cl.c
		cl.c = nil
		cl.mu.Unlock()
		// Destroy delivers every pending result (cancelled) into the queue
		// before it returns; then the dispatcher drains them and exits.
		C.campaign_client_destroy(c)
		cl.mu.Lock()
		cl.closing = true
		cl.mu.Unlock()
		C.campaign_queue_wakeup(cl.q)
		<-cl.done
		C.campaign_queue_free(cl.q)
		cl.q = nil
	})
	return nil
}
