package campaign

import (
	"context"
	"runtime"
)

// Result is one outcome of GetMany: exactly one per input ID.
type Result struct {
	Index    int // position in the input
	ID       string
	Campaign *Campaign // nil when Err is set
	Err      error
}

// GetMany fetches ids with at most `concurrency` requests in flight and
// sends one Result per ID, in input order, on the returned channel, which is
// closed at the end. Memory is bounded by the concurrency. Cancelling ctx
// cancels what is in flight (those results carry the error) and stops
// reading further IDs; read the channel to its end.
func (cl *Client) GetMany(ctx context.Context, ids []string, concurrency int) <-chan Result {
	i := 0
	return cl.GetManyFrom(ctx, func() (string, bool) {
		if i == len(ids) {
			return "", false
		}
		i++
		return ids[i-1], true
	}, concurrency)
}

// GetManyFrom is GetMany over IDs produced lazily by next (false ends them).
func (cl *Client) GetManyFrom(ctx context.Context, next func() (string, bool), concurrency int) <-chan Result {
	if concurrency < 1 {
		concurrency = 1
	}
	out := make(chan Result)
	go func() {
		defer runtime.KeepAlive(cl) // no finalizer while the batch runs
		defer close(out)
		type slot struct {
			index int
			id    string
			ch    chan result
			req   uint64
			err   error
		}
		window := make([]slot, 0, concurrency)
		index := 0
		inputDone := false
		for {
			for !inputDone && len(window) < concurrency && ctx.Err() == nil {
				id, ok := next()
				if !ok {
					inputDone = true
					break
				}
				ch, req, err := cl.s.submit(id)
				window = append(window, slot{index: index, id: id, ch: ch, req: uint64(req), err: err})
				index++
			}
			if len(window) == 0 {
				return
			}
			head := window[0]
			window = window[1:]
			r := Result{Index: head.index, ID: head.id, Err: head.err}
			if head.err == nil {
				r.Campaign, r.Err = cl.s.await(ctx, head.ch, cUint64(head.req))
			}
			out <- r
		}
	}()
	return out
}
