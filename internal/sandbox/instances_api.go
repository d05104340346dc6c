package sandbox

import (
	"net/http"
	"slices"
)

// listInstances serves GET /publicCloud/v1/instances. Filters are exact
// matches; state takes a comma-separated list ("The instance's current
// state(s), separated by commas"). No instance belongs to a security group
// yet, so a securityGroupIds filter matches nothing. DESTROYED instances stay
// listed until they expire (see destroyedRetention).
func (s *Server) listInstances(rq *request) (response, error) {
	p, err := parsePage(rq, s.pageSize)
	if err != nil {
		return response{}, err
	}
	if rq.query.Has("securityGroupIds") {
		return jsonResponse(http.StatusOK, wireInstanceList{Instances: []wireInstance{}, Metadata: p.metadata(0)})
	}
	items, meta := listPage(s.st.sortedInstances(), func(in *instanceRec) bool { return instanceMatches(rq, in) }, p, s.listItem)
	return jsonResponse(http.StatusOK, wireInstanceList{Instances: items, Metadata: meta})
}

// instanceMatches applies the list filters of GET /instances.
func instanceMatches(rq *request, in *instanceRec) bool {
	ref := ""
	if in.Reference != nil {
		ref = *in.Reference
	}
	checks := []struct {
		param string
		multi bool
		value string
	}{
		{"reference", false, ref}, {"id", false, in.ID}, {"region", false, in.Region},
		{"type", false, in.Type}, {"state", true, in.State},
		{"contractType", false, in.Contract.Type}, {"contractState", false, in.Contract.State},
		{"imageId", false, in.ImageID},
	}
	for _, c := range checks {
		if f, ok := filterOf(rq, c.param, c.multi); ok && !f.match(c.value) {
			return false
		}
	}
	if f, ok := filterOf(rq, "ip", false); ok {
		return slices.ContainsFunc(in.IPs, func(ip ipRec) bool { return f.match(ip.IP) })
	}
	return true
}

// instance returns the instance named by the {instanceId} path parameter or
// the documented 404.
func (s *Server) instance(rq *request) (*instanceRec, error) {
	in, ok := s.st.instances[rq.params["instanceId"]]
	if !ok {
		return nil, errNotFound()
	}
	return in, nil
}

// getInstance serves GET /publicCloud/v1/instances/{instanceId}.
func (s *Server) getInstance(rq *request) (response, error) {
	in, err := s.instance(rq)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(http.StatusOK, s.details(in))
}

// launchInstance serves POST /publicCloud/v1/instances: 201 with the new
// instance CREATING, no IPs, startedAt null and its contract PENDING. After
// the delay it is RUNNING with a public and an internal IPv4 address.
func (s *Server) launchInstance(rq *request) (response, error) {
	o, err := s.parseLaunch(rq.body)
	if err != nil {
		return response{}, err
	}
	in := &instanceRec{
		ID:                  s.newUUID(),
		Reference:           o.reference,
		Region:              o.region,
		Type:                o.typ,
		ImageID:             o.imageID,
		MarketAppID:         o.marketAppID,
		RootDiskSize:        o.rootDiskSize,
		RootDiskStorageType: o.storageType,
		machine:             machine{Contract: o.contract, IPs: []ipRec{}, CreatedAt: rq.now},
		SSHKey:              seal(o.sshKey),
		UserData:            seal(o.userData),
	}
	in.Contract.State, in.Contract.StartsAt = contractPending, rq.now
	if in.Contract.Type == contractMonthly {
		in.Contract.ID = s.newContractID()
	}
	s.beginTransition(&in.machine, stateCreating, stateRunning, rq.now)
	s.st.insertInstance(in)
	s.dirty = true
	return jsonResponse(http.StatusCreated, s.details(in))
}

// getUserData serves GET /publicCloud/v1/instances/{instanceId}/userData:
// the user data given at launch, sealed (see sealed.go; "" when there was
// none).
func (s *Server) getUserData(rq *request) (response, error) {
	in, err := s.instance(rq)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(http.StatusOK, wireUserData{UserData: string(in.UserData)})
}
