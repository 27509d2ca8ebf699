package campaign_test

import (
	"fmt"
	"time"

	"campaign.example/campaign"
)

// Decoding a body without the network; with a Client, Get returns the same.
func ExampleParse() {
	c, err := campaign.Parse([]byte(`{"id":"cmp_xyz789","name":"Q2 Lead Re-engagement","status":"running",
		"max_concurrent_calls":5,"total_leads":1200,"completed_calls":450,"pending_calls":750}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := c.Progress()
	eta, _ := c.ETA(3 * time.Minute)
	fmt.Printf("%s %s %.1f%% done, %v to go\n", *c.Name, *c.Status, p*100, eta)
	// Output: Q2 Lead Re-engagement running 37.5% done, 7h30m0s to go
}

// Fetching one campaign: client, context, typed errors.
func ExampleClient_Get() {
	client, err := campaign.New("https://api.example.com/v1", "sk_live_...",
		campaign.WithTimeout(5*time.Second), campaign.WithMaxRetries(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	_ = client // c, err := client.Get(ctx, "cmp_xyz789"); errors.Is(err, campaign.ErrNotFound) ...
}
