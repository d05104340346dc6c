//go:build unix

package config

import (
	"os"
	"syscall"
)

// openNonBlocking opens a file for reading without blocking: should the
// path have become a FIFO since it was checked, the open returns at once
// instead of waiting for a writer, and the type check that follows refuses
// it.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
