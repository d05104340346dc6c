package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// hasTarget reports whether instance id is registered.
func (tg *tgRec) hasTarget(id string) bool { return slices.Contains(tg.Targets, id) }

// targetGroup returns the target group named by the {targetGroupId} path
// parameter or the documented 404.
func (s *Server) targetGroup(rq *request) (*tgRec, error) {
	tg, ok := s.st.tgs[rq.params["targetGroupId"]]
	if !ok {
		return nil, errNotFound()
	}
	return tg, nil
}

// listTargetGroups serves GET /publicCloud/v1/targetGroups with the exact
// filters id, name, protocol, port and region.
func (s *Server) listTargetGroups(rq *request) (response, error) {
	p, err := parsePage(rq, s.pageSize)
	if err != nil {
		return response{}, err
	}
	var all []wireTargetGroup
	for _, tg := range s.st.sortedTGs() {
		if matchesAll(rq, map[string]string{"id": tg.ID, "name": tg.Name, "protocol": tg.Protocol,
			"port": strconv.Itoa(tg.Port), "region": tg.Region}) {
			all = append(all, tg.wire())
		}
	}
	items, meta := paginate(all, p)
	return jsonResponse(http.StatusOK, wireTargetGroupList{TargetGroups: items, Metadata: meta})
}

// matchesAll applies exact-match filters: each query parameter present
// among values must equal the value.
func matchesAll(rq *request, values map[string]string) bool {
	for param, v := range values {
		if f, ok := filterOf(rq, param, false); ok && !f.match(v) {
			return false
		}
	}
	return true
}

// getTargetGroup serves GET /publicCloud/v1/targetGroups/{targetGroupId}.
func (s *Server) getTargetGroup(rq *request) (response, error) {
	tg, err := s.targetGroup(rq)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(http.StatusOK, tg.wire())
}

// createTargetGroup serves POST /publicCloud/v1/targetGroups (201): name,
// protocol, port and region are required; an optional healthCheck needs
// protocol, uri and port, and a method exactly when its protocol is HTTP or
// HTTPS. Target groups have no state: they exist at once.
func (s *Server) createTargetGroup(rq *request) (response, error) {
	f, err := parseFields(rq.body, true)
	if err != nil {
		return response{}, err
	}
	tg := &tgRec{ID: s.newUUID(), Name: f.requiredString("name"), Protocol: f.requiredString("protocol"),
		Region: f.requiredString("region"), Targets: []string{}}
	f.enum("protocol", tg.Protocol, protocols())
	if _, ok := s.cat.region(tg.Region); tg.Region != "" && !ok {
		f.add("region", msgNotAChoice)
	}
	port, ok := f.requiredInteger("port")
	f.port("port", port, ok)
	tg.Port = port
	tg.HealthCheck = checkHealthCheck(f)
	if err := f.result(); err != nil {
		return response{}, err
	}
	s.st.insertTG(tg)
	s.dirty = true
	return jsonResponse(http.StatusCreated, tg.wire())
}

// checkHealthCheck validates an optional healthCheckOpts member; nil when it
// is absent or invalid. null is refused: the schema is not nullable, so a
// health check cannot be removed, only replaced.
func checkHealthCheck(f *fields) *healthCheckRec {
	if f.isNull("healthCheck") {
		f.add("healthCheck", msgNotNull)
		return nil
	}
	h, ok := f.object("healthCheck")
	if !ok {
		return nil
	}
	hc := &healthCheckRec{Protocol: h.requiredString("protocol"), URI: h.requiredString("uri")}
	h.enum("protocol", hc.Protocol, protocols())
	port, hasPort := h.requiredInteger("port")
	h.port("port", port, hasPort)
	hc.Port = port
	method, hasMethod := h.str("method")
	switch {
	case hc.Protocol == "TCP" && (hasMethod || h.has("method")):
		h.add("method", "This value is not allowed when protocol is TCP.")
	case (hc.Protocol == "HTTP" || hc.Protocol == "HTTPS") && !hasMethod && !h.has("method"):
		h.add("method", "This value is required when protocol is HTTP or HTTPS.")
	case hasMethod && h.enum("method", method, httpMethods()):
		hc.Method = method
	}
	hc.Host, _ = h.str("host")
	if len(f.details) > 0 {
		return nil
	}
	return hc
}

// updateTargetGroup serves PUT /publicCloud/v1/targetGroups/{targetGroupId}:
// name, port and healthCheck (replaced as a whole) may change; protocol and
// region cannot (other members are ignored).
func (s *Server) updateTargetGroup(rq *request) (response, error) {
	tg, err := s.targetGroup(rq)
	if err != nil {
		return response{}, err
	}
	f, err := parseFields(rq.body, true)
	if err != nil {
		return response{}, err
	}
	name, hasName := f.str("name")
	if hasName && name == "" {
		f.add("name", msgRequired)
	}
	port, hasPort := f.integer("port")
	f.port("port", port, hasPort)
	hc := checkHealthCheck(f)
	if err := f.result(); err != nil {
		return response{}, err
	}
	if hasName {
		tg.Name = name
	}
	if hasPort {
		tg.Port = port
	}
	if hc != nil {
		tg.HealthCheck = hc
	}
	s.dirty = true
	return jsonResponse(http.StatusOK, tg.wire())
}

// deleteTargetGroup serves DELETE /publicCloud/v1/targetGroups/{targetGroupId}
// (204). A group that a listener's default rule or an auto scaling group
// uses cannot be deleted (400 naming the users); its targets are simply
// dropped.
func (s *Server) deleteTargetGroup(rq *request) (response, error) {
	tg, err := s.targetGroup(rq)
	if err != nil {
		return response{}, err
	}
	var users []string
	for _, lb := range s.st.sortedLBs() {
		for _, l := range lb.Listeners {
			if l.TargetGroupID == tg.ID {
				users = append(users, fmt.Sprintf("listener %s of load balancer %s", l.ID, lb.ID))
			}
		}
	}
	for _, a := range s.st.sortedASGs() {
		if slices.Contains(a.TargetGroupIDs, tg.ID) {
			users = append(users, "auto scaling group "+a.ID)
		}
	}
	if len(users) > 0 {
		details := map[string][]string{}
		for _, u := range users {
			details["targetGroupId"] = append(details["targetGroupId"], "The target group is used by "+u+".")
		}
		return response{}, &apiError{status: http.StatusBadRequest,
			message: "The target group is in use and cannot be deleted.", details: details}
	}
	delete(s.st.tgs, tg.ID)
	s.dirty = true
	return emptyResponse(http.StatusNoContent)
}
