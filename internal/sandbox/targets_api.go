package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// The 423 window (inferred). The API documents 423 Locked ("Resource is
// locked by other process") on registerTargets and deregisterTargets only,
// and says nothing about when it happens. The sandbox makes it happen in a
// predictable way a client can be tested against: after every successful
// register or deregister, the target group is locked for half of
// Options.Delay (the real API reconfigures the load balancers behind the
// group meanwhile), and a register or deregister within that window is
// answered 423 with the documented body and changes nothing. Other
// operations on the group are not locked. With Delay < 0 there is no
// window.

// lockWindow is how long a target group stays locked after a change.
func (s *Server) lockWindow() time.Duration { return s.delay / 2 }

// errLocked is the documented 423, whose example body has neither a
// correlationId nor errorDetails.
func errLocked() *apiError {
	return &apiError{status: http.StatusLocked, message: "Resource is locked by other process", bare: true}
}

// listTargets serves GET /publicCloud/v1/targetGroups/{targetGroupId}/targets:
// the registered instances in registration order, with their health.
func (s *Server) listTargets(rq *request) (response, error) {
	tg, err := s.targetGroup(rq)
	if err != nil {
		return response{}, err
	}
	p, err := parsePage(rq, s.pageSize)
	if err != nil {
		return response{}, err
	}
	items, meta := listPage(tg.Targets, nil, p, func(id string) wireTarget { return s.target(tg, s.st.instances[id]) })
	return jsonResponse(http.StatusOK, wireTargetList{Targets: items, Metadata: meta})
}

// registerTargets serves POST /targetGroups/{targetGroupId}/registerTargets
// (204). The body is a bare JSON array of instance ids. Each must be an
// instance in the group's region that is not DESTROYING or DESTROYED;
// otherwise the whole call is a 400 with errorDetails keyed "ids[i]".
// Instances already registered are left as they are.
func (s *Server) registerTargets(rq *request) (response, error) {
	return s.changeTargets(rq, func(tg *tgRec, id string) string {
		in, ok := s.st.instances[id]
		switch {
		case !ok:
			return fmt.Sprintf("Instance %s does not exist.", id)
		case in.State == stateDestroying || in.State == stateDestroyed:
			return fmt.Sprintf("Instance %s is %s.", id, in.State)
		case in.Region != tg.Region:
			return fmt.Sprintf("Instance %s is in region %s; the target group is in %s.", id, in.Region, tg.Region)
		}
		return ""
	}, func(tg *tgRec, id string) {
		if !tg.hasTarget(id) {
			tg.Targets = append(tg.Targets, id)
		}
	})
}

// deregisterTargets serves POST /targetGroups/{targetGroupId}/deregisterTargets
// (204): every id must be a target of the group (400 otherwise).
func (s *Server) deregisterTargets(rq *request) (response, error) {
	return s.changeTargets(rq, func(tg *tgRec, id string) string {
		if !tg.hasTarget(id) {
			return fmt.Sprintf("Instance %s is not a target of this target group.", id)
		}
		return ""
	}, func(tg *tgRec, id string) {
		tg.Targets = slices.DeleteFunc(tg.Targets, func(t string) bool { return t == id })
	})
}

// changeTargets is register and deregister: 404, then 423 while locked,
// then the body, then check on every id (a message is a problem), then
// apply on every id, and lock.
func (s *Server) changeTargets(rq *request, check func(*tgRec, string) string, apply func(*tgRec, string)) (response, error) {
	tg, err := s.targetGroup(rq)
	if err != nil {
		return response{}, err
	}
	if tg.LockedUntil != nil && rq.now.Before(*tg.LockedUntil) {
		return response{}, errLocked()
	}
	ids, err := parseIDs(rq.body)
	if err != nil {
		return response{}, err
	}
	details := map[string][]string{}
	for i, id := range ids {
		if msg := check(tg, id); msg != "" {
			key := fmt.Sprintf("ids[%d]", i)
			details[key] = append(details[key], msg)
		}
	}
	if len(details) > 0 {
		return response{}, errBadRequest(details)
	}
	for _, id := range ids {
		apply(tg, id)
	}
	if w := s.lockWindow(); w > 0 {
		until := rq.now.Add(w)
		tg.LockedUntil = &until
	}
	s.dirty = true
	return emptyResponse(http.StatusNoContent)
}

// parseIDs reads the ids body: a non-empty JSON array of strings.
func parseIDs(body []byte) ([]string, error) {
	var raw []json.RawMessage
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '[' || json.Unmarshal(trimmed, &raw) != nil {
		return nil, &apiError{status: http.StatusBadRequest, details: map[string][]string{},
			message: "The API could not interpret your request correctly: the body is not a JSON array of ids."}
	}
	details := map[string][]string{}
	if len(raw) == 0 {
		details["ids"] = []string{"This collection should contain 1 element or more."}
	}
	ids := make([]string, 0, len(raw))
	for i, r := range raw {
		var id string
		if json.Unmarshal(r, &id) != nil || id == "" {
			details[fmt.Sprintf("ids[%d]", i)] = []string{msgNotString}
			continue
		}
		ids = append(ids, id)
	}
	if len(details) > 0 {
		return nil, errBadRequest(details)
	}
	return ids, nil
}
