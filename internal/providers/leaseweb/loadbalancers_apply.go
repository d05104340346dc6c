package leaseweb

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// Update waits for the load balancer to rest (the API refuses a PUT in
// between), changes the type, contract type and configuration with one
// PUT, and waits for it to rest again.
func (k *loadBalancers) Update(ctx context.Context, gate providers.Gate, op providers.Op) error {
	if _, err := k.waitStable(ctx, op.ID); err != nil {
		return err
	}
	body := lbUpdateBody(op)
	if len(body) == 0 {
		return nil
	}
	if err := k.put(ctx, gate, op.ID, body); err != nil {
		return err
	}
	_, err := k.waitStable(ctx, op.ID)
	return err
}

// lbUpdateBody collects the changed members of updateLoadBalancerOpts. A
// sticky session is sent whole (both members are required), and null
// removes it.
func lbUpdateBody(op providers.Op) map[string]any {
	a := attrs(op.After)
	body := map[string]any{}
	for _, p := range op.Changed {
		field, _, _ := strings.Cut(p, ".")
		switch field {
		case "type":
			body["type"] = a.str("type")
		case "contract":
			if p == "contract.type" {
				body["contractType"] = a.str("contract.type")
			}
		case "stickySession", "balance", "xForwardedFor", "idleTimeOut":
			v, _ := model.Get(op.After, field)
			body[field] = v
		}
	}
	return body
}

// Delete terminates the load balancer. Leaseweb needs a cancellation
// reason for every load balancer, whatever its contract. An hourly one is
// destroyed at once and waited for; a monthly one is only scheduled for
// the end of its contract.
func (k *loadBalancers) Delete(ctx context.Context, gate providers.Gate, op providers.Op) error {
	reason, err := lbCancelReason(op)
	if err != nil {
		return err
	}
	// A CREATING load balancer cannot be terminated yet.
	lb, err := k.waitStable(ctx, op.ID)
	switch {
	case IsNotFound(err) || lb != nil && lb.State == "DESTROYED":
		return nil
	case err != nil:
		return err
	case lb.Contract.State == "DELETE_SCHEDULED":
		return nil // already on its way out
	}
	monthly := lb.Contract.Type == "MONTHLY"
	err = gate(ctx, func(ctx context.Context) error {
		return k.c.Do(ctx, http.MethodDelete, lbPath(op.ID), nil, reason, nil)
	})
	if err != nil && !IsNotFound(err) && !k.landed(ctx, op.ID, monthly) {
		return err
	}
	if monthly {
		return nil // scheduled for the end of the contract; nothing to wait for
	}
	return k.poll.poll(ctx, "load balancer "+op.ID+" to be destroyed", func(ctx context.Context) (bool, string, error) {
		lb, err := k.get(ctx, op.ID)
		if IsNotFound(err) {
			return true, "gone", nil
		}
		if err != nil {
			return false, "", err
		}
		return lb.State == "DESTROYED", lb.State, nil
	})
}

// landed re-reads a load balancer after its DELETE failed and reports
// whether the termination took effect anyway (a retried DELETE whose first
// attempt landed is refused).
func (k *loadBalancers) landed(ctx context.Context, id string, monthly bool) bool {
	lb, err := k.get(ctx, id)
	switch {
	case IsNotFound(err):
		return true
	case err != nil:
		return false
	case monthly:
		return lb.Contract.State == "DELETE_SCHEDULED"
	}
	return lb.State == "DESTROYING" || lb.State == "DESTROYED"
}

// lbCancelReason builds the termination body from the declaration's
// contract.cancelReason, which Leaseweb requires for every load balancer.
func lbCancelReason(op providers.Op) (terminateOpts, error) {
	a := attrs(op.After)
	code := a.str("contract.cancelReason")
	if code == "" {
		return terminateOpts{}, &providers.FieldError{Path: "contract.cancelReason", Msg: fmt.Sprintf(
			"Leaseweb needs a cancellation reason to delete a load balancer (%s): declare it with "+
				"contract.cancelReason (for example CANCEL_PRODUCT_SWITCH) and ensure: absent", lbRef(op))}
	}
	text := a.str("contract.cancelReasonText")
	if code == "CANCEL_OTHER" && text == "" {
		return terminateOpts{}, &providers.FieldError{Path: "contract.cancelReasonText",
			Msg: "contract.cancelReason CANCEL_OTHER needs contract.cancelReasonText"}
	}
	return terminateOpts{ReasonCode: code, Reason: text}, nil
}

// lbRef names the load balancer of an op for messages.
func lbRef(op providers.Op) string {
	if op.ID == "" {
		return op.Addr.Name
	}
	return op.Addr.Name + ", id " + op.ID
}

// Check catches at plan time what the API would refuse at apply time: a
// delete or replacement without a cancellation reason, and a MONTHLY
// contract going back to HOURLY.
func (k *loadBalancers) Check(_ context.Context, action string, op providers.Op) error {
	switch action {
	case "delete", "replace":
		_, err := lbCancelReason(op)
		return err
	case "update":
		for _, p := range op.Changed {
			if p == "contract.type" && attrs(op.Before).str(p) == "MONTHLY" && attrs(op.After).str(p) == "HOURLY" {
				return &providers.FieldError{Path: p, Msg: "a MONTHLY contract cannot be changed back to HOURLY"}
			}
		}
	}
	return nil
}
