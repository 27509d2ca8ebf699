package campaign

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors, one per kind of the API contract: test with errors.Is.
var (
	ErrInvalidArgument = errors.New("campaign: invalid argument")
	ErrNotFound        = errors.New("campaign: not found")
	ErrUnauthorized    = errors.New("campaign: unauthorized")
	ErrForbidden       = errors.New("campaign: forbidden")
	ErrRateLimited     = errors.New("campaign: rate limited")
	ErrServerError     = errors.New("campaign: server error")
	ErrHTTPError       = errors.New("campaign: HTTP error")
	ErrTimeout         = errors.New("campaign: timeout")
	ErrNetwork         = errors.New("campaign: network error")
	ErrTLS             = errors.New("campaign: TLS error")
	ErrTooLarge        = errors.New("campaign: response too large")
	ErrInvalidResponse = errors.New("campaign: invalid response")
	ErrCancelled       = errors.New("campaign: cancelled")
	ErrInternal        = errors.New("campaign: internal error")
)

type kind struct {
	sentinel error
	name     string
}

// kinds maps the C ABI's error codes (codes.go) to their sentinel and wire name.
var kinds = map[int]kind{
	codeInvalidArgument: {ErrInvalidArgument, "invalid_argument"},
	codeNotFound:        {ErrNotFound, "not_found"},
	codeUnauthorized:    {ErrUnauthorized, "unauthorized"},
	codeForbidden:       {ErrForbidden, "forbidden"},
	codeRateLimited:     {ErrRateLimited, "rate_limited"},
	codeServerError:     {ErrServerError, "server_error"},
	codeHTTPError:       {ErrHTTPError, "http_error"},
	codeTimeout:         {ErrTimeout, "timeout"},
	codeNetwork:         {ErrNetwork, "network"},
	codeTLS:             {ErrTLS, "tls"},
	codeTooLarge:        {ErrTooLarge, "too_large"},
	codeInvalidResponse: {ErrInvalidResponse, "invalid_response"},
	codeCancelled:       {ErrCancelled, "cancelled"},
	codeInternal:        {ErrInternal, "internal"},
}

// Error is every failure of a fetch or a decode: use errors.As to read it.
type Error struct {
	Kind       string        // "not_found", "timeout", ... (docs/api.md)
	HTTPStatus int           // the status line's code, 0 when no response came
	Message    string        // never contains the API key
	RequestID  string        // the response's X-Request-Id, if any
	Attempts   int           // attempts made (0 when nothing was sent)
	RetryAfter time.Duration // the wait the server asked for (or the key's window, when held back), -1 when none
	// RateLimit is the key's rate limit as last seen when the call failed,
	// also when this call got no response (an attempt held back by the
	// window); nil when no response for the key carried an X-RateLimit
	// header.
	RateLimit *RateLimit
	code      int
	cause     error // the context's error, when a context ended the call
}

func (e *Error) Error() string {
	s := "campaign: " + e.Kind
	if e.HTTPStatus != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.HTTPStatus)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RequestID != "" {
		s += " [request_id=" + e.RequestID + "]"
	}
	return s
}

// Is makes errors.Is(err, ErrNotFound) and friends work.
func (e *Error) Is(target error) bool {
	k, ok := kinds[e.code]
	return ok && k.sentinel == target
}

// Unwrap exposes context.Canceled / context.DeadlineExceeded when a
// context ended the call.
func (e *Error) Unwrap() error { return e.cause }

func newError(code int, message string) *Error {
	name := "internal"
	if k, ok := kinds[code]; ok {
		name = k.name
	} else {
		code = codeInternal
	}
	return &Error{Kind: name, Message: message, RetryAfter: -1, code: code}
}
