package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// stateVersion is the version of the state document format.
const stateVersion = 1

// stateDocument is the JSON form of the mutable state: the state file, the
// body of GET/PUT /_sandbox/state and what Seed reads. The catalog is not
// part of it. Instances, target groups and load balancers are listed in
// creation order, auto scaling groups by creation time; listeners are
// inside their load balancer. See doc.go for the fields and their defaults.
type stateDocument struct {
	Version           int            `json:"version"`
	Instances         []*instanceRec `json:"instances"`
	AutoScalingGroups []*asgRec      `json:"autoScalingGroups"`
	TargetGroups      []*tgRec       `json:"targetGroups"`
	LoadBalancers     []*lbRec       `json:"loadBalancers"`
}

// document returns the state as a document.
func (st *state) document() *stateDocument {
	return &stateDocument{Version: stateVersion, Instances: st.sortedInstances(),
		AutoScalingGroups: st.sortedASGs(), TargetGroups: st.sortedTGs(), LoadBalancers: st.sortedLBs()}
}

// decodeDocument reads a state document strictly: unknown fields are
// errors, so a typo in a seed file does not go unnoticed.
func decodeDocument(r io.Reader) (*stateDocument, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var doc stateDocument
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decoding state document: %w", err)
	}
	if doc.Version != 0 && doc.Version != stateVersion {
		return nil, fmt.Errorf("state document version %d is not supported (want %d)", doc.Version, stateVersion)
	}
	return &doc, nil
}

// storage keeps the state document between processes.
type storage interface {
	// load returns the stored document, or nil when nothing is stored yet.
	load() (*stateDocument, error)
	// save stores doc, replacing what was there.
	save(doc *stateDocument) error
}

// memoryStorage keeps nothing beyond the server's own maps.
type memoryStorage struct{}

func (memoryStorage) load() (*stateDocument, error) { return nil, nil }
func (memoryStorage) save(*stateDocument) error     { return nil }

// fileStorage keeps the document in a JSON file, replaced atomically (a
// temporary file in the same directory, then rename) so that a crash never
// leaves half a file. The file is private (0600): it holds user data.
type fileStorage struct {
	path string
}

func (f fileStorage) load() (*stateDocument, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading sandbox state: %w", err)
	}
	doc, err := decodeDocument(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.path, err)
	}
	return doc, nil
}

func (f fileStorage) save(doc *stateDocument) error {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding sandbox state: %w", err)
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("saving sandbox state: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(f.path)+".tmp*")
	if err != nil {
		return fmt.Errorf("saving sandbox state: %w", err)
	}
	_, werr := tmp.Write(append(b, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving sandbox state: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving sandbox state: %w", err)
	}
	return nil
}
