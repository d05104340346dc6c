package sandbox

import (
	"fmt"
	"net/http"
	"slices"
)

// Auto scaling groups come from Seed (the sandbox cannot create, update or
// delete them). The API reads them, lists their instances (the instances
// whose autoScalingGroupId names them) and links target groups to them.
// Linking a target group does not make the group's instances targets of it:
// targets are only what registerTargets registered.

// asg returns the auto scaling group named by the {autoScalingGroupId} path
// parameter or the documented 404.
func (s *Server) asg(rq *request) (*asgRec, error) {
	a, ok := s.st.asgs[rq.params["autoScalingGroupId"]]
	if !ok {
		return nil, errNotFound()
	}
	return a, nil
}

// listASGs serves GET /publicCloud/v1/autoScalingGroups with the exact
// filters id, type, region, reference and state, and instanceId (groups
// that instance belongs to). Groups are listed by creation time, then id.
func (s *Server) listASGs(rq *request) (response, error) {
	p, err := parsePage(rq, s.pageSize)
	if err != nil {
		return response{}, err
	}
	var all []*wireASG
	for _, a := range s.st.sortedASGs() {
		if !matchesAll(rq, map[string]string{"id": a.ID, "type": a.Type, "region": a.Region,
			"reference": a.Reference, "state": a.State}) {
			continue
		}
		if f, ok := filterOf(rq, "instanceId", false); ok {
			in, member := s.st.instances[f.values[0]]
			if !member || in.AutoScalingGroupID != a.ID {
				continue
			}
		}
		all = append(all, a.wire())
	}
	items, meta := paginate(all, p)
	return jsonResponse(http.StatusOK, wireASGList{AutoScalingGroups: items, Metadata: meta})
}

// getASG serves GET /publicCloud/v1/autoScalingGroups/{autoScalingGroupId}:
// autoScalingGroupDetails, with the linked target groups in link order.
func (s *Server) getASG(rq *request) (response, error) {
	a, err := s.asg(rq)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(http.StatusOK, s.asgDetails(a))
}

// listASGInstances serves GET /autoScalingGroups/{autoScalingGroupId}/instances
// (productType AUTO_SCALED_INSTANCE).
func (s *Server) listASGInstances(rq *request) (response, error) {
	a, err := s.asg(rq)
	if err != nil {
		return response{}, err
	}
	p, err := parsePage(rq, s.pageSize)
	if err != nil {
		return response{}, err
	}
	items, meta := listPage(s.st.sortedInstances(), func(in *instanceRec) bool { return in.AutoScalingGroupID == a.ID }, p, s.autoScaledInstance)
	return jsonResponse(http.StatusOK, wireAutoScaledInstanceList{Instances: items, Metadata: meta})
}

// registerASGTargetGroup serves POST .../registerTargetGroup (200 with the
// details): the target group must exist, be in the group's region and not
// be registered yet.
func (s *Server) registerASGTargetGroup(rq *request) (response, error) {
	return s.linkTargetGroup(rq, func(a *asgRec, tg *tgRec) string {
		switch {
		case tg.Region != a.Region:
			return fmt.Sprintf("Target group %s is in region %s; the auto scaling group is in %s.", tg.ID, tg.Region, a.Region)
		case slices.Contains(a.TargetGroupIDs, tg.ID):
			return fmt.Sprintf("Target group %s is already registered with this auto scaling group.", tg.ID)
		}
		a.TargetGroupIDs = append(a.TargetGroupIDs, tg.ID)
		return ""
	})
}

// deregisterASGTargetGroup serves POST .../deregisterTargetGroup (200 with
// the details): the target group must be registered.
func (s *Server) deregisterASGTargetGroup(rq *request) (response, error) {
	return s.linkTargetGroup(rq, func(a *asgRec, tg *tgRec) string {
		i := slices.Index(a.TargetGroupIDs, tg.ID)
		if i < 0 {
			return fmt.Sprintf("Target group %s is not registered with this auto scaling group.", tg.ID)
		}
		a.TargetGroupIDs = slices.Delete(a.TargetGroupIDs, i, i+1)
		return ""
	})
}

// linkTargetGroup reads a targetGroupIdOpts body and calls change, which
// either changes the link and returns "" or returns the problem. A group
// that is DESTROYING or DESTROYED cannot change.
func (s *Server) linkTargetGroup(rq *request, change func(*asgRec, *tgRec) string) (response, error) {
	a, err := s.asg(rq)
	if err != nil {
		return response{}, err
	}
	if a.State == "DESTROYING" || a.State == "DESTROYED" {
		return response{}, errPrecondition("autoScalingGroupId",
			fmt.Sprintf("The auto scaling group is %s.", a.State))
	}
	f, err := parseFields(rq.body, true)
	if err != nil {
		return response{}, err
	}
	id := f.requiredString("targetGroupId")
	if err := f.result(); err != nil {
		return response{}, err
	}
	tg, ok := s.st.tgs[id]
	if !ok {
		return response{}, errBadRequest(map[string][]string{"targetGroupId": {fmt.Sprintf("Target group %s does not exist.", id)}})
	}
	if msg := change(a, tg); msg != "" {
		return response{}, errBadRequest(map[string][]string{"targetGroupId": {msg}})
	}
	a.UpdatedAt = rq.now
	s.dirty = true
	return jsonResponse(http.StatusOK, s.asgDetails(a))
}
