// Package sandbox is a stateful emulator of the Leaseweb API, served as an
// http.Handler, an in-process http.RoundTripper (Transport) or on a loopback
// listener (ListenAndServe, for `lswctl sandbox serve`).
//
// It follows the OpenAPI document in testdata/api/leaseweb-openapi.json:
// paths, status codes, response shapes, the _metadata of lists and the
// errorResult body. It imports the standard library only and has its own
// wire structs, so that a client bug cannot hide behind a shared type. The
// tests pass every request and response through the contract validator.
//
// # What is served
//
// Public Cloud v1 (prefix /publicCloud/v1): GET /regions, /instanceTypes
// (region required), /images; GET and POST /instances; GET, PUT and DELETE
// /instances/{instanceId}; POST .../start, .../stop, .../reboot,
// .../cancelTermination; GET .../instanceTypesUpdate and .../userData.
// GET and POST /loadBalancers; GET, PUT and DELETE
// /loadBalancers/{loadBalancerId}; POST .../start, .../stop, .../reboot;
// GET and POST .../listeners; GET, PUT and DELETE .../listeners/{listenerId}.
// GET and POST /targetGroups; GET, PUT and DELETE
// /targetGroups/{targetGroupId}; GET .../targets; POST .../registerTargets
// and .../deregisterTargets. GET /autoScalingGroups and
// /autoScalingGroups/{autoScalingGroupId}; GET .../instances; POST
// .../registerTargetGroup and .../deregisterTargetGroup.
// Every API route needs a non-empty X-LSW-Auth header (401 otherwise; see
// APIKey). An unknown path is a 404 and a known path with the wrong method
// a 405 (with Allow), both with the errorResult body. The catalog (regions,
// instance types, images) is described in catalog.go.
//
// Lists page with limit and offset: the default is Options.PageSize (50 for
// the two instance-type lists, as documented), a limit above MaxPageSize is
// lowered to it, and _metadata echoes the effective limit and offset and
// the totalCount before slicing. Items come in creation order (auto scaling
// groups: by createdAt, then id; targets: in registration order).
//
// # Lifecycle
//
// A launched instance is CREATING, without IPs and with a PENDING contract;
// after Options.Delay it is RUNNING with a public address from a
// documentation range and an internal one, startedAt set and the contract
// ACTIVE. start (needs STOPPED), stop and reboot (need RUNNING) answer 202
// and pass through STARTING or STOPPING. DELETE of an HOURLY instance makes
// it DESTROYING, then DESTROYED; a DESTROYED instance is still listed for
// 10 delays and then gone (404). DELETE of a MONTHLY instance needs a
// reasonCode; it keeps running with contract.state DELETE_SCHEDULED and
// contract.endsAt at the end of the current term, at which point it is
// destroyed; cancelTermination undoes that. States advance lazily from
// stored timestamps on every request, so they keep advancing across
// processes that share a state file.
//
// Load balancers follow the same lifecycle (lifecycle.go), except that
// DELETE answers 202, always needs a reasonCode, and there is no
// cancelTermination; a new one starts with the documented configuration
// (stickySession null, balance roundrobin, xForwardedFor false, idleTimeOut
// 60), which only PUT changes. A load balancer's listeners go when it
// starts DESTROYING. Listeners, target groups and auto scaling group links
// change at once (listeners_api.go and asgs_api.go give the rules). Inferred
// rules, where the document is silent:
//
//   - A listener can only be added to a RUNNING load balancer; its target
//     group must exist in the load balancer's region; its port is unique on
//     the load balancer; a certificate comes with HTTPS and only with it.
//     POST and PUT of a listener document no 404: an unknown load balancer
//     or listener is a 400 naming the path parameter.
//   - A target group that a listener or an auto scaling group uses cannot be
//     deleted (400); one with targets can. Targets must be instances in the
//     group's region that are not DESTROYING or DESTROYED; registering one
//     twice is a no-op, deregistering one that is not registered a 400.
//     An instance leaves its target groups when it is DESTROYED. A target's
//     health follows its instance's state (RUNNING is HEALTHY) and is null
//     when the group has no health check.
//   - After every successful register or deregister, the target group is
//     locked for Delay/2: registerTargets and deregisterTargets answer the
//     documented 423 ({"errorCode": "423", "errorMessage": "Resource is
//     locked by other process"}) until then. Clients must retry.
//   - Linking a target group to an auto scaling group (same region, once)
//     does not make the group's instances targets.
//
// # State document
//
// The state file, GET/PUT /_sandbox/state and Seed share one JSON format:
//
//	{
//	  "version": 1,
//	  "targetGroups": [
//	    {"id": "0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d20", "name": "web", "region": "eu-west-3",
//	     "protocol": "HTTP", "port": 80,
//	     "healthCheck": {"protocol": "HTTP", "method": "GET", "uri": "/healthz", "port": 80},
//	     "targets": ["11111111-1111-4111-8111-111111111111"]}
//	  ],
//	  "autoScalingGroups": [
//	    {"id": "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10", "reference": "workers",
//	     "region": "eu-west-3", "type": "MANUAL", "state": "ACTIVE", "desiredAmount": 2,
//	     "targetGroupIds": ["0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d20"]}
//	  ],
//	  "instances": [
//	    {"id": "11111111-1111-4111-8111-111111111111", "reference": "web-1", "region": "eu-west-3",
//	     "type": "lsw.m5a.large", "imageId": "UBUNTU_24_04_64BIT", "rootDiskSize": 50,
//	     "rootDiskStorageType": "CENTRAL"},
//	    {"reference": "worker", "region": "eu-west-3", "type": "lsw.m4.large",
//	     "imageId": "DEBIAN_12_64BIT", "autoScalingGroupId": "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10"},
//	    {"reference": "db", "region": "eu-west-3", "type": "lsw.r5.large", "imageId": "DEBIAN_12_64BIT",
//	     "contract": {"type": "MONTHLY", "term": 12, "billingFrequency": 1}},
//	    {"reference": "old", "region": "eu-west-3", "type": "lsw.m4.large",
//	     "imageId": "DEBIAN_12_64BIT", "state": "DESTROYED"}
//	  ],
//	  "loadBalancers": [
//	    {"reference": "edge", "region": "eu-west-3", "type": "lsw.m4.large",
//	     "configuration": {"balance": "leastconn", "stickySession": {"enabled": true, "maxLifeTime": 300}},
//	     "listeners": [
//	       {"protocol": "HTTP", "port": 80, "targetGroupId": "0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d20"},
//	       {"protocol": "HTTPS", "port": 443, "targetGroupId": "0f4a7c36-2b1d-4c57-9d1e-5a8f3b6c7d20",
//	        "certificate": {"certificate": "-----BEGIN CERTIFICATE-----…", "privateKey": "-----BEGIN PRIVATE KEY-----…"}}
//	     ]}
//	  ]
//	}
//
// Instance fields: id, reference (null or absent: no reference), region,
// type, imageId, marketAppId, rootDiskSize, rootDiskStorageType, state,
// nextState and stateUntil (a transition in progress), removeAt (when a
// DESTROYED instance disappears), contract {type, term, billingFrequency,
// id, state, startsAt, endsAt}, sshKey, userData, ips [{ip, prefixLength,
// version, networkType, mainIp, nullRouted, reverseLookup}], startedAt,
// createdAt, autoScalingGroupId. Times are RFC 3339. sshKey, userData and
// a listener's certificate (privateKey, certificate, chain) are stored
// sealed ("sha256:" and the hex digest; clear text is sealed as it is read,
// see sealed.go).
//
// Load balancer fields: id, reference, region, type (an instance type of
// the catalog), the lifecycle fields of instances (state, nextState,
// stateUntil, removeAt, contract, ips, startedAt, createdAt), configuration
// {stickySession ({enabled, maxLifeTime} or null), balance, xForwardedFor,
// idleTimeOut}, and listeners [{id, protocol, port, ruleId (the default
// rule's id), targetGroupId, certificate {privateKey, certificate, chain}}].
// Target group fields: id, name, protocol, port, region, healthCheck
// ({protocol, method, uri, host, port} or null), targets (instance ids),
// lockedUntil (the end of the 423 window). Auto scaling group fields are
// those of the API's autoScalingGroup schema plus targetGroupIds (the
// linked target groups, in link order).
//
// Seed fills in what is left out: ids (from the RNG), state RUNNING, a
// transitional state ends Delay after seeding, rootDiskSize the smallest the
// type and image allow, storage CENTRAL, an HOURLY contract (MONTHLY: term 1,
// a contract id), contract.state from the instance state (PENDING while
// CREATING, INACTIVE when DESTROYED, else ACTIVE), endsAt of a
// DELETE_SCHEDULED contract at the end of its term, createdAt and
// startedAt now, addresses for instances and load balancers past CREATING;
// load balancers get the new-load-balancer configuration (balance
// roundrobin, idleTimeOut 60, no sticky session, no X-Forwarded-For) and no
// listeners, listeners and their rules get ids; target groups get protocol
// HTTP, port 80, no health check and no targets; auto scaling groups type
// MANUAL, state ACTIVE and no target groups. It rejects unknown fields,
// regions, types and images, bad enums, duplicate ids, references to
// objects that are not in the document (autoScalingGroupId, targets,
// targetGroupIds, a listener's targetGroupId) or in another region, a port
// used by two listeners of one load balancer, an HTTPS listener without a
// certificate (or another with one) and a health check that breaks the
// API's method rule. Seed replaces all objects; the catalog never changes.
//
// # Faults
//
// Faults (Options.Faults, SetFaults, PUT /_sandbox/faults, ParseFaultRules)
// add latency, answer a fraction of requests 503, and apply deterministic
// rules: a status (429, 500, 503, ... with Retry-After if asked) or a dropped
// connection, for the first N matching requests or all of them, before or
// after the request is applied. Injected answers carry FaultHeader.
//
// # Adding a resource family
//
// A new kind (floating IPs, CDN, bare metal, the CloudSigma text API) adds
// a map to state, a record type to the state document (seeded and checked
// in buildState, in dependency order), wire structs, a handler file, and
// its routes in routes.go; the router, paging, errors, faults, stats and
// persistence are shared. A kind with the instance lifecycle embeds
// machine and gets power actions, termination and transitions from
// lifecycle.go; links between kinds are kept consistent in state.sweep.
package sandbox
