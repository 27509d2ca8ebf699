//go:build !static

package campaign

// #cgo pkg-config: campaign
import "C"
