package sandbox

import "net/http"

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
