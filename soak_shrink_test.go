package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// A collection that shrinks while it is paged. A reader that fetches page 1
// and then the other offsets misses exactly the items that slide from
// page 2 onto page 1 when items of page 1 disappear in between: deleting k
// items of page 1 hides the k items just past it. So the shrink is
// deliberately unlucky rather than uniform: when a managed target group
// (one lswctl must see) sits within soakMaxShrink places past page 1 and page 1
// holds enough strays, it deletes just enough page-1 strays for that group
// to slide; otherwise it deletes one page-1 stray, a shrink that hides only
// another stray. Stray groups are the only thing it deletes; the soak
// tracks them. Deleting a target group is immediate, which is why the
// shrink works on that collection.
//
// This is the one function to swap for the sandbox's own shrink fault
// (h/paging) once it lands.

const (
	soakMaxShrink   = 3 // strays one shrink may delete
	soakStrayPrefix = "stray-"
)

type soakTGItem struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type soakTGPage struct {
	TargetGroups []soakTGItem `json:"targetGroups"`
	Metadata     struct {
		TotalCount int `json:"totalCount"`
	} `json:"_metadata"`
}

// shrink runs after page 1 of the target group list was read through next
// and before the client sees it; it returns that page unchanged.
func (f *soakInjector) shrink(req *http.Request, first *http.Response, next http.RoundTripper) (*http.Response, error) {
	b, err := io.ReadAll(first.Body)
	first.Body.Close()
	first.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var page soakTGPage
	if json.Unmarshal(b, &page) != nil || page.Metadata.TotalCount <= len(page.TargetGroups) {
		return first, nil // one page: nothing can slide
	}
	all, err := soakReadTGs(req, next)
	if err != nil {
		return nil, err
	}
	n := min(len(page.TargetGroups), len(all))
	var strays []soakTGItem
	for _, g := range all[:n] {
		if strings.HasPrefix(g.Name, soakStrayPrefix) {
			strays = append(strays, g)
		}
	}
	if len(strays) == 0 {
		return first, nil
	}
	k, slid := 1, ""
	for j := n; j < min(n+soakMaxShrink, len(all)); j++ {
		if !strings.HasPrefix(all[j].Name, soakStrayPrefix) {
			if j-n+1 <= len(strays) {
				k, slid = j-n+1, all[j].Name
			}
			break
		}
	}
	ev := soakShrinkEvent{slid: slid}
	for _, g := range strays[:k] {
		if err := soakOOB(req, next, http.MethodDelete, soakTGPath+"/"+g.ID, nil); err != nil {
			return nil, fmt.Errorf("soak shrink: %w", err)
		}
		ev.deleted = append(ev.deleted, g.Name)
	}
	f.mu.Lock()
	ev.iter = f.iter
	f.shrinks = append(f.shrinks, ev)
	f.mu.Unlock()
	return first, nil
}

// soakReadTGs reads the whole target group list out of band, in list order.
func soakReadTGs(req *http.Request, next http.RoundTripper) ([]soakTGItem, error) {
	var all []soakTGItem
	for {
		var page soakTGPage
		path := fmt.Sprintf("%s?limit=50&offset=%d", soakTGPath, len(all))
		if err := soakOOB(req, next, http.MethodGet, path, &page); err != nil {
			return nil, err
		}
		all = append(all, page.TargetGroups...)
		if len(page.TargetGroups) == 0 || len(all) >= page.Metadata.TotalCount {
			return all, nil
		}
	}
}

// soakOOB sends one request around the fault injector, with like's headers
// (the API key), and decodes a 2xx answer into out when out is not nil.
func soakOOB(like *http.Request, next http.RoundTripper, method, pathQuery string, out any) error {
	u := *like.URL
	u.Path, u.RawQuery, _ = strings.Cut(pathQuery, "?")
	r, err := http.NewRequestWithContext(like.Context(), method, u.String(), nil)
	if err != nil {
		return err
	}
	r.Header = like.Header.Clone()
	resp, err := next.RoundTrip(r)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, pathQuery, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, pathQuery, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}
