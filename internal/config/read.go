package config

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Reading is bounded. A path given with -f or {file: PATH} may name a
// device (/dev/zero, /dev/urandom never end), a FIFO (opening one blocks
// until a writer comes), a socket, or a file that grows while it is read.
// So a file is accepted only when it is a regular file, symlinks followed
// (a symlink to a regular file is fine: repositories use them, and what it
// points to is checked like any other file), and it is read through a
// reader that stops one byte past the limit, whatever Stat said its size
// was (files in /proc report 0; a log may grow).
//
// The type is checked twice: with Stat before opening, so that a FIFO is
// never opened, and on the opened descriptor, in case the path was swapped
// in between; the open itself is non-blocking (openNonBlocking) for the
// same race.

// Size limits. A configuration of 60,000 instances, each with the fields
// of the README's example, is about 13.6 MB.
const (
	maxConfigBytes = 16 << 20 // one configuration file
	maxSecretBytes = 1 << 20  // one {file: PATH} secret
)

// readLimit reads path through opts.ReadFile when set (tests inject one),
// or from the file system as readRegular does, refusing more than limit
// bytes either way.
func (l *loader) readLimit(path string, limit int64) ([]byte, error) {
	if l.opts.ReadFile == nil {
		return readRegular(path, limit)
	}
	data, err := l.opts.ReadFile(path)
	if err == nil && int64(len(data)) > limit {
		return nil, tooLarge(path, limit)
	}
	return data, err
}

// readRegular reads a regular file (symlinks followed) of at most limit
// bytes.
func readRegular(path string, limit int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular(path, info.Mode())
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular(path, info.Mode())
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, limit)
	}
	return data, nil
}

func tooLarge(path string, limit int64) error {
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("file is larger than %d MiB, the limit", limit>>20)}
}

func notRegular(path string, m fs.FileMode) error {
	return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("not a regular file (%s)", modeWords(m))}
}

// modeWords names a file type for "not a regular file (…)".
func modeWords(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "an irregular file"
}
