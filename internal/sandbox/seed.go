package sandbox

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// buildState turns a state document into a state, filling in what a seed
// may leave out (see doc.go) and rejecting what the sandbox could not serve:
// unknown regions, types or images, bad enums, duplicate ids, and references
// to objects that are not in the document or in another region. Objects are
// built in dependency order (see seed_balancing.go). Callers hold s.mu (ids
// come from the RNG).
func (s *Server) buildState(doc *stateDocument, now time.Time) (*state, error) {
	st := newState()
	if err := s.seedGroups(st, doc, now); err != nil {
		return nil, err
	}
	for i, in := range doc.Instances {
		if err := s.normaliseInstance(st, in, now); err != nil {
			return nil, fmt.Errorf("instances[%d]: %w", i, err)
		}
		if _, dup := st.instances[in.ID]; dup {
			return nil, fmt.Errorf("instances[%d]: duplicate id %s", i, in.ID)
		}
		st.insertInstance(in)
	}
	if err := s.seedBalancers(st, doc, now); err != nil {
		return nil, err
	}
	// Addresses last, so that generated ones never collide with given ones.
	var machines []*machine
	for _, in := range st.sortedInstances() {
		machines = append(machines, &in.machine)
	}
	for _, lb := range st.sortedLBs() {
		machines = append(machines, &lb.machine)
	}
	for _, m := range machines {
		if m.IPs == nil {
			m.IPs = []ipRec{}
			if m.State != stateCreating && m.State != stateDestroyed {
				m.IPs = st.allocateIPs()
			}
		}
	}
	return st, nil
}

func (s *Server) normaliseASG(a *asgRec, now time.Time) error {
	if a == nil {
		return fmt.Errorf("null entry")
	}
	if a.ID == "" {
		a.ID = s.newUUID()
	}
	if _, ok := s.cat.region(a.Region); !ok {
		return fmt.Errorf("region %q is not a region", a.Region)
	}
	a.Type = cmp.Or(a.Type, "MANUAL")
	a.State = cmp.Or(a.State, "ACTIVE")
	if !slices.Contains([]string{"MANUAL", "SCHEDULED", "CPU_BASED"}, a.Type) {
		return fmt.Errorf("type %q is not MANUAL, SCHEDULED or CPU_BASED", a.Type)
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	return nil
}

// normaliseInstance checks one instance and fills in its defaults.
func (s *Server) normaliseInstance(st *state, in *instanceRec, now time.Time) error {
	if in == nil {
		return fmt.Errorf("null entry")
	}
	if in.ID == "" {
		in.ID = s.newUUID()
	}
	if in.AutoScalingGroupID != "" && st.asgs[in.AutoScalingGroupID] == nil {
		return fmt.Errorf("autoScalingGroupId %s is not in autoScalingGroups", in.AutoScalingGroupID)
	}
	if err := s.normalisePlacement(in); err != nil {
		return err
	}
	if in.CreatedAt.IsZero() {
		in.CreatedAt = now
	}
	if err := s.normaliseLifecycle(&in.machine, now); err != nil {
		return err
	}
	return s.normaliseContract(&in.machine, now)
}

// normalisePlacement checks region, type, image, disk and storage type.
func (s *Server) normalisePlacement(in *instanceRec) error {
	if _, ok := s.cat.region(in.Region); !ok {
		return fmt.Errorf("region %q is not a region", in.Region)
	}
	t, ok := s.cat.instanceType(in.Type)
	if !ok {
		return fmt.Errorf("type %q is not in the sandbox catalog", in.Type)
	}
	im, ok := s.cat.image(in.ImageID)
	if !ok {
		return fmt.Errorf("imageId %q is not in the sandbox catalog", in.ImageID)
	}
	if in.RootDiskSize == 0 {
		in.RootDiskSize = max(5, t.MinDiskSize, im.MinDiskSize)
	}
	if in.RootDiskSize < 5 || in.RootDiskSize > 1000 {
		return fmt.Errorf("rootDiskSize %d is not between 5 and 1000", in.RootDiskSize)
	}
	in.RootDiskStorageType = cmp.Or(in.RootDiskStorageType, "CENTRAL")
	if !slices.Contains(storageTypeNames(), in.RootDiskStorageType) {
		return fmt.Errorf("rootDiskStorageType %q is not LOCAL or CENTRAL", in.RootDiskStorageType)
	}
	return nil
}
