package leaseweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// stable states are the ones an instance rests in; the others are on the
// way somewhere.
var stable = map[string]bool{"RUNNING": true, "STOPPED": true}

// settle waits for the instance to rest, then starts or stops it until it
// rests in want (RUNNING or STOPPED). Each power call holds a write slot;
// the waiting does not.
func (k *instances) settle(ctx context.Context, gate providers.Gate, id, want string) error {
	state, err := k.waitStable(ctx, id)
	if err != nil || state == want {
		return err
	}
	action := map[string]string{"RUNNING": "start", "STOPPED": "stop"}[want]
	if action == "" {
		return fmt.Errorf("cannot bring an instance to state %s", want)
	}
	err = gate(ctx, func(ctx context.Context) error {
		return k.c.Do(ctx, http.MethodPost, instancesPath+"/"+url.PathEscape(id)+"/"+action, nil, nil, nil, Idempotent())
	})
	if err != nil && !k.landed(ctx, id, func(in *apiInstance) bool {
		return in.State == want || in.State == transitionTo[want]
	}) {
		return err
	}
	state, err = k.waitStable(ctx, id)
	if err == nil && state != want {
		err = fmt.Errorf("instance %s is %s after %s, expected %s", id, state, action, want)
	}
	return err
}

// transitionTo names the state an instance passes through on its way to a
// resting state.
var transitionTo = map[string]string{"RUNNING": "STARTING", "STOPPED": "STOPPING"}

// landed re-reads an instance after a write failed, and reports whether the
// write took effect anyway. A retried call whose first attempt landed gets a
// 400 ("already stopped"), which must not fail a step that succeeded.
func (k *instances) landed(ctx context.Context, id string, done func(*apiInstance) bool) bool {
	in, err := k.get(ctx, id)
	if IsNotFound(err) {
		return done(nil)
	}
	return err == nil && done(in)
}

// waitStable polls until the instance rests and returns that state.
func (k *instances) waitStable(ctx context.Context, id string) (string, error) {
	var state string
	err := k.poll.poll(ctx, "instance "+id+" to settle", func(ctx context.Context) (bool, string, error) {
		in, err := k.get(ctx, id)
		if err != nil {
			return false, "", err
		}
		state = in.State
		if in.State == "FAILED" || in.State == "DESTROYED" {
			return false, state, fmt.Errorf("instance %s is %s", id, in.State)
		}
		return stable[in.State], state, nil
	})
	return state, err
}

// Update changes what can change in place (type, root disk size, contract)
// with one PUT, then starts or stops the instance to match `state`.
func (k *instances) Update(ctx context.Context, gate providers.Gate, op providers.Op) error {
	if _, err := k.waitStable(ctx, op.ID); err != nil {
		return err
	}
	body, changed := updateBody(op)
	if changed {
		err := gate(ctx, func(ctx context.Context) error {
			return k.c.Do(ctx, http.MethodPut, instancesPath+"/"+url.PathEscape(op.ID), nil, body, nil)
		})
		if err != nil {
			return err
		}
	}
	want := attrs(op.After).str("state")
	if want == "" {
		_, err := k.waitStable(ctx, op.ID)
		return err
	}
	return k.settle(ctx, gate, op.ID, want)
}

func updateBody(op providers.Op) (updateInstance, bool) {
	a := attrs(op.After)
	var body updateInstance
	changed := false
	for _, p := range op.Changed {
		switch p {
		case "type":
			body.Type, changed = a.str("type"), true
		case "rootDisk.size":
			body.RootDiskSize, _ = a.num("rootDisk.size")
			changed = true
		case "contract.type", "contract.term", "contract.billingFrequency":
			body.ContractType = a.str("contract.type")
			body.ContractTerm = a.optNum("contract.term")
			body.BillingFrequency = a.optNum("contract.billingFrequency")
			changed = true
		}
	}
	return body, changed
}

// Delete terminates the instance. An hourly instance is destroyed at once
// and waited for; a monthly one is only scheduled for the end of its
// contract, and Leaseweb requires a cancellation reason for it.
func (k *instances) Delete(ctx context.Context, gate providers.Gate, op providers.Op) error {
	var body any
	monthly := contractType(op.Before) == "MONTHLY"
	if monthly {
		reason, err := cancelReason(op)
		if err != nil {
			return err
		}
		body = reason
	}
	// A CREATING or STOPPING instance cannot be terminated yet.
	switch state, err := k.waitStable(ctx, op.ID); {
	case IsNotFound(err) || state == "DESTROYED":
		return nil
	case err != nil:
		return err
	}
	err := gate(ctx, func(ctx context.Context) error {
		return k.c.Do(ctx, http.MethodDelete, instancesPath+"/"+url.PathEscape(op.ID), nil, body, nil)
	})
	if err != nil && !IsNotFound(err) && !k.landed(ctx, op.ID, func(in *apiInstance) bool {
		if in == nil {
			return true
		}
		if monthly {
			return in.Contract.State == "DELETE_SCHEDULED"
		}
		return in.State == "DESTROYING" || in.State == "DESTROYED"
	}) {
		return err
	}
	if monthly {
		return nil // scheduled for the end of the contract; nothing to wait for
	}
	return k.poll.poll(ctx, "instance "+op.ID+" to be destroyed", func(ctx context.Context) (bool, string, error) {
		in, err := k.get(ctx, op.ID)
		if IsNotFound(err) {
			return true, "gone", nil
		}
		if err != nil {
			return false, "", err
		}
		return in.State == "DESTROYED", in.State, nil
	})
}

func contractType(a model.Object) string { return attrs(a).str("contract.type") }

// cancelReason builds the termination body of a monthly instance from the
// declaration's contract.cancelReason.
func cancelReason(op providers.Op) (terminateOpts, error) {
	a := attrs(op.After)
	code := a.str("contract.cancelReason")
	if code == "" {
		return terminateOpts{}, &providers.FieldError{Path: "contract.cancelReason", Msg: fmt.Sprintf(
			"instance %s has a MONTHLY contract, and Leaseweb needs a cancellation reason to end it: "+
				"declare it with contract.cancelReason (for example CANCEL_PRODUCT_SWITCH) and ensure: absent", op.ID)}
	}
	text := a.str("contract.cancelReasonText")
	if code == "CANCEL_OTHER" && text == "" {
		return terminateOpts{}, &providers.FieldError{Path: "contract.cancelReasonText",
			Msg: "contract.cancelReason CANCEL_OTHER needs contract.cancelReasonText"}
	}
	return terminateOpts{ReasonCode: code, Reason: text}, nil
}
