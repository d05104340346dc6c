package sandbox

import (
	"net/http"
	"slices"
	"strings"
)

// instanceTypesPageSize is the documented default limit of GET /instanceTypes
// and GET /instances/{instanceId}/instanceTypesUpdate (their limit parameter
// declares "default: 50"); other lists use Options.PageSize.
const instanceTypesPageSize = 50

// listRegions serves GET /publicCloud/v1/regions.
func (s *Server) listRegions(rq *request) (response, error) {
	p, err := parsePage(rq, s.pageSize)
	if err != nil {
		return response{}, err
	}
	all := make([]wireRegion, 0, len(s.cat.regions))
	for _, r := range s.cat.regions {
		all = append(all, wireRegion{Name: r.Name, Location: r.Location})
	}
	items, meta := paginate(all, p)
	return jsonResponse(http.StatusOK, struct {
		Regions  []wireRegion `json:"regions"`
		Metadata wireMetadata `json:"_metadata"`
	}{items, meta})
}

// listInstanceTypes serves GET /publicCloud/v1/instanceTypes?region=, whose
// region parameter is required.
func (s *Server) listInstanceTypes(rq *request) (response, error) {
	region := rq.query.Get("region")
	if region == "" {
		return response{}, errBadRequest(map[string][]string{"region": {"This value should not be blank."}})
	}
	if _, ok := s.cat.region(region); !ok {
		return response{}, errBadRequest(map[string][]string{"region": {"The value you selected is not a valid choice."}})
	}
	var all []*instanceTypeSpec
	for i := range s.cat.types {
		if s.cat.types[i].offeredIn(region) {
			all = append(all, &s.cat.types[i])
		}
	}
	return s.instanceTypesResponse(rq, all)
}

// instanceTypesResponse pages types into the instanceTypes schema, whose
// _metadata also carries the currency.
func (s *Server) instanceTypesResponse(rq *request, types []*instanceTypeSpec) (response, error) {
	p, err := parsePage(rq, instanceTypesPageSize)
	if err != nil {
		return response{}, err
	}
	items, meta := listPage(types, nil, p, (*instanceTypeSpec).wire)
	return jsonResponse(http.StatusOK, struct {
		InstanceTypes []wireInstanceType `json:"instanceTypes"`
		Metadata      wirePricedMetadata `json:"_metadata"`
	}{items, wirePricedMetadata{wireMetadata: meta, Currency: "EUR", CurrencySymbol: "€"}})
}

// listImages serves GET /publicCloud/v1/images with the filters custom,
// standard, state, marketAppId, storageType, name (case-insensitive
// substring), flavour and region. Only standard images exist so far; they are
// READY in every region, and report the region filtered on (as the
// documented example does) or null. An unknown region has no images.
func (s *Server) listImages(rq *request) (response, error) {
	p, err := parsePage(rq, s.pageSize)
	if err != nil {
		return response{}, err
	}
	var region *string
	if r := rq.query.Get("region"); r != "" {
		if _, ok := s.cat.region(r); !ok {
			return jsonResponse(http.StatusOK, struct {
				Images   []wireImageDetails `json:"images"`
				Metadata wireMetadata       `json:"_metadata"`
			}{[]wireImageDetails{}, p.metadata(0)})
		}
		region = &r
	}
	var all []wireImageDetails
	for i := range s.cat.images {
		im := &s.cat.images[i]
		if imageMatches(rq, im) {
			all = append(all, im.details(region))
		}
	}
	items, meta := paginate(all, p)
	return jsonResponse(http.StatusOK, struct {
		Images   []wireImageDetails `json:"images"`
		Metadata wireMetadata       `json:"_metadata"`
	}{items, meta})
}

// imageMatches applies the image list filters to a standard image.
func imageMatches(rq *request, im *imageSpec) bool {
	q := rq.query
	switch {
	case q.Get("custom") == "true", q.Get("standard") == "false":
		return false
	case q.Has("state") && q.Get("state") != "READY":
		return false
	case q.Has("marketAppId") && !slices.Contains(im.MarketApps, q.Get("marketAppId")):
		return false
	case q.Has("storageType") && !slices.Contains(im.StorageTypes, q.Get("storageType")):
		return false
	case q.Has("flavour") && q.Get("flavour") != im.Flavour:
		return false
	case q.Has("name") && !strings.Contains(strings.ToLower(im.Name), strings.ToLower(q.Get("name"))):
		return false
	}
	return true
}
