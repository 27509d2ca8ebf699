//go:build static

package campaign

// #cgo pkg-config: campaign-static
import "C"
