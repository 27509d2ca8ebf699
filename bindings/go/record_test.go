package campaign_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"campaign.example/campaign"
)

// served fetches a record's bytes with net/http: an oracle independent of
// the library's HTTP client and decoder.
func served(t *testing.T, hc *http.Client, base, id string) []byte {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/campaigns/"+id, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("oracle GET %s: %d %v", id, resp.StatusCode, err)
	}
	return body
}

// wireFields reads the record as encoding/json sees it: a field is present
// when it is there and not null.
type wireFields map[string]json.RawMessage

func (w wireFields) present(name string) bool {
	v, ok := w[name]
	return ok && string(v) != "null"
}

// compareWithWire checks every decoded field against the served JSON and
// returns one line per difference.
func compareWithWire(got *campaign.Campaign, body []byte) (diffs []string) {
	var w wireFields
	if err := json.Unmarshal(body, &w); err != nil {
		return []string{"oracle: " + err.Error()}
	}
	diff := func(field string, got, want any) {
		diffs = append(diffs, fmt.Sprintf("%s: decoded %v, served %v", field, got, want))
	}
	str := func(field string, got *string) {
		if !w.present(field) {
			if got != nil {
				diff(field, *got, "absent/null")
			}
			return
		}
		var want string
		if err := json.Unmarshal(w[field], &want); err != nil {
			diff(field, got, err)
		} else if got == nil || *got != want {
			diff(field, show(got), fmt.Sprintf("%q", want))
		}
	}
	integer := func(ws wireFields, field string, got *int64) {
		if !ws.present(field) {
			if got != nil {
				diff(field, *got, "absent/null")
			}
			return
		}
		var want int64
		if err := json.Unmarshal(ws[field], &want); err != nil {
			diff(field, got, err)
		} else if got == nil || *got != want {
			diff(field, show(got), want)
		}
	}
	stamp := func(field string, got *time.Time) {
		if !w.present(field) {
			if got != nil {
				diff(field, *got, "absent/null")
			}
			return
		}
		var text string
		want, err := time.Time{}, json.Unmarshal(w[field], &text)
		if err == nil {
			want, err = time.Parse(time.RFC3339Nano, text)
		}
		if err != nil {
			diff(field, got, err)
		} else if got == nil || !got.Equal(want) || got.Location() != time.UTC {
			diff(field, show(got), want.UTC())
		}
	}

	var id string
	if err := json.Unmarshal(w["id"], &id); err != nil || got.ID != id {
		diff("id", got.ID, string(w["id"]))
	}
	str("org_id", got.OrgID)
	str("name", got.Name)
	str("agent_id", got.AgentID)
	str("from_phone_number", got.FromPhoneNumber)
	var status *string
	if got.Status != nil {
		s := string(*got.Status)
		status = &s
	}
	str("status", status)
	integer(w, "max_concurrent_calls", got.MaxConcurrentCalls)
	stamp("scheduled_at", got.ScheduledAt)
	if !w.present("retry_config") {
		if got.RetryConfig != nil {
			diff("retry_config", *got.RetryConfig, "absent/null")
		}
	} else if got.RetryConfig == nil {
		diff("retry_config", "nil", string(w["retry_config"]))
	} else {
		var rc wireFields
		if err := json.Unmarshal(w["retry_config"], &rc); err != nil {
			diff("retry_config", got.RetryConfig, err)
		}
		integer(rc, "max_retries", got.RetryConfig.MaxRetries)
		integer(rc, "retry_interval_minutes", got.RetryConfig.RetryIntervalMinutes)
	}
	integer(w, "total_leads", got.TotalLeads)
	integer(w, "completed_calls", got.CompletedCalls)
	integer(w, "pending_calls", got.PendingCalls)
	stamp("created_at", got.CreatedAt)
	if string(got.Raw()) != string(body) {
		diff("raw", string(got.Raw()), string(body))
	}
	return diffs
}

func show[T any](p *T) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// Every field Get decodes equals the field of the bytes the mock served, as
// encoding/json reads them, over all the mock's synthetic records (escapes,
// raw UTF-8, offsets, nulls, absent fields, unknown nested fields).
func TestGetEveryFieldMatchesTheServedRecord(t *testing.T) {
	base := startMock(t)
	c := newClient(t, base)
	hc := &http.Client{Timeout: 10 * time.Second}
	const n = 2000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("cmp_%06d", i)
	}
	results := c.GetMany(context.Background(), ids, 16)
	absent, failed := 0, 0
	for i := 0; i < n; i++ {
		r, ok := receive(t, results, getBound, "GetMany "+ids[i])
		if !ok {
			t.Fatalf("GetMany ended after %d of %d results", i, n)
		}
		if r.Err != nil {
			t.Fatalf("%s: %v", ids[i], r.Err)
		}
		body := served(t, hc, base, ids[i])
		for _, d := range compareWithWire(r.Campaign, body) {
			t.Errorf("%s: %s", ids[i], d)
			failed++
		}
		if r.Campaign.OrgID == nil || r.Campaign.TotalLeads == nil || r.Campaign.ScheduledAt == nil {
			absent++
		}
		if failed > 20 {
			t.Fatal("too many differences")
		}
	}
	// The comparison must have seen both sides of presence.
	if absent == 0 || absent == n {
		t.Fatalf("%d of %d records had absent fields: the mock's variety is gone", absent, n)
	}
}

// The oracle itself catches a wrong decoding: a record altered in one field
// is reported.
func TestServedRecordOracleCatchesADifference(t *testing.T) {
	body := []byte(`{"id":"cmp_1","name":"Caf\u00e9","total_leads":5,"created_at":"2024-03-01T14:30:00+05:30"}`)
	good, err := campaign.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if d := compareWithWire(good, body); len(d) != 0 {
		t.Fatalf("a faithful decoding was reported: %v", d)
	}
	other := []byte(`{"id":"cmp_1","name":"Cafe","total_leads":6,"created_at":"2024-03-01T14:31:00+05:30"}`)
	bad, err := campaign.Parse(other)
	if err != nil {
		t.Fatal(err)
	}
	// name, total_leads, created_at and raw differ.
	if d := compareWithWire(bad, body); len(d) != 4 {
		t.Fatalf("differences reported: %v", d)
	}
}
