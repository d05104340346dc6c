package sandbox

import "net/http"

// registerPublicCloud adds the Public Cloud routes. Each resource family
// (load balancers, target groups, auto scaling groups, ...) adds its routes
// here from its own file.
func (s *Server) registerPublicCloud(rt *router) {
	const p = "/publicCloud/v1"
	const inst = p + "/instances/{instanceId}"
	rt.add(http.MethodGet, p+"/regions", s.listRegions)
	rt.add(http.MethodGet, p+"/instanceTypes", s.listInstanceTypes)
	rt.add(http.MethodGet, p+"/images", s.listImages)
	rt.add(http.MethodGet, p+"/instances", s.listInstances)
	rt.add(http.MethodPost, p+"/instances", s.launchInstance)
	rt.add(http.MethodGet, inst, s.getInstance)
	rt.add(http.MethodPut, inst, s.updateInstance)
	rt.add(http.MethodDelete, inst, s.terminateInstance)
	rt.add(http.MethodPost, inst+"/start", s.powerAction(stateStopped, stateStarting, stateRunning))
	rt.add(http.MethodPost, inst+"/stop", s.powerAction(stateRunning, stateStopping, stateStopped))
	rt.add(http.MethodPost, inst+"/reboot", s.powerAction(stateRunning, stateStarting, stateRunning))
	rt.add(http.MethodPost, inst+"/cancelTermination", s.cancelTermination)
	rt.add(http.MethodGet, inst+"/instanceTypesUpdate", s.listInstanceTypesUpdate)
	rt.add(http.MethodGet, inst+"/userData", s.getUserData)
}
