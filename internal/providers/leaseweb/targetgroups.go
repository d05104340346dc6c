package leaseweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/lswctl/lswctl/internal/model"
	"github.com/lswctl/lswctl/internal/providers"
)

// targetGroupSchema is what the diff needs to know about target groups
// (api/publiccloud.md §6): a group is identified by its name and region;
// region and protocol cannot be updated; a health check can be changed but
// not removed (the update body cannot carry null); targets are a set. A
// replacement creates the new group first, so that listeners and auto
// scaling groups can move to it before the old one goes.
var targetGroupSchema = model.KindSchema{
	Kind:                "targetGroup",
	Plural:              "targetGroups",
	KeyAttrs:            []string{"region"},
	Immutable:           []string{"region", "protocol"},
	ReplaceOnRemove:     []string{"healthCheck"},
	Sets:                []string{"targets"},
	CreateBeforeDestroy: true,
}

// targetGroups is the public cloud target group kind, targets included.
type targetGroups struct {
	c    *Client
	once onceTimes
	// lock paces the retries of a register or deregister answered 423
	// Locked: First, doubling up to Max, for at most lockTries attempts.
	lock pollTimes
}

func newTargetGroups(c *Client, lock pollTimes, once onceTimes) *targetGroups {
	return &targetGroups{c: c, lock: lock, once: once}
}

func (k *targetGroups) Schema() model.KindSchema { return targetGroupSchema }

func tgPath(id string) string { return targetGroupsPath + "/" + url.PathEscape(id) }

// Read lists every target group and, for each, its targets: one paged list
// plus one paged list per group, at most readLimit at once.
func (k *targetGroups) Read(ctx context.Context) ([]model.Resource, error) {
	groups, err := ListAll[apiTargetGroup](ctx, k.c, targetGroupsPath, nil, "targetGroups")
	if err != nil {
		return nil, fmt.Errorf("reading target groups: %w", err)
	}
	read := make([]*model.Resource, len(groups))
	err = eachLimited(ctx, groups, func(ctx context.Context, i int, tg apiTargetGroup) error {
		targets, err := k.targets(ctx, tg.ID)
		if IsNotFound(err) {
			return nil // deleted since it was listed
		}
		if err != nil {
			return err
		}
		r := targetGroupResource(tg, targets)
		read[i] = &r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading target groups: %w", err)
	}
	out := make([]model.Resource, 0, len(read))
	for _, r := range read {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}

// ReadOne re-reads one target group and its targets; nil when it is gone.
func (k *targetGroups) ReadOne(ctx context.Context, id string) (*model.Resource, error) {
	var tg apiTargetGroup
	err := k.c.Do(ctx, http.MethodGet, tgPath(id), nil, nil, &tg)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	targets, err := k.targets(ctx, id)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r := targetGroupResource(tg, targets)
	return &r, nil
}

// targets returns the instance ids registered in a group.
func (k *targetGroups) targets(ctx context.Context, id string) ([]string, error) {
	list, err := ListAll[apiTarget](ctx, k.c, tgPath(id)+"/targets", nil, "targets")
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, t := range list {
		ids[i] = t.ID
	}
	return ids, nil
}

// targetGroupResource converts the wire shape to the configuration's
// shape. The health check carries only the members the API returns
// non-null, so a declaration without a host compares equal; targets are
// sorted so the fingerprint does not depend on registration order.
func targetGroupResource(tg apiTargetGroup, targets []string) model.Resource {
	a := model.Object{
		"region":      tg.Region,
		"protocol":    tg.Protocol,
		"port":        tg.Port,
		"healthCheck": nil,
		"targets":     idList(targets),
	}
	if hc := tg.HealthCheck; hc != nil {
		m := map[string]any{"protocol": hc.Protocol, "uri": hc.URI, "port": hc.Port}
		if hc.Method != nil {
			m["method"] = *hc.Method
		}
		if hc.Host != nil {
			m["host"] = *hc.Host
		}
		a["healthCheck"] = m
	}
	return model.Resource{Addr: model.Address{Kind: targetGroupSchema.Kind, Name: tg.Name}, ID: tg.ID, Attrs: a}
}

// healthCheckOf builds the request form of the declared health check; nil
// when none is declared.
func healthCheckOf(a attrs) *healthCheckOpts {
	v, _ := model.Get(model.Object(a), "healthCheck")
	if _, ok := v.(map[string]any); !ok {
		return nil
	}
	hc := &healthCheckOpts{Protocol: a.str("healthCheck.protocol"), Method: a.str("healthCheck.method"),
		URI: a.str("healthCheck.uri"), Host: a.str("healthCheck.host")}
	hc.Port, _ = a.num("healthCheck.port")
	if hc.Protocol == "TCP" {
		// TCP checks take no method (the API rejects one); a method left
		// over from an HTTP check the update replaces must not be sent.
		hc.Method = ""
	}
	return hc
}

// Create makes the group through the create protocol (createonce.go),
// which adopts a group another run made with the same name and region
// instead of making a second one, then registers its targets. When the
// group replaces another one with the same key (create before destroy),
// the groups that the first lookup finds shaped like the old one, or
// unlike the new one, are the one being replaced and never adopted.
func (k *targetGroups) Create(ctx context.Context, gate providers.Gate, op providers.Op) (string, error) {
	a := attrs(op.After)
	body := createTargetGroup{Name: op.Addr.Name, Protocol: a.str("protocol"), Region: a.str("region"),
		HealthCheck: healthCheckOf(a)}
	body.Port, _ = a.num("port")
	var deposed []string
	looked := false
	id, err := k.once.run(ctx, gate, onceSpec{
		what: "target group " + body.Name + " in " + body.Region,
		lookup: func(ctx context.Context, _ []string) ([]candidate, error) {
			found, err := k.byName(ctx, body.Name, body.Region)
			if err != nil {
				return nil, err
			}
			var out []candidate
			for _, tg := range found {
				misfit := tgMisfit(tg, a)
				if !looked && op.Before != nil && (misfit != "" || tgMisfit(tg, attrs(op.Before)) == "") {
					deposed = append(deposed, tg.ID)
				}
				if !slices.Contains(deposed, tg.ID) {
					out = append(out, candidate{id: tg.ID, misfit: misfit})
				}
			}
			looked = true
			return out, nil
		},
		create: func(ctx context.Context) (string, error) {
			var created apiTargetGroup
			err := k.c.Do(ctx, http.MethodPost, targetGroupsPath, nil, body, &created)
			return created.ID, err
		},
		remove: func(ctx context.Context, id string) error {
			return k.Delete(ctx, gate, providers.Op{Addr: op.Addr, ID: id})
		},
	})
	if err != nil {
		return "", err
	}
	return id, k.syncTargets(ctx, gate, id, a.strs("targets"))
}

// tgMisfit says how a live group differs from a declaration in what
// forces a replacement (the protocol, having a health check), or "".
func tgMisfit(tg apiTargetGroup, a attrs) string {
	has := func(b bool) string {
		if b {
			return "set"
		}
		return ""
	}
	return misfits([3]string{"protocol", tg.Protocol, a.str("protocol")},
		[3]string{"health check", has(tg.HealthCheck != nil), has(healthCheckOf(a) != nil)})
}

// byName lists the groups with this name in region.
func (k *targetGroups) byName(ctx context.Context, name, region string) ([]apiTargetGroup, error) {
	list, err := ListAll[apiTargetGroup](ctx, k.c, targetGroupsPath, url.Values{"name": {name}, "region": {region}}, "targetGroups")
	if err != nil {
		return nil, fmt.Errorf("looking up target group %s in %s: %w", name, region, err)
	}
	return slices.DeleteFunc(list, func(tg apiTargetGroup) bool { return tg.Name != name || tg.Region != region }), nil
}

// Delete removes the group; one already gone counts as deleted.
func (k *targetGroups) Delete(ctx context.Context, gate providers.Gate, op providers.Op) error {
	err := gate(ctx, func(ctx context.Context) error {
		return k.c.Do(ctx, http.MethodDelete, tgPath(op.ID), nil, nil, nil)
	})
	if IsNotFound(err) {
		return nil
	}
	return err
}

var _ providers.Refresher = (*targetGroups)(nil)
