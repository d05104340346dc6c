package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// request is what a handler sees: the HTTP request with its body already
// read, the path parameters of the matched route, and the request time.
type request struct {
	http          *http.Request
	body          []byte
	params        map[string]string
	query         url.Values
	now           time.Time
	correlationID string
}

// handlerFunc handles one API route. It runs with the server's state lock
// held and returns either a response or an error (an *apiError for the
// documented error answers).
type handlerFunc func(rq *request) (response, error)

// route is one method + path template, written with the OpenAPI document's
// parameter names ("/publicCloud/v1/instances/{instanceId}") so that stats
// keys and contract errors read the same.
type route struct {
	method   string
	template string
	segments []string
	handle   handlerFunc
}

// router matches a request path against route templates. Literal segments
// beat parameters, so "/instances/{instanceId}" and a later
// "/instances/search" could coexist.
type router struct {
	routes []route
}

func (rt *router) add(method, template string, h handlerFunc) {
	rt.routes = append(rt.routes, route{
		method:   method,
		template: template,
		segments: strings.Split(strings.Trim(template, "/"), "/"),
		handle:   h,
	})
}

// match finds the route for method and urlPath. When the path matches a
// template but not with this method, it returns nil and the allowed methods.
func (rt *router) match(method, urlPath string) (*route, map[string]string, []string) {
	segs := strings.Split(strings.Trim(urlPath, "/"), "/")
	var best *route
	var bestParams map[string]string
	bestScore := -1
	var allowed []string
	for i := range rt.routes {
		r := &rt.routes[i]
		params, score, ok := matchSegments(r.segments, segs)
		if !ok {
			continue
		}
		if r.method != method {
			if !slices.Contains(allowed, r.method) {
				allowed = append(allowed, r.method)
			}
			continue
		}
		if score > bestScore {
			best, bestParams, bestScore = r, params, score
		}
	}
	if best != nil {
		return best, bestParams, nil
	}
	slices.Sort(allowed)
	return nil, nil, allowed
}

// matchSegments matches path segments against a template's; the score is the
// number of literal segments.
func matchSegments(tmpl, segs []string) (map[string]string, int, bool) {
	if len(tmpl) != len(segs) {
		return nil, 0, false
	}
	params := map[string]string{}
	score := 0
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, 0, false
			}
			params[t[1:len(t)-1]] = v
			continue
		}
		if t != segs[i] {
			return nil, 0, false
		}
		score++
	}
	return params, score, true
}
