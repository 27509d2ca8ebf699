// gohttp: Go net/http as a benchmark peer. A pool of N goroutines shares one
// http.Client (keep-alive, up to N connections to the host); each GETs the
// next ID, decodes the body with encoding/json into a struct and checks its
// id. Standard library only. Prints one JSON line.
//
//	gohttp -base URL -key KEY -ids FILE -c N
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

type retryConfig struct {
	MaxRetries           *int64 `json:"max_retries"`
	RetryIntervalMinutes *int64 `json:"retry_interval_minutes"`
}

type campaign struct {
	ID                 string       `json:"id"`
	OrgID              *string      `json:"org_id"`
	Name               *string      `json:"name"`
	AgentID            *string      `json:"agent_id"`
	FromPhoneNumber    *string      `json:"from_phone_number"`
	Status             *string      `json:"status"`
	MaxConcurrentCalls *int64       `json:"max_concurrent_calls"`
	ScheduledAt        *time.Time   `json:"scheduled_at"`
	RetryConfig        *retryConfig `json:"retry_config"`
	TotalLeads         *int64       `json:"total_leads"`
	CompletedCalls     *int64       `json:"completed_calls"`
	PendingCalls       *int64       `json:"pending_calls"`
	CreatedAt          *time.Time   `json:"created_at"`
}

func main() {
	base := flag.String("base", "", "base URL, e.g. http://127.0.0.1:8080/v1")
	key := flag.String("key", "", "API key")
	idsPath := flag.String("ids", "", "file with one ID per line")
	conc := flag.Int("c", 64, "concurrency")
	flag.Parse()
	if *base == "" || *idsPath == "" || *conc < 1 {
		flag.Usage()
		os.Exit(2)
	}
	f, err := os.Open(*idsPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if t := sc.Text(); t != "" {
			ids = append(ids, t)
		}
	}
	f.Close()

	tr := &http.Transport{
		MaxIdleConns:        *conc,
		MaxIdleConnsPerHost: *conc,
		MaxConnsPerHost:     *conc,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	auth := "Bearer " + *key

	var ok, failed, mismatched int64
	var next int64 = -1
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := atomic.AddInt64(&next, 1)
				if i >= int64(len(ids)) {
					return
				}
				req, _ := http.NewRequest("GET", *base+"/campaigns/"+ids[i], nil)
				req.Header.Set("Authorization", auth)
				req.Header.Set("Accept", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					if atomic.AddInt64(&failed, 1) <= 3 {
						fmt.Fprintln(os.Stderr, err)
					}
					continue
				}
				var c campaign
				derr := json.NewDecoder(resp.Body).Decode(&c)
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode != 200 || derr != nil:
					if atomic.AddInt64(&failed, 1) <= 3 {
						fmt.Fprintln(os.Stderr, ids[i], resp.StatusCode, derr)
					}
				case c.ID != ids[i]:
					atomic.AddInt64(&mismatched, 1)
				default:
					atomic.AddInt64(&ok, 1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	fmt.Printf("{\"requests\":%d,\"ok\":%d,\"failed\":%d,\"id_mismatch\":%d,\"seconds\":%.6f}\n",
		len(ids), ok, failed, mismatched, elapsed)
	if failed > 0 || mismatched > 0 {
		os.Exit(1)
	}
}
