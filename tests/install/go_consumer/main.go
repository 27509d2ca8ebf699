// A Go program outside the tree, built against an installed prefix through
// pkg-config (check_install.sh writes its go.mod, with a replace pointing at
// bindings/go).
package main

import (
	"fmt"
	"os"

	"campaign.example/campaign"
)

func main() {
	c, err := campaign.Parse([]byte(`{"id":"cmp_xyz789","status":"paused"}`))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(c.ID, *c.Status)
}
