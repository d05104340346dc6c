package sandbox

import "net/http"

// registerPublicCloud adds the Public Cloud routes, family by family; each
// family's handlers live in its own file.
func (s *Server) registerPublicCloud(rt *router) {
	const p = "/publicCloud/v1"
	rt.add(http.MethodGet, p+"/regions", s.listRegions)
	rt.add(http.MethodGet, p+"/instanceTypes", s.listInstanceTypes)
	rt.add(http.MethodGet, p+"/images", s.listImages)

	const inst = p + "/instances/{instanceId}"
	rt.add(http.MethodGet, p+"/instances", s.listInstances)
	rt.add(http.MethodPost, p+"/instances", s.launchInstance)
	rt.add(http.MethodGet, inst, s.getInstance)
	rt.add(http.MethodPut, inst, s.updateInstance)
	rt.add(http.MethodDelete, inst, s.terminateInstance)
	s.addPowerActions(rt, inst, s.instanceKind())
	rt.add(http.MethodPost, inst+"/cancelTermination", s.cancelTermination)
	rt.add(http.MethodGet, inst+"/instanceTypesUpdate", s.listInstanceTypesUpdate)
	rt.add(http.MethodGet, inst+"/userData", s.getUserData)

	const lb = p + "/loadBalancers/{loadBalancerId}"
	rt.add(http.MethodGet, p+"/loadBalancers", s.listLoadBalancers)
	rt.add(http.MethodPost, p+"/loadBalancers", s.launchLoadBalancer)
	rt.add(http.MethodGet, lb, s.getLoadBalancer)
	rt.add(http.MethodPut, lb, s.updateLoadBalancer)
	rt.add(http.MethodDelete, lb, s.terminateLoadBalancer)
	s.addPowerActions(rt, lb, s.lbKind())

	const listener = lb + "/listeners/{listenerId}"
	rt.add(http.MethodGet, lb+"/listeners", s.listListeners)
	rt.add(http.MethodPost, lb+"/listeners", s.createListener)
	rt.add(http.MethodGet, listener, s.getListener)
	rt.add(http.MethodPut, listener, s.updateListener)
	rt.add(http.MethodDelete, listener, s.deleteListener)

	const tg = p + "/targetGroups/{targetGroupId}"
	rt.add(http.MethodGet, p+"/targetGroups", s.listTargetGroups)
	rt.add(http.MethodPost, p+"/targetGroups", s.createTargetGroup)
	rt.add(http.MethodGet, tg, s.getTargetGroup)
	rt.add(http.MethodPut, tg, s.updateTargetGroup)
	rt.add(http.MethodDelete, tg, s.deleteTargetGroup)
	rt.add(http.MethodGet, tg+"/targets", s.listTargets)
	rt.add(http.MethodPost, tg+"/registerTargets", s.registerTargets)
	rt.add(http.MethodPost, tg+"/deregisterTargets", s.deregisterTargets)

	const asg = p + "/autoScalingGroups/{autoScalingGroupId}"
	rt.add(http.MethodGet, p+"/autoScalingGroups", s.listASGs)
	rt.add(http.MethodGet, asg, s.getASG)
	rt.add(http.MethodGet, asg+"/instances", s.listASGInstances)
	rt.add(http.MethodPost, asg+"/registerTargetGroup", s.registerASGTargetGroup)
	rt.add(http.MethodPost, asg+"/deregisterTargetGroup", s.deregisterASGTargetGroup)
}
