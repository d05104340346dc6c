package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// Control routes, under /_sandbox/: not part of the Leaseweb API, not
// authenticated, never faulted or counted in Stats.
//
//	POST   /_sandbox/reset   Reset                                  204
//	GET    /_sandbox/stats   Stats as JSON                          200
//	DELETE /_sandbox/stats   ResetStats                             204
//	GET    /_sandbox/faults  the fault configuration as JSON        200
//	PUT    /_sandbox/faults  SetFaults from JSON (see Faults)       204, 400
//	GET    /_sandbox/state   the state document                     200
//	PUT    /_sandbox/state   Seed from a state document             204, 400
//
// Errors are {"error": "message"}.
func (s *Server) registerControl(rt *router) {
	rt.add(http.MethodPost, "/_sandbox/reset", func(*request) (response, error) {
		if err := s.Reset(); err != nil {
			return controlError(http.StatusInternalServerError, err)
		}
		return emptyResponse(http.StatusNoContent)
	})
	rt.add(http.MethodGet, "/_sandbox/stats", func(*request) (response, error) {
		return jsonResponse(http.StatusOK, s.Stats())
	})
	rt.add(http.MethodDelete, "/_sandbox/stats", func(*request) (response, error) {
		s.ResetStats()
		return emptyResponse(http.StatusNoContent)
	})
	rt.add(http.MethodGet, "/_sandbox/faults", func(*request) (response, error) {
		s.mu.Lock()
		f := s.faults.cfg
		s.mu.Unlock()
		return jsonResponse(http.StatusOK, f)
	})
	rt.add(http.MethodPut, "/_sandbox/faults", s.putFaults)
	rt.add(http.MethodGet, "/_sandbox/state", func(*request) (response, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return jsonResponse(http.StatusOK, s.st.document())
	})
	rt.add(http.MethodPut, "/_sandbox/state", func(rq *request) (response, error) {
		if err := s.Seed(bytes.NewReader(rq.body)); err != nil {
			return controlError(http.StatusBadRequest, err)
		}
		return emptyResponse(http.StatusNoContent)
	})
}

func (s *Server) putFaults(rq *request) (response, error) {
	var f Faults
	if err := json.Unmarshal(rq.body, &f); err != nil {
		return controlError(http.StatusBadRequest, err)
	}
	if err := f.Validate(); err != nil {
		return controlError(http.StatusBadRequest, err)
	}
	s.SetFaults(f)
	return emptyResponse(http.StatusNoContent)
}

func controlError(status int, err error) (response, error) {
	return jsonResponse(status, map[string]string{"error": err.Error()})
}

// serveControl answers a /_sandbox/ request.
func (s *Server) serveControl(r *http.Request) response {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		resp, _ := controlError(http.StatusBadRequest, err)
		return resp
	}
	rt, _, allowed := s.control.match(r.Method, r.URL.Path)
	var resp response
	switch {
	case rt != nil:
		resp, err = rt.handle(&request{http: r, body: body, query: r.URL.Query()})
	case len(allowed) > 0:
		resp, err = jsonResponse(http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
		resp.header.Set("Allow", strings.Join(allowed, ", "))
	default:
		resp, err = jsonResponse(http.StatusNotFound, map[string]string{"error": "no such control route"})
	}
	if err != nil {
		resp, _ = controlError(http.StatusInternalServerError, err)
	}
	return resp
}
