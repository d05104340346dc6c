//go:build !unix

package config

import "os"

// openNonBlocking opens a file for reading. Outside Unix there are no FIFOs
// in the file system whose open waits for a writer.
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
