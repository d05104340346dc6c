package sandbox

import (
	"fmt"
	"net/http"
)

// powerAction returns the handler of POST /instances/{instanceId}/start,
// /stop or /reboot: 202 with no body when the instance is in state need,
// after which it is in transitional until the delay has passed and then in
// final; 400 otherwise. A reboot goes through STARTING (the API has no
// REBOOTING state).
func (s *Server) powerAction(need, transitional, final string) handlerFunc {
	return func(rq *request) (response, error) {
		in, err := s.instance(rq)
		if err != nil {
			return response{}, err
		}
		if in.State != need {
			return response{}, errPrecondition("instanceId",
				fmt.Sprintf("The instance must be %s; it is %s.", need, in.State))
		}
		s.beginTransition(in, transitional, final, rq.now)
		s.dirty = true
		return emptyResponse(http.StatusAccepted)
	}
}

// cancelTermination serves POST /instances/{instanceId}/cancelTermination
// (204): a MONTHLY instance scheduled for termination gets its contract back
// to ACTIVE, with no end date. It must come before the contract ends.
func (s *Server) cancelTermination(rq *request) (response, error) {
	in, err := s.instance(rq)
	if err != nil {
		return response{}, err
	}
	switch {
	case in.Contract.State != contractDeleteScheduled:
		return response{}, errPrecondition("instanceId", "The instance is not scheduled for termination.")
	case in.State == stateDestroying || in.State == stateDestroyed:
		return response{}, errPrecondition("instanceId", "The contract has already ended.")
	}
	in.Contract.State, in.Contract.EndsAt = contractActive, nil
	s.dirty = true
	return emptyResponse(http.StatusNoContent)
}
