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
// to auto scaling groups that are not in the document. Callers hold s.mu
// (ids come from the RNG).
func (s *Server) buildState(doc *stateDocument, now time.Time) (*state, error) {
	st := newState()
	for i, a := range doc.AutoScalingGroups {
		if err := s.normaliseASG(a, now); err != nil {
			return nil, fmt.Errorf("autoScalingGroups[%d]: %w", i, err)
		}
		if _, dup := st.asgs[a.ID]; dup {
			return nil, fmt.Errorf("autoScalingGroups[%d]: duplicate id %s", i, a.ID)
		}
		st.asgs[a.ID] = a
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
	// Addresses last, so that generated ones never collide with given ones.
	for _, in := range st.sortedInstances() {
		if in.IPs == nil {
			in.IPs = []ipRec{}
			if in.State != stateCreating && in.State != stateDestroyed {
				in.IPs = st.allocateIPs()
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
	if err := s.normaliseLifecycle(in, now); err != nil {
		return err
	}
	return s.normaliseContract(in, now)
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

// transitions maps each transitional state to where it ends.
func transitions() map[string]string {
	return map[string]string{
		stateCreating: stateRunning, stateStarting: stateRunning,
		stateStopping: stateStopped, stateDestroying: stateDestroyed,
	}
}

// normaliseLifecycle checks the state and completes a transitional one.
func (s *Server) normaliseLifecycle(in *instanceRec, now time.Time) error {
	in.State = cmp.Or(in.State, stateRunning)
	valid := []string{stateCreating, stateDestroyed, stateDestroying, "FAILED", stateRunning,
		stateStarting, stateStopped, stateStopping, "UNKNOWN"}
	if !slices.Contains(valid, in.State) {
		return fmt.Errorf("state %q is not an instance state", in.State)
	}
	if next, ok := transitions()[in.State]; ok && in.NextState == "" {
		until := now.Add(s.delay)
		in.NextState, in.StateUntil = next, &until
	}
	if in.NextState != "" && in.StateUntil == nil {
		return fmt.Errorf("nextState %s needs stateUntil", in.NextState)
	}
	if in.StartedAt == nil && in.State != stateCreating {
		t := in.CreatedAt
		in.StartedAt = &t
	}
	if in.State == stateDestroyed && in.RemoveAt == nil {
		t := now.Add(destroyedRetention * s.delay)
		in.RemoveAt = &t
	}
	for i := range in.IPs {
		ip := &in.IPs[i]
		ip.PrefixLength = cmp.Or(ip.PrefixLength, "32")
		ip.Version = cmp.Or(ip.Version, 4)
		ip.NetworkType = cmp.Or(ip.NetworkType, "PUBLIC")
	}
	return nil
}

// normaliseContract checks the contract and fills in its defaults.
func (s *Server) normaliseContract(in *instanceRec, now time.Time) error {
	c := &in.Contract
	c.Type = cmp.Or(c.Type, contractHourly)
	if !slices.Contains(contractTypes(), c.Type) {
		return fmt.Errorf("contract.type %q is not HOURLY or MONTHLY", c.Type)
	}
	c.BillingFrequency = cmp.Or(c.BillingFrequency, 1)
	if c.Type == contractMonthly {
		c.Term = cmp.Or(c.Term, 1)
		if c.ID == "" {
			c.ID = s.newContractID()
		}
	}
	switch {
	case c.State != "":
	case in.State == stateCreating:
		c.State = contractPending
	case in.State == stateDestroyed:
		c.State = contractInactive
	default:
		c.State = contractActive
	}
	valid := []string{contractActive, contractDeleteScheduled, contractPending, contractInactive, "CANCELLED"}
	if !slices.Contains(valid, c.State) {
		return fmt.Errorf("contract.state %q is not a contract state", c.State)
	}
	if c.StartsAt.IsZero() {
		c.StartsAt = in.CreatedAt
	}
	if c.State == contractDeleteScheduled && c.EndsAt == nil {
		end := contractEnd(*c, now)
		c.EndsAt = &end
	}
	return nil
}
