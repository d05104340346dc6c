package sandbox

import (
	"fmt"
	"net/http"
	"slices"
)

// updateOpts is a validated updateInstanceOpts body; zero values mean
// "unchanged".
type updateOpts struct {
	reference    *string
	typ          string
	rootDiskSize int
	contract     *contractRec
}

// updateInstance serves PUT /publicCloud/v1/instances/{instanceId}. The
// instance must be RUNNING or STOPPED. reference is free; type must be one
// of instanceTypesUpdate (or the current type, a no-op); rootDiskSize may
// only grow; contractType may go from HOURLY to MONTHLY (with a term), never
// back. Changes take effect at once.
func (s *Server) updateInstance(rq *request) (response, error) {
	in, err := s.instance(rq)
	if err != nil {
		return response{}, err
	}
	if in.State != stateRunning && in.State != stateStopped {
		return response{}, errPrecondition("instanceId",
			fmt.Sprintf("The instance must be RUNNING or STOPPED to be updated; it is %s.", in.State))
	}
	u, err := s.parseUpdate(rq.body, in)
	if err != nil {
		return response{}, err
	}
	if u.reference != nil {
		in.Reference = u.reference
	}
	if u.typ != "" {
		in.Type = u.typ
	}
	if u.rootDiskSize != 0 {
		in.RootDiskSize = u.rootDiskSize
	}
	if u.contract != nil {
		if in.Contract.Type == contractHourly && u.contract.Type == contractMonthly {
			u.contract.ID, u.contract.StartsAt = s.newContractID(), rq.now
		}
		in.Contract = *u.contract
	}
	s.dirty = true
	return jsonResponse(http.StatusOK, s.details(in))
}

// parseUpdate validates an updateInstanceOpts body against instance in.
func (s *Server) parseUpdate(body []byte, in *instanceRec) (updateOpts, error) {
	f, err := parseFields(body, true)
	if err != nil {
		return updateOpts{}, err
	}
	var u updateOpts
	if ref, ok := f.str("reference"); ok {
		u.reference = &ref
	}
	newType, _ := s.cat.instanceType(in.Type)
	if typ, ok := f.str("type"); ok && f.enum("type", typ, s.cat.typeNames) && typ != in.Type {
		i := slices.IndexFunc(s.typesForUpdate(in), func(t *instanceTypeSpec) bool { return t.Name == typ })
		if i < 0 {
			f.add("type", fmt.Sprintf("Instance type %s is not available for this instance; "+
				"see /v1/instances/%s/instanceTypesUpdate.", typ, in.ID))
		} else {
			u.typ, newType = typ, s.typesForUpdate(in)[i]
		}
	}
	size, hasSize := f.integer("rootDiskSize")
	switch {
	case hasSize && (size < 5 || size > 1000):
		f.add("rootDiskSize", msgDiskRange)
	case hasSize && size < in.RootDiskSize:
		f.add("rootDiskSize", fmt.Sprintf("The root disk can only grow; it is %d GB.", in.RootDiskSize))
	case hasSize:
		u.rootDiskSize = size
	}
	if disk := max(u.rootDiskSize, in.RootDiskSize); newType != nil && disk < newType.MinDiskSize {
		f.add("rootDiskSize", fmt.Sprintf("The root disk must be at least %d GB for instance type %s.",
			newType.MinDiskSize, newType.Name))
	}
	u.contract = checkUpdateContract(f, in.Contract)
	return u, f.result()
}

// checkUpdateContract validates contractType, contractTerm and
// billingFrequency of an update and returns the new contract, or nil when
// the body does not touch it.
func checkUpdateContract(f *fields, cur contractRec) *contractRec {
	typ, hasType := f.str("contractType")
	term, hasTerm := f.integer("contractTerm")
	bf, hasBF := f.integer("billingFrequency")
	f.intEnum("contractTerm", term, hasTerm, contractTerms())
	f.intEnum("billingFrequency", bf, hasBF, billingFrequencies())
	if !hasType && !hasTerm && !hasBF {
		return nil
	}
	next := cur
	if hasType {
		if !f.enum("contractType", typ, contractTypes()) {
			return nil
		}
		if cur.Type == contractMonthly && typ == contractHourly {
			f.add("contractType", "A MONTHLY contract cannot be changed to HOURLY.")
			return nil
		}
		next.Type = typ
	}
	if hasTerm {
		next.Term = term
	}
	checkTermForType(f, next.Type, next.Term)
	if next.Type == contractMonthly && hasBF {
		next.BillingFrequency = bf
	}
	return &next
}

// typesForUpdate is what GET /instances/{id}/instanceTypesUpdate lists: the
// types offered in the instance's region that have at least as much memory
// as the current type and support the instance's root disk storage type,
// excluding the current type itself (the API leaves it out too).
func (s *Server) typesForUpdate(in *instanceRec) []*instanceTypeSpec {
	cur, ok := s.cat.instanceType(in.Type)
	if !ok {
		return nil
	}
	var out []*instanceTypeSpec
	for i := range s.cat.types {
		t := &s.cat.types[i]
		if t.Name != cur.Name && t.offeredIn(in.Region) && t.MemoryGiB >= cur.MemoryGiB &&
			slices.Contains(t.StorageTypes, in.RootDiskStorageType) {
			out = append(out, t)
		}
	}
	return out
}

// listInstanceTypesUpdate serves GET /instances/{instanceId}/instanceTypesUpdate.
func (s *Server) listInstanceTypesUpdate(rq *request) (response, error) {
	in, err := s.instance(rq)
	if err != nil {
		return response{}, err
	}
	return s.instanceTypesResponse(rq, s.typesForUpdate(in))
}

// terminateInstance serves DELETE /publicCloud/v1/instances/{instanceId}
// (200, no body). HOURLY: DESTROYING now, DESTROYED after the delay.
// MONTHLY: needs reasonCode (and reason with CANCEL_OTHER); the instance
// keeps running with contract.state DELETE_SCHEDULED and endsAt at the end
// of the current contract term, when it is destroyed. Refused while
// CREATING, DESTROYING, DESTROYED or already scheduled.
func (s *Server) terminateInstance(rq *request) (response, error) {
	in, err := s.instance(rq)
	if err != nil {
		return response{}, err
	}
	if err := terminable(s.instanceKind(), &in.machine); err != nil {
		return response{}, err
	}
	f, err := parseFields(rq.body, false)
	if err != nil {
		return response{}, err
	}
	checkReason(f, in.Contract.Type == contractMonthly, "This value is required for MONTHLY instances.")
	if err := f.result(); err != nil {
		return response{}, err
	}
	s.terminate(&in.machine, rq.now)
	return emptyResponse(http.StatusOK)
}
