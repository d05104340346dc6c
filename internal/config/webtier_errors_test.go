package config

import "testing"

// tierCase is an errorCase over webTier with old replaced by new.
func tierCase(t *testing.T, name, old, new string, want ...string) errorCase {
	t.Helper()
	return errorCase{name: name, files: tierFiles(editTier(t, old, new)), env: tierEnv, want: want}
}

const (
	httpListener  = "      - {protocol: HTTP, port: 80, targetGroup: web}\n"
	httpsListener = `      - protocol: HTTPS
        port: 443
        targetGroup: web
        certificate:
          certificate: {file: certs/edge.pem}
          privateKey: {env: EDGE_TLS_KEY}
          chain: {file: certs/chain.pem}
`
)

// TestListenerErrors covers load balancers and their listeners.
func TestListenerErrors(t *testing.T) {
	runErrorCases(t, []errorCase{
		tierCase(t, "HTTPS listener without certificate", httpsListener, "      - {protocol: HTTPS, port: 443, targetGroup: web}\n",
			`./a.yaml:31:9: loadBalancers.edge.listeners[1]: missing required field "certificate" (HTTPS listeners need one)`),
		tierCase(t, "HTTP listener with certificate", httpListener,
			"      - {protocol: HTTP, port: 80, targetGroup: web, certificate: {certificate: PEM, privateKey: KEY}}\n",
			`./a.yaml:30:54: loadBalancers.edge.listeners[0].certificate: field "certificate" is not allowed (only HTTPS listeners take a certificate)`),
		tierCase(t, "TCP listener with certificate", "protocol: HTTPS", "protocol: TCP",
			`./a.yaml:34:9: loadBalancers.edge.listeners[1].certificate: field "certificate" is not allowed (only HTTPS listeners take a certificate)`),
		tierCase(t, "port 0", "port: 80, targetGroup", "port: 0, targetGroup",
			`./a.yaml:30:32: loadBalancers.edge.listeners[0].port: must be between 1 and 65535, got 0`),
		tierCase(t, "port 70000", "    port: 80\n", "    port: 70000\n",
			`./a.yaml:17:11: targetGroups.web.port: must be between 1 and 65535, got 70000`),
		tierCase(t, "unknown protocol", "protocol: HTTP, port: 80", "protocol: UDP, port: 80",
			`./a.yaml:30:20: loadBalancers.edge.listeners[0].protocol: unknown protocol "UDP" (expected one of HTTP, HTTPS, TCP)`),
		tierCase(t, "unknown balance", "balance: roundrobin", "balance: random",
			`./a.yaml:26:14: loadBalancers.edge.balance: unknown balancing method "random" (expected one of roundrobin, leastconn, source)`),
		tierCase(t, "balance with suggestion", "balance: roundrobin", "balance: leastcon",
			`./a.yaml:26:14: loadBalancers.edge.balance: unknown balancing method "leastcon" (did you mean "leastconn"?)`),
		tierCase(t, "dangling target group with suggestion", "        targetGroup: web\n", "        targetGroup: wbe\n",
			`./a.yaml:33:22: loadBalancers.edge.listeners[1].targetGroup: no targetGroups named "wbe" in the configuration (did you mean "web"?)`),
		tierCase(t, "target group of the wrong type", "        targetGroup: web\n", "        targetGroup: [web]\n",
			`./a.yaml:33:22: loadBalancers.edge.listeners[1].targetGroup: expected a target group name or {id: UUID}, got list`),
		tierCase(t, "listener without target group", "port: 80, targetGroup: web}", "port: 80}",
			`./a.yaml:30:9: loadBalancers.edge.listeners[0]: missing required field "targetGroup"`),
		tierCase(t, "duplicate listener", httpListener, httpListener+httpListener,
			"./a.yaml:31:9: loadBalancers.edge.listeners[1]: duplicate listener HTTP:80 (first at listeners[0])\n"+
				"\t./a.yaml:30:9: first declared here"),
		tierCase(t, "private key of the wrong type hides the value", "privateKey: {env: EDGE_TLS_KEY}", "privateKey: 12345",
			`./a.yaml:36:23: loadBalancers.edge.listeners[1].certificate.privateKey: expected a string or {env: NAME} / {file: PATH}, got integer`),
		tierCase(t, "private key from an unset variable", "{env: EDGE_TLS_KEY}", "{env: EDGE_KEY}",
			`./a.yaml:36:29: loadBalancers.edge.listeners[1].certificate.privateKey: environment variable EDGE_KEY is not set`),
		tierCase(t, "certificate without private key", "          privateKey: {env: EDGE_TLS_KEY}\n", "",
			`./a.yaml:34:9: loadBalancers.edge.listeners[1].certificate: missing required field "privateKey"`),
		tierCase(t, "sticky session without lifetime", "{enabled: true, maxLifeTime: 1000}", "{enabled: true}",
			`./a.yaml:25:5: loadBalancers.edge.stickySession: missing required field "maxLifeTime"`),
		tierCase(t, "idle timeout of zero", "idleTimeOut: 60", "idleTimeOut: 0",
			`./a.yaml:28:18: loadBalancers.edge.idleTimeOut: must be at least 1, got 0`),
		tierCase(t, "new load balancer without contract type", "contract: {type: MONTHLY, term: 12,", "contract: {term: 12,",
			`./a.yaml:24:5: loadBalancers.edge.contract: missing required field "type"`),
	})
}

// TestTargetGroupErrors covers target groups, their health checks and
// targets, and auto scaling groups.
func TestTargetGroupErrors(t *testing.T) {
	const uuid = "{id: 3fa85f64-5717-4562-b3fc-2c963f66afa6}"
	runErrorCases(t, []errorCase{
		tierCase(t, "HTTP health check without method", "method: GET, ", "",
			`./a.yaml:18:5: targetGroups.web.healthCheck: missing required field "method" (HTTP and HTTPS health checks need one)`),
		tierCase(t, "TCP health check with method", "{protocol: HTTP, method", "{protocol: TCP, method",
			`./a.yaml:18:34: targetGroups.web.healthCheck.method: field "method" is not allowed (TCP health checks have no method)`),
		tierCase(t, "health check URI without slash", "uri: /healthz", "uri: healthz",
			`./a.yaml:18:53: targetGroups.web.healthCheck.uri: invalid URI "healthz" (expected a path starting with "/")`),
		tierCase(t, "unknown HTTP method", "method: GET", "method: PUT",
			`./a.yaml:18:43: targetGroups.web.healthCheck.method: unknown HTTP method "PUT" (expected one of GET, HEAD, POST, OPTIONS)`),
		tierCase(t, "dangling target", "[web-1, web-2, ", "[nope, web-2, ",
			`./a.yaml:19:15: targetGroups.web.targets[0]: no instances named "nope" in the configuration`),
		tierCase(t, "literal id that is not a UUID", uuid, "{id: not-a-uuid}",
			`./a.yaml:19:34: targetGroups.web.targets[2].id: invalid id "not-a-uuid" (expected a UUID)`),
		tierCase(t, "literal id with another field", uuid, "{id: 3fa85f64-5717-4562-b3fc-2c963f66afa6, name: x}",
			`./a.yaml:19:72: targetGroups.web.targets[2].name: unknown field "name"`),
		tierCase(t, "target of the wrong type", "[web-1, web-2, ", "[web-1, 5, ",
			`./a.yaml:19:22: targetGroups.web.targets[1]: expected an instance name or {id: UUID}, got integer 5`),
		tierCase(t, "the same target twice", "[web-1, web-2, ", "[web-1, web-1, ",
			`./a.yaml:19:14: targetGroups.web.targets: items [0] and [1] are the same; each may appear once`),
		tierCase(t, "new target group without region, protocol and port", "    region: eu-west-3\n    protocol: HTTP\n    port: 80\n", "",
			`./a.yaml:14:3: targetGroups.web: missing required field "port"`,
			`./a.yaml:14:3: targetGroups.web: missing required field "protocol"`,
			`./a.yaml:14:3: targetGroups.web: missing required field "region"`),
		tierCase(t, "immutable protocol still checked", "    protocol: HTTP\n", "    protocol: http\n",
			`./a.yaml:16:15: targetGroups.web.protocol: unknown protocol "http" (did you mean "HTTP"?)`),
		tierCase(t, "auto scaling group without target groups", "    targetGroups: [web]\n", "    id: 3fa85f64-5717-4562-b3fc-2c963f66afa6\n",
			`./a.yaml:39:3: autoScalingGroups.workers: missing required field "targetGroups"`),
		tierCase(t, "auto scaling groups cannot be deleted", "    targetGroups: [web]\n", "    targetGroups: [web]\n    ensure: absent\n",
			`./a.yaml:41:5: autoScalingGroups.workers.ensure: unknown field "ensure"`),
		tierCase(t, "auto scaling group with a dangling target group", "targetGroups: [web]", "targetGroups: [web, api]",
			`./a.yaml:40:25: autoScalingGroups.workers.targetGroups[1]: no targetGroups named "api" in the configuration`),
	})
}

// TestSettingsKinds covers which kinds settings may list.
func TestSettingsKinds(t *testing.T) {
	runErrorCases(t, []errorCase{
		tierCase(t, "auto scaling groups cannot be pruned", "prune: [instances, targetGroups]", "prune: [instances, autoScalingGroups]",
			`./a.yaml:3:22: settings.prune[1]: "autoScalingGroups" is not allowed here (lswctl only adopts auto scaling groups: it never creates or deletes them)`),
		tierCase(t, "auto scaling groups cannot be watched", "watch: [loadBalancers]", "watch: [autoScalingGroups]",
			`./a.yaml:4:11: settings.watch[0]: "autoScalingGroups" is not allowed here (lswctl only adopts auto scaling groups: it never creates or deletes them)`),
		tierCase(t, "unknown kind lists the owned ones", "watch: [loadBalancers]", "watch: [floatingIps]",
			`./a.yaml:4:11: settings.watch[0]: unknown kind "floatingIps" (expected one of instances, targetGroups, loadBalancers)`),
		tierCase(t, "misspelled kind", "watch: [loadBalancers]", "watch: [loadbalancer]",
			`./a.yaml:4:11: settings.watch[0]: unknown kind "loadbalancer" (did you mean "loadBalancers"?)`),
	})
}
