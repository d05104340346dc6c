package leaseweb

/*
Targets.

A declared target list is authoritative, and it is applied against the
targets the group has when the step runs, not the ones the plan saw: by
then an instance that was replaced has usually left the group already (an
instance leaves its groups when it is destroyed), and deregistering it
again would be refused. So an update re-reads the targets, registers the
missing ids with one call and deregisters the extra ones with another,
registering first so a group being swapped over never goes empty.

Both calls answer 423 Locked for a while after a previous change to the
group (the API reconfigures the load balancers behind it). A locked call
changed nothing, so it is repeated after a pause, each attempt holding a
write slot and the pause holding none, up to lockTries attempts.

Registering an already registered instance is a no-op, so registerTargets
is marked Idempotent and the client repeats it after a transient failure.
Deregistering one that is not registered is a 400, so deregisterTargets is
not: after any failure the targets are re-read, and the call counts as done
when the ids it was to remove are gone; after a transient failure (a dropped
connection, a 5xx) the ids still registered are deregistered again, up to
lockTries attempts.
*/

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/lswctl/lswctl/internal/providers"
)

// lockTries bounds the attempts of a register or deregister answered 423.
const lockTries = 10

const (
	registerTargets   = "registerTargets"
	deregisterTargets = "deregisterTargets"
)

// Update changes the port and health check with one PUT (the name is the
// key and never changes), then brings the targets in line with the
// declaration.
func (k *targetGroups) Update(ctx context.Context, gate providers.Gate, op providers.Op) error {
	a := attrs(op.After)
	var body updateTargetGroup
	put, targets := false, false
	for _, p := range op.Changed {
		switch {
		case p == "port":
			body.Port, put = a.optNum("port"), true
		case p == "healthCheck" || strings.HasPrefix(p, "healthCheck."):
			if hc := mergedHealthCheck(op); hc != nil {
				body.HealthCheck, put = hc, true
			}
		case p == "targets":
			targets = true
		}
	}
	if put {
		err := gate(ctx, func(ctx context.Context) error {
			return k.c.Do(ctx, http.MethodPut, tgPath(op.ID), nil, body, nil)
		})
		if err != nil {
			return err
		}
	}
	if !targets {
		return nil
	}
	return k.syncTargets(ctx, gate, op.ID, a.strs("targets"))
}

// mergedHealthCheck is the declared health check, with the live host kept
// when the declaration does not set one: the API replaces the health check
// as a whole, and a field the configuration leaves out is not managed.
func mergedHealthCheck(op providers.Op) *healthCheckOpts {
	hc := healthCheckOf(attrs(op.After))
	if hc == nil {
		return nil
	}
	if !attrs(op.After).has("healthCheck.host") {
		hc.Host = attrs(op.Before).str("healthCheck.host")
	}
	return hc
}

// syncTargets makes the group's targets exactly want, against a fresh read.
func (k *targetGroups) syncTargets(ctx context.Context, gate providers.Gate, id string, want []string) error {
	have, err := k.targets(ctx, id)
	if err != nil {
		return fmt.Errorf("reading the targets of target group %s: %w", id, err)
	}
	missing, extra := setDiff(want, have)
	if len(missing) > 0 {
		if err := k.changeTargets(ctx, gate, id, registerTargets, missing); err != nil {
			return err
		}
	}
	if len(extra) > 0 {
		return k.changeTargets(ctx, gate, id, deregisterTargets, extra)
	}
	return nil
}

// changeTargets sends one register or deregister call, repeating it while
// the group is locked, and repeating a deregistration that failed
// transiently for the ids a re-read shows still registered.
func (k *targetGroups) changeTargets(ctx context.Context, gate providers.Gate, id, action string, ids []string) error {
	var opts []CallOption
	if action == registerTargets {
		opts = append(opts, Idempotent())
	}
	wait := k.lock.First
	for try := 1; ; try++ {
		err := gate(ctx, func(ctx context.Context) error {
			return k.c.Do(ctx, http.MethodPost, tgPath(id)+"/"+action, nil, ids, nil, opts...)
		})
		if err == nil {
			return nil
		}
		if StatusOf(err) != http.StatusLocked {
			if action != deregisterTargets {
				return err
			}
			left, rerr := k.stillRegistered(ctx, id, ids)
			switch {
			case rerr == nil && len(left) == 0:
				return nil // the call landed, or the instances left on their own
			case rerr != nil || !isTransient(err) || try >= lockTries:
				return err
			}
			ids = left // what did not land is safe to send again
		} else if try >= lockTries {
			return fmt.Errorf("target group %s is still locked after %d attempts: %w", id, try, err)
		}
		if err := sleepTimer(ctx, wait); err != nil {
			return fmt.Errorf("waiting for target group %s to unlock: %w", id, err)
		}
		wait = min(wait*2, k.lock.Max)
	}
}

// stillRegistered re-reads the targets after a failed deregister and
// returns those of ids that are still registered.
func (k *targetGroups) stillRegistered(ctx context.Context, id string, ids []string) ([]string, error) {
	have, err := k.targets(ctx, id)
	if err != nil {
		return nil, err
	}
	var left []string
	for _, t := range ids {
		if slices.Contains(have, t) {
			left = append(left, t)
		}
	}
	return left, nil
}
