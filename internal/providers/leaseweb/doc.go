// Package leaseweb implements the Leaseweb provider: HTTP client and resource kinds.
//
// The client core (client.go and its companions) is shared by every kind:
//
//   - [NewClient] builds a [Client] from [ClientOptions]: base URL (checked by
//     [CheckEndpoint]), API key sent as X-LSW-Auth, User-Agent, per-attempt
//     timeout, retry budget, page size, page concurrency, a shared rate limit and
//     an optional debug log with credentials redacted.
//   - [Client.Do] sends one JSON request and decodes the answer. Idempotent calls
//     (GET, HEAD, PUT, DELETE, and POST marked with [Idempotent]) are retried with
//     exponential backoff and full jitter on 429, 500, 502, 503, 504 and
//     connection errors; Retry-After is honoured and also pauses and slows the
//     shared limiter for every request of the client.
//   - [ListAll] reads a paged list: the first page tells the total and the page
//     size the server really uses, the remaining pages are fetched concurrently,
//     each overlapping the one before by an item, and returned in offset order;
//     a list that moved while it was paged is read again (paging.go).
//   - Every non-2xx answer is an [*APIError]; [IsNotFound] and [StatusOf] inspect
//     errors without type assertions.
//
// The kinds (provider.go registers them): instance (instances*.go),
// targetGroup with its targets (targetgroups*.go), loadBalancer
// (loadbalancers*.go) with its child kind listener (listeners.go), and
// autoScalingGroup, adopted only, for its target group links (asgs.go).
// Reads that need one request per object run at most readLimit at once.
//
// Creates are plain POSTs that the client never repeats. Every kind creates
// through one protocol (createonce.go): look the key up right before the
// create, verify after it that no concurrent run created the same key (the
// smallest id wins; a run whose object lost deletes it and adopts the
// keeper), and repeat a create only when a lookup proves it did not land.
package leaseweb
