package sandbox

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
)

// An echo fault (the "echo" option of a rule) answers like a careless or
// hostile API: its error repeats the request it refuses — the body as
// sent, base64- and hex-encoded, and the X-LSW-Auth header — in the error
// message and in errorDetails. lswctl's tests use it to prove that nothing
// an API echoes reaches the output with a secret in it.

// answer renders the fault chosen for rq.
func (f *injected) answer(rq *request) response {
	if !f.rule.Echo {
		return f.response(rq.correlationID)
	}
	status := f.rule.Status
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	body, auth := string(rq.body), rq.http.Header.Get("X-LSW-Auth")
	r := errorResponse(rq.correlationID, &apiError{status: status,
		message: standardMessage(status) + " You sent: " + body + " with key " + auth,
		details: map[string][]string{
			"request": {body, base64.StdEncoding.EncodeToString(rq.body), hex.EncodeToString(rq.body)},
			"auth":    {auth, base64.StdEncoding.EncodeToString([]byte("X-LSW-Auth: " + auth))},
		}})
	for k, v := range f.response(rq.correlationID).header {
		if k != "Content-Type" {
			r.header[k] = v
		}
	}
	return r
}
