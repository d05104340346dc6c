// Package sandbox is a stateful emulator of the Leaseweb API, served as an
// http.Handler, an in-process http.RoundTripper (Transport) or on a loopback
// listener (ListenAndServe, for `lswctl sandbox serve`).
//
// It follows the OpenAPI document in shared/api/leaseweb-openapi.json:
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
// Every API route needs a non-empty X-LSW-Auth header (401 otherwise; see
// APIKey). An unknown path is a 404 and a known path with the wrong method
// a 405 (with Allow), both with the errorResult body. The catalog (regions,
// instance types, images) is described in catalog.go.
//
// Lists page with limit and offset: the default is Options.PageSize (50 for
// the two instance-type lists, as documented), a limit above MaxPageSize is
// lowered to it, and _metadata echoes the effective limit and offset and
// the totalCount before slicing. Items come in creation order.
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
// # State document
//
// The state file, GET/PUT /_sandbox/state and Seed share one JSON format:
//
//	{
//	  "version": 1,
//	  "autoScalingGroups": [
//	    {"id": "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10", "reference": "workers",
//	     "region": "eu-west-3", "type": "MANUAL", "state": "ACTIVE", "desiredAmount": 2}
//	  ],
//	  "instances": [
//	    {"reference": "web-1", "region": "eu-west-3", "type": "lsw.m5a.large",
//	     "imageId": "UBUNTU_24_04_64BIT", "rootDiskSize": 50, "rootDiskStorageType": "CENTRAL"},
//	    {"reference": "worker", "region": "eu-west-3", "type": "lsw.m4.large",
//	     "imageId": "DEBIAN_12_64BIT", "autoScalingGroupId": "7b1f5b8e-3c55-4c1e-9a43-0d6d2f1f6a10"},
//	    {"reference": "db", "region": "eu-west-3", "type": "lsw.r5.large", "imageId": "DEBIAN_12_64BIT",
//	     "contract": {"type": "MONTHLY", "term": 12, "billingFrequency": 1}},
//	    {"reference": "old", "region": "eu-west-3", "type": "lsw.m4.large",
//	     "imageId": "DEBIAN_12_64BIT", "state": "DESTROYED"}
//	  ]
//	}
//
// Instance fields: id, reference (null or absent: no reference), region,
// type, imageId, marketAppId, rootDiskSize, rootDiskStorageType, state,
// nextState and stateUntil (a transition in progress), removeAt (when a
// DESTROYED instance disappears), contract {type, term, billingFrequency,
// id, state, startsAt, endsAt}, sshKey, userData, ips [{ip, prefixLength,
// version, networkType, mainIp, nullRouted, reverseLookup}], startedAt,
// createdAt, autoScalingGroupId. Times are RFC 3339. Auto scaling group
// fields are those of the API's autoScalingGroup schema.
//
// Seed fills in what is left out: ids (from the RNG), state RUNNING, a
// transitional state ends Delay after seeding, rootDiskSize the smallest the
// type and image allow, storage CENTRAL, an HOURLY contract (MONTHLY: term 1,
// a contract id), contract.state from the instance state (PENDING while
// CREATING, INACTIVE when DESTROYED, else ACTIVE), endsAt of a
// DELETE_SCHEDULED contract at the end of its term, createdAt and
// startedAt now, addresses for instances past CREATING. It rejects unknown
// fields, regions, types and images, bad enums, duplicate ids and unknown
// autoScalingGroupIds. Seed replaces all objects; the catalog never changes.
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
// A new kind (load balancers, target groups, floating IPs, CDN, bare
// metal, the CloudSigma text API) adds a map to state, a record type to the
// state document, wire structs, a handler file, and its routes in
// routes.go; the router, paging, errors, faults, stats and persistence are
// shared.
package sandbox
